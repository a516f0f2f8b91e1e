//! The challenge line under the verdict: the goal being worked on, whether it
//! was won (now or before), and the hints asked for so far.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::app::App;
use super::keys::{Bar, bare_hint_line, hint_line};
use super::session::Session;
use super::text::Strings;

/// The goal line and the newest hint (older ones were read already).
fn lines(app: &App, s: &Session, color: bool, t: &Strings, width: u16) -> Vec<Line<'static>> {
    let goals = &s.lesson.goals;
    let Some(goal) = goals.get(s.pursuit.goal) else {
        return Vec::new();
    };
    let fg = |c: Color| {
        if color {
            Style::default().fg(c)
        } else {
            Style::default()
        }
    };
    let text = goal.text.get(app.lang).to_string();
    let mut lines = Vec::new();
    if s.pursuit.won_now {
        let style = fg(Color::Green).add_modifier(Modifier::BOLD | Modifier::REVERSED);
        let goal = Span::styled(
            format!(" {text}"),
            fg(Color::Green).add_modifier(Modifier::BOLD),
        );
        // The cheer is shortened to a star when the goal would wrap.
        let cheer = Span::styled(format!("★ {} ", cheer(app, t)), style);
        let cheer = if cheer.width() + goal.width() <= usize::from(width) {
            cheer
        } else {
            Span::styled("★", style)
        };
        let mut line = Line::from(vec![cheer, goal]);
        if goals.len() > 1 {
            // The key goes at the end when it fits; short, or not at all, otherwise.
            let lang = app.lang;
            for keys in [
                hint_line(Bar::GoalWon, lang, |_| true),
                bare_hint_line(Bar::GoalWon),
            ] {
                let span = Span::styled(format!("  · {keys}"), fg(Color::DarkGray));
                if line.width() + span.width() <= usize::from(width) {
                    line.push_span(span);
                    break;
                }
            }
        }
        lines.push(line);
        return lines;
    }
    let won_before = app.progress.progress.has_won(&s.lesson.id, &goal.id);
    let mark = if won_before { "✓" } else { "★" };
    let count = format!("{} {}/{}", t.goal, s.pursuit.goal + 1, goals.len());
    let mut line = Line::from(vec![
        Span::styled(
            format!("{mark} {count}: "),
            fg(Color::Yellow).add_modifier(Modifier::BOLD),
        ),
        Span::raw(text),
    ]);
    // The keys go at the end when they fit; short, or not at all, otherwise.
    for keys in [
        hint_line(Bar::Goal, app.lang, |_| true),
        bare_hint_line(Bar::Goal),
    ] {
        let span = Span::styled(format!("  · {keys}"), fg(Color::DarkGray));
        if line.width() + span.width() <= usize::from(width) {
            line.push_span(span);
            break;
        }
    }
    lines.push(line);
    let shown = s.pursuit.shown_hints(goals, app.lang);
    if let Some(hint) = shown.last() {
        lines.push(Line::from(vec![
            Span::styled(format!("{} {}: ", t.hint, shown.len()), fg(Color::Cyan)),
            Span::raw(hint.to_string()),
        ]));
    }
    lines
}

/// Rows the goal block needs at `width`: none without goals, else its lines
/// wrapped, at most four rows.
pub fn height(app: &App, s: &Session, width: u16) -> u16 {
    let t = super::text::strings(app.lang);
    let w = usize::from(width.max(20));
    let rows: usize = lines(app, s, false, t, width)
        .iter()
        .map(|l| l.width().div_ceil(w).max(1))
        .sum();
    rows.min(4) as u16
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App, s: &Session, color: bool, t: &Strings) {
    if area.height == 0 {
        return;
    }
    let lines = lines(app, s, color, t, area.width);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}

/// The cheer for a win; one the progress file did not take says so as
/// long as it is shown.
fn cheer(app: &App, t: &Strings) -> &'static str {
    match app.progress.unsaved {
        Some(_) => t.goal_won_unsaved,
        None => t.goal_won,
    }
}
