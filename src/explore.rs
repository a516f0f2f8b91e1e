//! The race explorer: runs a lesson under every distinct schedule (or many
//! random ones), each time with fresh real processes, and counts how many
//! schedules break the lesson's check, how many deadlock, and what the key
//! quantity came to.
//!
//! Exhaustive mode runs one schedule per class of equivalent schedules
//! ([`dpor`]: dynamic partial-order reduction over what each step touches,
//! [`footprint`]; see docs/explorer.md). `--no-reduce` and `--no-dpor` keep
//! the search before it: a stateless depth-first search by re-execution
//! ([`branches`]) over every order of the steps, where the reduction in
//! [`moves`] keeps steps that touch nothing shared out of the interleaving.

pub mod branches;
mod channels;
pub mod command;
mod dpor;
pub mod footprint;
mod gates;
pub mod moves;
pub mod program;
mod progress_line;
pub mod races;
pub mod report;
mod search;
mod size;
mod tally;
pub mod trace;

pub use progress_line::ProgressLine;
pub use search::exhaustive;
pub use tally::{Outcome, Tally};

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::drive::{self, DriveError, Options, Pace};
use crate::lesson::{Lang, Lesson};
use moves::ExploreChooser;

/// Exhaustive searches larger than this are refused.
pub const DEFAULT_LIMIT: usize = 20_000;

/// What to explore, besides the lesson.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Locks and semaphores switched off.
    pub off: Vec<String>,
    /// Take steps that touch nothing shared without interleaving them.
    pub reduce: bool,
    /// With `reduce`: run one schedule per class of equivalent schedules
    /// (dynamic partial-order reduction), not every order of shared steps.
    pub dpor: bool,
    /// With `dpor`: a bounded search, only schedules that switch away from
    /// a process that could go on at most this many times.
    pub preemptions: Option<usize>,
    /// The most schedules an exhaustive search may run.
    pub limit: usize,
    /// Seed of random schedules (random mode, size estimates).
    pub seed: u64,
    /// Schedules run at the same time (each with its own processes).
    pub threads: usize,
    /// Set it to stop the exploration early (e.g. from the interface): the
    /// search returns [`ExploreError::Stopped`] after the runs under way.
    pub stop: Option<Arc<AtomicBool>>,
    /// The timing model schedules follow; `None`: the lesson's own.
    pub timing: Option<crate::lesson::Timing>,
}

impl Settings {
    /// Reduced, at most [`DEFAULT_LIMIT`] schedules, one thread per core.
    pub fn new(off: Vec<String>) -> Settings {
        Settings {
            off,
            reduce: true,
            dpor: true,
            preemptions: None,
            limit: DEFAULT_LIMIT,
            seed: 0,
            threads: default_threads(),
            stop: None,
            timing: None,
        }
    }

    fn stopped(&self) -> bool {
        self.stop.as_ref().is_some_and(|s| s.load(Ordering::SeqCst))
    }
}

/// One search thread per core.
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// Where an exploration stands, for a progress line.
#[derive(Debug, Clone, Copy)]
pub struct SearchProgress {
    pub done: usize,
    /// The expected total when known.
    pub total: Option<f64>,
}

#[derive(Debug, thiserror::Error)]
pub enum ExploreError {
    #[error(
        "failed to explore: {}; try {}random search (--random 1000)",
        if *counted {
            format!("more than the limit of {limit} schedules (found while running them)")
        } else if !estimate.is_finite() {
            format!("more schedules than can be counted, far over the limit of {limit} (do its runs ever end? a process may loop forever)")
        } else if *estimate > *limit as f64 {
            format!("about {} schedules, more than the limit of {limit}", show_size(*estimate))
        } else {
            format!(
                "about {} schedules by an estimate from random runs, too close to the limit of {limit} to run them all",
                show_size(*estimate)
            )
        },
        if *shrinkable { "fewer processes (--procs 2) or " } else { "" }
    )]
    TooLarge {
        estimate: f64,
        limit: usize,
        /// Found by running more than the limit, not estimated beforehand.
        counted: bool,
        /// `--procs 2` would help: the lesson can be shrunk, and has more.
        shrinkable: bool,
    },
    #[error("failed to explore lesson `{0}`: a pool lesson is timed, not scheduled")]
    Pool(String),
    #[error("exploration stopped")]
    Stopped,
    #[error(transparent)]
    Drive(#[from] DriveError),
}

/// A count for people: exact when small, else in scientific notation.
pub fn show_size(n: f64) -> String {
    if n < 1e15 {
        format!("{}", n.round() as u64)
    } else {
        format!("{n:.1e}")
    }
}

/// Run `lesson` once under the explorer's `chooser`, with fresh
/// processes; the outcome knows its class.
fn run_explore(
    lesson: &Lesson,
    settings: &Settings,
    exe: &Path,
    chooser: &mut ExploreChooser,
) -> Result<Outcome, DriveError> {
    let mut outcome = run_once(lesson, settings, exe, chooser)?;
    outcome.class = chooser.trace.class_key();
    Ok(outcome)
}

/// Run `lesson` once under `chooser`, with fresh processes.
fn run_once(
    lesson: &Lesson,
    settings: &Settings,
    exe: &Path,
    chooser: &mut dyn crate::schedule::Chooser,
) -> Result<Outcome, DriveError> {
    run_ended(lesson, settings, exe, chooser).map(|(outcome, _)| outcome)
}

/// `run_once`, and the model as the run ended.
fn run_ended(
    lesson: &Lesson,
    settings: &Settings,
    exe: &Path,
    chooser: &mut dyn crate::schedule::Chooser,
) -> Result<(Outcome, crate::model::RunState), DriveError> {
    let opts = Options {
        off: settings.off.clone(),
        speed: lesson.speed,
        pace: Pace::Free,
        seed: settings.seed,
        timing: settings.timing,
        sigterms: Vec::new(),
    };
    let finished = drive::run_chosen(lesson, &opts, exe, chooser, &mut |_, _| {})?;
    let verdict = finished.state.verdict(Lang::En);
    let outcome = Outcome {
        schedule: finished.schedule,
        ok: verdict.ok,
        deadlock: verdict.deadlock.is_some(),
        actual: verdict.actual,
        class: 0,
        runaway: finished.state.steps >= drive::step_cap(&finished.state),
    };
    Ok((outcome, finished.state))
}

/// Orders of steps when process i takes `counts[i]` of them: the multinomial
/// coefficient, an upper bound on the schedules of straight-line programs.
pub fn interleavings(counts: &[usize]) -> f64 {
    let mut total = 0usize;
    let mut ln = 0.0f64;
    for &c in counts {
        for k in 1..=c {
            total += 1;
            ln += (total as f64).ln() - (k as f64).ln();
        }
    }
    ln.exp().round()
}

/// `runs` random schedules; run `i` uses seed `settings.seed + i`. The runs
/// are shared among `settings.threads` threads and tallied in order of `i`.
pub fn random(
    lesson: &Lesson,
    settings: &Settings,
    runs: usize,
    exe: &Path,
    progress: &mut dyn FnMut(SearchProgress),
) -> Result<Tally, ExploreError> {
    if lesson.pool.is_some() {
        return Err(ExploreError::Pool(lesson.id.clone()));
    }
    let threads = settings.threads.clamp(1, runs.max(1));
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let (tx, rx) = crossbeam_channel::unbounded();
    let mut outcomes: Vec<Option<Outcome>> = (0..runs).map(|_| None).collect();
    let mut failure = None;
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let (tx, next, done, stop) = (tx.clone(), &next, &done, &stop);
            scope.spawn(move || {
                while !stop.load(Ordering::SeqCst) && !settings.stopped() {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    if i >= runs {
                        return;
                    }
                    let mut chooser = ExploreChooser::random(
                        settings.seed.wrapping_add(i as u64),
                        settings.reduce,
                    );
                    let r = run_explore(lesson, settings, exe, &mut chooser);
                    if r.is_err() {
                        stop.store(true, Ordering::SeqCst);
                    }
                    done.fetch_add(1, Ordering::SeqCst);
                    if tx.send((i, r)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(tx);
        loop {
            match rx.recv_timeout(Duration::from_millis(100)) {
                Ok((i, Ok(o))) => outcomes[i] = Some(o),
                Ok((_, Err(e))) => {
                    failure.get_or_insert(e);
                }
                Err(crossbeam_channel::RecvTimeoutError::Timeout) => {}
                Err(crossbeam_channel::RecvTimeoutError::Disconnected) => break,
            }
            progress(SearchProgress {
                done: done.load(Ordering::SeqCst),
                total: Some(runs as f64),
            });
        }
    });
    if let Some(e) = failure {
        return Err(e.into());
    }
    if settings.stopped() {
        return Err(ExploreError::Stopped);
    }
    let mut tally = Tally::new(&settings.off, lesson.check.expect);
    tally.timing = settings.timing.unwrap_or(lesson.timing);
    for o in outcomes.into_iter().flatten() {
        tally.add(o);
    }
    Ok(tally)
}

/// Wall time and throughput of an exploration.
#[derive(Debug, Clone, Copy)]
pub struct Throughput {
    pub elapsed: Duration,
    pub runs: usize,
}

impl Throughput {
    pub fn since(start: Instant, runs: usize) -> Throughput {
        Throughput {
            elapsed: start.elapsed(),
            runs,
        }
    }

    pub fn per_second(&self) -> f64 {
        self.runs as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}
