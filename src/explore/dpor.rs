//! Exhaustive mode with dynamic partial-order reduction: one run per class
//! of equivalent schedules, not one per schedule. A stateless search by
//! re-execution: each run follows the path of choices of the one before up
//! to the deepest point with a branch left to try, then goes on with the
//! first process that may move; once it has ended, its races
//! ([`super::races`]) add the branches that reverse them. Sleep sets keep a
//! branch from redoing orders of independent steps already tried. See
//! docs/explorer.md.

use std::collections::BTreeSet;
use std::path::Path;

use super::footprint::{self, Footprint};
use super::moves::{Candidate, candidates};
use super::trace::{self, Trace};
use super::{ExploreError, Outcome, SearchProgress, Settings, Tally, races, run_ended};
use crate::drive::DriveError;
use crate::lesson::Lesson;
use crate::model::RunState;
use crate::schedule::{Chooser, Refusal};

/// What the search explores: a built-in lesson or a real program. The
/// search knows only what it says of each quiet point (who could move, and
/// what each next step touches) and how to run it once.
pub(super) trait Subject {
    /// Each process as the explorer sees it in `state`, and what its next
    /// step touches (nothing for a process not at its gate).
    fn see(&self, state: &RunState) -> (Vec<Candidate>, Vec<Footprint>);
    /// One run with fresh processes under `chooser`; the model as it ended.
    fn run(
        &self,
        settings: &Settings,
        exe: &Path,
        chooser: &mut dyn Chooser,
    ) -> Result<(Outcome, RunState), DriveError>;
    /// An empty tally, one schedule per class.
    fn tally(&self, settings: &Settings) -> Tally;
    /// More classes than the limit: `estimate` them, or `counted` in runs.
    fn too_large(&self, settings: &Settings, estimate: f64, counted: bool) -> ExploreError;
}

impl Subject for Lesson {
    fn see(&self, state: &RunState) -> (Vec<Candidate>, Vec<Footprint>) {
        let fps = trace::at_gates(state, |p| footprint::of_next(state, p));
        (candidates(state), fps)
    }

    fn run(
        &self,
        settings: &Settings,
        exe: &Path,
        chooser: &mut dyn Chooser,
    ) -> Result<(Outcome, RunState), DriveError> {
        run_ended(self, settings, exe, chooser)
    }

    fn tally(&self, settings: &Settings) -> Tally {
        let mut tally = Tally::per_class(&settings.off, self.check.expect);
        tally.timing = settings.timing.unwrap_or(self.timing);
        tally
    }

    fn too_large(&self, settings: &Settings, estimate: f64, counted: bool) -> ExploreError {
        ExploreError::TooLarge {
            estimate,
            limit: settings.limit,
            counted,
            shrinkable: self.shrinkable() && self.process_count() > 2,
        }
    }
}

/// A first guess of the number of classes from the first run: the number
/// of processes that could have gone with a step that does not commute with
/// the one taken, multiplied along the run, times this (the first run sees
/// only some of the orders later runs find; about a tenth on the built-in
/// lessons).
const GUESS_FACTOR: f64 = 10.0;

/// One quiet point on the current path.
#[derive(Debug, Clone)]
struct Node {
    /// Processes that could move here, with what each next step touches.
    options: Vec<(usize, Footprint)>,
    chosen: usize,
    /// Processes to try here; `done`: tried already.
    backtrack: BTreeSet<usize>,
    done: BTreeSet<usize>,
    /// Processes not to move here: each step was tried from an earlier
    /// point and nothing dependent on it happened since.
    sleep: Vec<(usize, Footprint)>,
    /// The process that took the step before, and the preemptions so far.
    prev: Option<usize>,
    preempted: usize,
}

impl Node {
    /// Moving `q` here switches away from a process that could go on, with
    /// a step that touches something shared.
    fn preempts(&self, q: usize) -> bool {
        self.prev.is_some_and(|p| {
            p != q && self.options.iter().any(|(o, _)| *o == p) && !self.fp(q).is_empty()
        })
    }

    /// Preemptions after moving `q` here.
    fn preemptions_with(&self, q: usize) -> usize {
        self.preempted + usize::from(self.preempts(q))
    }

    fn fp(&self, p: usize) -> Footprint {
        (self.options.iter())
            .find(|(q, _)| *q == p)
            .map(|(_, f)| f.clone())
            .unwrap_or_default()
    }

    /// How many processes could go here with a step that does not commute
    /// with the one taken (for a first guess of the number of classes).
    fn width(&self) -> f64 {
        let taken = self.fp(self.chosen);
        let racing = (self.options.iter())
            .filter(|(q, f)| *q != self.chosen && f.may_race(&taken))
            .count();
        (1 + racing) as f64
    }

    fn asleep(&self, p: usize) -> bool {
        self.sleep.iter().any(|(q, _)| *q == p)
    }

    /// Try `procs` here to reverse a race. A process asleep here is never
    /// tried, so it cannot start the reversed order: as for a process that
    /// cannot move, every process that could is tried instead (without
    /// this, chat missed 4 of its 144 classes).
    fn add_branches(&mut self, procs: BTreeSet<usize>) {
        if procs.iter().all(|&q| self.asleep(q)) {
            let all = self.options.iter().map(|(p, _)| *p);
            self.backtrack.extend(all);
        } else {
            self.backtrack.extend(procs);
        }
    }

    /// The sleep set after `chosen` moves: what slept or was tried here,
    /// unless it depends on the step taken.
    fn sleep_after(&self) -> Vec<(usize, Footprint)> {
        let taken = self.fp(self.chosen);
        let tried = self.done.iter().map(|&q| (q, self.fp(q)));
        (self.sleep.iter().cloned())
            .chain(tried)
            .filter(|(q, f)| *q != self.chosen && !f.dependent(&taken))
            .collect()
    }
}

/// The chooser of one run: follows `path`, then extends it.
struct DporChooser<'t> {
    subject: &'t dyn Subject,
    path: &'t mut Vec<Node>,
    depth: usize,
    sleep: Vec<(usize, Footprint)>,
    /// Every process that may move sleeps here: what follows is no new
    /// class, and the run is ended here.
    blocked_at: Option<usize>,
    trace: Trace,
    /// A bounded search: go on with the same process where it can.
    bounded: bool,
    prev: Option<usize>,
    preempted: usize,
}

impl DporChooser<'_> {
    /// A new point: a local step first, else the first process awake.
    fn extend(&mut self, c: &[Candidate], options: Vec<(usize, Footprint)>) -> usize {
        let asleep = |p: usize| self.sleep.iter().any(|(q, _)| *q == p);
        let awake: Vec<usize> = (options.iter().map(|(p, _)| *p))
            .filter(|&p| !asleep(p))
            .collect();
        let same = (self.bounded)
            .then_some(self.prev)
            .flatten()
            .filter(|p| awake.contains(p));
        let first = awake.iter().find(|&&p| c[p].local).copied().or(same);
        let chosen = match first.or(awake.first().copied()) {
            Some(p) => p,
            None => {
                self.blocked_at.get_or_insert(self.depth);
                options.first().map_or(0, |(p, _)| *p)
            }
        };
        self.path.push(Node {
            options,
            chosen,
            backtrack: [chosen].into(),
            done: BTreeSet::new(),
            sleep: std::mem::take(&mut self.sleep),
            prev: self.prev,
            preempted: self.preempted,
        });
        chosen
    }
}

impl Chooser for DporChooser<'_> {
    fn choose(&mut self, state: &RunState) -> Result<Option<usize>, Refusal> {
        let (c, fps) = self.subject.see(state);
        self.trace.note(state, &c, &fps);
        let mut options: Vec<(usize, Footprint)> = (0..c.len())
            .filter(|&p| c[p].at_gate && c[p].enabled)
            .map(|p| (p, fps[p].clone()))
            .collect();
        if options.is_empty() {
            // Nobody can move without blocking: on to the deadlock.
            let Some(p) = (0..c.len()).find(|&p| c[p].at_gate) else {
                return Ok(None);
            };
            options.push((p, fps[p].clone()));
        }
        let chosen = match self.path.get(self.depth) {
            Some(node) if node.options == options => node.chosen,
            Some(_) => {
                return Err(Refusal::Diverged {
                    step: self.depth + 1,
                    at_branch: true,
                });
            }
            None => self.extend(&c, options),
        };
        let node = &self.path[self.depth];
        self.sleep = node.sleep_after();
        self.preempted = node.preemptions_with(chosen);
        // Steps that touch nothing shared go anywhere: they switch nothing.
        if !fps[chosen].is_empty() {
            self.prev = Some(chosen);
        }
        self.depth += 1;
        self.trace.take(state, chosen, fps[chosen].clone());
        Ok(Some(chosen))
    }

    fn schedule(&self) -> Vec<usize> {
        self.trace.steps.iter().map(|s| s.proc + 1).collect()
    }

    /// A sleep-blocked run repeats a class already run from here on: it is
    /// ended at the blocked point.
    fn enough(&self) -> bool {
        self.blocked_at.is_some()
    }
}

/// A bounded search may not reverse a race where that costs a preemption:
/// the branches are also tried at the latest point before it where the
/// process before could not go on (as Coons, Musuvathi and McKinley's
/// bounded partial-order reduction does).
fn free_switch(path: &mut [Node], i: usize, procs: &BTreeSet<usize>) {
    let free = (0..=i.min(path.len().saturating_sub(1))).rev().find(|&j| {
        let n = &path[j];
        n.prev
            .is_none_or(|p| !n.options.iter().any(|(o, _)| *o == p))
    });
    if let Some(j) = free {
        let node = &mut path[j];
        let here: Vec<usize> = (procs.iter().copied())
            .filter(|q| node.options.iter().any(|(o, _)| o == q))
            .collect();
        node.backtrack.extend(here);
    }
}

/// Move `path` on to the next branch to try (within `bound` preemptions);
/// false when none is left.
fn next_branch(path: &mut Vec<Node>, bound: Option<usize>) -> bool {
    while let Some(node) = path.last_mut() {
        node.done.insert(node.chosen);
        let next = (node.backtrack.iter().copied()).find(|&q| {
            !node.done.contains(&q)
                && !node.asleep(q)
                && node.options.iter().any(|(p, _)| *p == q)
                && bound.is_none_or(|b| node.preemptions_with(q) <= b)
        });
        if let Some(q) = next {
            node.chosen = q;
            return true;
        }
        path.pop();
    }
    false
}

/// Every class of schedules of `subject`, one run each (with fresh
/// processes); a tally of one schedule per class.
pub(super) fn search(
    subject: &dyn Subject,
    settings: &Settings,
    exe: &Path,
    progress: &mut dyn FnMut(SearchProgress),
) -> Result<Tally, ExploreError> {
    let mut tally = subject.tally(settings);
    let mut path: Vec<Node> = Vec::new();
    loop {
        if settings.stopped() {
            return Err(ExploreError::Stopped);
        }
        if tally.runs >= settings.limit {
            return Err(subject.too_large(settings, (settings.limit + 1) as f64, true));
        }
        let mut chooser = DporChooser {
            subject,
            path: &mut path,
            depth: 0,
            sleep: Vec::new(),
            blocked_at: None,
            trace: Trace::default(),
            bounded: settings.preemptions.is_some(),
            prev: None,
            preempted: 0,
        };
        let (mut outcome, end) = subject.run(settings, exe, &mut chooser)?;
        let (mut trace, blocked) = (chooser.trace, chooser.blocked_at);
        if blocked.is_some() {
            // Ended where it stopped being new: a run, but no class.
            tally.runs += 1;
        } else {
            // The point the run ended at: who was killed by the last step.
            let (c, fps) = subject.see(&end);
            trace.note(&end, &c, &fps);
            if outcome.runaway {
                return Err(subject.too_large(settings, f64::INFINITY, false));
            }
            outcome.class = trace.class_key();
            tally.add(outcome);
        }
        let end = blocked.unwrap_or(trace.steps.len());
        for (i, procs) in races::branches(&trace, end) {
            if settings.preemptions.is_some() {
                free_switch(&mut path, i, &procs);
            }
            if let Some(node) = path.get_mut(i) {
                node.add_branches(procs);
            }
        }
        if let Some(b) = blocked {
            path.truncate(b);
        }
        if tally.runs == 1 {
            // Over the limit, the search would only find out after
            // minutes of runs: refuse at once.
            let estimate = GUESS_FACTOR * path.iter().map(Node::width).product::<f64>();
            if estimate > settings.limit as f64 {
                return Err(subject.too_large(settings, estimate, false));
            }
        }
        progress(SearchProgress {
            done: tally.runs,
            total: None,
        });
        if !next_branch(&mut path, settings.preemptions) {
            break;
        }
    }
    progress(SearchProgress {
        done: tally.runs,
        total: Some(tally.runs as f64),
    });
    Ok(tally)
}
