//! The lesson list: each lesson with its summary and challenges won, and
//! the highlighted one's story, what to try and its goals.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph, Wrap};

use super::{Theme, block};
use crate::lesson::Lesson;
use crate::tui::app::App;
use crate::tui::help::{ellipsize, wrap_flush};
use crate::tui::keys;
use crate::tui::text::Strings;

pub fn draw(frame: &mut Frame, app: &App, theme: &Theme, t: &Strings) {
    let [body, footer] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(frame.area());
    // Wide screens give the list more room for its summaries.
    let list_share = if body.width >= 120 { 52 } else { 45 };
    let [list_area, preview] = Layout::horizontal([
        Constraint::Percentage(list_share),
        Constraint::Percentage(100 - list_share),
    ])
    .areas(body);
    draw_list(frame, list_area, app, theme, t);
    if let Some(l) = app.lessons.get(app.picked) {
        draw_story(frame, preview, app, l, theme, t);
    }
    let keys = match app.picker_digit {
        Some(d) => crate::words::screen::keys::second_digit(d, app.lessons.len(), app.lang),
        None => keys::picker_hint_line(app.lang, app.lessons.len(), usize::from(footer.width)),
    };
    frame.render_widget(Paragraph::new(keys).style(theme.dim()), footer);
}

/// The highlighted lesson's story, scrolled with PgUp/PgDn when it does
/// not fit; the title says which lines show.
fn draw_story(frame: &mut Frame, area: Rect, app: &App, l: &Lesson, theme: &Theme, t: &Strings) {
    let width = usize::from(area.width.saturating_sub(2));
    let lines = preview_lines(app, l, width, theme, t);
    let visible = area.height.saturating_sub(2);
    let max = (lines.len() as u16).saturating_sub(visible);
    app.story_max.set(max);
    let top = app.story_scroll.min(max);
    let title = if max > 0 {
        let last = (top + visible).min(lines.len() as u16);
        format!("{} ({}–{last}/{}) PgUp/PgDn", t.story, top + 1, lines.len())
    } else {
        t.story.to_string()
    };
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((top, 0))
            .block(block(&title)),
        area,
    );
}

/// The lessons, each with its number, title, goals won, id and summary.
fn draw_list(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, t: &Strings) {
    let lang = app.lang;
    // Summaries take two lines when every lesson still fits; a cut line ends in `…`.
    let summary_w = usize::from(area.width.saturating_sub(4)).max(8);
    let summary_rows = if usize::from(area.height.saturating_sub(2)) >= app.lessons.len() * 3 {
        2
    } else {
        1
    };
    let items: Vec<ListItem> = app
        .lessons
        .iter()
        .enumerate()
        .map(|(i, l)| {
            // The id is what `lockstep ID` takes: the title is cut first.
            let number = format!("{} ", i + 1);
            let (won, id) = (goals_won(app, l), format!("  {}", l.id));
            let fixed = [&number, &won, &id].map(|t| Line::from(t.as_str()).width());
            let room = usize::from(area.width.saturating_sub(2)).saturating_sub(fixed.iter().sum());
            let mut lines = vec![Line::from(vec![
                Span::styled(number, theme.dim()),
                Span::styled(
                    ellipsize(l.title.get(lang), room.max(6)),
                    Style::default().add_modifier(Modifier::BOLD),
                ),
                Span::styled(won, theme.fg(Color::Yellow)),
                Span::styled(id, theme.dim()),
            ])];
            for text in summary(l.summary.get(lang), summary_w, summary_rows) {
                lines.push(Line::from(format!("  {text}")));
            }
            ListItem::new(lines)
        })
        .collect();
    let mut state = ListState::default().with_selected(Some(app.picked));
    frame.render_stateful_widget(
        List::new(items)
            .block(block(&format!("lockstep · {}", t.lessons)))
            .highlight_style(theme.selected()),
        area,
        &mut state,
    );
}

/// A lesson's summary wrapped to `width` in at most `rows` lines, the last
/// one cut with `…` when the rest does not fit.
fn summary(text: &str, width: usize, rows: usize) -> Vec<String> {
    let wrapped = wrap_flush(text, width);
    let shown = wrapped.len().min(rows);
    let mut out = Vec::new();
    for (k, line) in wrapped.iter().take(shown).enumerate() {
        if k + 1 == shown && wrapped.len() > shown {
            // The rest does not fit: cut what is left of the summary.
            let mut rest = String::new();
            let from = if k == 0 {
                rest.push_str(text);
                wrapped.len()
            } else {
                k
            };
            for part in &wrapped[from..] {
                // Lines broken at a space get it back; CJK breaks had none.
                if rest.ends_with(|c: char| c.is_ascii()) {
                    rest.push(' ');
                }
                rest.push_str(part);
            }
            out.push(ellipsize(&rest, width));
        } else {
            out.push(line.clone());
        }
    }
    out
}

/// The highlighted lesson (its lines, from `lesson_lines`) and the error
/// of a lesson that failed to start.
fn preview_lines(
    app: &App,
    l: &Lesson,
    width: usize,
    theme: &Theme,
    t: &Strings,
) -> Vec<Line<'static>> {
    let mut lines = lesson_lines(app, l, width, theme, t);
    if let Some(e) = &app.error {
        lines.push(Line::default());
        lines.push(Line::styled(e.clone(), theme.bad()));
    }
    lines
}

/// A lesson's title, story, what to try and its goals (✓ won), wrapped
/// to `width`: the picker's preview, and the run screen's `i`.
pub fn lesson_lines(
    app: &App,
    l: &Lesson,
    width: usize,
    theme: &Theme,
    t: &Strings,
) -> Vec<Line<'static>> {
    let lang = app.lang;
    let mut lines = vec![Line::styled(
        l.title.get(lang).to_string(),
        Style::default().add_modifier(Modifier::BOLD),
    )];
    // Wrapped here, not by the paragraph: ratatui wraps only at spaces,
    // which moves a whole run of Chinese to the next line.
    let para = |text: &str| -> Vec<Line<'static>> {
        wrap_flush(text, width)
            .into_iter()
            .map(Line::from)
            .collect()
    };
    // The summary whole (the list cuts it), then the story.
    let summary = wrap_flush(l.summary.get(lang), width);
    lines.extend(summary.into_iter().map(|s| Line::styled(s, theme.dim())));
    lines.push(Line::default());
    lines.extend(para(l.story.get(lang)));
    if let Some(tr) = &l.try_this {
        lines.push(Line::default());
        lines.push(Line::styled(t.try_this.to_string(), theme.good()));
        lines.extend(para(tr.get(lang)));
    }
    if !l.goals.is_empty() {
        lines.push(Line::default());
        lines.push(Line::styled(t.goal.to_string(), theme.good()));
        for g in &l.goals {
            let mark = if app.progress.progress.has_won(&l.id, &g.id) {
                "✓"
            } else {
                "★"
            };
            lines.extend(para(&format!("{mark} {}", g.text.get(lang))));
        }
    }
    lines
}

/// "  ★ 1/2" after a lesson with challenges: how many the learner has won.
fn goals_won(app: &App, l: &Lesson) -> String {
    if l.goals.is_empty() {
        return String::new();
    }
    let won = l
        .goals
        .iter()
        .filter(|g| app.progress.progress.has_won(&l.id, &g.id))
        .count();
    format!("  ★ {won}/{}", l.goals.len())
}
