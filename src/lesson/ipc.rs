//! Events, pipes and queues in a lesson: their declarations, the names and
//! descriptions of their operations, and the loader's checks on both.

use serde::{Deserialize, Serialize};

use super::{Lesson, Op, Text};

/// `multiprocessing.Event()`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventDecl {
    pub name: String,
}

/// `conn1, conn2 = Pipe(duplex)`: two connected ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PipeDecl {
    pub name: String,
    /// The two ends' names, as the listing calls them (`conn1`, `conn2`).
    pub ends: [String; 2],
    /// Both ends send and receive (the default); else the first only
    /// receives and the second only sends, like `Pipe(duplex=False)`.
    #[serde(default = "yes")]
    pub duplex: bool,
}

/// `Queue()` or `JoinableQueue()`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueueDecl {
    pub name: String,
    /// A `JoinableQueue`: `task_done` and `join` are allowed.
    #[serde(default)]
    pub joinable: bool,
}

fn yes() -> bool {
    true
}

pub(super) fn op_name(op: &Op) -> &'static str {
    match op {
        Op::EventSet { .. } => "event_set",
        Op::EventClear { .. } => "event_clear",
        Op::EventWait { .. } => "event_wait",
        Op::EventIsSet { .. } => "event_is_set",
        Op::PipeSend { .. } => "pipe_send",
        Op::PipeRecv { .. } => "pipe_recv",
        Op::PipeClose { .. } => "pipe_close",
        Op::QueuePut { .. } => "queue_put",
        Op::QueueGet { .. } => "queue_get",
        Op::TaskDone { .. } => "task_done",
        Op::QueueJoin { .. } => "queue_join",
        _ => "?",
    }
}

fn payload(expr: &Option<crate::expr::Expr>, text: &Option<Text>) -> String {
    match (expr, text) {
        (Some(e), _) => e.to_string(),
        (None, Some(t)) => format!("'{}'", t.en),
        (None, None) => String::new(),
    }
}

pub(super) fn describe(op: &Op) -> String {
    match op {
        Op::EventSet { event } => format!("{event}.set()"),
        Op::EventClear { event } => format!("{event}.clear()"),
        Op::EventWait {
            event,
            timeout_ms: Some(t),
            ..
        } => format!("{event}.wait({t} ms)"),
        Op::EventWait { event, .. } => format!("{event}.wait()"),
        Op::EventIsSet { event, into } => format!("{into} = {event}.is_set()"),
        Op::PipeSend { end, expr, text } => format!("{end}.send({})", payload(expr, text)),
        Op::PipeRecv { end, into, .. } => format!("{into} = {end}.recv()"),
        Op::PipeClose { end } => format!("{end}.close()"),
        Op::QueuePut { queue, expr, text } => format!("{queue}.put({})", payload(expr, text)),
        Op::QueueGet {
            queue,
            into,
            timeout_ms: Some(t),
            ..
        } => format!("{into} = {queue}.get({t} ms)"),
        Op::QueueGet { queue, into, .. } => format!("{into} = {queue}.get()"),
        Op::TaskDone { queue } => format!("{queue}.task_done()"),
        Op::QueueJoin { queue } => format!("{queue}.join()"),
        _ => String::new(),
    }
}

/// The local an operation gives a value, with the field that names it.
pub fn assigned_local(op: &Op) -> Option<(&'static str, &str)> {
    match op {
        Op::EventWait { into: Some(i), .. } | Op::EventIsSet { into: i, .. } => Some(("into", i)),
        Op::PipeRecv { into, .. } | Op::QueueGet { into, .. } | Op::SockRecv { into, .. } => {
            Some(("into", into))
        }
        _ => None,
    }
}

/// Operations that may block until another process acts.
pub fn may_block(op: &Op) -> bool {
    matches!(
        op,
        Op::EventWait { .. }
            | Op::PipeRecv { .. }
            | Op::QueueGet { .. }
            | Op::QueueJoin { .. }
            | Op::Accept { .. }
            | Op::SockRecv { .. }
    )
}

/// Every IPC operation: for the explorer, none of them is a local step.
pub fn is_ipc(op: &Op) -> bool {
    op_name(op) != "?" || super::sockets::is_socket(op)
}

/// Kernel semaphores an event or joinable queue needs: (internal name, initial value).
/// Internal names hold a `.`, which no lesson name can, so they never clash with locks.
pub fn semaphores(lesson: &Lesson) -> Vec<(String, u32)> {
    let mut out = Vec::new();
    for e in &lesson.events {
        for (part, v) in [("lock", 1), ("flag", 0), ("sleepers", 0), ("wake", 0)] {
            out.push((format!("event.{}.{part}", e.name), v));
        }
    }
    for q in lesson.queues.iter().filter(|q| q.joinable) {
        for (part, v) in [("lock", 1), ("unfinished", 0), ("sleepers", 0), ("wake", 0)] {
            out.push((format!("queue.{}.{part}", q.name), v));
        }
    }
    out
}

/// Connected socket pairs to create: each pipe's two ends, and each queue's
/// reading and writing side (`queue.NAME.r`, `queue.NAME.w`).
pub fn channels(lesson: &Lesson) -> Vec<(String, String)> {
    let pipes = lesson
        .pipes
        .iter()
        .map(|p| (p.ends[0].clone(), p.ends[1].clone()));
    let queues = lesson
        .queues
        .iter()
        .map(|q| (format!("queue.{}.r", q.name), format!("queue.{}.w", q.name)));
    pipes.chain(queues).collect()
}

mod checks;

pub(super) use checks::{check_decls, check_measure, check_op};

#[cfg(test)]
#[path = "ipc_tests.rs"]
mod tests;
