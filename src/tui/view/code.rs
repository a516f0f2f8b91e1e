//! The lesson's Python, with a marker at each line saying who is about to
//! run it.

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

pub fn draw(frame: &mut Frame, area: Rect, app: &App, s: &Session, theme: &Theme, t: &Strings) {
    let selected = app.selected;
    let listing = s.lesson.listing_in(app.lang);
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
    let height = area.height.saturating_sub(2) as usize;
    // Centre the busiest marked line, unless that hides the selected
    // process's line: then centre that one.
    let busiest = (1..at_line.len())
        .rev()
        .max_by_key(|l| at_line[*l].len())
        .filter(|l| !at_line[*l].is_empty())
        .unwrap_or(1);
    let window = |focus: usize| {
        focus
            .saturating_sub(height / 2)
            .min(listing.len().saturating_sub(height))
    };
    let mut start = window(busiest);
    if let Some(l) = at_line.iter().position(|ps| ps.contains(&selected))
        && (l <= start || l > start + height)
    {
        start = window(l);
    }
    let lines: Vec<Line> = listing
        .iter()
        .enumerate()
        .skip(start)
        .take(height)
        .map(|(i, text)| {
            let here = &at_line[i + 1];
            let marker = match here.len() {
                0 => "      ".to_string(),
                1 => format!("{:>5}▶", ProcId(here[0]).to_string()),
                k => format!("{:>5}▶", format!("{k}×")),
            };
            let mstyle = here
                .first()
                .map_or(theme.dim(), |p| theme.proc(*p).add_modifier(Modifier::BOLD));
            Line::from(vec![
                Span::styled(marker, mstyle),
                Span::styled(format!("{:>3} ", i + 1), theme.dim()),
                Span::raw(text.clone()),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines).block(block(t.code)), area);
}
