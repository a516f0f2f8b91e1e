//! What crosses between the supervisor and a worker: one JSON object per line
//! over the run's Unix socket, in both directions. All wire types live here.

use serde::{Deserialize, Serialize};

use crate::lesson::Step;

/// Bumped whenever a message changes shape.
pub const PROTOCOL: u32 = 1;

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

/// Worker → supervisor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "ev", rename_all = "snake_case")]
pub enum Report {
    /// First line on a new connection.
    Hello {
        version: u32,
        number: usize,
        pid: u32,
        ppid: u32,
    },
    /// Setup done: every named semaphore is open.
    Ready,
    /// At the gate before operation `pc`.
    At {
        pc: usize,
    },
    /// Now running operation `pc`.
    Run {
        pc: usize,
    },
    Slept {
        ms: u64,
        real: bool,
    },
    Read {
        value: String,
        got: i64,
    },
    Wrote {
        value: String,
        put: i64,
    },
    Set {
        local: String,
        to: i64,
    },
    Branch {
        taken: bool,
    },
    /// The non-blocking try failed: about to block in the kernel.
    Waiting {
        lock: String,
    },
    /// Under a schedule: the try failed and the process waits for the
    /// supervisor to give it its turn (`Command::YourTurn`), then takes the
    /// lock. Waiters queue in arrival order, so which one gets a released
    /// lock is the schedule's doing, not the kernel's.
    Queued {
        lock: String,
    },
    Acquired {
        lock: String,
    },
    Released {
        lock: String,
    },
    /// An acquire or release of a lock that is switched off.
    Skipped {
        lock: String,
        release: bool,
    },
    Entered {
        room: String,
    },
    Left {
        room: String,
    },
    Printed {
        en: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        zh: Option<String>,
    },
    Outcome {
        name: String,
    },
    /// A pool task's (or one-task process's) result.
    Result {
        task: u32,
        value: i64,
        /// How long the task ran in the worker, for the timing view.
        #[serde(default)]
        busy_ns: u64,
    },
    /// A runtime error in the program (the worker then exits with code 1).
    Failed {
        message: String,
    },
    /// The program ended; the worker exits with `code` next.
    Done {
        code: i32,
    },
    /// This process started child P`child` (a real fork/exec), pid `pid`.
    Started {
        child: usize,
        pid: u32,
        daemon: bool,
    },
    /// The child has not ended: about to block in `waitpid` (join).
    Joining {
        child: usize,
    },
    /// A join with a timeout gave up: the child still runs.
    JoinTimedOut {
        child: usize,
    },
    /// This process reaped its child: Python's `exitcode` (−N for signal N).
    Reaped {
        child: usize,
        exitcode: i32,
    },
    /// This process sent SIGTERM to its child.
    Terminated {
        child: usize,
    },
    /// The pipe ends this process holds from its start (inherited, like a fork's copies).
    PipeEnds {
        ends: Vec<String>,
    },
    /// `set()`: reported before any waiter is woken.
    EventSet {
        event: String,
    },
    EventCleared {
        event: String,
    },
    /// The event is not set: about to block in the kernel.
    EventWaiting {
        event: String,
    },
    /// A wait returned (woken, or its timeout passed); `set`: what it returns.
    EventWoke {
        event: String,
        set: bool,
    },
    /// Reported before the message is written, so no receive can come first.
    PipeSent {
        end: String,
        item: Item,
    },
    /// Nothing to receive yet: about to block in the kernel.
    PipeWaiting {
        end: String,
    },
    PipeReceived {
        end: String,
        item: Item,
    },
    /// Every copy of the other end is closed and nothing is left: EOFError.
    PipeEof {
        end: String,
    },
    PipeClosed {
        end: String,
    },
    /// Reported before the item is written, so no get can come first.
    QueuePut {
        queue: String,
        item: Item,
    },
    /// The queue is empty: about to block in the kernel.
    QueueWaiting {
        queue: String,
    },
    QueueGot {
        queue: String,
        item: Item,
    },
    /// A get with a timeout found nothing in time: queue.Empty.
    QueueTimedOut {
        queue: String,
    },
    /// Reported before a join waiter is woken.
    TaskDone {
        queue: String,
    },
    /// Items put are not all done: about to block in the kernel (join).
    QueueJoining {
        queue: String,
    },
    QueueJoined {
        queue: String,
    },
    /// The listening servers and connected sockets this process holds from
    /// its start (a fork's copies).
    Sockets {
        servers: Vec<String>,
        socks: Vec<SockRef>,
    },
    /// No connection is waiting: about to block in `accept`.
    AcceptWaiting {
        server: String,
    },
    /// `accept` returned a connection (known by its client's port).
    Accepted {
        server: String,
        at: SockRef,
    },
    /// `connect` returned: the connection is known by this client's port.
    Connected {
        server: String,
        at: SockRef,
    },
    /// Reported before the bytes are written, so no receive can come first.
    SockSent {
        at: SockRef,
        text: String,
    },
    /// Nothing to read yet: about to block in `recv`.
    SockWaiting {
        at: SockRef,
    },
    SockReceived {
        at: SockRef,
        text: String,
        bytes: usize,
    },
    /// An empty read: every copy of the other side is closed (or it was reset).
    SockEof {
        at: SockRef,
    },
    SockClosed {
        at: SockRef,
    },
    /// This process's copy of a listening socket is closed (at its exit).
    ServerClosed {
        server: String,
    },
}

/// One process's socket of a TCP connection: its name in the program, the
/// client's port (which names the connection), and which side it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SockRef {
    pub sock: String,
    pub port: u16,
    pub server_side: bool,
}

impl Report {
    /// Encode as one line stamped with `t` (CLOCK_MONOTONIC ns): `T {json}\n`.
    /// The stamp lets the supervisor order reports of different workers.
    pub fn stamped_line(&self, t: u64) -> String {
        let json = serde_json::to_string(self).unwrap_or_else(|e| {
            format!(r#"{{"ev":"failed","message":"failed to encode report: {e}"}}"#)
        });
        format!("{t} {json}\n")
    }

    /// Decode a stamped line (without its newline).
    pub fn parse_stamped(line: &str) -> Result<(u64, Report), String> {
        let (t, json) = line
            .split_once(' ')
            .ok_or_else(|| format!("unstamped report {line:?}"))?;
        let t = t.parse().map_err(|_| format!("bad stamp in {line:?}"))?;
        let r =
            serde_json::from_str(json).map_err(|e| format!("unreadable report {json:?}: {e}"))?;
        Ok((t, r))
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
