//! The timing view drawn: the timeline above, the measured bars and what
//! they say below, or that a stepped run measured nothing.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::{Clocked, Comparison, begin_ms, clocked, comparisons, end_ms, marks, spans};
use crate::model::ProcId;
use crate::tui::session::Session;
use crate::tui::text::Strings;
use crate::tui::timing::{Bar, BarKind, Bars, Timeline, format_ms};
use crate::words::screen::sentences::{self, real_time, whole_run};

/// The bars: per group, each process's sleep (if `each`), the sum, the time taken.
pub fn bars(cs: &[Comparison], t: &Strings, each: bool) -> Vec<Bar> {
    let mut out = Vec::new();
    for c in cs {
        if each && c.each.len() > 1 {
            for (p, m) in &c.each {
                out.push(Bar {
                    label: format!("{} {}", ProcId(*p), t.bar_sleep),
                    ms: *m,
                    kind: BarKind::Plain,
                });
            }
        }
        let g = c.group.label();
        out.push(Bar {
            label: format!("{g} {}", t.bar_sum),
            ms: c.sum_ms,
            kind: BarKind::Slow,
        });
        if let Some(took) = c.took_ms {
            out.push(Bar {
                label: format!("{g} {}", t.bar_took),
                ms: took,
                kind: if c.overlapped() == Some(true) {
                    BarKind::Fast
                } else {
                    BarKind::Slow
                },
            });
        }
    }
    out
}

/// The sentences under the bars: how the times were taken, then what each
/// comparison shows. Numbers keep their unit on their line.
pub fn facts(cs: &[Comparison], clocked: Clocked, speed: f64, t: &Strings) -> Vec<String> {
    let lang = t.lang;
    let num = |ms: f64| format_ms(ms).replace(' ', "\u{a0}");
    let mut out = vec![match clocked {
        Clocked::NoSleeps => t.no_sleeps.to_string(),
        Clocked::Stepped => t.stepped_times.to_string(),
        Clocked::Real => real_time(
            &trim(speed),
            &num(1000.0 / speed.max(f64::MIN_POSITIVE)),
            lang,
        ),
    }];
    if clocked == Clocked::Real {
        for c in cs {
            let Some(took) = c.took_ms else { continue };
            let overlapped = c.overlapped() == Some(true);
            out.push(sentences::took(
                &c.group.label(),
                &num(took),
                &num(c.sum_ms),
                overlapped,
                lang,
            ));
        }
        if !cs.is_empty() {
            out.push(t.bars_legend.to_string());
        }
    }
    out
}

fn trim(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn block(title: String) -> Block<'static> {
    Block::default()
        .borders(Borders::ALL)
        .title(format!(" {title} "))
}

fn dim(color: bool) -> Style {
    if color {
        Style::default().fg(Color::DarkGray)
    } else {
        Style::default()
    }
}

/// Draw the timing view into `area` (the run screen's top: lanes and resources).
pub fn draw(frame: &mut Frame, area: Rect, s: &Session, t: &Strings, color: bool) {
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)]).areas(area);
    let state = &s.state();
    let now = s.elapsed();
    let marks = marks(state);
    let spans = spans(state, now);
    let whole = (begin_ms(state), end_ms(state, now));
    let (from, to, zoomed) = s.timing.window(&marks, whole);
    let range = match zoomed {
        Some(i) => format!("{} {}", marks[i].label, format_ms(to - from)),
        None => {
            let paused = s.paused_for().as_secs_f64() * 1000.0;
            let paused = (paused >= 10.0).then(|| format_ms(paused));
            whole_run(&format_ms(whole.1 - whole.0), paused.as_deref(), t.lang)
        }
    };
    let b = block(format!("{} · {range}", t.timeline)).title_bottom(Line::styled(
        format!(" {} · {} ", t.lanes_legend, t.lanes_timing_keys),
        dim(color),
    ));
    let inner = b.inner(left);
    frame.render_widget(b, left);
    frame.render_widget(
        &Timeline {
            spans: &spans,
            marks: &marks,
            from_ms: from,
            to_ms: to,
            origin_ms: whole.0,
            color,
        },
        inner,
    );

    let b = block(t.timing.to_string());
    let inner = b.inner(right);
    frame.render_widget(b, right);
    let cs = comparisons(state, now);
    let clocked = clocked(state);
    let facts: Vec<Line> = facts(&cs, clocked, s.speed, t)
        .into_iter()
        .map(Line::from)
        .collect();
    let bars = if clocked == Clocked::Real {
        let all = bars(&cs, t, true);
        // Each process's own sleep only when there is room for the sentences too.
        if all.len() as u16 + 3 <= inner.height {
            all
        } else {
            bars(&cs, t, false)
        }
    } else {
        Vec::new()
    };
    let n = bars.len() as u16;
    let gap = u16::from(n > 0 && inner.height > n + 1);
    let [bars_area, _, facts_area] = Layout::vertical([
        Constraint::Length(n),
        Constraint::Length(gap),
        Constraint::Min(0),
    ])
    .areas(inner);
    frame.render_widget(&Bars { bars: &bars, color }, bars_area);
    frame.render_widget(Paragraph::new(facts).wrap(Wrap { trim: true }), facts_area);
}
