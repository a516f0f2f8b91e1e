//! What a run did, as the reduction needs it: every step with what it
//! touched, and at every quiet point which processes could move and what
//! each was about to touch. From it come the run's *class* (the order of
//! its dependent steps) and, in [`super::races`], where else to branch.

use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use super::footprint::{self, Footprint};
use super::moves::Candidate;
use crate::model::{Phase, RunState};

/// One step taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub proc: usize,
    /// The operation it ran (its place in the program).
    pub pc: usize,
    pub fp: Footprint,
}

/// A quiet point, before a step (or after the last one).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Point {
    /// Processes that could move (at their gate, their step would not block).
    pub enabled: Vec<usize>,
    /// Every process at its gate with a step that touches something shared:
    /// the process, its operation and what that touches.
    pub pending: Vec<(usize, usize, Footprint)>,
}

/// What each process's next step touches, by `next`; nothing for a
/// process not at its gate.
pub fn at_gates(state: &RunState, next: impl Fn(usize) -> Footprint) -> Vec<Footprint> {
    (0..state.procs.len())
        .map(|p| {
            if state.procs[p].phase == Phase::AtGate {
                next(p)
            } else {
                Footprint::default()
            }
        })
        .collect()
}

/// A run as a sequence of steps and the quiet points between them:
/// `points[k]` is the point before `steps[k]`.
#[derive(Debug, Clone, Default)]
pub struct Trace {
    pub steps: Vec<Step>,
    pub points: Vec<Point>,
}

impl Trace {
    /// Note the quiet point `state` (its candidates `c`); the footprint of
    /// every process's next step, indexed by process.
    pub fn observe(&mut self, state: &RunState, c: &[Candidate]) -> Vec<Footprint> {
        let fps = at_gates(state, |p| footprint::of_next(state, p));
        self.note(state, c, &fps);
        fps
    }

    /// Note the quiet point `state` (its candidates `c`, the footprints
    /// `fps` of every process's next step).
    pub fn note(&mut self, state: &RunState, c: &[Candidate], fps: &[Footprint]) {
        let mut pending: Vec<(usize, usize, Footprint)> = (0..c.len())
            .filter(|&p| !fps[p].is_empty())
            .map(|p| (p, state.procs[p].pc.unwrap_or(0), fps[p].clone()))
            .collect();
        // A process killed at its gate (terminate, its parent's end) keeps
        // the step it was at, never to be taken: the kill disabled it.
        self.points.truncate(self.steps.len());
        if let (Some(before), Some(last)) = (self.points.last(), self.steps.last()) {
            let killed = (before.pending.iter())
                .filter(|(q, _, _)| *q != last.proc && state.procs[*q].phase != Phase::AtGate);
            pending.extend(killed.cloned());
        }
        let enabled = (0..c.len())
            .filter(|&p| c[p].at_gate && c[p].enabled)
            .collect();
        self.points.push(Point { enabled, pending });
    }

    /// Process `p` takes its step, which touches `fp`.
    pub fn take(&mut self, state: &RunState, p: usize, fp: Footprint) {
        let pc = state.procs[p].pc.unwrap_or(0);
        self.steps.push(Step { proc: p, pc, fp });
    }

    /// The run's class: which steps touched something shared, and the order
    /// of every pair of dependent ones. Two runs with the same key differ
    /// only in the order of independent steps, so they end the same way.
    pub fn class_key(&self) -> u64 {
        let mut nth: BTreeMap<usize, usize> = BTreeMap::new();
        let shared: Vec<(usize, (usize, usize, usize))> = (self.steps.iter().enumerate())
            .filter(|(_, s)| !s.fp.is_empty())
            .map(|(j, s)| {
                let n = nth.entry(s.proc).or_default();
                *n += 1;
                (j, (s.proc, *n, s.pc))
            })
            .collect();
        let mut pairs = Vec::new();
        for (b, &(j, id_j)) in shared.iter().enumerate() {
            for &(i, id_i) in &shared[..b] {
                let (si, sj) = (&self.steps[i], &self.steps[j]);
                if si.proc != sj.proc && si.fp.dependent(&sj.fp) {
                    pairs.push((id_i, id_j));
                }
            }
        }
        pairs.sort_unstable();
        let mut ids: Vec<_> = shared.iter().map(|(_, id)| *id).collect();
        ids.sort_unstable();
        let mut h = DefaultHasher::new();
        (ids, pairs).hash(&mut h);
        h.finish()
    }
}
