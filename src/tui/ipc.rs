//! Events, pipes and queues on screen: the lane words of a process blocked
//! on one, and their lines in the side panel (set or clear and who sleeps;
//! which processes hold each pipe end open and what is in flight; each
//! queue's items, getters, unfinished tasks and joiners).

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use crate::lesson::Lang;
use crate::model::ProcId;
use crate::model::RunState;
use crate::model::ipc::{EndState, EventState, QueueState, Wait};
use crate::words::screen::ipc::{IpcWords, Waiting, ipc_words, waiting};

/// "waits: event done", "waits: recv conn1", "waits: get q", "waits: q.join()".
pub fn state_words(state: &RunState, on: Wait, lang: Lang) -> String {
    let ipc = &state.ipc;
    let w = match on {
        Wait::Event(e) => Waiting::Event(&ipc.events[e].name),
        Wait::Recv(e) => Waiting::Recv(&ipc.ends[e].name),
        Wait::Get(q) if ipc.queues[q].condition => Waiting::CondWait(&ipc.queues[q].name),
        Wait::Get(q) => Waiting::Get(&ipc.queues[q].name),
        Wait::Join(q) => Waiting::Join(&ipc.queues[q].name),
        Wait::Put(q) => Waiting::Put(&ipc.queues[q].name),
        Wait::Send(e) => Waiting::Send(&ipc.ends[e].name),
        // The server's name only when there is a choice: the lane is narrow.
        Wait::Accept(s) if ipc.sockets.servers.len() > 1 => {
            Waiting::Accept(Some(&ipc.sockets.servers[s].name))
        }
        Wait::Accept(_) => Waiting::Accept(None),
        Wait::SockRecv(c, _) => Waiting::SockRecv(c + 1),
    };
    waiting(&w, lang)
}

fn names(ps: &[usize]) -> String {
    ps.iter()
        .map(|p| ProcId(*p).to_string())
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
    let w = ipc_words(lang);
    let ipc = &state.ipc;
    let mut out = Vec::new();
    for e in &ipc.events {
        out.push(event_line(e, w, bad, good));
    }
    for (i, end) in ipc.ends.iter().enumerate() {
        if i % 2 == 0 {
            let other = &ipc.ends[end.peer].name;
            out.push(Line::from(Span::styled(
                format!("{} {} ({} ⇄ {other})", w.pipe, end.pipe, end.name),
                bold(),
            )));
        }
        pipe_end_lines(&mut out, end, lang, w, bad);
    }
    for q in &ipc.queues {
        queue_lines(&mut out, q, lang, w, bad);
    }
    out.extend(super::sockets::lines(&ipc.sockets, lang, bad));
    out
}

fn bold() -> Style {
    Style::default().add_modifier(Modifier::BOLD)
}

/// "Event done set  waiting: P2 P3".
fn event_line(e: &EventState, w: &IpcWords, bad: Style, good: Style) -> Line<'static> {
    let (word, style) = if e.set {
        (w.set, good)
    } else {
        (w.clear, Style::default())
    };
    let mut spans = vec![
        Span::styled(format!("{} {} ", w.event, e.name), bold()),
        Span::styled(word.to_string(), style),
    ];
    let sleeping: Vec<usize> = e.waiters.iter().chain(&e.waking).copied().collect();
    if !sleeping.is_empty() {
        spans.push(Span::raw(format!("  {}: ", w.waiting)));
        spans.push(Span::styled(names(&sleeping), bad));
    }
    Line::from(spans)
}

/// A pipe end: who holds it open, its inbox, who waits in recv, who saw EOF.
fn pipe_end_lines(
    out: &mut Vec<Line<'static>>,
    end: &EndState,
    lang: Lang,
    w: &IpcWords,
    bad: Style,
) {
    let open = if end.holders.is_empty() {
        Span::styled(
            w.closed_everywhere.to_string(),
            if end.was_open { bad } else { Style::default() },
        )
    } else {
        Span::raw(format!("{} {}", w.open_in, names(&end.holders)))
    };
    out.push(Line::from(vec![
        Span::raw(format!("  {}: ", end.name)),
        open,
    ]));
    let mut inbox = items(end.inbox.iter().map(|m| m.show(lang)), 4);
    if inbox.is_empty() {
        inbox = "-".into();
    }
    let mut spans = vec![Span::raw(format!("    {}: {inbox}", w.inbox))];
    if !end.waiters.is_empty() {
        spans.push(Span::raw(format!("  {}: ", w.recv)));
        spans.push(Span::styled(names(&end.waiters), bad));
    }
    if !end.eof.is_empty() {
        spans.push(Span::raw(format!("  EOF: {}", names(&end.eof))));
    }
    out.push(Line::from(spans));
}

/// A queue: its items, put/get counts (done and left when joinable), and
/// who waits in get or join.
fn queue_lines(out: &mut Vec<Line<'static>>, q: &QueueState, lang: Lang, w: &IpcWords, bad: Style) {
    if q.condition {
        // A Condition: who sleeps in its wait (its lock is drawn as a lock).
        let mut spans = vec![Span::styled(format!("Condition {}", q.name), bold())];
        if !q.getters.is_empty() {
            spans.push(Span::raw(format!("  {}: ", w.cond_waiting)));
            spans.push(Span::styled(names(&q.getters), bad));
        }
        out.push(Line::from(spans));
        return;
    }
    let kind = if q.joinable { "JoinableQueue" } else { w.queue };
    let mut shown = items(q.items.iter().map(|m| m.show(lang)), 6);
    if shown.is_empty() {
        shown = "-".into();
    }
    out.push(Line::from(vec![
        Span::styled(format!("{kind} {} ", q.name), bold()),
        Span::raw(format!(" {}: {shown}", w.items)),
    ]));
    let mut tally = format!("  put {} · {} {}", q.puts, w.got, q.gets);
    if q.joinable {
        tally.push_str(&format!(
            " · {} {} · {} {}",
            w.done, q.done, w.left, q.unfinished
        ));
    }
    out.push(Line::from(tally));
    let joining: Vec<usize> = q.joiners.iter().chain(&q.waking).copied().collect();
    if !q.getters.is_empty() || !joining.is_empty() {
        let mut spans = vec![Span::raw("  ".to_string())];
        if !q.getters.is_empty() {
            spans.push(Span::raw(format!("{}: ", w.get_waiting)));
            spans.push(Span::styled(names(&q.getters), bad));
            spans.push(Span::raw("  ".to_string()));
        }
        if !joining.is_empty() {
            spans.push(Span::raw(format!("{}: ", w.join_waiting)));
            spans.push(Span::styled(names(&joining), bad));
        }
        out.push(Line::from(spans));
    }
}
