//! Where else a run must branch: the races of its trace. Step `i` races
//! with process `q`'s next step `t` when they are dependent, may both be
//! possible at once, and `i` does not happen before `q` already (through
//! `q`'s own steps and the steps they depend on). The latest such `i` before
//! each quiet point gets `q` as a branch to try (or, when `q` could not move
//! there, every process that could): the backtracking rule of Flanagan and
//! Godefroid's dynamic partial-order reduction, applied once a run has ended.

use std::collections::BTreeSet;

use super::footprint::{Kind, Obj};
use super::trace::Trace;

/// A set of step indices (happens-before clocks), as bits.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bits(Vec<u64>);

impl Bits {
    fn with_len(n: usize) -> Bits {
        Bits(vec![0; n.div_ceil(64)])
    }

    fn set(&mut self, i: usize) {
        self.0[i / 64] |= 1 << (i % 64);
    }

    pub fn has(&self, i: usize) -> bool {
        self.0.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    fn or(&mut self, other: &Bits) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a |= b;
        }
    }
}

/// For each of the first `end` steps, the steps that happen before it or
/// are it: its process's earlier steps, the earlier steps it depends on,
/// and, transitively, theirs.
pub fn clocks(trace: &Trace, end: usize) -> Vec<Bits> {
    let steps = &trace.steps[..end];
    let mut clocks: Vec<Bits> = Vec::with_capacity(end);
    let mut last_of: Vec<Option<usize>> = Vec::new();
    for (j, s) in steps.iter().enumerate() {
        let mut c = Bits::with_len(end);
        c.set(j);
        if last_of.len() <= s.proc {
            last_of.resize(s.proc + 1, None);
        }
        // A process's first step follows the step that started it.
        if let Some(prev) = last_of[s.proc].or_else(|| starter(trace, s.proc, j)) {
            c.or(&clocks[prev]);
        }
        if !s.fp.is_empty() {
            for (i, e) in steps[..j].iter().enumerate() {
                if e.proc != s.proc && !c.has(i) && e.fp.dependent(&s.fp) {
                    c.or(&clocks[i]);
                }
            }
        }
        last_of[s.proc] = Some(j);
        clocks.push(c);
    }
    clocks
}

/// Where to branch, from the first `end` steps of `trace` (a run stopped
/// being new there, or `end` is its length): `(i, procs)` adds `procs` to
/// the branches to try at the point before step `i`.
pub fn branches(trace: &Trace, end: usize) -> Vec<(usize, BTreeSet<usize>)> {
    let clocks = clocks(trace, end);
    let steps = &trace.steps[..end];
    let mut found: Vec<(usize, BTreeSet<usize>)> = Vec::new();
    let mut add = |i: usize, q: usize| {
        let enabled = &trace.points[i].enabled;
        let procs: BTreeSet<usize> = if enabled.contains(&q) {
            [q].into()
        } else {
            enabled.iter().copied().collect()
        };
        found.push((i, procs));
    };
    let last = end.min(trace.points.len().saturating_sub(1));
    // For each process: the step it is at, since when (its last step).
    let mut seen: Vec<Option<(Option<usize>, usize)>> = Vec::new();
    let mut last_of: Vec<Option<usize>> = Vec::new();
    for (k, point) in trace.points[..=last].iter().enumerate() {
        if k > 0 {
            let p = steps[k - 1].proc;
            if last_of.len() <= p {
                last_of.resize(p + 1, None);
            }
            last_of[p] = Some(k - 1);
        }
        for (q, pc, t) in &point.pending {
            let q = *q;
            if seen.len() <= q {
                seen.resize(q + 1, None);
            }
            let mine = last_of.get(q).copied().flatten();
            // What happens before q: its own steps, or else its start.
            let before = match mine {
                Some(m) => clocks[m].clone(),
                None => birth(trace, &clocks, q, k),
            };
            let races = |i: usize| steps[i].proc != q && !before.has(i) && steps[i].fp.may_race(t);
            let fresh = seen[q] != Some((mine, *pc));
            seen[q] = Some((mine, *pc));
            if fresh {
                if let Some(i) = (0..k).rev().find(|&i| races(i)) {
                    add(i, q);
                }
            } else if k > 0 && races(k - 1) {
                add(k - 1, q);
            }
        }
    }
    found
}

/// What happens before a process that has taken no step yet by the point
/// before step `k`: the step that started it, and its past.
fn birth(trace: &Trace, clocks: &[Bits], q: usize, k: usize) -> Bits {
    starter(trace, q, k.min(clocks.len()))
        .map(|i| clocks[i].clone())
        .unwrap_or_default()
}

/// The step before step `k` that started process `q`: the first that
/// changes whether it runs (a terminate comes after).
fn starter(trace: &Trace, q: usize, k: usize) -> Option<usize> {
    (0..k).find(|&i| {
        (trace.steps[i].fp.0.iter()).any(|(o, kind)| *o == Obj::Life(q) && *kind == Kind::Write)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explore::footprint::Footprint;
    use crate::explore::trace::{Point, Step};

    fn on_v(kind: Kind) -> Footprint {
        Footprint(vec![(Obj::Value("v".into()), kind)])
    }

    /// Two processes read and write one value, P1 first: P2's read must
    /// also go before P1's read, and between P1's read and write.
    #[test]
    fn a_lost_update_run_branches_where_the_other_could_have_gone() {
        let (r, w) = (on_v(Kind::Read), on_v(Kind::Write));
        let step = |proc, pc, fp: &Footprint| Step {
            proc,
            pc,
            fp: fp.clone(),
        };
        let point = |enabled: Vec<usize>, pending: Vec<(usize, usize, Footprint)>| Point {
            enabled,
            pending,
        };
        let trace = Trace {
            steps: vec![
                step(0, 0, &r),
                step(0, 1, &w),
                step(1, 0, &r),
                step(1, 1, &w),
            ],
            points: vec![
                point(vec![0, 1], vec![(0, 0, r.clone()), (1, 0, r.clone())]),
                point(vec![0, 1], vec![(0, 1, w.clone()), (1, 0, r.clone())]),
                point(vec![1], vec![(1, 0, r.clone())]),
                point(vec![1], vec![(1, 1, w.clone())]),
                point(vec![], vec![]),
            ],
        };
        let found = branches(&trace, 4);
        assert_eq!(found, vec![(0, [1].into()), (1, [1].into())]);
        // P2's steps happen after P1's write: its clock holds all of P1's.
        let clocks = clocks(&trace, 4);
        assert!((0..4).all(|i| clocks[3].has(i)));
        assert!(!clocks[1].has(2));
    }

    /// A process that could not move where the race was: every process
    /// that could is tried there.
    #[test]
    fn a_process_that_could_not_move_brings_every_other() {
        let w = on_v(Kind::Write);
        let trace = Trace {
            steps: vec![Step {
                proc: 0,
                pc: 0,
                fp: w.clone(),
            }],
            points: vec![
                Point {
                    enabled: vec![0, 2],
                    pending: vec![(0, 0, w.clone())],
                },
                Point {
                    enabled: vec![1, 2],
                    pending: vec![(1, 0, w.clone())],
                },
            ],
        };
        assert_eq!(branches(&trace, 1), vec![(0, [0, 2].into())]);
    }
}
