//! The verdict under the panels: the lesson's check, live, and the steps
//! taken (or the message of the last key).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Color;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::Theme;
use crate::lesson::Lang;
use crate::tui::session::{RunMode, Session};
use crate::tui::text::Strings;
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

/// Rows the verdict takes at `width`: two, or up to four when the
/// message of the last key would not fit whole beside the verdict.
pub fn height(lang: Lang, s: &Session, width: u16) -> u16 {
    let Some(m) = &s.message else { return 2 };
    let width = usize::from(width.max(1));
    let rows = |text: &str| Line::from(text).width().div_ceil(width).max(1);
    let v = s.state().verdict(lang);
    // The verdict's own words, with room for its mark or its word.
    let head = rows(&format!("OK so far: {}", v.sentence));
    (head + rows(m.get(lang))).clamp(2, 4) as u16
}

pub fn draw(frame: &mut Frame, area: Rect, lang: Lang, s: &Session, theme: &Theme, t: &Strings) {
    let v = s.state().verdict(lang);
    let head = if s.lesson.pool.is_some() && s.mode != RunMode::Done {
        Span::styled(t.measuring, theme.fg(Color::Yellow))
    } else if v.deadlock.is_some() {
        Span::styled(v.sentence.clone(), theme.bad())
    } else if v.ok {
        let word = if v.finished { t.ok_final } else { t.ok_so_far };
        Span::styled(format!("{word}: {}", v.sentence), theme.good())
    } else {
        let at = v
            .broken_at
            .map(|s| format!("  ({})", broken_at(s, lang)))
            .unwrap_or_default();
        Span::styled(format!("✗ {}{at}", v.sentence), theme.bad())
    };
    let mut lines = vec![Line::from(head)];
    if let Some(m) = &s.message {
        lines.push(Line::styled(
            m.get(lang).to_string(),
            theme.fg(Color::Yellow),
        ));
    } else {
        if let Some(line) = steps_line(&s.schedule, usize::from(area.width), t) {
            lines.push(Line::styled(line, theme.dim()));
        }
    }
    // A long verdict (a deadlock naming everyone) wraps into the second line.
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), area);
}
