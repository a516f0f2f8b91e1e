//! Events, pipes and queues in a lesson: their declarations, the names and
//! descriptions of their operations, and the loader's checks on both.

use serde::{Deserialize, Serialize};

use super::locate::Seg;
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

type Failure = (Vec<Seg>, String);

fn key(k: &str) -> Seg {
    Seg::Key(k.to_string())
}

/// Names are unique across events, pipes, pipe ends and queues, and apart from locks.
pub(super) fn check_decls(lesson: &Lesson) -> Result<(), Failure> {
    let mut seen: Vec<String> = lesson
        .locks
        .iter()
        .map(|l| l.name.clone())
        .chain(lesson.semaphores.iter().map(|s| s.name.clone()))
        .collect();
    let mut items: Vec<(Vec<Seg>, &str)> = Vec::new();
    for (i, e) in lesson.events.iter().enumerate() {
        items.push((vec![key("events"), Seg::Index(i), key("name")], &e.name));
    }
    for (i, p) in lesson.pipes.iter().enumerate() {
        items.push((vec![key("pipes"), Seg::Index(i), key("name")], &p.name));
        for (k, end) in p.ends.iter().enumerate() {
            items.push((
                vec![key("pipes"), Seg::Index(i), key("ends"), Seg::Index(k)],
                end,
            ));
        }
    }
    for (i, q) in lesson.queues.iter().enumerate() {
        items.push((vec![key("queues"), Seg::Index(i), key("name")], &q.name));
    }
    for (i, s) in lesson.servers.iter().enumerate() {
        items.push((vec![key("servers"), Seg::Index(i), key("name")], &s.name));
    }
    for (path, name) in items {
        if !super::validate::valid_name(name) {
            return Err((
                path,
                format!(
                    "`{name}` is not a valid name: use 1–32 lowercase letters, digits or `_`, starting with a letter or `_`"
                ),
            ));
        }
        if seen.iter().any(|s| s == name) {
            return Err((
                path,
                format!(
                    "`{name}` is declared twice (locks, events, pipes, their ends, queues and servers share one set of names)"
                ),
            ));
        }
        seen.push(name.to_string());
    }
    Ok(())
}

fn names<'a>(it: impl Iterator<Item = &'a str>) -> String {
    let v: Vec<&str> = it.collect();
    if v.is_empty() {
        "none declared".into()
    } else {
        format!("declared: {}", v.join(", "))
    }
}

/// Checks on one IPC operation: the field at fault and the message.
pub(super) fn check_op(
    lesson: &Lesson,
    op: &Op,
    has_label: &dyn Fn(&str) -> bool,
    uses: &dyn Fn(&crate::expr::Expr) -> Result<(), String>,
) -> Result<(), (&'static str, String)> {
    let event = |name: &str| {
        if lesson.events.iter().any(|e| e.name == name) {
            Ok(())
        } else {
            Err((
                "event",
                format!(
                    "no event named `{name}` ({})",
                    names(lesson.events.iter().map(|e| e.name.as_str()))
                ),
            ))
        }
    };
    let queue = |name: &str, joinable: bool| match lesson.queues.iter().find(|q| q.name == name) {
        Some(q) if joinable && !q.joinable => Err((
            "queue",
            format!(
                "queue `{name}` is not joinable: declare it with \"joinable\": true (a JoinableQueue)"
            ),
        )),
        Some(_) => Ok(()),
        None => Err((
            "queue",
            format!(
                "no queue named `{name}` ({})",
                names(lesson.queues.iter().map(|q| q.name.as_str()))
            ),
        )),
    };
    // (pipe, which end) of an end's name.
    let end = |name: &str, sending: bool| {
        let found = lesson
            .pipes
            .iter()
            .find_map(|p| p.ends.iter().position(|e| e == name).map(|k| (p.duplex, k)));
        match found {
            None => Err((
                "end",
                format!(
                    "no pipe end named `{name}` ({})",
                    names(
                        lesson
                            .pipes
                            .iter()
                            .flat_map(|p| p.ends.iter().map(String::as_str))
                    )
                ),
            )),
            Some((false, 0)) if sending => Err((
                "end",
                format!(
                    "`{name}` is the receiving end of a one-way pipe (duplex: false): it cannot send"
                ),
            )),
            Some((false, 1)) if !sending => Err((
                "end",
                format!(
                    "`{name}` is the sending end of a one-way pipe (duplex: false): it cannot receive"
                ),
            )),
            Some(_) => Ok(()),
        }
    };
    let label = |field: &'static str, to: &str| {
        if has_label(to) {
            Ok(())
        } else {
            Err((field, format!("no label named `{to}` in this program")))
        }
    };
    let message = |expr: &Option<crate::expr::Expr>, text: &Option<Text>| match (expr, text) {
        (Some(e), None) => uses(e).map_err(|m| ("expr", m)),
        (None, Some(_)) => Ok(()),
        _ => Err((
            "expr",
            "give exactly one of `expr` (a number) and `text` (what to send)".to_string(),
        )),
    };
    match op {
        Op::EventSet { event: e }
        | Op::EventClear { event: e }
        | Op::EventIsSet { event: e, .. } => event(e),
        Op::EventWait {
            event: e,
            timeout_ms,
            ..
        } => {
            event(e)?;
            timeout(*timeout_ms)
        }
        Op::PipeSend {
            end: name,
            expr,
            text,
        } => {
            end(name, true)?;
            message(expr, text)
        }
        Op::PipeRecv { end: name, eof, .. } => {
            end(name, false)?;
            label("eof", eof)
        }
        Op::PipeClose { end: name } => {
            if lesson.pipes.iter().any(|p| p.ends.contains(name)) {
                Ok(())
            } else {
                end(name, false)
            }
        }
        Op::QueuePut {
            queue: q,
            expr,
            text,
        } => {
            queue(q, false)?;
            message(expr, text)
        }
        Op::QueueGet {
            queue: q,
            timeout_ms,
            empty,
            ..
        } => {
            queue(q, false)?;
            timeout(*timeout_ms)?;
            match (timeout_ms, empty) {
                (Some(_), Some(to)) => label("empty", to),
                (None, None) => Ok(()),
                (Some(_), None) => Err((
                    "empty",
                    "a get with `timeout_ms` needs `empty`: the label to jump to when it times out (queue.Empty)".into(),
                )),
                (None, Some(_)) => Err((
                    "timeout_ms",
                    "`empty` is only for a get with `timeout_ms`".into(),
                )),
            }
        }
        Op::TaskDone { queue: q } | Op::QueueJoin { queue: q } => queue(q, true),
        op => super::sockets::check_op(lesson, op, has_label),
    }
}

fn timeout(t: Option<u64>) -> Result<(), (&'static str, String)> {
    match t {
        Some(t) if t > 600_000 => Err(("timeout_ms", "at most 600000 ms".into())),
        _ => Ok(()),
    }
}

/// The check's measure `done_at_join` names a joinable queue.
pub(super) fn check_measure(lesson: &Lesson, queue: &str) -> Result<(), String> {
    match lesson.queues.iter().find(|q| q.name == queue) {
        Some(q) if q.joinable => Ok(()),
        Some(_) => Err(format!(
            "queue `{queue}` is not joinable, so it has no join"
        )),
        None => Err(format!(
            "no queue named `{queue}` ({})",
            names(lesson.queues.iter().map(|q| q.name.as_str()))
        )),
    }
}

#[cfg(test)]
#[path = "ipc_tests.rs"]
mod tests;
