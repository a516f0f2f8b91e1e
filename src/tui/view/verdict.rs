//! The verdict under the panels: the lesson's check, live, and the steps
//! taken (or the message of the last key).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Color;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::Theme;
use crate::lesson::Lang;
use crate::tui::session::{RunMode, Session};
use crate::tui::text::Strings;
use crate::tui::wrap::wrap_flush;
use crate::words::screen::sentences::broken_at;

/// "steps: 1,1,2,2", or, when they do not fit, the newest ones after the
/// count: "steps (120): …,118,119,120".
fn steps_line(schedule: &[usize], width: usize, t: &Strings) -> Option<String> {
    if schedule.is_empty() {
        return None;
    }
    let all: Vec<String> = schedule.iter().map(usize::to_string).collect();
    let whole = format!("{}: {}", t.steps, all.join(","));
    if Line::from(whole.as_str()).width() <= width {
        return Some(whole);
    }
    let head = format!("{} ({}): …", t.steps, schedule.len());
    let room = width.saturating_sub(Line::from(head.as_str()).width());
    let mut tail: Vec<&str> = Vec::new();
    let mut used = 0;
    for s in all.iter().rev() {
        if used + s.len() + 1 > room {
            break;
        }
        used += s.len() + 1;
        tail.push(s);
    }
    tail.reverse();
    Some(format!("{head},{}", tail.join(",")))
}

/// Rows `text` takes wrapped at `width` columns (a word longer than a row
/// is broken inside it).
fn rows(text: &str, width: usize) -> usize {
    wrap_flush(text, width)
        .iter()
        .map(|l| Line::from(l.as_str()).width().div_ceil(width).max(1))
        .sum::<usize>()
        .max(1)
}

/// The verdict's own words with their mark or word, in their colour.
fn head(lang: Lang, s: &Session, theme: &Theme, t: &Strings) -> Span<'static> {
    let v = s.state().verdict_named(lang);
    if s.lesson.pool.is_some() && s.mode != RunMode::Done {
        Span::styled(t.measuring, theme.fg(Color::Yellow))
    } else if v.deadlock.is_some() {
        Span::styled(v.sentence, theme.bad())
    } else if v.ok {
        let word = if v.finished { t.ok_final } else { t.ok_so_far };
        Span::styled(format!("{word}: {}", v.sentence), theme.good())
    } else {
        let at = v
            .broken_at
            .map(|s| format!("  ({})", broken_at(s, lang)))
            .unwrap_or_default();
        Span::styled(format!("✗ {}{at}", v.sentence), theme.bad())
    }
}

/// Rows the verdict takes at `width`: its own rows (at most three) and one
/// for the steps taken (if any), or the whole message of the last key below
/// it; two at least.
pub fn height(lang: Lang, s: &Session, width: u16) -> u16 {
    let width = usize::from(width.max(1));
    let t = crate::tui::text::strings(lang);
    let head = rows(&head(lang, s, &Theme::new(false), t).content, width).min(3);
    let steps = usize::from(!s.schedule.is_empty());
    let below = s
        .message
        .as_ref()
        .map_or(steps, |m| rows(m.get(lang), width));
    (head + below).clamp(2, 6) as u16
}

pub fn draw(frame: &mut Frame, area: Rect, lang: Lang, s: &Session, theme: &Theme, t: &Strings) {
    let width = usize::from(area.width.max(1));
    let (below, style) = match &s.message {
        Some(m) => (Some(m.get(lang).to_string()), theme.fg(Color::Yellow)),
        None => (steps_line(&s.schedule, width, t), theme.dim()),
    };
    // The message keeps its rows at the bottom; the verdict has the rest
    // (a long one, a deadlock naming everyone, is cut before the message is).
    let below_rows = below.as_deref().map_or(0, |b| rows(b, width)) as u16;
    let below_rows = below_rows.min(area.height.saturating_sub(1));
    let [top, bottom] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(below_rows)]).areas(area);
    let head = Line::from(head(lang, s, theme, t));
    frame.render_widget(Paragraph::new(head).wrap(Wrap { trim: true }), top);
    if let Some(text) = below {
        let lines: Vec<Line> = wrap_flush(&text, width)
            .into_iter()
            .map(|l| Line::styled(l, style))
            .collect();
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), bottom);
    }
}
