//! The lesson's Python, with a marker at each line saying who is about to
//! run it. A line too long for the panel wraps (its comment continues under
//! the comment) when the panel has the rows, and ends in `…` when not.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Theme, block};
use crate::model::Phase;
use crate::model::ProcId;
use crate::tui::app::App;
use crate::tui::session::Session;
use crate::tui::text::Strings;
use crate::tui::wrap::{ellipsize, wrap_hanging};

/// The marker (six columns) and the line number (four) before the code.
const GUTTER: usize = 10;
/// Rows the panel needs before a long line wraps rather than being cut.
const WRAP_ROWS: usize = 12;

/// Columns the code panel asks for: its longest line whole, with the
/// gutter and the borders.
pub fn wanted_width(listing: &[String]) -> u16 {
    let longest = listing
        .iter()
        .map(|l| Line::from(l.as_str()).width())
        .max()
        .unwrap_or(0);
    (longest + GUTTER + 2).min(usize::from(u16::MAX)) as u16
}

/// One listing line in rows of `width` columns: whole, wrapped, or cut.
fn rows_of(text: &str, width: usize, wraps: bool) -> Vec<String> {
    let whole = Line::from(text).width() <= width;
    if whole || text.trim().is_empty() {
        return vec![text.to_string()];
    }
    if !wraps {
        // Cut at the panel's edge, so the `…` is not read as code.
        let cut = ellipsize(text, width);
        let pad = width.saturating_sub(Line::from(cut.as_str()).width());
        let body = cut.strip_suffix('…').unwrap_or(&cut);
        return vec![format!("{body}{:pad$}…", "")];
    }
    let code = crate::lesson::statement(text);
    let indent = text.len() - text.trim_start().len();
    // A comment's words continue under the comment, if it starts early enough.
    let code_end = (code.as_ptr() as usize - text.as_ptr() as usize) + code.len();
    let comment_at = text
        .get(code_end..)
        .and_then(|rest| rest.find('#'))
        .map(|c| code_end + c)
        .filter(|at| !code.is_empty() && Line::from(&text[..*at]).width() + 16 <= width);
    let hang = match comment_at {
        Some(at) => Line::from(&text[..at]).width() + 2,
        None => indent + 4,
    };
    wrap_hanging(text, width.max(hang + 8), &" ".repeat(hang))
}

/// Which processes are about to run each line (1-based; 0 unused).
fn markers(s: &Session, listing: &[String]) -> Vec<Vec<usize>> {
    let mut at_line: Vec<Vec<usize>> = vec![Vec::new(); listing.len() + 1];
    for (i, p) in s.state().procs.iter().enumerate() {
        if p.ending.is_none()
            && p.phase != Phase::Finished
            && let Some(l) = crate::tui::tree::marker_line(p, listing)
            && (l as usize) < at_line.len()
        {
            at_line[l as usize].push(i);
        }
    }
    at_line
}

/// The first listing line (0-based) shown: the busiest marked line centred,
/// unless that hides the selected process's line (then that one); with
/// wrapped lines, late enough that the line in focus fits in `height` rows.
fn first_line(
    at_line: &[Vec<usize>],
    selected: usize,
    height: usize,
    rows: &dyn Fn(usize) -> usize,
) -> usize {
    let lines = at_line.len().saturating_sub(1);
    let busiest = (1..at_line.len())
        .rev()
        .max_by_key(|l| at_line[*l].len())
        .filter(|l| !at_line[*l].is_empty())
        .unwrap_or(1);
    let window = |focus: usize| {
        focus
            .saturating_sub(height / 2)
            .min(lines.saturating_sub(height))
    };
    let mut start = window(busiest);
    let chosen = at_line.iter().position(|ps| ps.contains(&selected));
    if let Some(l) = chosen
        && (l <= start || l > start + height)
    {
        start = window(l);
    }
    let focus = chosen.unwrap_or(busiest).clamp(1, lines.max(1));
    while start + 1 < focus && (start..focus).map(rows).sum::<usize>() >= height {
        start += 1;
    }
    start
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App, s: &Session, theme: &Theme, t: &Strings) {
    let listing = s.lesson.listing_in(app.lang);
    let at_line = markers(s, listing);
    let height = area.height.saturating_sub(2) as usize;
    let text_w = usize::from(area.width.saturating_sub(2)).saturating_sub(GUTTER);
    let wraps = height >= WRAP_ROWS;
    let rows = |i: usize| rows_of(&listing[i], text_w, wraps).len();
    let start = first_line(&at_line, app.selected, height, &rows);
    let mut lines: Vec<Line> = Vec::new();
    for (i, text) in listing.iter().enumerate().skip(start) {
        if lines.len() >= height {
            break;
        }
        let here = &at_line[i + 1];
        let marker = match here.len() {
            0 => "      ".to_string(),
            1 => format!("{:>5}▶", ProcId(here[0]).to_string()),
            k => format!("{:>5}▶", format!("{k}×")),
        };
        let mstyle = here
            .first()
            .map_or(theme.dim(), |p| theme.proc(*p).add_modifier(Modifier::BOLD));
        for (r, row) in rows_of(text, text_w, wraps).into_iter().enumerate() {
            lines.push(if r == 0 {
                Line::from(vec![
                    Span::styled(marker.clone(), mstyle),
                    Span::styled(format!("{:>3} ", i + 1), theme.dim()),
                    Span::raw(row),
                ])
            } else {
                Line::from(format!("{:GUTTER$}{row}", ""))
            });
        }
    }
    frame.render_widget(Paragraph::new(lines).block(block(t.code)), area);
}
