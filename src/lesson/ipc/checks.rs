//! The loader's checks on events, pipes and queues: their names, each
//! operation on them, and the `done_at_join` measure.

use super::super::locate::Seg;
use super::super::{Lesson, Op, Text};
use crate::expr::Expr;

type Failure = (Vec<Seg>, String);

fn key(k: &str) -> Seg {
    Seg::Key(k.to_string())
}

/// Names are unique across events, pipes, pipe ends and queues, and apart from locks.
pub(in crate::lesson) fn check_decls(lesson: &Lesson) -> Result<(), Failure> {
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
        if !super::super::validate::valid_name(name) {
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

type OpFailure = (&'static str, String);

/// What one IPC operation may name: the lesson's declarations, the
/// program's labels, and the locals given so far (through `uses`).
struct OpCheck<'a> {
    lesson: &'a Lesson,
    has_label: &'a dyn Fn(&str) -> bool,
    uses: &'a dyn Fn(&Expr) -> Result<(), String>,
}

impl OpCheck<'_> {
    fn event(&self, name: &str) -> Result<(), OpFailure> {
        let lesson = self.lesson;
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
    }

    fn queue(&self, name: &str, joinable: bool) -> Result<(), OpFailure> {
        let lesson = self.lesson;
        match lesson.queues.iter().find(|q| q.name == name) {
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
        }
    }

    /// A pipe end that exists and may send (or receive).
    fn end(&self, name: &str, sending: bool) -> Result<(), OpFailure> {
        let lesson = self.lesson;
        // (pipe, which end) of an end's name.
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
    }

    fn label(&self, field: &'static str, to: &str) -> Result<(), OpFailure> {
        if (self.has_label)(to) {
            Ok(())
        } else {
            Err((field, format!("no label named `{to}` in this program")))
        }
    }

    fn message(&self, expr: &Option<Expr>, text: &Option<Text>) -> Result<(), OpFailure> {
        match (expr, text) {
            (Some(e), None) => (self.uses)(e).map_err(|m| ("expr", m)),
            (None, Some(_)) => Ok(()),
            _ => Err((
                "expr",
                "give exactly one of `expr` (a number) and `text` (what to send)".to_string(),
            )),
        }
    }

    fn queue_get(
        &self,
        q: &str,
        timeout_ms: Option<u64>,
        empty: &Option<String>,
    ) -> Result<(), OpFailure> {
        self.queue(q, false)?;
        timeout(timeout_ms)?;
        match (timeout_ms, empty) {
            (Some(_), Some(to)) => self.label("empty", to),
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
}

/// Checks on one IPC operation: the field at fault and the message.
pub(in crate::lesson) fn check_op(
    lesson: &Lesson,
    op: &Op,
    has_label: &dyn Fn(&str) -> bool,
    uses: &dyn Fn(&Expr) -> Result<(), String>,
) -> Result<(), OpFailure> {
    let c = OpCheck {
        lesson,
        has_label,
        uses,
    };
    match op {
        Op::EventSet { event: e }
        | Op::EventClear { event: e }
        | Op::EventIsSet { event: e, .. } => c.event(e),
        Op::EventWait {
            event: e,
            timeout_ms,
            ..
        } => {
            c.event(e)?;
            timeout(*timeout_ms)
        }
        Op::PipeSend {
            end: name,
            expr,
            text,
        } => {
            c.end(name, true)?;
            c.message(expr, text)
        }
        Op::PipeRecv { end: name, eof, .. } => {
            c.end(name, false)?;
            c.label("eof", eof)
        }
        Op::PipeClose { end: name } => {
            if lesson.pipes.iter().any(|p| p.ends.contains(name)) {
                Ok(())
            } else {
                c.end(name, false)
            }
        }
        Op::QueuePut {
            queue: q,
            expr,
            text,
        } => {
            c.queue(q, false)?;
            c.message(expr, text)
        }
        Op::QueueGet {
            queue: q,
            timeout_ms,
            empty,
            ..
        } => c.queue_get(q, *timeout_ms, empty),
        Op::TaskDone { queue: q } | Op::QueueJoin { queue: q } => c.queue(q, true),
        op => super::super::sockets::check_op(lesson, op, has_label),
    }
}

fn timeout(t: Option<u64>) -> Result<(), OpFailure> {
    match t {
        Some(t) if t > 600_000 => Err(("timeout_ms", "at most 600000 ms".into())),
        _ => Ok(()),
    }
}

/// The check's measure `done_at_join` names a joinable queue.
pub(in crate::lesson) fn check_measure(lesson: &Lesson, queue: &str) -> Result<(), String> {
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
