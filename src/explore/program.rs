//! Exploring a real Python program (`lockstep explore PROGRAM.py`): every
//! distinct schedule by re-execution along [`Branches`], or random ones,
//! each with a fresh CPython. A process's next step is what its gate
//! reported (`site`: the op and the object's Python name), so the same
//! reduction applies: a `print` or a `sleep` (or a lock switched off)
//! touches nothing shared and is taken at once; an acquire of a taken
//! lock, a get from an empty queue, a recv with nothing to read and a wait
//! on an unset event are not offered while another process can move.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use super::branches::Branches;
use super::moves::{Candidate, Moves, Pick, moves};
use super::{ExploreError, Outcome, SearchProgress, Settings, Tally};
use crate::drive::{self, DriveError};
use crate::engine::Controller;
use crate::model::{Phase, RunState};
use crate::python::{self, Program};
use crate::schedule::{Chooser, Refusal};

/// Each process of a program's run as the explorer sees it.
pub fn candidates(state: &RunState) -> Vec<Candidate> {
    candidates_with(state, true)
}

/// `candidates`; `off_local`: a lock switched off touches nothing shared
/// (not so when the program expects how many are inside it at once).
fn candidates_with(state: &RunState, off_local: bool) -> Vec<Candidate> {
    let movable = state.runnable();
    let ipc = &state.ipc;
    state
        .procs
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let (op, name) = p
                .site
                .as_ref()
                .map_or(("", ""), |s| (s.op.as_str(), s.name.as_str()));
            let lock = state.locks.iter().find(|l| l.name == name);
            let off = lock.is_some_and(|l| l.off);
            let queue = ipc.queues.iter().find(|q| q.name == name);
            let enabled = match op {
                "acquire" => lock.is_none_or(|l| l.off || l.available > 0),
                "get" => queue.is_none_or(|q| !q.items.is_empty()),
                // A queue's join waits for its tasks; a process's, for its end.
                "join" => match queue {
                    Some(q) => q.unfinished <= 0,
                    None => state
                        .procs
                        .iter()
                        .all(|c| c.role != name || c.phase == Phase::Finished),
                },
                "recv" => ipc
                    .ends
                    .iter()
                    .position(|e| e.name == name)
                    .is_none_or(|e| !ipc.ends[e].inbox.is_empty() || ipc.writers_gone(e)),
                "wait" => ipc
                    .events
                    .iter()
                    .find(|e| e.name == name)
                    .is_none_or(|e| e.set),
                _ => true,
            };
            let local = matches!(op, "print" | "sleep")
                || (matches!(op, "acquire" | "release") && off && off_local);
            Candidate {
                at_gate: movable.get(i).copied().unwrap_or(false),
                enabled,
                local,
            }
        })
        .collect()
}

/// The explorer's chooser for a program's run.
pub struct ProgramChooser<'t> {
    pick: Pick<'t>,
    reduce: bool,
    /// A lock switched off is a local step (see `candidates_with`).
    off_local: bool,
    taken: Vec<usize>,
}

impl<'t> ProgramChooser<'t> {
    pub fn new(pick: Pick<'t>, reduce: bool) -> ProgramChooser<'t> {
        ProgramChooser {
            pick,
            reduce,
            off_local: true,
            taken: Vec::new(),
        }
    }

    /// For `program`: its locks switched off are shared steps when it
    /// expects how many are inside one at once (`max_inside`).
    fn of(program: &Program, pick: Pick<'t>, reduce: bool) -> ProgramChooser<'t> {
        let mut chooser = ProgramChooser::new(pick, reduce);
        chooser.off_local = !program
            .expectations
            .iter()
            .any(|e| matches!(e.check, python::expect::Check::MaxInside { .. }));
        chooser
    }
}

impl Chooser for ProgramChooser<'_> {
    fn choose(&mut self, state: &RunState) -> Result<Option<usize>, Refusal> {
        let p = match moves(&candidates_with(state, self.off_local), self.reduce) {
            Moves::Done => return Ok(None),
            Moves::Doomed(p) | Moves::Forced(p) => p,
            Moves::Branch(options) => match &mut self.pick {
                Pick::Branches(branches) => {
                    branches.choose(&options).map_err(|_| Refusal::Diverged {
                        step: self.taken.len() + 1,
                        at_branch: false,
                    })?
                }
                Pick::Random(rng) => options[rng.random_range(0..options.len())],
            },
        };
        self.taken.push(p);
        Ok(Some(p))
    }

    fn schedule(&self) -> Vec<usize> {
        self.taken.iter().map(|p| p + 1).collect()
    }
}

/// Run `program` once under `chooser`, with a fresh interpreter, and judge
/// it against its expectations: bad if one fails, a process fails, or the
/// run deadlocks. Its key quantity is the first value expected.
pub fn run_once(
    program: &Program,
    settings: &Settings,
    exe: &Path,
    chooser: &mut dyn Chooser,
) -> Result<Outcome, DriveError> {
    let semprefix = python::shim::semaphore_prefix();
    let plan = python::plan(program, exe, 1.0, settings.seed, &semprefix, &settings.off);
    let mut inside = python::inside::Inside::default();
    let finished = Controller::start_plan(plan, python::model(program))
        .and_then(|c| drive::run_started_chosen(c, chooser, &mut |ev, _| inside.see(ev)));
    if let Some(pgid) = finished.as_ref().ok().and_then(|f| f.state.procs[0].pid) {
        python::shim::end_helpers(pgid);
    }
    python::shim::sweep_semaphores(&semprefix);
    let finished = finished?;
    let state = &finished.state;
    let outcomes = python::expect::judge(&program.expectations, state, &inside);
    // A program's steps have no footprints yet: each schedule is its own class.
    let class = {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        finished.schedule.hash(&mut h);
        h.finish()
    };
    Ok(Outcome {
        ok: state.deadlock.is_none() && state.failures().is_none() && outcomes.iter().all(|o| o.ok),
        deadlock: state.deadlock.is_some(),
        actual: outcomes.iter().find_map(|o| o.actual).unwrap_or(0),
        class,
        runaway: false,
        schedule: finished.schedule,
    })
}

/// Whether the reduction is sound for `program`: a process's end is not a
/// step of its own, so a program that looks at ends (`is_alive`,
/// `exitcode`, `terminate`, `kill`, a daemon ended at exit) has every step
/// interleaved.
pub fn reducible(program: &Program) -> bool {
    !["is_alive", "exitcode", "terminate", "kill", "daemon"]
        .iter()
        .any(|w| program.source.contains(w))
}

/// Every distinct schedule of `program`, each with a fresh CPython. After a
/// first run the search is split at its first branch point and the shares
/// are searched on `settings.threads` threads; their tallies are merged in
/// search order, so the result does not depend on which was faster.
pub fn exhaustive(
    program: &Program,
    settings: &Settings,
    exe: &Path,
    progress: &mut dyn FnMut(SearchProgress),
) -> Result<Tally, ExploreError> {
    let reduce = settings.reduce && reducible(program);
    let mut branches = Branches::new();
    let mut tally = Tally::new(&settings.off, program.lesson.check.expect);
    let mut chooser = ProgramChooser::of(program, Pick::Branches(&mut branches), reduce);
    tally.add(run_once(program, settings, exe, &mut chooser)?);
    progress(SearchProgress {
        done: 1,
        total: None,
    });
    let shares = branches.split();
    let threads = settings.threads.clamp(1, shares.len().max(1));
    let done = AtomicUsize::new(1);
    let mut results: Vec<Option<Result<Tally, ExploreError>>> =
        (0..shares.len()).map(|_| None).collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let (shares, done) = (&shares, &done);
                scope.spawn(move || {
                    let mine = shares.iter().enumerate().filter(|(j, _)| j % threads == t);
                    mine.map(|(j, b)| (j, share(program, settings, exe, b.clone(), j == 0, done)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for h in handles {
            for (j, r) in h.join().unwrap_or_default() {
                results[j] = Some(r);
            }
        }
    });
    for r in results.into_iter().flatten() {
        tally.merge(r?);
    }
    progress(SearchProgress {
        done: tally.schedules,
        total: Some(tally.schedules as f64),
    });
    Ok(tally)
}

/// Search one share of an exhaustive search to its end; `ran`: its first
/// path has been run already. `done` counts the runs of every share.
fn share(
    program: &Program,
    settings: &Settings,
    exe: &Path,
    mut branches: Branches,
    ran: bool,
    done: &AtomicUsize,
) -> Result<Tally, ExploreError> {
    let reduce = settings.reduce && reducible(program);
    let mut tally = Tally::new(&settings.off, program.lesson.check.expect);
    let next = |b: &mut Branches| {
        b.next_path().map_err(|d| DriveError::Refused {
            refusal: Refusal::Diverged {
                step: d.depth + 1,
                at_branch: true,
            },
            blocked: None,
        })
    };
    if ran && !next(&mut branches)? {
        return Ok(tally);
    }
    loop {
        if settings.stopped() {
            return Err(ExploreError::Stopped);
        }
        if done.fetch_add(1, Ordering::SeqCst) >= settings.limit {
            return Err(ExploreError::TooLarge {
                estimate: (settings.limit + 1) as f64,
                limit: settings.limit,
                counted: true,
                shrinkable: false,
            });
        }
        let mut chooser = ProgramChooser::of(program, Pick::Branches(&mut branches), reduce);
        tally.add(run_once(program, settings, exe, &mut chooser)?);
        if !next(&mut branches)? {
            return Ok(tally);
        }
    }
}

/// `runs` random schedules of `program`; run `i` uses seed `settings.seed + i`.
pub fn random(
    program: &Program,
    settings: &Settings,
    runs: usize,
    exe: &Path,
    progress: &mut dyn FnMut(SearchProgress),
) -> Result<Tally, ExploreError> {
    let mut tally = Tally::new(&settings.off, program.lesson.check.expect);
    for i in 0..runs {
        if settings.stopped() {
            return Err(ExploreError::Stopped);
        }
        let rng = StdRng::seed_from_u64(settings.seed.wrapping_add(i as u64));
        let reduce = settings.reduce && reducible(program);
        let mut chooser = ProgramChooser::of(program, Pick::Random(Box::new(rng)), reduce);
        tally.add(run_once(program, settings, exe, &mut chooser)?);
        progress(SearchProgress {
            done: tally.schedules,
            total: Some(runs as f64),
        });
    }
    Ok(tally)
}
