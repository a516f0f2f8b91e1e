//! Events, pipes and queues on screen: the lane words of a process blocked
//! on one, and their lines in the side panel (set or clear and who sleeps;
//! which processes hold each pipe end open and what is in flight; each
//! queue's items, getters, unfinished tasks and joiners).

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use crate::lesson::Lang;
use crate::state::RunState;
use crate::state::ipc::Wait;

/// The language of a set of interface strings.
pub fn lang_of(t: &super::text::Strings) -> Lang {
    if std::ptr::eq(t, super::text::strings(Lang::Zh)) {
        Lang::Zh
    } else {
        Lang::En
    }
}

/// "waits: event done", "waits: recv conn1", "waits: get q", "waits: q.join()".
pub fn state_words(state: &RunState, on: Wait, lang: Lang) -> String {
    let ipc = &state.ipc;
    match (on, lang) {
        (Wait::Event(e), Lang::En) => format!("waits: event {}", ipc.events[e].name),
        (Wait::Event(e), Lang::Zh) => format!("在等事件 {}", ipc.events[e].name),
        (Wait::Recv(e), Lang::En) => format!("waits: recv {}", ipc.ends[e].name),
        (Wait::Recv(e), Lang::Zh) => format!("在等 {} 接收", ipc.ends[e].name),
        (Wait::Get(q), Lang::En) => format!("waits: get {}", ipc.queues[q].name),
        (Wait::Get(q), Lang::Zh) => format!("在等从 {} 取", ipc.queues[q].name),
        (Wait::Join(q), Lang::En) => format!("waits: {}.join()", ipc.queues[q].name),
        (Wait::Join(q), Lang::Zh) => format!("在等 {}.join()", ipc.queues[q].name),
        // The server's name only when there is a choice: the lane is narrow.
        (Wait::Accept(s), _) if ipc.sockets.servers.len() > 1 => match lang {
            Lang::En => format!("waits: accept {}", ipc.sockets.servers[s].name),
            Lang::Zh => format!("在等 {} accept", ipc.sockets.servers[s].name),
        },
        (Wait::Accept(_), Lang::En) => "waits: accept".to_string(),
        (Wait::Accept(_), Lang::Zh) => "在等 accept".to_string(),
        (Wait::SockRecv(c, _), Lang::En) => format!("waits: recv c{}", c + 1),
        (Wait::SockRecv(c, _), Lang::Zh) => format!("在等 c{} 接收", c + 1),
    }
}

fn names(ps: &[usize]) -> String {
    ps.iter()
        .map(|p| format!("P{}", p + 1))
        .collect::<Vec<_>>()
        .join(" ")
}

/// At most the first few items, oldest first.
fn items(list: impl Iterator<Item = String>, max: usize) -> String {
    let all: Vec<String> = list.collect();
    let mut shown = all.iter().take(max).cloned().collect::<Vec<_>>().join(" ");
    if all.len() > max {
        shown.push_str(" …");
    }
    shown
}

/// The side panel's lines for every event, pipe and queue.
pub fn lines(state: &RunState, lang: Lang, bad: Style, good: Style) -> Vec<Line<'static>> {
    let zh = lang == Lang::Zh;
    let bold = Style::default().add_modifier(Modifier::BOLD);
    let ipc = &state.ipc;
    let mut out = Vec::new();
    for e in &ipc.events {
        let (word, style) = match (e.set, zh) {
            (true, false) => ("set", good),
            (false, false) => ("clear", Style::default()),
            (true, true) => ("已 set", good),
            (false, true) => ("未 set", Style::default()),
        };
        let kind = if zh { "事件" } else { "Event" };
        let mut spans = vec![
            Span::styled(format!("{kind} {} ", e.name), bold),
            Span::styled(word.to_string(), style),
        ];
        let sleeping: Vec<usize> = e.waiters.iter().chain(&e.waking).copied().collect();
        if !sleeping.is_empty() {
            let w = if zh { "在等" } else { "waiting" };
            spans.push(Span::raw(format!("  {w}: ")));
            spans.push(Span::styled(names(&sleeping), bad));
        }
        out.push(Line::from(spans));
    }
    for (i, end) in ipc.ends.iter().enumerate() {
        if i % 2 == 0 {
            let kind = if zh { "管道" } else { "Pipe" };
            let other = &ipc.ends[end.peer].name;
            out.push(Line::from(Span::styled(
                format!("{kind} {} ({} ⇄ {other})", end.pipe, end.name),
                bold,
            )));
        }
        let open = if end.holders.is_empty() {
            Span::styled(
                if zh {
                    "已全部关闭"
                } else {
                    "closed everywhere"
                }
                .to_string(),
                if end.was_open { bad } else { Style::default() },
            )
        } else {
            Span::raw(format!(
                "{} {}",
                if zh { "打开于" } else { "open in" },
                names(&end.holders)
            ))
        };
        out.push(Line::from(vec![
            Span::raw(format!("  {}: ", end.name)),
            open,
        ]));
        let mut inbox = items(end.inbox.iter().map(|m| m.show(lang)), 4);
        if inbox.is_empty() {
            inbox = "-".into();
        }
        let mut spans = vec![Span::raw(match zh {
            false => format!("    inbox: {inbox}"),
            true => format!("    待收: {inbox}"),
        })];
        if !end.waiters.is_empty() {
            spans.push(Span::raw(
                if zh { "  在等: " } else { "  recv: " }.to_string(),
            ));
            spans.push(Span::styled(names(&end.waiters), bad));
        }
        if !end.eof.is_empty() {
            spans.push(Span::raw(format!("  EOF: {}", names(&end.eof))));
        }
        out.push(Line::from(spans));
    }
    for q in &ipc.queues {
        let kind = match (q.joinable, zh) {
            (true, _) => "JoinableQueue",
            (false, false) => "Queue",
            (false, true) => "队列 Queue",
        };
        let mut shown = items(q.items.iter().map(|m| m.show(lang)), 6);
        if shown.is_empty() {
            shown = "-".into();
        }
        out.push(Line::from(vec![
            Span::styled(format!("{kind} {} ", q.name), bold),
            Span::raw(match zh {
                false => format!(" items: {shown}"),
                true => format!(" 数据: {shown}"),
            }),
        ]));
        let mut tally = match zh {
            false => format!("  put {} · got {}", q.puts, q.gets),
            true => format!("  put {} · get {}", q.puts, q.gets),
        };
        if q.joinable {
            tally.push_str(&match zh {
                false => format!(" · done {} · left {}", q.done, q.unfinished),
                true => format!(" · 完成 {} · 未完成 {}", q.done, q.unfinished),
            });
        }
        out.push(Line::from(tally));
        let joining: Vec<usize> = q.joiners.iter().chain(&q.waking).copied().collect();
        if !q.getters.is_empty() || !joining.is_empty() {
            let mut spans = vec![Span::raw("  ".to_string())];
            if !q.getters.is_empty() {
                spans.push(Span::raw(
                    if zh { "在等 get: " } else { "get: " }.to_string(),
                ));
                spans.push(Span::styled(names(&q.getters), bad));
                spans.push(Span::raw("  ".to_string()));
            }
            if !joining.is_empty() {
                spans.push(Span::raw(
                    if zh { "在等 join: " } else { "join: " }.to_string(),
                ));
                spans.push(Span::styled(names(&joining), bad));
            }
            out.push(Line::from(spans));
        }
    }
    out.extend(super::sockets::lines(&ipc.sockets, lang, bad));
    out
}
