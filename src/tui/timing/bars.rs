//! The bar chart widget: one measured time per row, with its number.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::widgets::Widget;

use super::{format_ms, style, width};

/// How a bar is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BarKind {
    /// The side that wins the comparison.
    Fast,
    /// The side that loses it.
    Slow,
    /// Context (a pool's start, its close and join).
    Plain,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub ms: f64,
    pub kind: BarKind,
}

/// One row per bar: `label  5.1 ms ████▌`, bars to scale against the longest.
pub struct Bars<'a> {
    pub bars: &'a [Bar],
    pub color: bool,
}

/// A bar of `len` eighths of a cell: full blocks, then one partial block.
pub fn bar_text(eighths: usize) -> String {
    const PART: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
    let mut s = "█".repeat(eighths / 8);
    s.push_str(PART[eighths % 8]);
    s
}

impl Widget for &Bars<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let label_w = self
            .bars
            .iter()
            .map(|b| width(&b.label))
            .max()
            .unwrap_or(0)
            .min(area.width / 3)
            + 1;
        let values: Vec<String> = self.bars.iter().map(|b| format_ms(b.ms)).collect();
        let value_w = values.iter().map(|v| width(v)).max().unwrap_or(0) + 1;
        let bar_w = area.width.saturating_sub(label_w + value_w);
        let longest = self.bars.iter().map(|b| b.ms).fold(0.0, f64::max);
        for (i, (b, v)) in self.bars.iter().zip(&values).enumerate() {
            let y = area.y + i as u16;
            if y >= area.y + area.height {
                break;
            }
            buf.set_stringn(
                area.x,
                y,
                &b.label,
                (label_w - 1) as usize,
                Style::default(),
            );
            let vx = area.x + label_w + value_w - 1 - width(v);
            buf.set_string(vx, y, v, Style::default().add_modifier(Modifier::BOLD));
            let eighths = if longest > 0.0 && b.ms > 0.0 {
                ((b.ms / longest) * f64::from(bar_w) * 8.0).round().max(1.0) as usize
            } else {
                0
            };
            let st = match b.kind {
                BarKind::Fast => style(self.color, Color::Green),
                BarKind::Slow => style(self.color, Color::Red),
                BarKind::Plain => style(self.color, Color::DarkGray),
            };
            buf.set_stringn(
                area.x + label_w + value_w,
                y,
                bar_text(eighths),
                bar_w as usize,
                st,
            );
        }
    }
}
