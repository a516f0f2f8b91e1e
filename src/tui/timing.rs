//! Timing views, for any lesson with measured times: a timeline per process
//! (created, starting, running, waiting, exited) drawn to scale on one time
//! axis with tick labels, and bars of measured times with their numbers.
//!
//! Both are ratatui widgets drawn from plain data ([`ProcSpan`], [`PhaseMark`],
//! [`Bar`]) in milliseconds on one clock; they know nothing of pools.

use std::ops::Range;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::Widget;

/// What a process is doing during a stretch of time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Activity {
    /// Alive but waiting: for a task, a lock, a child to join.
    Waiting,
    /// Created, not yet ready: fork, exec, connecting.
    Starting,
    /// Doing its work.
    Running,
}

impl Activity {
    pub fn glyph(self) -> char {
        match self {
            Activity::Waiting => '─',
            Activity::Starting => '▒',
            Activity::Running => '█',
        }
    }
    /// The glyph for a cell where it takes `share` of the time: running for
    /// less than half the cell is a thin bar, so short tasks stay visible
    /// without looking like a busy process.
    pub fn glyph_for(self, share: f64) -> char {
        if self == Activity::Running && share < 0.5 {
            BRIEF
        } else {
            self.glyph()
        }
    }
}

/// A cell where a process ran for less than half the time.
pub const BRIEF: char = '┃';

#[derive(Debug, Clone, PartialEq)]
pub struct Stretch {
    pub from_ms: f64,
    pub to_ms: f64,
    pub activity: Activity,
}

/// One process's life on the time axis.
#[derive(Debug, Clone, PartialEq)]
pub struct ProcSpan {
    /// Short: `P3`, `W1`. Merged rows show `first–last`.
    pub label: String,
    /// Rows of different groups are never merged (e.g. pool workers and one-task processes).
    pub group: usize,
    pub created_ms: f64,
    /// `None`: still alive at the end of the axis.
    pub exited_ms: Option<f64>,
    /// What it does when no stretch says otherwise.
    pub otherwise: Activity,
    /// Stretches of a given activity, not overlapping each other.
    pub stretches: Vec<Stretch>,
    /// Shown right of the row, e.g. `exit 0`.
    pub note: String,
}

impl ProcSpan {
    /// The strongest activity during `[a, b)`, or `None` if not alive then.
    pub fn activity_in(&self, a: f64, b: f64) -> Option<Activity> {
        self.cell(a, b).map(|(act, _)| act)
    }

    /// The strongest activity during `[a, b)` and the share of `[a, b)` it
    /// takes (0 for an instant), or `None` if not alive then.
    pub fn cell(&self, a: f64, b: f64) -> Option<(Activity, f64)> {
        let alive_to = self.exited_ms.unwrap_or(f64::INFINITY);
        // A process shorter than one cell still gets its cell.
        let visible = self.created_ms < b && (alive_to > a || self.created_ms >= a);
        if !visible {
            return None;
        }
        let (x0, x1) = (a.max(self.created_ms), b.min(alive_to));
        let mut by = [0.0f64; 3];
        let mut seen = [false; 3];
        let mut covered = 0.0;
        for s in &self.stretches {
            let overlaps = s.from_ms < x1 && s.to_ms > x0;
            let instant = s.from_ms >= x0 && s.from_ms < x1;
            if overlaps || instant {
                let d = (s.to_ms.min(x1) - s.from_ms.max(x0)).max(0.0);
                by[s.activity as usize] += d;
                seen[s.activity as usize] = true;
                covered += d;
            }
        }
        let rest = (x1 - x0) - covered;
        if rest > (x1 - x0) * 0.001 || !seen.iter().any(|s| *s) {
            by[self.otherwise as usize] += rest.max(0.0);
            seen[self.otherwise as usize] = true;
        }
        let best = [Activity::Running, Activity::Starting, Activity::Waiting]
            .into_iter()
            .find(|a| seen[*a as usize])?;
        Some((best, by[best as usize] / (b - a).max(f64::MIN_POSITIVE)))
    }
}

/// A named stretch of the axis: a phase of the lesson.
#[derive(Debug, Clone, PartialEq)]
pub struct PhaseMark {
    pub label: String,
    pub from_ms: f64,
    pub to_ms: f64,
}

/// Milliseconds to columns, to scale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    pub from_ms: f64,
    pub to_ms: f64,
    pub cols: u16,
}

impl Scale {
    pub fn new(from_ms: f64, to_ms: f64, cols: u16) -> Scale {
        let to_ms = if to_ms > from_ms {
            to_ms
        } else {
            from_ms + 1.0
        };
        Scale {
            from_ms,
            to_ms,
            cols: cols.max(1),
        }
    }

    pub fn ms_per_col(&self) -> f64 {
        (self.to_ms - self.from_ms) / f64::from(self.cols)
    }

    /// The column showing time `ms`, if it is on the axis.
    pub fn col(&self, ms: f64) -> Option<u16> {
        if ms < self.from_ms || ms > self.to_ms {
            return None;
        }
        let c = ((ms - self.from_ms) / self.ms_per_col()).floor() as u16;
        Some(c.min(self.cols - 1))
    }

    /// The stretch of time column `c` covers.
    pub fn cell(&self, c: u16) -> (f64, f64) {
        let w = self.ms_per_col();
        let a = self.from_ms + f64::from(c) * w;
        (a, a + w)
    }

    /// Round tick times (steps of 1, 2 or 5 × 10ⁿ ms) at least `spacing`
    /// columns apart, with their columns and labels.
    pub fn ticks(&self, spacing: u16) -> Vec<(u16, String)> {
        let step = nice_step(self.ms_per_col() * f64::from(spacing.max(1)));
        let mut out = Vec::new();
        let mut k = (self.from_ms / step).ceil();
        while k * step <= self.to_ms + step * 1e-9 {
            let ms = k * step;
            if let Some(c) = self.col(ms.min(self.to_ms)) {
                out.push((c, tick_label(ms, step)));
            }
            k += 1.0;
        }
        out
    }

    /// The axis's unit: seconds for long axes, else milliseconds.
    pub fn unit(&self, spacing: u16) -> &'static str {
        if nice_step(self.ms_per_col() * f64::from(spacing.max(1))) >= 1000.0 {
            "s"
        } else {
            "ms"
        }
    }
}

/// The smallest of 1, 2, 5 × 10ⁿ that is at least `x` (x > 0).
pub fn nice_step(x: f64) -> f64 {
    if !x.is_finite() || x <= 0.0 {
        return 1.0;
    }
    let p = 10f64.powf(x.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * p)
        .find(|s| *s >= x * (1.0 - 1e-9))
        .unwrap_or(10.0 * p)
}

/// A tick's label: in seconds when the step is a second or more, with as
/// many decimals as the step needs.
pub fn tick_label(ms: f64, step: f64) -> String {
    let (v, step) = if step >= 1000.0 {
        (ms / 1000.0, step / 1000.0)
    } else {
        (ms, step)
    };
    let decimals = if step >= 1.0 {
        0
    } else {
        (-step.log10().floor()) as usize
    };
    format!("{v:.decimals$}")
}

/// Measured times as text: `5.1 ms`, `56 ms`, `3.02 s`.
pub fn format_ms(ms: f64) -> String {
    if ms >= 10_000.0 {
        format!("{:.1} s", ms / 1000.0)
    } else if ms >= 1000.0 {
        format!("{:.2} s", ms / 1000.0)
    } else if ms >= 100.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{ms:.1} ms")
    }
}

/// Which spans share each row when there are more spans than `rows`: the
/// largest group gives up rows first; groups never mix. Keeps order.
pub fn plan_rows(groups: &[usize], rows: usize) -> Vec<Range<usize>> {
    let mut sizes: Vec<(usize, usize)> = Vec::new(); // (group, count) in order
    for g in groups {
        match sizes.last_mut() {
            Some((last, n)) if last == g => *n += 1,
            _ => sizes.push((*g, 1)),
        }
    }
    let mut per_row = vec![1usize; sizes.len()];
    let needed = |per: &[usize]| -> usize {
        sizes
            .iter()
            .zip(per)
            .map(|((_, n), k)| n.div_ceil(*k))
            .sum()
    };
    let rows = rows.max(sizes.len().min(1));
    while needed(&per_row) > rows {
        // Merge more in the group that takes the most rows.
        let Some(i) = (0..sizes.len())
            .filter(|&i| per_row[i] < sizes[i].1)
            .max_by_key(|&i| sizes[i].1.div_ceil(per_row[i]))
        else {
            break;
        };
        per_row[i] += 1;
    }
    let mut out = Vec::new();
    let mut start = 0;
    for ((_, n), k) in sizes.iter().zip(&per_row) {
        let mut i = 0;
        while i < *n {
            let take = (*k).min(n - i);
            out.push(start + i..start + i + take);
            i += take;
        }
        start += n;
    }
    out
}

fn style(color: bool, c: Color) -> Style {
    if color {
        Style::default().fg(c)
    } else {
        Style::default()
    }
}

fn width(s: &str) -> u16 {
    Line::from(s).width() as u16
}

/// Timelines of processes on one axis from `from_ms` to `to_ms`: a row of
/// phase marks, a row per process (or per few, when they do not fit), then
/// the axis with ticks. Rows: `label │ cells │ note`.
pub struct Timeline<'a> {
    pub spans: &'a [ProcSpan],
    pub marks: &'a [PhaseMark],
    pub from_ms: f64,
    pub to_ms: f64,
    pub color: bool,
}

impl Timeline<'_> {
    fn activity_style(&self, a: Activity) -> Style {
        match a {
            Activity::Running => style(self.color, Color::Green),
            Activity::Starting => style(self.color, Color::Yellow),
            Activity::Waiting => style(self.color, Color::DarkGray),
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

impl Widget for &Timeline<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.width < 20 || area.height < 3 {
            return;
        }
        let marks_row = u16::from(!self.marks.is_empty());
        let rows_fit = area.height.saturating_sub(2 + marks_row) as usize;
        let groups: Vec<usize> = self.spans.iter().map(|s| s.group).collect();
        let plan = plan_rows(&groups, rows_fit);
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
        let cols = area.width.saturating_sub(label_w + note_w);
        if cols < 8 {
            return;
        }
        let scale = Scale::new(self.from_ms, self.to_ms, cols);
        let x0 = area.x + label_w;
        let dim = style(self.color, Color::DarkGray);
        let mut y = area.y;

        if marks_row == 1 {
            for m in self.marks {
                let (Some(a), Some(b)) = (
                    scale.col(m.from_ms.max(scale.from_ms)),
                    scale.col(m.to_ms.min(scale.to_ms)),
                ) else {
                    continue;
                };
                // A phase that only touches the window's edge is not in it.
                if m.to_ms <= scale.from_ms || m.from_ms >= scale.to_ms {
                    continue;
                }
                let w = b - a + 1;
                let mark = style(self.color, Color::Cyan);
                if w >= 3 {
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
                    buf.set_stringn(
                        x0 + a + 1,
                        y,
                        &m.label,
                        (w - 2) as usize,
                        mark.add_modifier(Modifier::BOLD),
                    );
                } else {
                    let bold = mark.add_modifier(Modifier::BOLD);
                    buf.set_stringn(x0 + a, y, &m.label, w as usize, bold);
                }
            }
            y += 1;
        }

        for rows in &plan {
            buf.set_stringn(
                area.x,
                y,
                self.row_label(rows),
                (label_w - 1) as usize,
                Style::default().add_modifier(Modifier::BOLD),
            );
            for c in 0..cols {
                let (a, b) = scale.cell(c);
                let best = self.spans[rows.clone()]
                    .iter()
                    .filter_map(|s| s.cell(a, b))
                    .max_by(|x, y| x.0.cmp(&y.0).then(x.1.total_cmp(&y.1)));
                if let Some((act, share)) = best {
                    let glyph = act.glyph_for(share).to_string();
                    buf.set_string(x0 + c, y, glyph, self.activity_style(act));
                }
            }
            if note_w > 0 {
                buf.set_stringn(
                    x0 + cols + 1,
                    y,
                    self.row_note(rows),
                    (note_w - 1) as usize,
                    dim,
                );
            }
            y += 1;
            if y >= area.y + area.height - 2 {
                break;
            }
        }

        // The axis: a rule with a notch at each tick, then the tick labels.
        let y_axis = area.y + area.height - 2;
        const SPACING: u16 = 8;
        let ticks = scale.ticks(SPACING);
        for c in 0..cols {
            buf.set_string(x0 + c, y_axis, "─", dim);
        }
        let mut free_from = 0u16;
        for (c, label) in &ticks {
            buf.set_string(x0 + c, y_axis, "┴", dim);
            let w = width(label);
            let start = c.saturating_sub(w / 2).min(cols.saturating_sub(w));
            if start >= free_from {
                buf.set_string(x0 + start, y_axis + 1, label, dim);
                free_from = start + w + 1;
            }
        }
        buf.set_stringn(
            area.x,
            y_axis + 1,
            scale.unit(SPACING),
            (label_w - 1) as usize,
            dim,
        );
    }
}

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

/// Which timing view a lesson's run screen shows, and how far it is zoomed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    #[default]
    Bars,
    Timeline,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TimingUi {
    pub view: View,
    /// 0: the whole run; k: the k-th phase mark only.
    pub zoom: usize,
}

impl TimingUi {
    pub fn toggle(&mut self) {
        self.view = match self.view {
            View::Bars => View::Timeline,
            View::Timeline => View::Bars,
        };
    }

    /// Step the zoom through "everything" and each of `marks` phases.
    pub fn zoom_by(&mut self, forward: bool, marks: usize) {
        let n = marks + 1;
        self.zoom = if forward {
            (self.zoom + 1) % n
        } else {
            (self.zoom + n - 1) % n
        };
    }

    /// The axis's range: everything, or the zoomed phase.
    pub fn window(&self, marks: &[PhaseMark], whole: (f64, f64)) -> (f64, f64, Option<usize>) {
        match self
            .zoom
            .checked_sub(1)
            .and_then(|i| marks.get(i).map(|m| (i, m)))
        {
            Some((i, m)) => (m.from_ms, m.to_ms.max(m.from_ms + 0.001), Some(i)),
            None => (whole.0, whole.1, None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_to_scale() {
        let s = Scale::new(0.0, 100.0, 50);
        assert_eq!(s.ms_per_col(), 2.0);
        assert_eq!(s.col(0.0), Some(0));
        assert_eq!(s.col(1.99), Some(0));
        assert_eq!(s.col(2.0), Some(1));
        assert_eq!(s.col(50.0), Some(25));
        assert_eq!(s.col(100.0), Some(49));
        assert_eq!(s.col(-0.1), None);
        assert_eq!(s.col(100.1), None);
        assert_eq!(s.cell(25), (50.0, 52.0));
        // A zoomed window starts elsewhere.
        let z = Scale::new(40.0, 60.0, 20);
        assert_eq!(z.col(45.5), Some(5));
        // An empty range still draws.
        assert_eq!(Scale::new(5.0, 5.0, 10).to_ms, 6.0);
    }

    #[test]
    fn ticks_are_round_and_spaced() {
        assert_eq!(nice_step(0.3), 0.5);
        assert_eq!(nice_step(7.0), 10.0);
        assert_eq!(nice_step(20.0), 20.0);
        assert_eq!(nice_step(21.0), 50.0);
        assert_eq!(nice_step(1200.0), 2000.0);
        let s = Scale::new(0.0, 100.0, 60);
        let t = s.ticks(8);
        // 8 columns are 13.3 ms: steps of 20 ms.
        let labels: Vec<&str> = t.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(labels, ["0", "20", "40", "60", "80", "100"]);
        assert_eq!(t[1].0, 12);
        assert!(t.windows(2).all(|w| w[1].0 - w[0].0 >= 8));
        assert_eq!(s.unit(8), "ms");
        let long = Scale::new(0.0, 6000.0, 60);
        let labels: Vec<String> = long.ticks(8).into_iter().map(|(_, l)| l).collect();
        assert_eq!(labels, ["0", "1", "2", "3", "4", "5", "6"]);
        assert_eq!(long.unit(8), "s");
        let fine = Scale::new(10.0, 11.0, 40);
        let labels: Vec<String> = fine.ticks(8).into_iter().map(|(_, l)| l).collect();
        assert_eq!(labels, ["10.0", "10.2", "10.4", "10.6", "10.8", "11.0"]);
    }

    #[test]
    fn measured_times_read_well() {
        assert_eq!(format_ms(5.123), "5.1 ms");
        assert_eq!(format_ms(56.4), "56.4 ms");
        assert_eq!(format_ms(156.4), "156 ms");
        assert_eq!(format_ms(3020.0), "3.02 s");
        assert_eq!(bar_text(8 * 3 + 4), "███▌");
        assert_eq!(bar_text(1), "▏");
    }

    fn span(group: usize) -> ProcSpan {
        ProcSpan {
            label: "P".into(),
            group,
            created_ms: 10.0,
            exited_ms: Some(50.0),
            otherwise: Activity::Waiting,
            stretches: vec![
                Stretch {
                    from_ms: 10.0,
                    to_ms: 12.0,
                    activity: Activity::Starting,
                },
                Stretch {
                    from_ms: 30.0,
                    to_ms: 30.01,
                    activity: Activity::Running,
                },
            ],
            note: String::new(),
        }
    }

    #[test]
    fn a_cell_shows_the_strongest_activity_in_it() {
        let s = span(0);
        assert_eq!(s.activity_in(0.0, 5.0), None);
        assert_eq!(s.activity_in(8.0, 11.0), Some(Activity::Starting));
        assert_eq!(s.activity_in(20.0, 25.0), Some(Activity::Waiting));
        // A task far shorter than the cell still shows.
        assert_eq!(s.activity_in(28.0, 33.0), Some(Activity::Running));
        let (act, share) = s.cell(28.0, 33.0).unwrap();
        assert_eq!(act.glyph_for(share), BRIEF);
        assert_eq!(s.cell(10.0, 11.0), Some((Activity::Starting, 1.0)));
        assert_eq!(Activity::Running.glyph_for(0.75), '█');
        assert_eq!(s.activity_in(50.0, 55.0), None);
        // A process that lived inside one cell gets it.
        let mut tiny = span(0);
        tiny.created_ms = 20.0;
        tiny.exited_ms = Some(20.5);
        tiny.stretches.clear();
        assert_eq!(tiny.activity_in(19.0, 21.0), Some(Activity::Waiting));
        tiny.otherwise = Activity::Running;
        assert_eq!(tiny.activity_in(19.0, 21.0), Some(Activity::Running));
    }

    #[test]
    fn rows_merge_within_groups_only() {
        let groups: Vec<usize> = std::iter::repeat_n(0, 4)
            .chain(std::iter::repeat_n(1, 100))
            .collect();
        // Room for all: one row each.
        assert_eq!(plan_rows(&groups, 200).len(), 104);
        // 13 rows: the 4 workers keep theirs, 100 processes share 9.
        let plan = plan_rows(&groups, 13);
        assert_eq!(plan.len(), 13);
        assert_eq!(plan[..4], [0..1, 1..2, 2..3, 3..4]);
        assert_eq!(plan[4], 4..16);
        assert_eq!(plan.last(), Some(&(100..104)));
        // Every span is on exactly one row, in order.
        let flat: Vec<usize> = plan.iter().flat_map(|r| r.clone()).collect();
        assert_eq!(flat, (0..104).collect::<Vec<_>>());
        // Fewer rows than groups: each group still gets one.
        assert_eq!(plan_rows(&groups, 1), vec![0..4, 4..104]);
    }

    #[test]
    fn zoom_cycles_through_the_phases() {
        let marks = vec![
            PhaseMark {
                label: "a".into(),
                from_ms: 0.0,
                to_ms: 5.0,
            },
            PhaseMark {
                label: "b".into(),
                from_ms: 5.0,
                to_ms: 9.0,
            },
        ];
        let mut ui = TimingUi::default();
        assert_eq!(ui.window(&marks, (0.0, 10.0)), (0.0, 10.0, None));
        ui.zoom_by(true, marks.len());
        assert_eq!(ui.window(&marks, (0.0, 10.0)), (0.0, 5.0, Some(0)));
        ui.zoom_by(false, marks.len());
        ui.zoom_by(false, marks.len());
        assert_eq!(ui.window(&marks, (0.0, 10.0)), (5.0, 9.0, Some(1)));
    }
}
