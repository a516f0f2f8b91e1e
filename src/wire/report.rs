//! Worker → supervisor: what a worker reports, one stamped JSON line each.

use serde::{Deserialize, Serialize};

use super::Item;
pub use super::object::{Object, SockRef};

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
    /// The owner of an RLock acquired it again or released it once without
    /// letting it go: its count is now `depth` (at least 1).
    Reentered {
        lock: String,
        depth: u32,
    },
    /// The parent died: this process now has another parent (init, or a
    /// subreaper), as `os.getppid()` says.
    Reparented {
        ppid: u32,
    },
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
    /// Under a schedule: the queue was empty, and the process waits for the
    /// supervisor to give it its turn to get (`Command::YourTurn`) once an
    /// item is there and it is the first getter in arrival order.
    GetQueued {
        queue: String,
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
    /// Stepped as written: a `join(timeout)` on child `child` (P-number)
    /// that has not ended waits at a gate until the child ends or the
    /// lesson's clock has moved on `ms`, whichever comes first.
    TimedJoin {
        child: usize,
        ms: u64,
    },
    /// Stepped as written: an `event.wait(timeout)` on an event that is not
    /// set waits at a gate until it is set or the clock has moved on `ms`.
    TimedEventWait {
        event: String,
        ms: u64,
    },
    /// Stepped as written: a `q.get(timeout)` on an empty queue waits at a
    /// gate until an item is put or the clock has moved on `ms`.
    TimedGet {
        queue: String,
        ms: u64,
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
    /// A `put` on a full bounded queue, under a schedule: it waits for the
    /// supervisor to give it its turn (`Command::YourTurn`) once a slot is
    /// free and it is the first putter in arrival order.
    PutQueued {
        queue: String,
    },
    /// A `put` on a full bounded queue: about to block in the kernel until
    /// a `get` frees a slot (then `QueuePut`, or `QueueTimedOut`).
    PutWaiting {
        queue: String,
    },
    /// A write to a full pipe (a pipe end's `send`, or a queue's `put`, by
    /// its name `on`): about to block in the kernel until the reader reads.
    WriteWaiting {
        on: String,
    },
    /// The write that blocked is done.
    WriteWoke {
        on: String,
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
    /// A connection from outside the lesson (it did not send the run's
    /// secret first) was closed at once; `accept` goes on waiting.
    Refused {
        server: String,
        /// The port it came from on 127.0.0.1.
        port: u16,
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
    /// A real program's process (Python): the operation at its next gate,
    /// the program's file and line that call it, and the Python name of
    /// the object (empty for `print` and `sleep`). `At` follows.
    Op {
        op: String,
        name: String,
        file: String,
        line: u32,
    },
    /// A real program's `Manager` server was asked to stop (`shutdown`):
    /// it no longer waits for requests and runs to its end.
    Shutdown {
        server: String,
    },
    /// A real program made a lock, semaphore or shared value under this
    /// Python name; `value`: its permits, or the value's initial contents
    /// (a pipe end: 0 for a pipe's first end, 1 for its second).
    Created {
        object: Object,
        name: String,
        value: i64,
    },
}

impl Report {
    /// A report about events, pipes, queues or sockets (the model's IPC part).
    pub fn is_ipc(&self) -> bool {
        matches!(
            self,
            Report::PipeEnds { .. }
                | Report::EventSet { .. }
                | Report::EventCleared { .. }
                | Report::EventWaiting { .. }
                | Report::EventWoke { .. }
                | Report::PipeSent { .. }
                | Report::PipeWaiting { .. }
                | Report::PipeReceived { .. }
                | Report::PipeEof { .. }
                | Report::PipeClosed { .. }
                | Report::QueuePut { .. }
                | Report::QueueWaiting { .. }
                | Report::GetQueued { .. }
                | Report::QueueGot { .. }
                | Report::QueueTimedOut { .. }
                | Report::PutQueued { .. }
                | Report::PutWaiting { .. }
                | Report::WriteWaiting { .. }
                | Report::WriteWoke { .. }
                | Report::TaskDone { .. }
                | Report::QueueJoining { .. }
                | Report::QueueJoined { .. }
                | Report::Sockets { .. }
                | Report::AcceptWaiting { .. }
                | Report::Accepted { .. }
                | Report::Connected { .. }
                | Report::SockSent { .. }
                | Report::SockWaiting { .. }
                | Report::SockReceived { .. }
                | Report::SockEof { .. }
                | Report::SockClosed { .. }
                | Report::ServerClosed { .. }
        )
    }
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
