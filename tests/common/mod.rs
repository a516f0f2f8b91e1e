//! Shared helpers for the integration tests: run the real `lockstep` binary
//! in a private `TMPDIR`, read its output (whole or line by line, always with
//! a deadline), and check that nothing is left behind.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde_json::Value;
use tempfile::TempDir;

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_lockstep");

/// How long any one `lockstep` invocation may take before the test fails.
pub const RUN_LIMIT: Duration = Duration::from_secs(30);

/// A deadline `secs` seconds from now.
pub fn within(secs: f64) -> Instant {
    Instant::now() + Duration::from_secs_f64(secs)
}

/// Poll `cond` every 10 ms until it holds; fail the test with `what` at the deadline.
pub fn wait_until(deadline: Instant, what: &str, mut cond: impl FnMut() -> bool) {
    let started = Instant::now();
    loop {
        if cond() {
            return;
        }
        if Instant::now() >= deadline {
            panic!(
                "timed out after {:.1} s waiting for {what}",
                started.elapsed().as_secs_f64()
            );
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// One finished `lockstep` invocation.
#[derive(Debug)]
pub struct Finished {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
    /// The pid `lockstep` itself had (its run directories and semaphores are named after it).
    pub pid: u32,
}

impl Finished {
    pub fn code(&self) -> Option<i32> {
        self.status.code()
    }

    /// Every stdout line parsed as JSON (for `--json` runs).
    pub fn events(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                serde_json::from_str(l)
                    .unwrap_or_else(|e| panic!("stdout line is not JSON ({e}): {l:?}"))
            })
            .collect()
    }

    /// The final `"ev":"summary"` object of a `--json` run.
    pub fn summary(&self) -> Value {
        let last = self
            .stdout
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or_else(|| panic!("no output at all; stderr:\n{}", self.stderr));
        let v: Value = serde_json::from_str(last).unwrap_or_else(|e| {
            panic!(
                "last line is not JSON ({e}): {last:?}\nstderr:\n{}",
                self.stderr
            )
        });
        assert_eq!(
            v["ev"], "summary",
            "the last line is not the summary: {last}"
        );
        v
    }

    /// Fail with everything the process said unless it exited with status 0.
    pub fn assert_success(&self) -> &Self {
        assert!(
            self.status.success(),
            "lockstep failed with {:?}\nstderr:\n{}\nstdout (tail):\n{}",
            self.status,
            self.stderr,
            tail(&self.stdout, 5)
        );
        self
    }

    /// Neither stream mentions a Rust panic.
    pub fn assert_no_panic(&self) -> &Self {
        for (name, text) in [("stdout", &self.stdout), ("stderr", &self.stderr)] {
            assert!(
                !text.contains("panicked"),
                "lockstep panicked ({name}):\n{text}"
            );
        }
        self
    }
}

/// The last `n` lines of `text`.
pub fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// A private `TMPDIR` for the `lockstep` processes of one test.
pub struct Sandbox {
    pub tmp: TempDir,
}

impl Default for Sandbox {
    fn default() -> Self {
        Self::new()
    }
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox {
            tmp: tempfile::tempdir().expect("create a temporary directory"),
        }
    }

    pub fn path(&self) -> &Path {
        self.tmp.path()
    }

    /// `lockstep ARGS` with this sandbox as `TMPDIR`, in English, stdin closed.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(BIN);
        c.args(args)
            .env("TMPDIR", self.path())
            .env("LANG", "C")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        c
    }

    /// Run `lockstep ARGS` to its end (failing the test after [`RUN_LIMIT`]),
    /// then check that it left no run directory and no semaphore behind.
    pub fn run(&self, args: &[&str]) -> Finished {
        let done = self.spawn(args).finish(Instant::now() + RUN_LIMIT);
        self.assert_clean(done.pid);
        done
    }

    /// `run`, then the summary of a `--json` run that must have succeeded.
    pub fn run_json(&self, args: &[&str]) -> (Finished, Value) {
        let done = self.run(args);
        done.assert_success().assert_no_panic();
        let summary = done.summary();
        (done, summary)
    }

    /// Start `lockstep ARGS` and read its stdout line by line.
    pub fn spawn(&self, args: &[&str]) -> Live {
        Live::start(self.command(args))
    }

    /// Names of `lockstep-*` run directories in this sandbox.
    pub fn run_dirs(&self) -> Vec<String> {
        std::fs::read_dir(self.path())
            .expect("read the sandbox")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("lockstep-"))
            .collect()
    }

    /// No run directory in this sandbox, no named semaphore of `owner` in /dev/shm.
    pub fn assert_clean(&self, owner: u32) {
        let dirs = self.run_dirs();
        assert!(
            dirs.is_empty(),
            "run directories left behind in TMPDIR: {dirs:?}"
        );
        let sems = semaphores_of(owner);
        assert!(sems.is_empty(), "named semaphores left behind: {sems:?}");
    }
}

/// `/dev/shm` entries of the named semaphores that lockstep process `owner`
/// made: glibc names the file of `/NAME` `sem.NAME`, musl plain `NAME`.
pub fn semaphores_of(owner: u32) -> Vec<String> {
    let prefix = format!("lockstep-{owner}-");
    match std::fs::read_dir("/dev/shm") {
        Ok(entries) => entries
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.strip_prefix("sem.").unwrap_or(n).starts_with(&prefix))
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// No process has this pid any more: `kill(pid, 0)` fails with ESRCH.
pub fn gone(pid: u32) -> bool {
    let pid = libc::pid_t::try_from(pid).expect("pid fits pid_t");
    // SAFETY: signal 0 only checks whether the process exists.
    let r = unsafe { libc::kill(pid, 0) };
    r == -1 && std::io::Error::last_os_error().raw_os_error() == Some(libc::ESRCH)
}

/// The process has ended: gone, or a zombie waiting for its (new) parent to
/// reap it. Workers whose supervisor died are reaped by init, on init's time.
pub fn ended(pid: u32) -> bool {
    gone(pid) || state_letter(pid) == Some('Z')
}

/// The kernel's state letter for `pid` (`R`, `S`, `Z`, …).
pub fn state_letter(pid: u32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = &stat[stat.rfind(')')? + 1..];
    after.split_whitespace().next()?.chars().next()
}

/// Send `sig` to one process that this test started (or that lockstep started for it).
pub fn signal(pid: u32, sig: i32) {
    let p = libc::pid_t::try_from(pid).expect("pid fits pid_t");
    // SAFETY: plain kill(2) on one positive pid.
    let r = unsafe { libc::kill(p, sig) };
    assert_eq!(
        r,
        0,
        "kill({pid}, {sig}) failed: {}",
        std::io::Error::last_os_error()
    );
}

/// Wait until every pid has ended (`ended`), or fail naming the ones still alive.
pub fn wait_all_ended(pids: &[u32], deadline: Instant, what: &str) {
    let started = Instant::now();
    let mut alive: Vec<u32> = pids.to_vec();
    loop {
        alive.retain(|p| !ended(*p));
        if alive.is_empty() {
            return;
        }
        if Instant::now() >= deadline {
            panic!(
                "{what}: {} of {} processes still alive after {:.1} s: {alive:?}",
                alive.len(),
                pids.len(),
                started.elapsed().as_secs_f64()
            );
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The worker pids listed in a run's summary.
pub fn worker_pids(summary: &Value) -> Vec<u32> {
    summary["processes"]
        .as_array()
        .expect("summary has processes")
        .iter()
        .map(|p| pid_of(&p["pid"]))
        .collect()
}

pub fn pid_of(v: &Value) -> u32 {
    v.as_u64()
        .and_then(|p| u32::try_from(p).ok())
        .unwrap_or_else(|| panic!("not a pid: {v}"))
}

pub fn int(v: &Value) -> i64 {
    v.as_i64().unwrap_or_else(|| panic!("not an integer: {v}"))
}

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
    fn start(mut cmd: Command) -> Live {
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

/// Every process of a run's summary has ended (none left running, nor as a
/// zombie of ours).
pub fn all_ended(summary: &Value) {
    let pids: Vec<u32> = summary["processes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| !p["pid"].is_null())
        .map(|p| pid_of(&p["pid"]))
        .collect();
    wait_all_ended(&pids, within(5.0), "processes of the run");
}

/// The English text of every line the run printed, in order.
pub fn printed(all: &[Value]) -> Vec<String> {
    all.iter()
        .filter(|e| e["ev"] == "printed")
        .map(|e| e["en"].as_str().unwrap().to_string())
        .collect()
}
