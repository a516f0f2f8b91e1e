//! A running `lockstep` whose output is read line by line, with deadlines.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::Instant;

use serde_json::Value;

use super::{Finished, tail, wait_until};

/// A `lockstep` process whose stdout is read line by line as it comes.
pub struct Live {
    child: Option<Child>,
    pid: u32,
    lines: Receiver<String>,
    stderr: Option<JoinHandle<String>>,
    /// Every stdout line read so far.
    pub seen: Vec<String>,
}

impl Live {
    pub(super) fn start(mut cmd: Command) -> Live {
        let mut child = cmd.spawn().expect("start lockstep");
        let pid = child.id();
        let stdout = child.stdout.take().expect("stdout is piped");
        let mut stderr = child.stderr.take().expect("stderr is piped");
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let stderr = std::thread::spawn(move || {
            let mut s = String::new();
            let _ = stderr.read_to_string(&mut s);
            s
        });
        Live {
            child: Some(child),
            pid,
            lines,
            stderr: Some(stderr),
            seen: Vec::new(),
        }
    }

    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// The next stdout line, or `None` once stdout is closed. Fails at the deadline.
    pub fn next_line(&mut self, deadline: Instant) -> Option<String> {
        let left = deadline.saturating_duration_since(Instant::now());
        match self.lines.recv_timeout(left) {
            Ok(line) => {
                self.seen.push(line.clone());
                Some(line)
            }
            Err(RecvTimeoutError::Disconnected) => None,
            Err(RecvTimeoutError::Timeout) => panic!(
                "no output line in time; lines so far:\n{}",
                tail(&self.seen.join("\n"), 10)
            ),
        }
    }

    /// The next stdout line as JSON (for `--json` runs), or `None` at the end.
    pub fn next_event(&mut self, deadline: Instant) -> Option<Value> {
        let line = self.next_line(deadline)?;
        Some(
            serde_json::from_str(&line)
                .unwrap_or_else(|e| panic!("stdout line is not JSON ({e}): {line:?}")),
        )
    }

    /// Read events until one has `"ev": ev` (returning it); fails at the end of output.
    pub fn until_event(&mut self, ev: &str, deadline: Instant) -> Value {
        while let Some(v) = self.next_event(deadline) {
            if v["ev"] == ev {
                return v;
            }
        }
        panic!(
            "output ended without a {ev:?} event; stderr:\n{}",
            self.take_stderr()
        );
    }

    fn take_stderr(&mut self) -> String {
        self.stderr
            .take()
            .map(|h| h.join().unwrap_or_default())
            .unwrap_or_default()
    }

    /// Read the rest of stdout and wait for the exit, all before `deadline`.
    pub fn finish(mut self, deadline: Instant) -> Finished {
        while self.next_line(deadline).is_some() {}
        let mut child = self.child.take().expect("not finished yet");
        let mut status = None;
        wait_until(deadline, "lockstep to exit", || {
            status = child.try_wait().expect("wait for lockstep");
            status.is_some()
        });
        let stderr = self.take_stderr();
        Finished {
            status: status.expect("exited"),
            stdout: self.seen.join("\n"),
            stderr,
            pid: self.pid,
        }
    }
}

impl Drop for Live {
    /// A failed test must not leave its lockstep running.
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take()
            && let Ok(None) = child.try_wait()
        {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
