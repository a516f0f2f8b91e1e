//! Shared helpers for the integration tests: run the real `lockstep` binary
//! in a private `TMPDIR`, read its output (whole or line by line, always with
//! a deadline), and check that nothing is left behind. `live` reads a running
//! `lockstep` line by line, `procs` asks the kernel about processes, `json`
//! reads a run's JSON output, `tmux` drives the app in a real terminal.
#![allow(dead_code)]

mod diagnostics;
mod json;
mod live;
mod procs;
pub mod python;
pub mod python_explore;
pub mod tmux;

// Each test binary uses some of these.
#[allow(unused_imports)]
pub use json::*;
pub use live::Live;
pub use procs::*;

use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
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

    /// `run` with `dir` as the current folder (a program that opens its
    /// own files there).
    pub fn run_in(&self, dir: &Path, args: &[&str]) -> Finished {
        let mut cmd = self.command(args);
        cmd.current_dir(dir);
        let done = Live::start(cmd).finish(Instant::now() + RUN_LIMIT);
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

/// Stderr mentions every one of `needles`.
pub fn assert_mentions(done: &Finished, needles: &[&str]) {
    for n in needles {
        assert!(
            done.stderr.contains(n),
            "stderr lacks {n:?}:\n{}",
            done.stderr
        );
    }
}

/// Write `text` as `lesson.json` in the sandbox; its path.
pub fn write_lesson(sb: &Sandbox, text: &str) -> String {
    let file = sb.path().join("lesson.json");
    std::fs::write(&file, text).unwrap();
    file.to_str().unwrap().to_string()
}
