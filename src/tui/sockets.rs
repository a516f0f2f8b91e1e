//! TCP servers and connections in the side panel, on short lines that fit
//! 80 columns: each server's listening copies and accepts, then each
//! connection as `client ⇄ the processes that served it`, who holds each
//! side open, the bytes in flight each way, and who waits or read the end.

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use crate::lesson::Lang;
use crate::state::sockets::SocketState;

fn names(ps: impl IntoIterator<Item = usize>) -> String {
    ps.into_iter()
        .map(|p| format!("P{}", p + 1))
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
    let zh = lang == Lang::Zh;
    let bold = Style::default().add_modifier(Modifier::BOLD);
    let mut out = Vec::new();
    for srv in &s.servers {
        let kind = if zh { "服务器" } else { "Server" };
        out.push(Line::from(Span::styled(
            format!("{kind} {} 127.0.0.1", srv.name),
            bold,
        )));
        let listening = if srv.holders.is_empty() {
            if zh { "已关闭" } else { "closed" }.to_string()
        } else {
            names(srv.holders.iter().copied())
        };
        out.push(Line::from(format!(
            "  {} {listening}",
            if zh { "监听于" } else { "listening:" }
        )));
        let mut spans = vec![Span::raw(format!(
            "  {} {}",
            if zh { "已 accept" } else { "accepted:" },
            srv.accepted
        ))];
        if !srv.waiters.is_empty() {
            spans.push(Span::raw(
                if zh {
                    "  在等 accept: "
                } else {
                    "  accept: "
                }
                .to_string(),
            ));
            spans.push(Span::styled(names(srv.waiters.iter().copied()), bad));
        }
        out.push(Line::from(spans));
    }
    for (i, c) in s.conns.iter().enumerate() {
        let client = c.client.map_or("?".to_string(), |p| format!("P{}", p + 1));
        // Who talks to the client: who has served it, else who holds the
        // accepted socket now, else who accepted it.
        let served: Vec<usize> = if !c.sides[1].users.is_empty() {
            c.sides[1].users.clone()
        } else if !c.sides[1].holders.is_empty() {
            c.sides[1].holders.iter().map(|(p, _)| *p).collect()
        } else {
            c.accepted_by.into_iter().collect()
        };
        let server = if served.is_empty() {
            if zh {
                "（未 accept）"
            } else {
                "(not accepted)"
            }
            .to_string()
        } else {
            names(served)
        };
        out.push(Line::from(Span::styled(
            format!("c{} {client} ⇄ {server}", i + 1),
            bold,
        )));
        let side = |k: usize| {
            let st = &c.sides[k];
            if st.holders.is_empty() {
                "-".to_string()
            } else {
                names(st.holders.iter().map(|(p, _)| *p))
            }
        };
        let open = if c.sides.iter().all(|st| st.holders.is_empty()) {
            if zh { "  已关闭" } else { "  closed" }.to_string()
        } else {
            format!(
                "  {} {} ⇄ {}",
                if zh { "打开:" } else { "open:" },
                side(0),
                side(1)
            )
        };
        out.push(Line::from(open));
        let mut spans = Vec::new();
        if !c.sides[1].inbox.is_empty() {
            spans.push(Span::raw(format!("  → {}", flight(&c.sides[1].inbox))));
        }
        if !c.sides[0].inbox.is_empty() {
            spans.push(Span::raw(format!("  ← {}", flight(&c.sides[0].inbox))));
        }
        let waiting: Vec<usize> = c.sides.iter().flat_map(|st| st.waiters.clone()).collect();
        if !waiting.is_empty() {
            spans.push(Span::raw(
                if zh { "  在等 recv: " } else { "  recv: " }.to_string(),
            ));
            spans.push(Span::styled(names(waiting), bad));
        }
        let eof: Vec<usize> = c.sides.iter().flat_map(|st| st.eof.clone()).collect();
        if !eof.is_empty() {
            spans.push(Span::raw(format!("  b'': {}", names(eof))));
        }
        if !spans.is_empty() {
            out.push(Line::from(spans));
        }
    }
    out
}
