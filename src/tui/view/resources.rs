//! The side panel: locks and semaphores with holders and waiters, rooms
//! with who is inside, shared values with their reads and writes, then
//! events, pipes, queues, sockets and the process tree.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{Theme, block};
use crate::lesson::{Lang, Lesson, Op};
use crate::model::ProcId;
use crate::model::{
    AccessKind, LockState as Lock, RoomState as Room, RunState, ValueState as Value,
};
use crate::tui::session::Session;
use crate::tui::text::Strings;
use crate::words::screen::sentences::room_label;

/// "P1 P2 P3 P4 P5" as "P1–P5": runs of three or more consecutive
/// processes in a row; a dead one (ended, or a zombie) is marked `P1†` and
/// never folded into a run.
pub fn names(ps: &[usize], state: &crate::model::RunState) -> String {
    let dead = |p: usize| {
        state.procs.get(p).is_some_and(|x| x.ending.is_some())
            || (p < state.procs.len() && state.is_zombie(p))
    };
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < ps.len() {
        let mut j = i;
        while j + 1 < ps.len() && ps[j + 1] == ps[j] + 1 && !dead(ps[j]) && !dead(ps[j + 1]) {
            j += 1;
        }
        if j >= i + 2 {
            out.push(format!("{}–{}", ProcId(ps[i]), ProcId(ps[j])));
        } else {
            j = i;
            let mark = if dead(ps[i]) { "†" } else { "" };
            out.push(format!("{}{mark}", ProcId(ps[i])));
        }
        i = j + 1;
    }
    out.join(" ")
}

pub fn draw(frame: &mut Frame, area: Rect, lang: Lang, s: &Session, theme: &Theme, t: &Strings) {
    let mut lines: Vec<Line> = Vec::new();
    for l in &s.state().locks {
        lock_lines(&mut lines, l, s.state(), theme, t);
    }
    for r in &s.state().rooms {
        let label = room_label(&r.name, room_span(&s.lesson, &r.name), lang);
        room_lines(&mut lines, (label, r), s.state(), area.width, theme, t);
    }
    // What comes below the values, drawn whole; the values' histories share
    // the rows left.
    let mut below: Vec<Line> = crate::tui::ipc::lines(s.state(), lang, theme.bad(), theme.good());
    let width = area.width.saturating_sub(2) as usize;
    let tree = crate::tui::tree::summary(s.state(), t, width);
    below.extend(tree.into_iter().map(Line::from));
    value_lines(&mut lines, s, area, below.len(), theme, t);
    lines.extend(below);
    // A long list of who is inside wraps rather than being cut.
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block(t.resources)),
        area,
    );
}

/// A lock or semaphore: ON or OFF, permits in use, holders and waiters.
fn lock_lines(lines: &mut Vec<Line>, l: &Lock, state: &RunState, theme: &Theme, t: &Strings) {
    let on_off = if l.off {
        Span::styled(t.off, theme.bad())
    } else {
        Span::styled(t.on, theme.good())
    };
    let kind = match (l.reentrant, l.is_lock) {
        (true, _) => t.rlock,
        (false, true) => t.lock,
        (false, false) => t.semaphore,
    };
    let used = (i64::from(l.permits) - l.available).max(0);
    let mut head = vec![
        Span::styled(
            format!("{kind} {} ", l.name),
            Style::default().add_modifier(Modifier::BOLD),
        ),
        on_off,
    ];
    if !l.is_lock {
        head.push(Span::raw(format!("  {used}/{}", l.permits)));
    }
    lines.push(Line::from(head));
    // One holder: the listing's name too (`P2† (p1)`).
    let named = |ps: &[usize]| match ps {
        [one] => match state.procs.get(*one).and_then(|p| p.name.as_deref()) {
            Some(name) => format!("{} ({name})", names(ps, state)),
            None => names(ps, state),
        },
        _ => names(ps, state),
    };
    let holders = if l.holders.is_empty() {
        t.nobody.to_string()
    } else if l.reentrant {
        // An RLock's owner and how many times it holds it.
        format!(
            "{} ({} {})",
            names(&l.holders, state),
            t.rlock_count,
            l.depth
        )
    } else {
        named(&l.holders)
    };
    lines.push(Line::from(format!("  {}: {holders}", t.holder)));
    if !l.waiters.is_empty() {
        lines.push(Line::from(vec![
            Span::raw(format!("  {}: ", t.waiters)),
            Span::styled(names(&l.waiters, state), theme.bad()),
        ]));
    }
}

/// The listing's lines a room spans: its first `enter` to its last `leave`.
fn room_span(lesson: &Lesson, room: &str) -> Option<(u32, u32)> {
    let steps = || lesson.programs.values().flatten().filter(|s| s.line > 0);
    let first = steps()
        .filter(|s| matches!(&s.op, Op::Enter { room: r } if r == room))
        .map(|s| s.line)
        .min()?;
    let last = steps()
        .filter(|s| matches!(&s.op, Op::Leave { room: r } if r == room))
        .map(|s| s.line)
        .max()?;
    Some((first, last.max(first)))
}

/// A room, headed by the lines it spans: how many are inside against its
/// limit, and who.
fn room_lines(
    lines: &mut Vec<Line>,
    (label, r): (String, &Room),
    state: &RunState,
    width: u16,
    theme: &Theme,
    t: &Strings,
) {
    let over = r.limit.is_some_and(|lim| r.inside.len() > lim as usize);
    let limit = r.limit.map(|l| format!("/{l}")).unwrap_or_default();
    let mut head = Line::from(vec![
        Span::styled(label, Style::default().add_modifier(Modifier::BOLD)),
        Span::styled(
            format!("{}{limit} {}", r.inside.len(), t.inside),
            if over { theme.bad() } else { Style::default() },
        ),
    ]);
    let who = names(&r.inside, state);
    if head.width() + 2 + Line::from(who.as_str()).width() + 2 <= usize::from(width) {
        head.push_span(Span::raw(format!("  {who}")));
        lines.push(head);
    } else if !who.is_empty() {
        // Narrow: who is inside goes on a line of its own.
        lines.push(head);
        lines.push(Line::from(format!("  {who}")));
    } else {
        lines.push(head);
    }
}

/// Each shared value: now, at the start, expected at the end, and its
/// latest reads and writes in the rows left above the `below` lines.
fn value_lines(
    lines: &mut Vec<Line>,
    s: &Session,
    area: Rect,
    below: usize,
    theme: &Theme,
    t: &Strings,
) {
    let expected_value = match &s.lesson.check.measure {
        crate::lesson::Measure::FinalValue(name) => Some((name.clone(), s.lesson.check.expect)),
        _ => None,
    };
    let values = s.state().values.len();
    for (k, v) in s.state().values.iter().enumerate() {
        let expect = expected_value
            .as_ref()
            .filter(|(n, _)| *n == v.name)
            .map(|(_, e)| *e);
        lines.push(value_head(v, expect, area.width, theme, t));
        let room = (area.height.saturating_sub(2) as usize)
            .saturating_sub(lines.len() + below + (values - k - 1));
        let show = (room / (values - k)).max(1);
        for a in v.history.iter().rev().take(show).rev() {
            let (verb, style) = match a.kind {
                AccessKind::Read => (t.read, Style::default()),
                AccessKind::Write if a.stale => (t.wrote, theme.bad()),
                AccessKind::Write => (t.wrote, Style::default()),
            };
            let mut spans = vec![
                Span::raw("  "),
                Span::styled(ProcId(a.proc).to_string(), theme.proc(a.proc)),
                Span::styled(format!(" {verb} {}", a.value), style),
            ];
            if a.stale {
                spans.push(Span::styled(format!("  {}", t.lost), theme.bad()));
            }
            lines.push(Line::from(spans));
        }
    }
}

/// "count = 3  start 0 → expect 10", or on a narrow panel "count = 3  (0 → 10)".
fn value_head(
    v: &Value,
    expect: Option<i64>,
    width: u16,
    theme: &Theme,
    t: &Strings,
) -> Line<'static> {
    let mut head = vec![
        Span::styled(
            format!("{} = {}", v.name, v.current),
            Style::default().add_modifier(Modifier::BOLD),
        ),
        Span::styled(format!("  {} {}", t.start, v.initial), theme.dim()),
    ];
    if let Some(e) = expect {
        head.push(Span::styled(format!(" → {} {e}", t.expected), theme.dim()));
    }
    let head = Line::from(head);
    if head.width() + 2 <= usize::from(width) {
        return head;
    }
    // Narrow: the numbers without their words.
    let arrow = expect.map(|e| format!(" → {e}")).unwrap_or_default();
    Line::from(vec![
        Span::styled(
            format!("{} = {}", v.name, v.current),
            Style::default().add_modifier(Modifier::BOLD),
        ),
        Span::styled(format!("  ({}{arrow})", v.initial), theme.dim()),
    ])
}
