//! What the supervisor emits for the model: each worker's reports, stamped
//! with the process and the run's clock, plus what only the supervisor sees
//! (a process spawned, its connection closed, its exit, a gate it opened).

use std::time::Duration;

use super::Report;

/// How a process ended, as Python shows it: an exit code, or `-N` for signal N.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Ending {
    Code(i32),
    Signal(i32),
}

impl Ending {
    /// Python's `Process.exitcode`: the code, or minus the signal.
    pub fn exitcode(self) -> i32 {
        match self {
            Ending::Code(c) => c,
            Ending::Signal(s) => -s,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum EventKind {
    /// The OS process exists (fork/exec done).
    Spawned {
        pid: u32,
    },
    Report(Report),
    /// The worker's connection closed: no more reports will come.
    Closed,
    /// Reaped: the exit code or the signal.
    Exited(Ending),
    /// A line the worker wrote to stderr (errors only).
    Stderr(String),
    /// The supervisor let this process through its gate (not from the worker).
    Granted,
    /// The supervisor gave this queued process its turn at the lock it waits for.
    TurnGiven,
    /// The learner sent this process SIGTERM (the app's `t`).
    SigtermSent,
    /// Every gate opens by itself from now on (a free run), or no longer.
    /// Concerns the whole run: `proc` is 0.
    FreeRun {
        on: bool,
    },
}

/// One thing that happened, to process `proc` (0-based; P-number is `proc + 1`).
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub proc: usize,
    pub at: Duration,
    pub kind: EventKind,
}
