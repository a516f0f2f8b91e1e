//! The timeline widget: one row per process (or per few), to scale, with
//! phase marks above and a ticked time axis below.

use std::ops::Range;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::widgets::Widget;

use super::{Activity, PhaseMark, ProcSpan, Scale, plan_rows, style, width};

/// Timelines of processes on one axis from `from_ms` to `to_ms`: a row of
/// phase marks, a row per process (or per few, when they do not fit), then
/// the axis with ticks. Rows: `label │ cells │ note`.
pub struct Timeline<'a> {
    pub spans: &'a [ProcSpan],
    pub marks: &'a [PhaseMark],
    pub from_ms: f64,
    pub to_ms: f64,
    /// The time the axis counts from: its labels read 0 there.
    pub origin_ms: f64,
    pub color: bool,
}

impl Timeline<'_> {
    fn activity_style(&self, a: Activity) -> Style {
        match a {
            Activity::Running => style(self.color, Color::Green),
            Activity::Starting => style(self.color, Color::Yellow),
            Activity::Sleeping => style(self.color, Color::Blue),
            Activity::Waiting | Activity::Zombie => style(self.color, Color::DarkGray),
        }
    }

    fn row_label(&self, rows: &Range<usize>) -> String {
        let first = &self.spans[rows.start].label;
        if rows.len() == 1 {
            first.clone()
        } else {
            // `P1–34`: the shared prefix once.
            let last = &self.spans[rows.end - 1].label;
            let prefix: String = first.chars().take_while(|c| !c.is_ascii_digit()).collect();
            format!("{first}–{}", last.strip_prefix(&prefix).unwrap_or(last))
        }
    }

    fn row_note(&self, rows: &Range<usize>) -> String {
        let first = &self.spans[rows.start].note;
        if self.spans[rows.clone()].iter().all(|s| s.note == *first) {
            first.clone()
        } else {
            "…".into()
        }
    }
}

/// Where a timeline's parts go: the label column, the cells, the notes.
struct Columns {
    label_w: u16,
    note_w: u16,
    /// Cells of the time axis, starting at `x0`.
    cols: u16,
    x0: u16,
}

impl Timeline<'_> {
    /// The phase marks above the rows: `├─name─┤` per phase in the window.
    fn render_marks(&self, scale: &Scale, x0: u16, y: u16, buf: &mut Buffer) {
        // Each phase's columns in the window, in order.
        let cols: Vec<Option<(u16, u16)>> = self
            .marks
            .iter()
            .map(|m| {
                // A phase that only touches the window's edge is not in it.
                if m.to_ms <= scale.from_ms || m.from_ms >= scale.to_ms {
                    return None;
                }
                Some((
                    scale.col(m.from_ms.max(scale.from_ms))?,
                    scale.col(m.to_ms.min(scale.to_ms))?,
                ))
            })
            .collect();
        let mark = style(self.color, Color::Cyan);
        for (i, m) in self.marks.iter().enumerate() {
            let Some((a, b)) = cols[i] else { continue };
            if b < a + 2 {
                // Too narrow for brackets and a name: a tick.
                buf.set_string(x0 + a, y, "│", mark);
                continue;
            }
            for c in a..=b {
                let g = if c == a {
                    "├"
                } else if c == b {
                    "┤"
                } else {
                    "─"
                };
                buf.set_string(x0 + c, y, g, mark);
            }
            // The name goes inside the brackets, before the next phase
            // begins; one that does not fit whole is left out (a cut
            // name like `st` or `a` reads as another word).
            let next = cols[i + 1..].iter().flatten().map(|(na, _)| *na).min();
            let end = next.map_or(b, |na| na.min(b));
            let room = end.saturating_sub(a + 1);
            if width(&m.label) <= room {
                buf.set_string(x0 + a + 1, y, &m.label, mark.add_modifier(Modifier::BOLD));
            }
        }
    }

    /// One row of processes: its label, its cells, its note.
    fn render_row(
        &self,
        rows: &Range<usize>,
        at: &Columns,
        scale: &Scale,
        area: Rect,
        y: u16,
        buf: &mut Buffer,
    ) {
        buf.set_stringn(
            area.x,
            y,
            self.row_label(rows),
            (at.label_w - 1) as usize,
            Style::default().add_modifier(Modifier::BOLD),
        );
        for c in 0..at.cols {
            let (a, b) = scale.cell(c);
            let best = self.spans[rows.clone()]
                .iter()
                .filter_map(|s| s.cell(a, b))
                .max_by(|x, y| x.0.cmp(&y.0).then(x.1.total_cmp(&y.1)));
            if let Some((act, share)) = best {
                let glyph = act.glyph_for(share).to_string();
                buf.set_string(at.x0 + c, y, glyph, self.activity_style(act));
            }
        }
        if at.note_w > 0 {
            let dim = style(self.color, Color::DarkGray);
            buf.set_stringn(
                at.x0 + at.cols + 1,
                y,
                self.row_note(rows),
                (at.note_w - 1) as usize,
                dim,
            );
        }
    }

    /// The axis: a rule with a notch at each tick, then the tick labels.
    fn render_axis(&self, scale: &Scale, at: &Columns, area: Rect, buf: &mut Buffer) {
        let dim = style(self.color, Color::DarkGray);
        let y_axis = area.y + area.height - 2;
        const SPACING: u16 = 8;
        let ticks = scale.ticks(SPACING);
        for c in 0..at.cols {
            buf.set_string(at.x0 + c, y_axis, "─", dim);
        }
        let mut free_from = 0u16;
        for (c, label) in &ticks {
            buf.set_string(at.x0 + c, y_axis, "┴", dim);
            let w = width(label);
            let start = c.saturating_sub(w / 2).min(at.cols.saturating_sub(w));
            if start >= free_from {
                buf.set_string(at.x0 + start, y_axis + 1, label, dim);
                free_from = start + w + 1;
            }
        }
        buf.set_stringn(
            area.x,
            y_axis + 1,
            scale.unit(SPACING),
            (at.label_w - 1) as usize,
            dim,
        );
    }

    /// The label and note columns' widths for these rows.
    fn columns(&self, plan: &[Range<usize>], area: Rect) -> Columns {
        let label_w = plan
            .iter()
            .map(|r| width(&self.row_label(r)))
            .max()
            .unwrap_or(0)
            .clamp(2, 12)
            + 1;
        let note_w = plan
            .iter()
            .map(|r| width(&self.row_note(r)))
            .max()
            .unwrap_or(0)
            .min(10);
        let note_w = if note_w > 0 { note_w + 1 } else { 0 };
        Columns {
            label_w,
            note_w,
            cols: area.width.saturating_sub(label_w + note_w),
            x0: area.x + label_w,
        }
    }
}

impl Widget for &Timeline<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.width < 20 || area.height < 3 {
            return;
        }
        let marks_row = u16::from(!self.marks.is_empty());
        let rows_fit = area.height.saturating_sub(2 + marks_row) as usize;
        let groups: Vec<usize> = self.spans.iter().map(|s| s.group).collect();
        let plan = plan_rows(&groups, rows_fit);
        let at = self.columns(&plan, area);
        if at.cols < 8 {
            return;
        }
        let scale = Scale::new(self.from_ms, self.to_ms, at.cols).counting_from(self.origin_ms);
        let mut y = area.y;
        if marks_row == 1 {
            self.render_marks(&scale, at.x0, y, buf);
            y += 1;
        }
        for rows in &plan {
            self.render_row(rows, &at, &scale, area, y, buf);
            y += 1;
            if y >= area.y + area.height - 2 {
                break;
            }
        }
        self.render_axis(&scale, &at, area, buf);
    }
}
