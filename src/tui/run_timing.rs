//! The timing view of a lesson drawn in lanes (key `v`): a timeline per
//! process to scale, from the real times the supervisor saw (created,
//! starting, running, sleeping, waiting, zombie, reaped), and bars of
//! measured times: for each group of processes that sleep, their sleeps
//! added up against how long they took together, from the first start to
//! the last join. A stepped run's sleeps take no time: it says so instead.

use std::time::Duration;

use super::timing::{Activity, PhaseMark, ProcSpan, Stretch};
use crate::model::ProcId;
use crate::model::RunState;
use crate::model::spans::Doing;

mod draw;
pub use draw::{bars, draw, facts};

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Processes of one role, in P order: the lesson's natural groups.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub procs: Vec<usize>,
    /// Started by another process (so they end at a join), not by the supervisor.
    pub started_by_parent: bool,
}

impl Group {
    /// `P2–4`, or `P2` alone.
    pub fn label(&self) -> String {
        match (self.procs.first(), self.procs.last()) {
            (Some(a), Some(b)) if a != b => format!("{}–{}", ProcId(*a), ProcId(*b).number()),
            (Some(a), _) => ProcId(*a).to_string(),
            _ => String::new(),
        }
    }
}

/// The lesson's processes grouped by role, in order of first appearance.
pub fn groups(state: &RunState) -> Vec<Group> {
    let mut out: Vec<(String, Group)> = Vec::new();
    for (i, p) in state.procs.iter().enumerate() {
        match out.iter_mut().find(|(role, _)| *role == p.role) {
            Some((_, g)) => g.procs.push(i),
            None => out.push((
                p.role.clone(),
                Group {
                    procs: vec![i],
                    started_by_parent: p.parent.is_some(),
                },
            )),
        }
    }
    out.into_iter().map(|(_, g)| g).collect()
}

/// The end of the axis: now, or the last thing that happened.
pub fn end_ms(state: &RunState, now: Duration) -> f64 {
    let last = state
        .times
        .iter()
        .flat_map(|t| {
            [t.created, t.exited, t.reaped, t.current.map(|c| c.1)]
                .into_iter()
                .flatten()
                .chain(t.stints.last().map(|s| s.to))
        })
        .max()
        .unwrap_or_default();
    ms(last.max(now))
}

/// The start of the axis: when the first process began to run. Before
/// that they were only starting and then waiting at their gates for the
/// learner to press play or step.
pub fn begin_ms(state: &RunState) -> f64 {
    state
        .times
        .iter()
        .filter_map(|t| {
            t.stints
                .iter()
                .map(|s| (s.doing, s.from))
                .chain(t.current)
                .find(|(d, _)| !matches!(d, Doing::Starting | Doing::AtGate))
                .map(|(_, from)| from)
        })
        .min()
        .map_or(0.0, ms)
}

fn activity(d: Doing) -> Activity {
    match d {
        Doing::Starting => Activity::Starting,
        Doing::Running => Activity::Running,
        Doing::Sleeping => Activity::Sleeping,
        Doing::AtGate | Doing::Waiting | Doing::Joining => Activity::Waiting,
    }
}

/// One row per process that was created, to scale on the supervisor's clock.
pub fn spans(state: &RunState, now: Duration) -> Vec<ProcSpan> {
    let now_ms = end_ms(state, now);
    let group_of: Vec<usize> = {
        let gs = groups(state);
        let mut g = vec![0; state.procs.len()];
        for (k, grp) in gs.iter().enumerate() {
            for p in &grp.procs {
                g[*p] = k;
            }
        }
        g
    };
    let mut out = Vec::new();
    for (i, (p, t)) in state.procs.iter().zip(&state.times).enumerate() {
        let stints = t.stints_until(Duration::from_secs_f64(now_ms / 1000.0));
        let Some(created) = t
            .created
            .into_iter()
            .chain(stints.first().map(|s| s.from))
            .min()
        else {
            continue;
        };
        let mut stretches: Vec<Stretch> = stints
            .iter()
            .map(|s| Stretch {
                from_ms: ms(s.from),
                to_ms: ms(s.to),
                activity: activity(s.doing),
            })
            .collect();
        // Exited, not reaped (yet): a zombie until its parent joins it.
        let gone = t.reaped.or(t.exited.filter(|_| p.parent.is_none()));
        if let Some(exit) = t.exited.filter(|_| p.parent.is_some()) {
            let until = t.reaped.map_or(now_ms, ms);
            if until > ms(exit) {
                stretches.push(Stretch {
                    from_ms: ms(exit),
                    to_ms: until,
                    activity: Activity::Zombie,
                });
            }
        }
        let note = match p.ending {
            Some(e) => format!("exit {}", e.exitcode()),
            None if state.is_zombie(i) => "Z".into(),
            None => String::new(),
        };
        out.push(ProcSpan {
            label: ProcId(i).to_string(),
            group: group_of[i],
            created_ms: ms(created),
            exited_ms: gone.map(ms),
            otherwise: Activity::Waiting,
            stretches,
            note,
        });
    }
    out
}

/// First start to last join (or end) of one group, once all of it is over.
/// Processes the supervisor starts wait at their gates until the learner
/// plays: their time starts when the run began to move.
fn took(state: &RunState, g: &Group) -> Option<(f64, f64)> {
    let times: Vec<_> = g.procs.iter().map(|p| &state.times[*p]).collect();
    let from = times.iter().filter_map(|t| t.created).min()?;
    let to = times
        .iter()
        .map(|t| t.reaped.or(t.exited))
        .collect::<Option<Vec<_>>>()?
        .into_iter()
        .max()?;
    Some((ms(from).max(begin_ms(state)).min(ms(to)), ms(to)))
}

/// A phase mark per group started by a parent: first start to last join.
pub fn marks(state: &RunState) -> Vec<PhaseMark> {
    groups(state)
        .iter()
        .filter(|g| g.started_by_parent)
        .filter_map(|g| {
            took(state, g).map(|(from_ms, to_ms)| PhaseMark {
                label: g.label(),
                from_ms,
                to_ms,
            })
        })
        .collect()
}

/// How the run's sleeps were taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clocked {
    /// No sleep yet.
    NoSleeps,
    /// Every sleep really slept: the times are measured.
    Real,
    /// Some sleep ran under a schedule (stepping): it took no time.
    Stepped,
}

pub fn clocked(state: &RunState) -> Clocked {
    let sleeps = state.times.iter().flat_map(|t| &t.sleeps);
    let (mut any, mut all_real) = (false, true);
    for s in sleeps {
        any = true;
        all_real &= s.real;
    }
    match (any, all_real) {
        (false, _) => Clocked::NoSleeps,
        (true, true) => Clocked::Real,
        (true, false) => Clocked::Stepped,
    }
}

/// One group's measured comparison: its sleeps added up and how long it took.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub group: Group,
    /// Each process's sleeps, added up (ms), in P order.
    pub each: Vec<(usize, f64)>,
    pub sum_ms: f64,
    /// `None` while some of the group is still alive.
    pub took_ms: Option<f64>,
}

impl Comparison {
    /// It took clearly less than its sleeps added up: they overlapped.
    pub fn overlapped(&self) -> Option<bool> {
        self.took_ms.map(|t| t < self.sum_ms * 0.9)
    }
}

/// A comparison for every group of two or more processes that slept, in group order; a
/// sleep still going on counts up to `now`.
pub fn comparisons(state: &RunState, now: Duration) -> Vec<Comparison> {
    groups(state)
        .into_iter()
        .filter_map(|g| {
            let each: Vec<(usize, f64)> = g
                .procs
                .iter()
                .filter_map(|p| {
                    let t = &state.times[*p];
                    let ongoing = match t.current {
                        Some((Doing::Sleeping, from)) => Some(now.saturating_sub(from)),
                        _ => None,
                    };
                    if t.sleeps.is_empty() && ongoing.is_none() {
                        return None;
                    }
                    let d: Duration = t.sleeps.iter().map(|s| s.took()).sum();
                    Some((*p, ms(d + ongoing.unwrap_or_default())))
                })
                .collect();
            // Sleeps overlap only between processes: one process's own
            // "took" holds its waits for others too, so it compares nothing.
            if each.len() < 2 {
                return None;
            }
            let sum_ms = each.iter().map(|(_, m)| m).sum();
            let took_ms = took(state, &g).map(|(a, b)| b - a);
            Some(Comparison {
                group: g,
                each,
                sum_ms,
                took_ms,
            })
        })
        .collect()
}
