//! Exploring a real Python program (`lockstep explore PROGRAM.py`): one
//! schedule per class by the same dynamic partial-order reduction as a
//! lesson's ([`super::dpor`], over what each gate touches: [`gates`]), or
//! every distinct schedule by re-execution along [`Branches`] (`--no-dpor`,
//! `--no-reduce`), or random ones, each with a fresh CPython. A step that
//! touches nothing shared (a `print`, a `sleep`, a lock switched off) is
//! taken at once unless `--no-reduce`; an acquire of a taken lock, a get
//! from an empty queue, a recv with nothing to read and a wait on an unset
//! event are not offered while another process can move.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use super::branches::Branches;
use super::dpor::{self, Subject};
use super::footprint::Footprint;
use super::gates::{self, Watch};
use super::moves::{Candidate, Moves, Pick, moves};
use super::trace::Trace;
use super::{ExploreError, Outcome, SearchProgress, Settings, Tally};
use crate::drive::{self, DriveError};
use crate::engine::Controller;
use crate::model::RunState;
use crate::python::{self, Program};
use crate::schedule::{Chooser, Refusal};

/// The explorer's chooser for a program's run (but the reduced search's).
pub struct ProgramChooser<'t> {
    pick: Pick<'t>,
    reduce: bool,
    watch: Watch,
    taken: Vec<usize>,
    /// What the run did, for its class.
    trace: Trace,
}

impl<'t> ProgramChooser<'t> {
    /// For `program` with the locks `settings` switches off.
    fn of(program: &Program, settings: &Settings, pick: Pick<'t>) -> ProgramChooser<'t> {
        ProgramChooser {
            pick,
            reduce: settings.reduce,
            watch: Watch::of(program, &settings.off),
            taken: Vec::new(),
            trace: Trace::default(),
        }
    }
}

impl Chooser for ProgramChooser<'_> {
    fn choose(&mut self, state: &RunState) -> Result<Option<usize>, Refusal> {
        let (c, fps) = gates::see(state, &self.watch);
        self.trace.note(state, &c, &fps);
        let p = match moves(&c, self.reduce) {
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
        self.trace.take(state, p, fps[p].clone());
        self.taken.push(p);
        Ok(Some(p))
    }

    fn schedule(&self) -> Vec<usize> {
        self.taken.iter().map(|p| p + 1).collect()
    }
}

/// Run `program` once under `chooser`, its outcome with its class.
fn run_chosen(
    program: &Program,
    settings: &Settings,
    exe: &Path,
    mut chooser: ProgramChooser,
) -> Result<Outcome, DriveError> {
    let (mut outcome, _) = run_ended(program, settings, exe, &mut chooser)?;
    outcome.class = chooser.trace.class_key();
    Ok(outcome)
}

/// A program as the reduced search sees it.
struct Explored<'a> {
    program: &'a Program,
    watch: Watch,
}

impl Subject for Explored<'_> {
    fn see(&self, state: &RunState) -> (Vec<Candidate>, Vec<Footprint>) {
        gates::see(state, &self.watch)
    }

    fn run(
        &self,
        settings: &Settings,
        exe: &Path,
        chooser: &mut dyn Chooser,
    ) -> Result<(Outcome, RunState), DriveError> {
        run_ended(self.program, settings, exe, chooser)
    }

    fn tally(&self, settings: &Settings) -> Tally {
        let mut tally = Tally::per_class(&settings.off, self.program.lesson.check.expect);
        tally.timing = self.program.lesson.timing;
        tally
    }

    fn too_large(&self, settings: &Settings, estimate: f64, counted: bool) -> ExploreError {
        ExploreError::TooLarge {
            estimate,
            limit: settings.limit,
            counted,
            shrinkable: false,
        }
    }
}

/// Run `program` once under `chooser`, with a fresh interpreter, and judge
/// it against its expectations: bad if one fails, a process fails, or the
/// run deadlocks. Its key quantity is the first value expected. The model
/// as the run ended comes with it.
fn run_ended(
    program: &Program,
    settings: &Settings,
    exe: &Path,
    chooser: &mut dyn Chooser,
) -> Result<(Outcome, RunState), DriveError> {
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
    let state = finished.state;
    let outcomes = python::expect::judge(&program.expectations, &state, &inside);
    let outcome = Outcome {
        ok: state.deadlock.is_none() && state.failures().is_none() && outcomes.iter().all(|o| o.ok),
        deadlock: state.deadlock.is_some(),
        actual: outcomes.iter().find_map(|o| o.actual).unwrap_or(0),
        class: 0,
        runaway: false,
        schedule: finished.schedule,
    };
    Ok((outcome, state))
}

/// Whether an exhaustive search of `program` runs one schedule per class.
pub fn by_class(_program: &Program, settings: &Settings) -> bool {
    settings.reduce && settings.dpor
}

/// One schedule per class of `program` (the reduced search), or, without
/// `settings.dpor`, every distinct schedule, each with a fresh CPython.
pub fn exhaustive(
    program: &Program,
    settings: &Settings,
    exe: &Path,
    progress: &mut dyn FnMut(SearchProgress),
) -> Result<Tally, ExploreError> {
    if by_class(program, settings) {
        let explored = Explored {
            program,
            watch: Watch::of(program, &settings.off),
        };
        return dpor::search(&explored, settings, exe, progress);
    }
    every_schedule(program, settings, exe, progress)
}

/// Every distinct schedule of `program`. After a first run the search is
/// split at its first branch point and the shares are searched on
/// `settings.threads` threads; their tallies are merged in search order, so
/// the result does not depend on which was faster.
fn every_schedule(
    program: &Program,
    settings: &Settings,
    exe: &Path,
    progress: &mut dyn FnMut(SearchProgress),
) -> Result<Tally, ExploreError> {
    let mut branches = Branches::new();
    let mut tally = Tally::new(&settings.off, program.lesson.check.expect);
    let chooser = ProgramChooser::of(program, settings, Pick::Branches(&mut branches));
    tally.add(run_chosen(program, settings, exe, chooser)?);
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
        let chooser = ProgramChooser::of(program, settings, Pick::Branches(&mut branches));
        tally.add(run_chosen(program, settings, exe, chooser)?);
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
        let chooser = ProgramChooser::of(program, settings, Pick::Random(Box::new(rng)));
        tally.add(run_chosen(program, settings, exe, chooser)?);
        progress(SearchProgress {
            done: tally.schedules,
            total: Some(runs as f64),
        });
    }
    Ok(tally)
}
