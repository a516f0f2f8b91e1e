//! The explorer screen (`e`): every schedule of a shrunk lesson, with its
//! locks off and on, run in the background with fresh real processes; the
//! key quantity's distribution as bars; Enter replays the shortest bad
//! schedule step by step.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crossbeam_channel::{Receiver, unbounded};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Gauge, Paragraph, Wrap};

use crate::explore::{self, ExploreError, Progress, Settings, Tally};
use crate::lesson::{Lang, Lesson};

use super::keys::{Bar, hint_line};
use super::text::Strings;

/// Exhaustive searches in the app stay this small, so they end in seconds.
const LIMIT: usize = 3_000;
/// Schedules per lock setting when the space is too large for every one.
const RANDOM_RUNS: usize = 300;

/// How the schedules are chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Every,
    Random(usize),
}

/// What the search reports to the screen.
pub enum News {
    /// The lesson shrunk to `procs` processes, searched this way.
    Plan {
        lesson: Box<Lesson>,
        procs: usize,
        mode: Mode,
    },
    Progress {
        set: usize,
        progress: Progress,
    },
    Done {
        set: usize,
        tally: Tally,
    },
    Failed(String),
}

/// One lock setting: its locks off, and what its schedules came to.
pub struct Set {
    pub off: Vec<String>,
    pub tally: Option<Tally>,
    pub progress: Option<Progress>,
}

pub struct Explorer {
    /// The lesson as opened (not shrunk).
    pub title_of: Lesson,
    /// How the lesson was named (id or path), for replays saved later.
    pub origin: String,
    /// The shrunk lesson the schedules ran on, once chosen.
    pub lesson: Option<Lesson>,
    pub procs: Option<usize>,
    pub mode: Option<Mode>,
    pub sets: Vec<Set>,
    pub error: Option<String>,
    rx: Receiver<News>,
    /// The search has stopped reporting (ended, or its thread is gone).
    quiet: bool,
    stop: Arc<AtomicBool>,
}

impl Drop for Explorer {
    fn drop(&mut self) {
        // The search ends after the runs under way; their processes go with them.
        self.stop.store(true, Ordering::SeqCst);
    }
}

impl Explorer {
    /// Start exploring `lesson` in the background.
    pub fn start(lesson: Lesson, origin: String, exe: PathBuf) -> Explorer {
        let all: Vec<String> = lesson.resources().into_iter().map(|r| r.name).collect();
        // Without the locks first: that is where things go wrong.
        let mut offs = vec![all.clone()];
        if !all.is_empty() {
            offs.push(Vec::new());
        }
        let sets = offs
            .iter()
            .map(|off| Set {
                off: off.clone(),
                tally: None,
                progress: None,
            })
            .collect();
        let (tx, rx) = unbounded();
        let stop = Arc::new(AtomicBool::new(false));
        {
            let lesson = lesson.clone();
            let stop = stop.clone();
            std::thread::spawn(move || {
                if let Err(e) = search(&lesson, &offs, &exe, &stop, &tx) {
                    let _ = tx.send(News::Failed(e));
                }
            });
        }
        Explorer {
            title_of: lesson,
            origin,
            lesson: None,
            procs: None,
            mode: None,
            sets,
            error: None,
            rx,
            quiet: false,
            stop,
        }
    }

    /// A finished exploration, from results (for previews and tests).
    pub fn finished(
        lesson: Lesson,
        shrunk: Lesson,
        procs: usize,
        mode: Mode,
        tallies: Vec<Tally>,
    ) -> Explorer {
        let (_, rx) = unbounded();
        Explorer {
            origin: lesson.id.clone(),
            title_of: lesson,
            lesson: Some(shrunk),
            procs: Some(procs),
            mode: Some(mode),
            sets: tallies
                .into_iter()
                .map(|t| Set {
                    off: t.off.clone(),
                    tally: Some(t),
                    progress: None,
                })
                .collect(),
            error: None,
            rx,
            quiet: true,
            stop: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Where the search's news arrive, while it is under way.
    pub fn news(&self) -> Option<Receiver<News>> {
        (!self.quiet && !self.is_done()).then(|| self.rx.clone())
    }

    /// Nothing more will come from the search.
    pub fn stop_listening(&mut self) {
        self.quiet = true;
    }

    /// Take one piece of news from the search.
    pub fn take(&mut self, news: News) {
        match news {
            News::Plan {
                lesson,
                procs,
                mode,
            } => {
                self.lesson = Some(*lesson);
                self.procs = Some(procs);
                self.mode = Some(mode);
            }
            News::Progress { set, progress } => {
                if let Some(s) = self.sets.get_mut(set) {
                    s.progress = Some(progress);
                }
            }
            News::Done { set, tally } => {
                if let Some(s) = self.sets.get_mut(set) {
                    s.tally = Some(tally);
                }
            }
            News::Failed(e) => self.error = Some(e),
        }
    }

    pub fn is_done(&self) -> bool {
        self.error.is_some() || self.sets.iter().all(|s| s.tally.is_some())
    }

    /// The shortest bad schedule found, with the locks it had off.
    pub fn shortest_bad(&self) -> Option<(Vec<String>, Vec<usize>)> {
        self.sets
            .iter()
            .filter_map(|s| {
                let t = s.tally.as_ref()?;
                Some((s.off.clone(), t.shortest_bad.clone()?))
            })
            .min_by_key(|(_, steps)| steps.len())
    }
}

/// Choose the size (3 processes, else 2) and the mode, then run every set.
fn search(
    lesson: &Lesson,
    offs: &[Vec<String>],
    exe: &std::path::Path,
    stop: &Arc<AtomicBool>,
    tx: &crossbeam_channel::Sender<News>,
) -> Result<(), String> {
    if lesson.pool.is_some() {
        return Err(ExploreError::Pool(lesson.id.clone()).to_string());
    }
    let settings = |off: &[String]| Settings {
        limit: LIMIT,
        stop: Some(stop.clone()),
        ..Settings::new(off.to_vec())
    };
    let declared = lesson.process_count();
    // Shrink to 3 processes, else 2, when the lesson can be; else as it is.
    let mut sizes: Vec<usize> = [3, 2]
        .into_iter()
        .filter(|n| *n < declared && lesson.with_processes(*n).is_ok())
        .collect();
    if sizes.is_empty() {
        sizes.push(declared);
    }
    let send_progress = |set: usize| {
        let tx = tx.clone();
        move |progress: Progress| {
            let _ = tx.send(News::Progress { set, progress });
        }
    };
    // Find the largest size whose first set (locks off) can be searched whole.
    let mut first = None;
    let mut last_shrunk = None;
    for &n in &sizes {
        let shrunk = if n == declared {
            lesson.clone()
        } else {
            lesson.with_processes(n)?
        };
        match explore::exhaustive(&shrunk, &settings(&offs[0]), exe, &mut send_progress(0)) {
            Ok(tally) => {
                first = Some((shrunk, n, tally));
                break;
            }
            Err(ExploreError::TooLarge { .. }) => last_shrunk = Some((shrunk, n)),
            Err(e) => return Err(e.to_string()),
        }
    }
    let (shrunk, n, mode) = match first {
        Some((shrunk, n, tally)) => {
            let _ = tx.send(News::Plan {
                lesson: Box::new(shrunk.clone()),
                procs: n,
                mode: Mode::Every,
            });
            let _ = tx.send(News::Done { set: 0, tally });
            (shrunk, n, Mode::Every)
        }
        None => {
            let Some((shrunk, n)) = last_shrunk else {
                return Err("nothing to explore".into());
            };
            let mode = Mode::Random(RANDOM_RUNS);
            let _ = tx.send(News::Plan {
                lesson: Box::new(shrunk.clone()),
                procs: n,
                mode,
            });
            let tally = explore::random(
                &shrunk,
                &settings(&offs[0]),
                RANDOM_RUNS,
                exe,
                &mut send_progress(0),
            )
            .map_err(|e| e.to_string())?;
            let _ = tx.send(News::Done { set: 0, tally });
            (shrunk, n, mode)
        }
    };
    let _ = n;
    for (set, off) in offs.iter().enumerate().skip(1) {
        let s = settings(off);
        let result = match mode {
            Mode::Every => explore::exhaustive(&shrunk, &s, exe, &mut send_progress(set)),
            Mode::Random(runs) => explore::random(&shrunk, &s, runs, exe, &mut send_progress(set)),
        };
        let tally = match result {
            // Locks make some orders impossible, rarely more: say so if not.
            Err(ExploreError::TooLarge { .. }) => {
                explore::random(&shrunk, &s, RANDOM_RUNS, exe, &mut send_progress(set))
            }
            other => other,
        }
        .map_err(|e| e.to_string())?;
        let _ = tx.send(News::Done { set, tally });
    }
    Ok(())
}

fn fg(color: bool, c: Color) -> Style {
    if color {
        Style::default().fg(c)
    } else {
        Style::default()
    }
}

fn setting_name(set: &Set, has_locks: bool, t: &Strings) -> String {
    if !has_locks {
        t.ex_no_locks.to_string()
    } else if set.off.is_empty() {
        t.ex_locks_on.to_string()
    } else {
        format!("{}: {}", t.ex_off, set.off.join(", "))
    }
}

pub fn draw(frame: &mut Frame, ex: &Explorer, lang: Lang, color: bool, t: &Strings) {
    let area = frame.area();
    let n_sets = ex.sets.len() as u16;
    let mut constraints = vec![Constraint::Length(2)];
    constraints.extend((0..n_sets).map(|_| Constraint::Min(6)));
    constraints.push(Constraint::Length(2));
    constraints.push(Constraint::Length(1));
    let rows = Layout::vertical(constraints).split(area);

    // Header: what was explored, and how.
    let title = ex.title_of.title.get(lang);
    let how = match (ex.procs, ex.mode) {
        (Some(n), Some(Mode::Every)) => t.ex_every.replace("{n}", &n.to_string()),
        (Some(n), Some(Mode::Random(runs))) => t
            .ex_random
            .replace("{n}", &n.to_string())
            .replace("{runs}", &runs.to_string()),
        _ => t.ex_sizing.to_string(),
    };
    let header = vec![
        Line::from(vec![
            Span::styled(
                " lockstep ",
                Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD),
            ),
            Span::raw(format!(" {} · ", t.ex_title)),
            Span::styled(
                title.to_string(),
                Style::default().add_modifier(Modifier::BOLD),
            ),
        ]),
        Line::styled(how, fg(color, Color::DarkGray)),
    ];
    frame.render_widget(Paragraph::new(header), rows[0]);

    let quantity = ex.title_of.check.quantity.get(lang).to_string();
    for (i, set) in ex.sets.iter().enumerate() {
        draw_set(frame, rows[1 + i], ex, set, &quantity, color, t);
    }

    let note_area = rows[rows.len() - 2];
    let note = if let Some(e) = &ex.error {
        Line::styled(
            e.clone(),
            fg(color, Color::Red).add_modifier(Modifier::BOLD),
        )
    } else if let Some((off, steps)) = ex.shortest_bad() {
        let off = if off.is_empty() {
            t.ex_locks_on.to_string()
        } else {
            format!("{}: {}", t.ex_off, off.join(", "))
        };
        let list: Vec<String> = steps.iter().map(usize::to_string).collect();
        Line::from(vec![
            Span::styled(
                format!(
                    "{} ({off}, {} {}): ",
                    t.ex_shortest,
                    steps.len(),
                    t.ex_steps
                ),
                fg(color, Color::Yellow),
            ),
            Span::raw(list.join(",")),
        ])
    } else if ex.is_done() {
        Line::styled(t.ex_none_bad, fg(color, Color::Green))
    } else {
        Line::default()
    };
    frame.render_widget(Paragraph::new(note).wrap(Wrap { trim: true }), note_area);
    let bar = if ex.shortest_bad().is_some() {
        Bar::ExploreReplay
    } else {
        Bar::Explore
    };
    let keys = hint_line(bar, lang, |_| true);
    frame.render_widget(
        Paragraph::new(keys).style(fg(color, Color::DarkGray)),
        rows[rows.len() - 1],
    );
}

fn draw_set(
    frame: &mut Frame,
    area: Rect,
    ex: &Explorer,
    set: &Set,
    quantity: &str,
    color: bool,
    t: &Strings,
) {
    let block = Block::default().borders(Borders::ALL).title(format!(
        " {} ",
        setting_name(set, !ex.title_of.resources().is_empty(), t)
    ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(tally) = &set.tally else {
        let (done, ratio) = match set.progress {
            Some(Progress {
                done,
                total: Some(total),
            }) if total > 0.0 => (done, (done as f64 / total).clamp(0.0, 1.0)),
            Some(p) => (p.done, 0.0),
            None => (0, 0.0),
        };
        let label = format!("{done} {}", t.ex_schedules);
        frame.render_widget(
            Gauge::default()
                .gauge_style(fg(color, Color::Cyan).add_modifier(Modifier::BOLD))
                .ratio(ratio)
                .label(label),
            Rect {
                height: inner.height.min(1),
                ..inner
            },
        );
        return;
    };
    let bad = tally.broken + tally.deadlocked;
    let share = if tally.schedules > 0 {
        100.0 * bad as f64 / tally.schedules as f64
    } else {
        0.0
    };
    let summary_style = if bad > 0 {
        fg(color, Color::Red).add_modifier(Modifier::BOLD)
    } else {
        fg(color, Color::Green).add_modifier(Modifier::BOLD)
    };
    let mut lines = vec![Line::from(vec![Span::styled(
        t.ex_summary
            .replace("{n}", &tally.schedules.to_string())
            .replace("{broken}", &tally.broken.to_string())
            .replace("{share}", &format!("{share:.0}"))
            .replace("{deadlocked}", &tally.deadlocked.to_string()),
        summary_style,
    )])];
    let rule = ex.lesson.as_ref().unwrap_or(&ex.title_of).check.rule;
    let most = tally
        .distribution
        .values()
        .copied()
        .chain([tally.deadlocked])
        .max()
        .unwrap_or(1)
        .max(1);
    let label_w = tally
        .distribution
        .keys()
        .map(|v| format!("{quantity} {v}").chars().count())
        .chain([if tally.deadlocked > 0 { 8 } else { 0 }])
        .max()
        .unwrap_or(0);
    let bar_room = usize::from(inner.width).saturating_sub(label_w + 12).max(4);
    for (value, count) in &tally.distribution {
        let ok = rule.holds(*value, tally.expected);
        let width = ((*count as f64 / most as f64) * bar_room as f64)
            .round()
            .max(1.0) as usize;
        let style = if ok {
            fg(color, Color::Green)
        } else {
            fg(color, Color::Red)
        };
        let mark = if ok { "✓" } else { "✗" };
        lines.push(Line::from(vec![
            Span::raw(format!("{:<label_w$} ", format!("{quantity} {value}"))),
            Span::styled("█".repeat(width), style),
            Span::raw(format!(" {count} {mark}")),
        ]));
    }
    if tally.deadlocked > 0 {
        let width = ((tally.deadlocked as f64 / most as f64) * bar_room as f64)
            .round()
            .max(1.0) as usize;
        lines.push(Line::from(vec![
            Span::raw(format!("{:<label_w$} ", "DEADLOCK")),
            Span::styled("█".repeat(width), fg(color, Color::Red)),
            Span::raw(format!(" {} ✗", tally.deadlocked)),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
