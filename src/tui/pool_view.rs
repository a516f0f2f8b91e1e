//! The pool lesson's run screen: each phase's measured time as a bar, which
//! worker ran what, where the callbacks ran, how the workers ended; and (key
//! `v`) a timeline of every process of the lesson, to scale.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::session::Session;
use super::text::Strings;
use super::timing::{
    Activity, Bar, BarKind, Bars, PhaseMark, ProcSpan, Stretch, Timeline, View, format_ms,
};
use crate::lesson::{Lang, PoolPhase};
use crate::model::ProcId;
use crate::pool::phase_label;
use crate::pool::{PoolProcess, PoolRun};
use crate::words::report::pool::worker_tasks;

/// Where the run screen puts things.
pub struct Areas {
    /// The upper half (bars and workers).
    pub top: Rect,
    /// The output panel.
    pub output: Rect,
    /// Everything between header and verdict (the timeline takes it all).
    pub middle: Rect,
}

fn block(title: String) -> Block<'static> {
    Block::default()
        .borders(Borders::ALL)
        .title(format!(" {title} "))
}

fn fg(color: bool, c: Color) -> Style {
    if color {
        Style::default().fg(c)
    } else {
        Style::default()
    }
}

fn note(p: &PoolProcess) -> String {
    match p.ending {
        Some(e) => format!("exit {}", e.exitcode()),
        None => String::new(),
    }
}

fn span(p: &PoolProcess, label: String, group: usize) -> ProcSpan {
    let mut stretches = Vec::new();
    if let Some(ready) = p.ready_ms {
        stretches.push(Stretch {
            from_ms: p.started_ms,
            to_ms: ready,
            activity: Activity::Starting,
        });
    }
    stretches.extend(p.busy.iter().map(|b| Stretch {
        from_ms: b.from_ms,
        to_ms: b.to_ms,
        activity: Activity::Running,
    }));
    ProcSpan {
        label,
        group,
        created_ms: p.started_ms,
        exited_ms: p.ending.map(|_| p.ended_ms),
        otherwise: Activity::Waiting,
        stretches,
        note: note(p),
    }
}

/// Every process of the lesson: the pool's workers W1…, then P1… of the
/// one-process-per-task phase.
pub fn spans(r: &PoolRun) -> Vec<ProcSpan> {
    let workers = r.pool.iter().map(|p| span(p, format!("W{}", p.id), 0));
    let separate = r
        .separate
        .iter()
        .map(|p| span(p, ProcId::from_number(p.id).to_string(), 1));
    workers.chain(separate).collect()
}

/// The pool's start, each phase, and the pool's close and join, in time order.
pub fn marks(r: &PoolRun, t: &Strings) -> Vec<PhaseMark> {
    let mut out: Vec<PhaseMark> = r
        .phases
        .iter()
        .map(|p| PhaseMark {
            label: match p.name {
                PoolPhase::Processes => t.mark_processes.to_string(),
                other => other.name().to_string(),
            },
            from_ms: p.from_ms,
            to_ms: p.to_ms,
        })
        .collect();
    if !r.pool.is_empty() {
        out.push(PhaseMark {
            label: t.pool_start.to_string(),
            from_ms: r.start.from_ms,
            to_ms: r.start.to_ms,
        });
        out.push(PhaseMark {
            label: "close+join".to_string(),
            from_ms: r.close_join.from_ms,
            to_ms: r.close_join.to_ms,
        });
    }
    out.sort_by(|a, b| a.from_ms.total_cmp(&b.from_ms));
    out
}

/// One bar per measured stretch, in the order they ran.
pub fn bars(r: &PoolRun, lang: Lang, t: &Strings) -> Vec<Bar> {
    let mut out: Vec<(f64, Bar)> = r
        .phases
        .iter()
        .map(|p| {
            let kind = if p.name == PoolPhase::Processes {
                BarKind::Slow
            } else {
                BarKind::Fast
            };
            let label = phase_label(r, p.name, lang);
            (
                p.from_ms,
                Bar {
                    label,
                    ms: p.ms,
                    kind,
                },
            )
        })
        .collect();
    if !r.pool.is_empty() {
        for (label, seg) in [
            (format!("{}({})", t.pool_start_bar, r.workers), r.start),
            ("close()+join()".to_string(), r.close_join),
        ] {
            out.push((
                seg.from_ms,
                Bar {
                    label,
                    ms: seg.ms,
                    kind: BarKind::Plain,
                },
            ));
        }
    }
    out.sort_by(|a, b| a.0.total_cmp(&b.0));
    out.into_iter().map(|(_, b)| b).collect()
}

/// Lines under the bars: workers and their share, callbacks, exit codes.
fn facts(r: &PoolRun, t: &Strings, color: bool) -> Vec<Line<'static>> {
    let good = fg(color, Color::Green).add_modifier(Modifier::BOLD);
    let bad = fg(color, Color::Red).add_modifier(Modifier::BOLD);
    let mut lines = Vec::new();
    if let Some(c) = r.callbacks.first() {
        let same = r.callbacks.iter().all(|c| c.pid == r.parent_pid);
        lines.push(Line::from(vec![
            Span::raw(format!(
                "{} ×{}: pid {} ",
                t.callback,
                r.callbacks.len(),
                c.pid
            )),
            if same {
                Span::styled(format!("= {} {}", t.parent_pid, r.parent_pid), good)
            } else {
                Span::styled(format!("≠ {} {}", t.parent_pid, r.parent_pid), bad)
            },
        ]));
    }
    if !r.pool.is_empty() {
        let codes: Vec<String> = r.pool.iter().map(note).collect();
        let all_zero = r
            .pool
            .iter()
            .all(|p| p.ending.is_some_and(|e| e.exitcode() == 0));
        lines.push(Line::from(vec![
            Span::raw("close() + join(): "),
            Span::styled(codes.join(", "), if all_zero { good } else { bad }),
        ]));
    }
    // The headline phase's tasks, as `lockstep run pool` counts them.
    if let Some(h) = r.headline().filter(|_| !r.pool.is_empty()) {
        let phase = phase_label(r, h.name, t.lang);
        let mut spans = vec![Span::raw(format!("{} ", worker_tasks(&phase, t.lang)))];
        for w in &r.pool {
            let n = h.tasks.iter().filter(|x| x.pid == w.pid).count();
            spans.push(Span::styled(
                format!("W{} {}", w.id, w.pid),
                Style::default().add_modifier(Modifier::BOLD),
            ));
            spans.push(Span::raw(format!(" ×{n}  ")));
        }
        lines.push(Line::from(spans));
    }
    if let Some(m) = r.phase(PoolPhase::Map) {
        let ordered = m
            .tasks
            .iter()
            .enumerate()
            .all(|(i, x)| x.task as usize == i);
        let first: Vec<String> = m
            .tasks
            .iter()
            .take(4)
            .map(|x| x.result.to_string())
            .collect();
        lines.push(Line::from(format!(
            "map → [{}, …] {}",
            first.join(", "),
            if ordered { t.in_task_order } else { "?" }
        )));
    }
    if !r.separate.is_empty() {
        let mut pids: Vec<u32> = r.separate.iter().map(|p| p.pid).collect();
        pids.sort_unstable();
        pids.dedup();
        lines.push(Line::from(format!("{}: {}", t.separate_pids, pids.len())));
    }
    lines
}

fn draw_bars(frame: &mut Frame, area: Rect, lang: Lang, r: &PoolRun, t: &Strings, color: bool) {
    let b = block(t.timing.to_string());
    let inner = b.inner(area);
    frame.render_widget(b, area);
    let bars = bars(r, lang, t);
    let facts = facts(r, t, color);
    let (n_bars, n_facts) = (bars.len() as u16, facts.len() as u16);
    let gap = u16::from(inner.height > n_bars + n_facts);
    let [bars_area, _, facts_area, _, rest] = Layout::vertical([
        Constraint::Length(n_bars),
        Constraint::Length(gap),
        Constraint::Length(n_facts),
        Constraint::Length(gap),
        Constraint::Min(0),
    ])
    .areas(inner);
    frame.render_widget(&Bars { bars: &bars, color }, bars_area);
    frame.render_widget(Paragraph::new(facts), facts_area);
    // A large screen has room for the timeline under the bars too.
    if rest.height >= 8 {
        let marks = marks(r, t);
        let spans = spans(r);
        let [head, body] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(rest);
        frame.render_widget(
            Paragraph::new(Line::styled(
                format!(
                    "{} · {} · {}",
                    t.timeline, t.timeline_legend, t.timeline_more
                ),
                fg(color, Color::DarkGray),
            )),
            head,
        );
        frame.render_widget(
            &Timeline {
                spans: &spans,
                marks: &marks,
                from_ms: 0.0,
                to_ms: r.total_ms,
                origin_ms: 0.0,
                color,
            },
            body,
        );
    }
}

fn draw_timeline(
    frame: &mut Frame,
    area: Rect,
    r: &PoolRun,
    s: &Session,
    t: &Strings,
    color: bool,
) {
    let marks = marks(r, t);
    let spans = spans(r);
    let (from, to, zoomed) = s.timing.window(&marks, (0.0, r.total_ms));
    let range = match zoomed {
        Some(i) => format!(
            "{} {}",
            marks[i].label,
            format_ms(marks[i].to_ms - marks[i].from_ms)
        ),
        None => crate::words::screen::sentences::whole_run(&format_ms(r.total_ms), None, t.lang),
    };
    let b = block(format!("{} · {range}", t.timeline)).title_bottom(Line::styled(
        format!(" {} · {} ", t.timeline_legend, t.timeline_keys),
        fg(color, Color::DarkGray),
    ));
    let inner = b.inner(area);
    frame.render_widget(b, area);
    frame.render_widget(
        &Timeline {
            spans: &spans,
            marks: &marks,
            from_ms: from,
            to_ms: to,
            origin_ms: 0.0,
            color,
        },
        inner,
    );
}

/// What the output panel shows for the pool lesson: the callbacks as they
/// ran in the parent, latest last.
fn draw_output(frame: &mut Frame, area: Rect, r: &PoolRun, t: &Strings, color: bool) {
    let height = area.height.saturating_sub(2) as usize;
    let mut lines: Vec<Line> = r
        .callbacks
        .iter()
        .map(|c| {
            Line::from(vec![
                Span::styled(
                    format!("{:<11}", format!("f({}) = {}", c.task, c.result)),
                    fg(color, Color::Cyan),
                ),
                Span::raw(format!(" pid {}  {:.1} ms", c.pid, c.at_ms)),
            ])
        })
        .collect();
    if lines.is_empty() {
        lines.push(Line::from(t.no_callbacks));
    }
    let lines = lines[lines.len().saturating_sub(height)..].to_vec();
    frame.render_widget(
        Paragraph::new(lines).block(block(t.callbacks_title.to_string())),
        area,
    );
}

/// Draw the pool lesson's panels; true when the timeline took the whole
/// middle (so the code panel is not drawn).
pub fn draw(
    frame: &mut Frame,
    areas: Areas,
    lang: Lang,
    s: &Session,
    t: &Strings,
    color: bool,
) -> bool {
    let r = match &s.pool {
        None => {
            frame.render_widget(
                Paragraph::new(Line::styled(t.measuring, fg(color, Color::Yellow)))
                    .block(block(t.timing.to_string())),
                areas.top,
            );
            frame.render_widget(
                Paragraph::new("").block(block(t.callbacks_title.to_string())),
                areas.output,
            );
            return false;
        }
        Some(Err(e)) => {
            frame.render_widget(
                Paragraph::new(Line::styled(e.clone(), fg(color, Color::Red)))
                    .block(block(t.timing.to_string())),
                areas.top,
            );
            frame.render_widget(
                Paragraph::new("").block(block(t.callbacks_title.to_string())),
                areas.output,
            );
            return false;
        }
        Some(Ok(r)) => r,
    };
    match s.timing.view {
        View::Bars => {
            draw_bars(frame, areas.top, lang, r, t, color);
            draw_output(frame, areas.output, r, t, color);
            false
        }
        View::Timeline => {
            draw_timeline(frame, areas.middle, r, s, t, color);
            true
        }
    }
}
