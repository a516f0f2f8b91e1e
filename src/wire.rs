//! What crosses between the supervisor and a worker: one JSON object per line
//! over the run's Unix socket, in both directions. All wire types live here.

use serde::{Deserialize, Serialize};

use crate::lesson::Step;

mod event;
mod object;
mod proc_id;
mod report;

pub use event::{Ending, Event, EventKind};
pub use proc_id::{ProcId, typed_number};
pub use report::{Object, Report, SockRef};

/// Bumped whenever a message changes shape.
pub const PROTOCOL: u32 = 1;

/// The most processes a real program's run may have (more: a runaway).
pub const MAX_PROCS: usize = 1024;

/// Supervisor → worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "cmd", rename_all = "snake_case")]
pub enum Command {
    /// Everything a worker needs; the first message it receives.
    Setup(Box<Setup>),
    /// Pass the gate once: run one operation.
    Go,
    /// A process queued for a lock (see `Report::Queued`): the lock is free
    /// and it is this process's turn to take it.
    YourTurn,
    /// `on`: pass every gate without waiting (free run); off: stop at each gate.
    Free { on: bool },
    /// Change the speed factor of real sleeps from the next sleep on.
    Speed { speed: f64 },
    /// Pool worker: run the task program once with `arg`.
    Task { task: u32, arg: i64 },
    /// Pool worker: no more tasks; exit.
    Close,
    /// The connection of this process's child P`child` has closed: it has
    /// exited (or is exiting), so a `waitpid` on it returns at once or soon.
    /// Sent before the child's `Closed` is passed on, so under a schedule
    /// the parent's next step knows of the end whatever the kernel's timing.
    ChildEnded { child: usize },
    /// As written, sent to every process before each step: the virtual
    /// clock (lesson ms) at that step. A Python program's `time.time()`
    /// reads it; a process woken by the step takes it up on waking.
    Clock { ms: u64 },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Setup {
    /// P-number shown to the learner (1-based).
    pub number: usize,
    /// 0-based index among processes of the same role.
    pub index: usize,
    pub program: Vec<Step>,
    /// Lock or semaphore name → kernel name of its POSIX named semaphore.
    pub semaphores: Vec<(String, String)>,
    /// Locks and semaphores switched off: their acquire and release are no-ops.
    pub off: Vec<String>,
    /// Start in free-run mode (otherwise wait at the first gate).
    pub free: bool,
    /// Sleeps in a free run last `ms / speed`.
    pub speed: f64,
    /// Seeds the random sleep lengths.
    pub seed: u64,
    /// Pool worker: wait for `Task` commands instead of running once.
    pub pool_worker: bool,
    /// The local `arg` for a one-task process.
    pub arg: Option<i64>,
    /// The P-number of the process that starts this one; `None`: the supervisor does.
    #[serde(default)]
    pub parent: Option<usize>,
    /// The slots this process may start: role → P-numbers, used in order.
    #[serde(default)]
    pub children: Vec<(String, Vec<usize>)>,
    /// Per-process globals and their initial values.
    #[serde(default)]
    pub globals: Vec<(String, i64)>,
    /// Which of `semaphores` are Locks: releasing one that is free is an error.
    #[serde(default)]
    pub locks: Vec<String>,
    /// Which of `locks` are RLocks: their owner may acquire them again.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rlocks: Vec<String>,
    /// Stepped *as written*: a sleep holds the process until the lesson's
    /// clock gets there, so a program that ends in a sleep stops at one
    /// more gate, its end, instead of exiting at once.
    #[serde(default)]
    pub sleeps_hold: bool,
}

/// Environment variable through which a worker hands its child what a fork
/// would copy: `arg`, the globals' current values, the daemon flag, its clock.
pub const INHERIT_ENV: &str = "LOCKSTEP_INHERIT";

/// What a started child inherits from its parent (JSON in [`INHERIT_ENV`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Inherit {
    pub arg: Option<i64>,
    pub globals: Vec<(String, i64)>,
    pub daemon: bool,
    /// The parent's lesson clock (ms) at the start.
    pub clock_ms: f64,
}

/// Environment variable through which a process learns which of its open
/// file descriptors are which pipe end or queue side: JSON `[[name, fd], …]`.
pub const FDS_ENV: &str = "LOCKSTEP_FDS";

/// Environment variable through which every process learns the address of
/// each server (127.0.0.1 and the port the kernel gave it): JSON `[[name, port], …]`.
pub const PORTS_ENV: &str = "LOCKSTEP_PORTS";

/// Environment variable holding the run's secret for its TCP connections:
/// a lesson process sends it first on every connection it makes, and a
/// server closes one that does not (someone outside the lesson). The
/// environment of a process is readable by its own user only.
pub const SOCK_TOKEN_ENV: &str = "LOCKSTEP_SOCK_TOKEN";

/// How long a server waits for a new connection's secret.
pub const SOCK_TOKEN_WAIT_MS: u64 = 2000;

/// One message on a pipe or item on a queue: a number or a text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<crate::lesson::Text>,
    /// The sender's lesson clock, so the receiver cannot be earlier.
    #[serde(default)]
    pub clock_ms: f64,
}

impl Item {
    /// Same message (the clock aside).
    pub fn same(&self, other: &Item) -> bool {
        self.value == other.value && self.text == other.text
    }

    /// As the panels show it: `3`, `'hello'`.
    pub fn show(&self, lang: crate::lesson::Lang) -> String {
        match (&self.value, &self.text) {
            (Some(v), _) => v.to_string(),
            (None, Some(t)) => format!("'{}'", t.get(lang)),
            (None, None) => "None".into(),
        }
    }
}

impl Command {
    pub fn line(&self) -> String {
        // Commands hold only strings, numbers and our own step types: encoding cannot fail.
        let mut s = serde_json::to_string(self).unwrap_or_default();
        s.push('\n');
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_are_tagged_lines() {
        let r = Report::Waiting {
            lock: "mutex".into(),
        };
        let line = r.stamped_line(42);
        assert_eq!(line, "42 {\"ev\":\"waiting\",\"lock\":\"mutex\"}\n");
        assert_eq!(Report::parse_stamped(line.trim()), Ok((42, r)));
        assert!(Report::parse_stamped("{}").is_err());
        let c: Command = serde_json::from_str(r#"{"cmd":"free","on":true}"#).unwrap();
        assert_eq!(c, Command::Free { on: true });
    }
}
