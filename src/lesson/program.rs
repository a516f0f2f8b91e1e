//! Programs: the steps a process runs, each one operation (`Op`), with the
//! short description lanes and logs show.

use serde::{Deserialize, Serialize};

use super::{Text, ipc, sockets};
use crate::expr::{Cond, Expr};

/// One operation of a program: one step when stepping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    #[serde(flatten)]
    pub op: Op,
    /// The line of the Python listing this operation stands for (1-based).
    #[serde(default)]
    pub line: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum Op {
    /// Sleep `ms` milliseconds, or a random time in `ms..=max_ms`.
    Sleep {
        ms: u64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_ms: Option<u64>,
    },
    /// Read a shared value into a local.
    Read {
        value: String,
        into: String,
    },
    /// Write an expression of locals into a shared value.
    Write {
        value: String,
        expr: Expr,
    },
    /// Set a local to an expression.
    Set {
        local: String,
        expr: Expr,
    },
    Jump {
        to: String,
    },
    JumpIf {
        cond: Cond,
        to: String,
    },
    /// Print a line; `{name}` is replaced by a local or `n`, `pid`, `index`.
    Print {
        text: Text,
        /// Also count this outcome, in the same step as the line: a process
        /// killed there has done both or neither.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        count: Option<String>,
    },
    /// Acquire a lock or a semaphore by name.
    Acquire {
        lock: String,
    },
    Release {
        lock: String,
    },
    Enter {
        room: String,
    },
    Leave {
        room: String,
    },
    /// Count one named outcome, such as `bought`.
    Count {
        outcome: String,
    },
    /// End a pool task with its result (ends a plain program like `exit`).
    Return {
        expr: Expr,
    },
    Exit {
        #[serde(default)]
        code: i32,
    },
    /// Sleep as many milliseconds as an expression says.
    SleepFor {
        expr: Expr,
    },
    /// Start a child process of `role`; the local `as` gets its P-number.
    Start {
        role: String,
        #[serde(rename = "as")]
        handle: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        arg: Option<Expr>,
        #[serde(default)]
        daemon: bool,
    },
    /// Wait for a child (by P-number) to end, and reap it.
    Join {
        proc: Expr,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        timeout_ms: Option<u64>,
    },
    /// SIGTERM to a child.
    Terminate {
        proc: Expr,
    },
    /// 1 if the child still runs, else 0 (reaps it if it ended).
    IsAlive {
        proc: Expr,
        into: String,
    },
    /// The child's exit code (−N for signal N) into a local.
    Exitcode {
        proc: Expr,
        into: String,
    },
    /// Milliseconds of lesson time into a local (real time × speed in a free run).
    Clock {
        into: String,
    },
    /// `event.set()`: wake every waiter; later waits pass at once.
    EventSet {
        event: String,
    },
    /// `event.clear()`.
    EventClear {
        event: String,
    },
    /// `event.wait([timeout])`: block until the event is set; `into` gets 1 if it is set.
    EventWait {
        event: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        timeout_ms: Option<u64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        into: Option<String>,
    },
    /// `event.is_set()` into a local (1 or 0).
    EventIsSet {
        event: String,
        into: String,
    },
    /// `conn.send(x)`: a number (`expr`) or a text.
    PipeSend {
        end: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        expr: Option<Expr>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<Text>,
    },
    /// `x = conn.recv()`; when every copy of the other end is closed: jump to `eof` (EOFError).
    PipeRecv {
        end: String,
        into: String,
        eof: String,
    },
    /// `conn.close()`.
    PipeClose {
        end: String,
    },
    /// `q.put(x)`: a number (`expr`) or a text.
    QueuePut {
        queue: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        expr: Option<Expr>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<Text>,
    },
    /// `x = q.get([timeout])`; on a timeout: jump to `empty` (queue.Empty).
    QueueGet {
        queue: String,
        into: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        timeout_ms: Option<u64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        empty: Option<String>,
    },
    /// `q.task_done()` (JoinableQueue).
    TaskDone {
        queue: String,
    },
    /// `q.join()` (JoinableQueue): block until every item put is done.
    QueueJoin {
        queue: String,
    },
    /// `conn, addr = server.accept()`: block until a client connects; the
    /// connection becomes this process's socket `as`.
    Accept {
        server: String,
        #[serde(rename = "as")]
        sock: String,
    },
    /// `c = socket(); c.connect(address)`: a new connection to the server.
    Connect {
        server: String,
        #[serde(rename = "as")]
        sock: String,
    },
    /// `sock.send(text)` (upper-cased first with `upper`: `msg.upper()`).
    SockSend {
        sock: String,
        text: String,
        #[serde(default)]
        upper: bool,
    },
    /// `msg = sock.recv(1024)`; an empty read (the other side closed): jump to `eof`.
    SockRecv {
        sock: String,
        into: String,
        eof: String,
    },
    /// `sock.close()`.
    SockClose {
        sock: String,
    },
}

impl Op {
    pub fn name(&self) -> &'static str {
        match self {
            Op::Sleep { .. } => "sleep",
            Op::Read { .. } => "read",
            Op::Write { .. } => "write",
            Op::Set { .. } => "set",
            Op::Jump { .. } => "jump",
            Op::JumpIf { .. } => "jump_if",
            Op::Print { .. } => "print",
            Op::Acquire { .. } => "acquire",
            Op::Release { .. } => "release",
            Op::Enter { .. } => "enter",
            Op::Leave { .. } => "leave",
            Op::Count { .. } => "count",
            Op::Return { .. } => "return",
            Op::Exit { .. } => "exit",
            Op::SleepFor { .. } => "sleep_for",
            Op::Start { .. } => "start",
            Op::Join { .. } => "join",
            Op::Terminate { .. } => "terminate",
            Op::IsAlive { .. } => "is_alive",
            Op::Exitcode { .. } => "exitcode",
            Op::Clock { .. } => "clock",
            other => match sockets::op_name(other) {
                "?" => ipc::op_name(other),
                name => name,
            },
        }
    }

    /// A short description for lanes and logs, e.g. `read count → c`.
    pub fn describe(&self) -> String {
        match self {
            Op::Sleep { ms, max_ms: None } => format!("sleep {ms} ms"),
            Op::Sleep {
                ms,
                max_ms: Some(max),
            } => format!("sleep {ms}–{max} ms"),
            Op::Read { value, into } => format!("read {value} → {into}"),
            Op::Write { value, expr } => format!("write {value} ← {expr}"),
            Op::Set { local, expr } => format!("{local} = {expr}"),
            Op::Jump { to } => format!("jump {to}"),
            Op::JumpIf { cond, to } => format!("if {cond}: jump {to}"),
            Op::Print { .. } => "print".to_string(),
            Op::Acquire { lock } => format!("acquire {lock}"),
            Op::Release { lock } => format!("release {lock}"),
            Op::Enter { room } => format!("enter {room}"),
            Op::Leave { room } => format!("leave {room}"),
            Op::Count { outcome } => format!("count {outcome}"),
            Op::Return { expr } => format!("return {expr}"),
            Op::Exit { code } => format!("exit {code}"),
            Op::SleepFor { expr } => format!("sleep {expr} ms"),
            Op::Start {
                role,
                handle,
                daemon,
                ..
            } => {
                let d = if *daemon { " daemon" } else { "" };
                format!("{handle} = start{d} {role}")
            }
            Op::Join { proc, timeout_ms } => match timeout_ms {
                Some(t) => format!("join {proc} ({t} ms)"),
                None => format!("join {proc}"),
            },
            Op::Terminate { proc } => format!("terminate {proc}"),
            Op::IsAlive { proc, into } => format!("{into} = is_alive {proc}"),
            Op::Exitcode { proc, into } => format!("{into} = exitcode {proc}"),
            Op::Clock { into } => format!("{into} = clock"),
            other => sockets::describe(other).unwrap_or_else(|| ipc::describe(other)),
        }
    }
}
