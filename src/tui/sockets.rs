//! TCP servers and connections in the side panel, on short lines that fit
//! 80 columns: each server's listening copies and accepts, then each
//! connection as `client ⇄ the processes that served it`, who holds each
//! side open, the bytes in flight each way, and who waits or read the end.

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use crate::lesson::Lang;
use crate::model::ProcId;
use crate::model::sockets::{ConnState, ServerState, SocketState};
use crate::words::screen::ipc::{IpcWords, accepted, ipc_words, manager_server};

fn names(ps: impl IntoIterator<Item = usize>) -> String {
    ps.into_iter()
        .map(|p| ProcId(p).to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Bytes in flight as a short quoted text.
fn flight(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let short: String = text.chars().take(10).collect();
    if short.len() < text.len() {
        format!("'{short}…'")
    } else {
        format!("'{short}'")
    }
}

pub fn lines(s: &SocketState, lang: Lang, bad: Style) -> Vec<Line<'static>> {
    let w = ipc_words(lang);
    let mut out = Vec::new();
    for srv in &s.servers {
        server_lines(&mut out, srv, lang, w, bad);
    }
    for (i, c) in s.conns.iter().enumerate() {
        conn_lines(&mut out, i, c, w, bad);
    }
    out
}

fn bold() -> Style {
    Style::default().add_modifier(Modifier::BOLD)
}

/// A server: where it listens, how many it accepted, who waits in accept.
fn server_lines(
    out: &mut Vec<Line<'static>>,
    srv: &ServerState,
    lang: Lang,
    w: &IpcWords,
    bad: Style,
) {
    if let Some(server) = srv.manager {
        out.push(Line::from(Span::styled(
            format!("Manager {}", srv.name),
            bold(),
        )));
        out.push(Line::from(manager_server(
            &ProcId(server).to_string(),
            lang,
        )));
        return;
    }
    out.push(Line::from(Span::styled(
        format!("{} {} 127.0.0.1", w.server, srv.name),
        bold(),
    )));
    let listening = if srv.holders.is_empty() {
        w.server_closed.to_string()
    } else {
        format!("{} {}", w.listening_in, names(srv.holders.iter().copied()))
    };
    let mut spans = vec![Span::raw(accepted(srv.accepted, &listening, lang))];
    if !srv.waiters.is_empty() {
        spans.push(Span::raw(format!("  {}: ", w.accept_waiting)));
        spans.push(Span::styled(names(srv.waiters.iter().copied()), bad));
    }
    out.push(Line::from(spans));
}

/// Who talks to the client: who has served it, else whom the accepted
/// socket was handed to, else who accepted it.
fn served_by(c: &ConnState) -> Vec<usize> {
    let handed: Vec<usize> = c.sides[1]
        .ever
        .iter()
        .copied()
        .filter(|p| Some(*p) != c.accepted_by)
        .collect();
    if !c.sides[1].users.is_empty() {
        c.sides[1].users.clone()
    } else if !handed.is_empty() {
        handed
    } else {
        c.accepted_by.into_iter().collect()
    }
}

/// Connection c`i+1`: client ⇄ server, who holds each side open (when
/// not simply the two ends), bytes in flight, who waits, who read the end.
fn conn_lines(out: &mut Vec<Line<'static>>, i: usize, c: &ConnState, w: &IpcWords, bad: Style) {
    let client = c.client.map_or("?".to_string(), |p| ProcId(p).to_string());
    let served = served_by(c);
    let all_closed = c
        .sides
        .iter()
        .all(|st| st.was_open && st.holders.is_empty());
    let server = if served.is_empty() {
        w.not_accepted.to_string()
    } else {
        names(served.iter().copied())
    };
    let closed = if all_closed {
        format!("  {}", w.conn_closed)
    } else {
        String::new()
    };
    out.push(Line::from(vec![
        Span::styled(format!("c{} {client} ⇄ {server}", i + 1), bold()),
        Span::raw(closed),
    ]));
    // Who holds each side open, when that is not simply the two ends
    // named above (a parent's copy not closed yet, a side closed).
    let holders = |k: usize| -> Vec<usize> {
        let mut v: Vec<usize> = c.sides[k].holders.iter().map(|(p, _)| *p).collect();
        v.sort_unstable();
        v
    };
    let mut expected = served.clone();
    expected.sort_unstable();
    let plain = holders(0) == c.client.into_iter().collect::<Vec<_>>()
        && (holders(1) == expected || !c.sides[1].was_open);
    if !all_closed && !plain {
        let side = |k: usize| match holders(k) {
            v if v.is_empty() => "-".to_string(),
            v => names(v),
        };
        out.push(Line::from(format!(
            "  {} {} ⇄ {}",
            w.open,
            side(0),
            side(1)
        )));
    }
    if let Some(line) = flight_line(c, w, bad) {
        out.push(line);
    }
}

/// Bytes in flight each way, who waits in recv, who read b''.
fn flight_line(c: &ConnState, w: &IpcWords, bad: Style) -> Option<Line<'static>> {
    let mut spans = Vec::new();
    if !c.sides[1].inbox.is_empty() {
        spans.push(Span::raw(format!("  → {}", flight(&c.sides[1].inbox))));
    }
    if !c.sides[0].inbox.is_empty() {
        spans.push(Span::raw(format!("  ← {}", flight(&c.sides[0].inbox))));
    }
    let waiting: Vec<usize> = c.sides.iter().flat_map(|st| st.waiters.clone()).collect();
    if !waiting.is_empty() {
        spans.push(Span::raw(format!("  {}: ", w.sock_recv_waiting)));
        spans.push(Span::styled(names(waiting), bad));
    }
    let eof: Vec<usize> = c.sides.iter().flat_map(|st| st.eof.clone()).collect();
    if !eof.is_empty() {
        spans.push(Span::raw(format!("  b'': {}", names(eof))));
    }
    (!spans.is_empty()).then(|| Line::from(spans))
}
