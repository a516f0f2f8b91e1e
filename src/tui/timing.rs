//! Timing views, for any lesson with measured times: a timeline per process
//! (created, starting, running, waiting, exited) drawn to scale on one time
//! axis with tick labels, and bars of measured times with their numbers.
//!
//! Both are ratatui widgets drawn from plain data ([`ProcSpan`], [`PhaseMark`],
//! [`Bar`]) in milliseconds on one clock; they know nothing of pools.

use std::ops::Range;

use ratatui::style::{Color, Style};
use ratatui::text::Line;

mod bars;
mod timeline;

pub use bars::{Bar, BarKind, Bars, bar_text};
pub use timeline::Timeline;

/// What a process is doing during a stretch of time; later variants win a
/// cell they share with earlier ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Activity {
    /// Exited, not yet reaped by its parent.
    Zombie,
    /// Alive but waiting: for a task, a lock, a child to join.
    Waiting,
    /// In a `sleep`: time passes, nothing else happens.
    Sleeping,
    /// Created, not yet ready: fork, exec, connecting.
    Starting,
    /// Doing its work.
    Running,
}

impl Activity {
    const ALL: [Activity; 5] = [
        Activity::Zombie,
        Activity::Waiting,
        Activity::Sleeping,
        Activity::Starting,
        Activity::Running,
    ];

    pub fn glyph(self) -> char {
        match self {
            Activity::Zombie => '┄',
            Activity::Waiting => '─',
            Activity::Sleeping => '░',
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
        let mut by = [0.0f64; Activity::ALL.len()];
        let mut seen = [false; Activity::ALL.len()];
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
        let best = Activity::ALL
            .into_iter()
            .rev()
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
    /// The time the axis labels count from (its 0).
    pub origin_ms: f64,
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
            origin_ms: 0.0,
        }
    }

    /// The same axis with its labels counting from `origin_ms`.
    pub fn counting_from(self, origin_ms: f64) -> Scale {
        Scale { origin_ms, ..self }
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
        let o = self.origin_ms;
        let mut k = ((self.from_ms - o) / step).ceil();
        while o + k * step <= self.to_ms + step * 1e-9 {
            let ms = o + k * step;
            if let Some(c) = self.col(ms.min(self.to_ms)) {
                out.push((c, tick_label(k * step, step)));
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
pub(crate) fn style(color: bool, c: Color) -> Style {
    if color {
        Style::default().fg(c)
    } else {
        Style::default()
    }
}

pub(crate) fn width(s: &str) -> u16 {
    Line::from(s).width() as u16
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
    /// A lesson drawn in lanes: the timing view is shown instead of the lanes.
    pub shown: bool,
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
mod tests;
