//! What the processes printed, newest at the bottom.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Theme, block};
use crate::lesson::Lang;
use crate::model::ProcId;
use crate::tui::session::Session;
use crate::tui::text::Strings;

pub fn draw(frame: &mut Frame, area: Rect, lang: Lang, s: &Session, theme: &Theme, t: &Strings) {
    let height = area.height.saturating_sub(2) as usize;
    let out = &s.state().output;
    // One space after the P-number, the numbers right-aligned: ` P1 `, `P10 `.
    let wide = ProcId(s.state().procs.len().saturating_sub(1))
        .to_string()
        .len();
    let lines: Vec<Line> = out[out.len().saturating_sub(height)..]
        .iter()
        .map(|l| {
            Line::from(vec![
                Span::styled(
                    format!("{:>wide$} ", ProcId(l.proc).to_string()),
                    theme.proc(l.proc),
                ),
                Span::raw(l.text(lang).to_string()),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines).block(block(t.output)), area);
}
