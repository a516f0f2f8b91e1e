//! TCP servers in a lesson: the `servers` declaration, the socket
//! operations (`accept`, `connect`, `sock_send`, `sock_recv`, `sock_close`),
//! their names and descriptions, and the loader's checks on them.

use serde::{Deserialize, Serialize};

use super::{Lesson, Op};

/// The listen backlog, as in the seed's `server.listen(5)`: at most this many
/// processes connect to one server, so a `connect` never waits for an accept.
pub const BACKLOG: usize = 5;

/// `server = socket(AF_INET, SOCK_STREAM)`, bound to 127.0.0.1 on a port the
/// kernel picks, listening: made before any process starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerDecl {
    pub name: String,
}

pub(super) fn op_name(op: &Op) -> &'static str {
    match op {
        Op::Accept { .. } => "accept",
        Op::Connect { .. } => "connect",
        Op::SockSend { .. } => "sock_send",
        Op::SockRecv { .. } => "sock_recv",
        Op::SockClose { .. } => "sock_close",
        _ => "?",
    }
}

pub(super) fn describe(op: &Op) -> Option<String> {
    Some(match op {
        Op::Accept { server, sock } => format!("{sock} = {server}.accept()"),
        Op::Connect { server, sock } => format!("{sock}.connect({server})"),
        Op::SockSend { sock, text, upper } => {
            let up = if *upper { ".upper()" } else { "" };
            format!("{sock}.send('{text}'{up})")
        }
        Op::SockRecv { sock, into, .. } => format!("{into} = {sock}.recv(1024)"),
        Op::SockClose { sock } => format!("{sock}.close()"),
        _ => return None,
    })
}

/// Socket operations: for the explorer, none of them is a local step.
pub fn is_socket(op: &Op) -> bool {
    op_name(op) != "?"
}

fn names<'a>(it: impl Iterator<Item = &'a str>) -> String {
    let v: Vec<&str> = it.collect();
    if v.is_empty() {
        "none declared".into()
    } else {
        format!("declared: {}", v.join(", "))
    }
}

/// Every socket name some `accept` or `connect` gives.
fn socket_names(lesson: &Lesson) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for steps in lesson.programs.values() {
        for s in steps {
            if let Op::Accept { sock, .. } | Op::Connect { sock, .. } = &s.op
                && !out.contains(&sock.as_str())
            {
                out.push(sock);
            }
        }
    }
    out
}

type OpFailure = (&'static str, String);

fn server_named(lesson: &Lesson, name: &str) -> Result<(), OpFailure> {
    if lesson.servers.iter().any(|s| s.name == name) {
        Ok(())
    } else {
        Err((
            "server",
            format!(
                "no server named `{name}` ({})",
                names(lesson.servers.iter().map(|s| s.name.as_str()))
            ),
        ))
    }
}

/// A socket some `accept` or `connect` gives.
fn socket_given(lesson: &Lesson, name: &str) -> Result<(), OpFailure> {
    let known = socket_names(lesson);
    if known.contains(&name) {
        Ok(())
    } else {
        let list = if known.is_empty() {
            "none: an `accept` or a `connect` gives one with `as`".to_string()
        } else {
            format!("accept and connect give: {}", known.join(", "))
        };
        Err(("sock", format!("no socket named `{name}` ({list})")))
    }
}

fn valid(field: &'static str, name: &str) -> Result<(), OpFailure> {
    if super::validate::valid_name(name) {
        Ok(())
    } else {
        Err((
            field,
            format!(
                "`{name}` is not a valid name: use 1–32 lowercase letters, digits or `_`, starting with a letter or `_`"
            ),
        ))
    }
}

/// At most [`BACKLOG`] processes connect to one server.
fn within_backlog(lesson: &Lesson, s: &str) -> Result<(), OpFailure> {
    let connecting: u32 = lesson
        .processes
        .iter()
        .filter(|p| {
            lesson
                .program(&p.role)
                .iter()
                .any(|st| matches!(&st.op, Op::Connect { server: x, .. } if x == s))
        })
        .map(|p| p.count)
        .sum();
    if connecting as usize > BACKLOG {
        return Err((
            "server",
            format!(
                "{connecting} processes connect to `{s}`: at most {BACKLOG} (its listen backlog), so no connect waits for an accept"
            ),
        ));
    }
    Ok(())
}

/// Checks on one socket operation: the field at fault and the message.
pub(super) fn check_op(
    lesson: &Lesson,
    op: &Op,
    has_label: &dyn Fn(&str) -> bool,
) -> Result<(), OpFailure> {
    match op {
        Op::Accept { server: s, sock } => {
            server_named(lesson, s)?;
            valid("as", sock)
        }
        Op::Connect { server: s, sock } => {
            server_named(lesson, s)?;
            valid("as", sock)?;
            within_backlog(lesson, s)
        }
        Op::SockSend { sock, text, .. } => {
            socket_given(lesson, sock)?;
            if text.len() > 1024 {
                return Err(("text", "at most 1024 bytes (one recv(1024))".into()));
            }
            Ok(())
        }
        Op::SockRecv { sock, eof, .. } => {
            socket_given(lesson, sock)?;
            if has_label(eof) {
                Ok(())
            } else {
                Err(("eof", format!("no label named `{eof}` in this program")))
            }
        }
        Op::SockClose { sock } => socket_given(lesson, sock),
        _ => Ok(()),
    }
}

/// The check's measure `upper_replies` names a server.
pub(super) fn check_measure(lesson: &Lesson, server: &str) -> Result<(), String> {
    if lesson.servers.iter().any(|s| s.name == server) {
        Ok(())
    } else {
        Err(format!(
            "no server named `{server}` ({})",
            names(lesson.servers.iter().map(|s| s.name.as_str()))
        ))
    }
}
