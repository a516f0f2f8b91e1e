//! The help overlay: every panel, column, state letter and key, as
//! paragraphs wrapped to the window and scrolled with ↑↓ when they do not fit.

pub use super::wrap::{ellipsize, wrap, wrap_flush};

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::app::App;

/// The help's lines at `width`, the progress file's real path filled in.
pub fn lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let progress = app.progress.path().map_or_else(
        || "~/.local/state/lockstep/progress.json".to_string(),
        |p| p.display().to_string(),
    );
    let mut out = Vec::new();
    for para in super::keys::help_paragraphs(app.lang, &progress) {
        for (i, l) in wrap(&para, width).into_iter().enumerate() {
            // A section's name (up to its colon) is bold on its first line.
            match (i, l.starts_with(' '), l.find(['：', ':'])) {
                (0, false, Some(at)) if at < 40 => {
                    let end = at + l[at..].chars().next().map_or(1, char::len_utf8);
                    out.push(Line::from(vec![
                        Span::styled(
                            l[..end].to_string(),
                            Style::default().add_modifier(Modifier::BOLD),
                        ),
                        Span::raw(l[end..].to_string()),
                    ]));
                }
                _ => out.push(Line::from(l)),
            }
        }
    }
    out
}

pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    let w = area.width.saturating_sub(4).min(100);
    let inner_w = usize::from(w.saturating_sub(2));
    let (help_title, lines) = match &app.screen {
        super::app::Screen::Run(s) if app.lesson_card => {
            let theme = super::view::Theme::new(app.color);
            let t = super::text::strings(app.lang);
            let lines = super::view::lesson_lines(app, &s.lesson, inner_w, &theme, t);
            (
                crate::words::screen::keys::lesson_card_title(app.lang),
                lines,
            )
        }
        _ => (
            crate::words::screen::keys::help_title(app.lang),
            lines(app, inner_w),
        ),
    };
    let h = (lines.len() as u16 + 2).min(area.height.saturating_sub(2));
    let r = Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height.saturating_sub(h)) / 2,
        width: w,
        height: h,
    };
    let visible = h.saturating_sub(2);
    let max = (lines.len() as u16).saturating_sub(visible);
    app.help_max.set(max);
    let top = app.help_scroll.min(max);
    let title = if max > 0 {
        format!(
            " {} ({}–{}/{}) ",
            help_title,
            top + 1,
            (top + visible).min(lines.len() as u16),
            lines.len()
        )
    } else {
        format!(" {help_title} ")
    };
    frame.render_widget(Clear, r);
    frame.render_widget(
        Paragraph::new(lines)
            .scroll((top, 0))
            .block(Block::default().borders(Borders::ALL).title(title)),
        r,
    );
}
