//! The explorer screen drawn: what was explored and how, one panel per
//! lock setting with its progress or its outcomes as bars, the shortest
//! bad schedule, and the keys.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Gauge, Paragraph, Wrap};

use super::{Coverage, Explorer, Set};
use crate::explore::{SearchProgress, Tally};
use crate::lesson::{Lang, Rule};
use crate::tui::keys::{Bar, hint_line};
use crate::tui::text::Strings;
use crate::words::screen::sentences::{
    Search, explore_how, explore_progress, explore_summary, random_set, shortest_bad_head,
};

fn fg(color: bool, c: Color) -> Style {
    if color {
        Style::default().fg(c)
    } else {
        Style::default()
    }
}

fn setting_name(set: &Set, has_locks: bool, t: &Strings) -> String {
    if !has_locks {
        t.ex_no_locks.to_string()
    } else {
        off_label(&set.off, t)
    }
}

/// "every lock ON", "OFF: lock", or a program's "every lock OFF".
fn off_label(off: &[String], t: &Strings) -> String {
    match off {
        [] => t.ex_locks_on.to_string(),
        [all] if all == crate::python::ALL_OFF => t.ex_all_off.to_string(),
        _ => format!("{}: {}", t.ex_off, off.join(", ")),
    }
}

/// The explored lesson has locks (a program's are switched off as `*`).
fn has_locks(ex: &Explorer) -> bool {
    !ex.title_of.resources().is_empty()
        || ex
            .sets
            .iter()
            .any(|s| s.off.iter().any(|o| o == crate::python::ALL_OFF))
}

pub fn draw(frame: &mut Frame, ex: &Explorer, lang: Lang, color: bool, t: &Strings) {
    let area = frame.area();
    let n_sets = ex.sets.len() as u16;
    let mut constraints = vec![Constraint::Length(2)];
    constraints.extend((0..n_sets).map(|_| Constraint::Min(6)));
    constraints.push(Constraint::Length(2));
    constraints.push(Constraint::Length(1));
    let rows = Layout::vertical(constraints).split(area);
    frame.render_widget(Paragraph::new(header(ex, lang, color, t)), rows[0]);
    let quantity = ex.title_of.check.quantity.get(lang).to_string();
    for (i, set) in ex.sets.iter().enumerate() {
        draw_set(frame, rows[1 + i], ex, set, &quantity, color, t);
    }
    let note = note(ex, color, t);
    frame.render_widget(
        Paragraph::new(note).wrap(Wrap { trim: true }),
        rows[rows.len() - 2],
    );
    let bar = if ex.shortest_bad().is_some() {
        Bar::ExploreReplay
    } else {
        Bar::Explore
    };
    let keys = hint_line(bar, lang, |_| true);
    frame.render_widget(
        Paragraph::new(keys).style(fg(color, Color::DarkGray)),
        rows[rows.len() - 1],
    );
}

/// What was explored, and how.
fn header(ex: &Explorer, lang: Lang, color: bool, t: &Strings) -> Vec<Line<'static>> {
    let title = ex.title_of.title.get(lang);
    let search = match (ex.procs, ex.mode) {
        (procs, _) if let Some(limit) = ex.trying => Search::Trying { procs, limit },
        (procs, Some(Coverage::Every)) => Search::Every { procs },
        (procs, Some(Coverage::Random(runs))) => Search::Random { procs, runs },
        _ => Search::Sizing,
    };
    let how = explore_how(&search, lang);
    vec![
        Line::from(vec![
            Span::styled(
                " lockstep ",
                Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD),
            ),
            Span::raw(format!(" {} · ", t.ex_title)),
            Span::styled(
                title.to_string(),
                Style::default().add_modifier(Modifier::BOLD),
            ),
        ]),
        Line::styled(how, fg(color, Color::DarkGray)),
    ]
}

/// The search's error, its shortest bad schedule, or that none went wrong.
fn note(ex: &Explorer, color: bool, t: &Strings) -> Line<'static> {
    if let Some(e) = &ex.error {
        Line::styled(
            e.clone(),
            fg(color, Color::Red).add_modifier(Modifier::BOLD),
        )
    } else if let Some((off, steps)) = ex.shortest_bad() {
        let off = if has_locks(ex) {
            off_label(&off, t)
        } else {
            t.ex_no_locks.to_string()
        };
        let list: Vec<String> = steps.iter().map(usize::to_string).collect();
        Line::from(vec![
            Span::styled(
                shortest_bad_head(&off, steps.len(), t.lang),
                fg(color, Color::Yellow),
            ),
            Span::raw(list.join(",")),
        ])
    } else if ex.is_done() {
        Line::styled(t.ex_none_bad, fg(color, Color::Green))
    } else {
        Line::default()
    }
}

/// One lock setting: a gauge while its schedules run, then their outcomes.
fn draw_set(
    frame: &mut Frame,
    area: Rect,
    ex: &Explorer,
    set: &Set,
    quantity: &str,
    color: bool,
    t: &Strings,
) {
    let mut title = setting_name(set, has_locks(ex), t);
    // Searched otherwise than the header says (its locks left too many).
    if let Some(Coverage::Random(runs)) = set.mode.filter(|m| Some(*m) != ex.mode) {
        title = format!("{title} · {}", random_set(runs, t.lang));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {title} "));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(tally) = &set.tally else {
        let (done, total, ratio) = match set.progress {
            Some(SearchProgress {
                done,
                total: Some(total),
            }) if total > 0.0 => (done, Some(total), (done as f64 / total).clamp(0.0, 1.0)),
            Some(p) => (p.done, None, 0.0),
            None => (0, None, 0.0),
        };
        let label = match set.progress {
            Some(_) => explore_progress(done, total, t.lang),
            None => t.ex_waiting.to_string(),
        };
        frame.render_widget(
            Gauge::default()
                .gauge_style(fg(color, Color::Cyan).add_modifier(Modifier::BOLD))
                .ratio(ratio)
                .label(label),
            Rect {
                height: inner.height.min(1),
                ..inner
            },
        );
        return;
    };
    let rule = ex.lesson.as_ref().unwrap_or(&ex.title_of).check.rule;
    let mut lines = vec![summary(tally, color, t)];
    lines.extend(bars(tally, rule, quantity, inner.width, color, t.lang));
    frame.render_widget(Paragraph::new(lines), inner);
}

/// "90 schedules · 84 broke the check · 0 deadlocked · 93% bad".
fn summary(tally: &Tally, color: bool, t: &Strings) -> Line<'static> {
    let bad = tally.bad();
    let share = if tally.schedules > 0 {
        100.0 * bad as f64 / tally.schedules as f64
    } else {
        0.0
    };
    let style = if bad > 0 {
        fg(color, Color::Red).add_modifier(Modifier::BOLD)
    } else {
        fg(color, Color::Green).add_modifier(Modifier::BOLD)
    };
    Line::from(vec![Span::styled(
        explore_summary(
            tally.schedules,
            tally.broken,
            tally.deadlocked,
            share,
            t.lang,
        ),
        style,
    )])
}

/// One bar per final value (✓ when the check holds) and one for deadlocks,
/// to scale in `width` columns.
fn bars(
    tally: &Tally,
    rule: Rule,
    quantity: &str,
    width: u16,
    color: bool,
    lang: Lang,
) -> Vec<Line<'static>> {
    // A program that checks no value: its runs either deadlocked or not.
    let label = |value: &i64| match quantity {
        "" => crate::words::run::no_deadlock(lang).to_string(),
        q => format!("{q} {value}"),
    };
    let most = tally
        .distribution
        .values()
        .copied()
        .chain([tally.deadlocked])
        .max()
        .unwrap_or(1)
        .max(1);
    let label_w = tally
        .distribution
        .keys()
        .map(|v| label(v).chars().count())
        .chain([if tally.deadlocked > 0 { 8 } else { 0 }])
        .max()
        .unwrap_or(0);
    let bar_room = usize::from(width).saturating_sub(label_w + 12).max(4);
    let scaled = |count: usize| {
        ((count as f64 / most as f64) * bar_room as f64)
            .round()
            .max(1.0) as usize
    };
    let mut lines = Vec::new();
    for (value, count) in &tally.distribution {
        let ok = rule.holds(*value, tally.expected);
        let style = if ok {
            fg(color, Color::Green)
        } else {
            fg(color, Color::Red)
        };
        let mark = if ok { "✓" } else { "✗" };
        lines.push(Line::from(vec![
            Span::raw(format!("{:<label_w$} ", label(value))),
            Span::styled("█".repeat(scaled(*count)), style),
            Span::raw(format!(" {count} {mark}")),
        ]));
    }
    if tally.deadlocked > 0 {
        lines.push(Line::from(vec![
            Span::raw(format!("{:<label_w$} ", "DEADLOCK")),
            Span::styled("█".repeat(scaled(tally.deadlocked)), fg(color, Color::Red)),
            Span::raw(format!(" {} ✗", tally.deadlocked)),
        ]));
    }
    lines
}
