//! The race explorer: runs a lesson under every distinct schedule (or many
//! random ones), each time with fresh real processes, and counts how many
//! schedules break the lesson's check, how many deadlock, and what the key
//! quantity came to.
//!
//! Exhaustive mode is a stateless depth-first search by re-execution
//! ([`tree`]): run a path of choices, extend it deterministically, note the
//! options at each branch point, then back up to the deepest point with an
//! option not yet tried and run again from the start. The reduction in
//! [`moves`] keeps steps that touch nothing shared out of the interleaving.

pub mod command;
pub mod moves;
pub mod report;
mod tally;
pub mod tree;

pub use tally::{Outcome, Tally};

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::drive::{self, DriveError, Mode, Options};
use crate::lesson::{Lang, Lesson};
use moves::{ExploreChooser, Pick};
use tree::Tree;

/// Exhaustive searches larger than this are refused.
pub const DEFAULT_LIMIT: usize = 20_000;

/// Random runs that check the first run's bound on every search.
const QUICK_PROBES: u64 = 12;
/// Random runs that estimate a space that may be near or over the limit.
const PROBES: u64 = 200;

/// What to explore, besides the lesson.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Locks and semaphores switched off.
    pub off: Vec<String>,
    /// Take steps that touch nothing shared without interleaving them.
    pub reduce: bool,
    /// The most schedules an exhaustive search may run.
    pub limit: usize,
    /// Seed of random schedules (random mode, size estimates).
    pub seed: u64,
    /// Schedules run at the same time (each with its own processes).
    pub threads: usize,
    /// Set it to stop the exploration early (e.g. from the interface): the
    /// search returns [`ExploreError::Stopped`] after the runs under way.
    pub stop: Option<Arc<AtomicBool>>,
}

impl Settings {
    /// Reduced, at most [`DEFAULT_LIMIT`] schedules, one thread per core.
    pub fn new(off: Vec<String>) -> Settings {
        Settings {
            off,
            reduce: true,
            limit: DEFAULT_LIMIT,
            seed: 0,
            threads: default_threads(),
            stop: None,
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
pub struct Progress {
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
        /// `--procs` would help.
        shrinkable: bool,
    },
    #[error("failed to explore lesson `{0}`: a pool lesson is timed, not scheduled")]
    Pool(String),
    #[error("exploration stopped")]
    Stopped,
    #[error("{0}")]
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

/// Run `lesson` once under `chooser`, with fresh processes.
fn run_once(
    lesson: &Lesson,
    settings: &Settings,
    exe: &Path,
    chooser: &mut ExploreChooser,
) -> Result<Outcome, DriveError> {
    let opts = Options {
        off: settings.off.clone(),
        speed: lesson.speed,
        mode: Mode::Free,
        seed: settings.seed,
    };
    let finished = drive::run_chosen(lesson, &opts, exe, chooser, &mut |_, _| {})?;
    let verdict = finished.state.verdict(Lang::En);
    Ok(Outcome {
        schedule: finished.schedule,
        ok: verdict.ok,
        deadlock: verdict.deadlock.is_some(),
        actual: verdict.actual,
    })
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

/// Every distinct schedule of `lesson`, each with fresh processes. After a
/// first run, the search is split at its first branch point and the
/// subtrees are searched by `settings.threads` threads at once; their
/// tallies are merged in search order, so the result does not depend on
/// which thread was faster.
pub fn exhaustive(
    lesson: &Lesson,
    settings: &Settings,
    exe: &Path,
    progress: &mut dyn FnMut(Progress),
) -> Result<Tally, ExploreError> {
    if lesson.pool.is_some() {
        return Err(ExploreError::Pool(lesson.id.clone()));
    }
    let mut first = Tally::new(&settings.off, lesson.check.expect);
    let mut tree = Tree::new();
    let mut chooser = ExploreChooser::new(Pick::Tree(&mut tree), settings.reduce);
    let outcome = run_once(lesson, settings, exe, &mut chooser)?;
    // How many schedules: the first run's steps alone do not tell (a buyer
    // who finds a ticket does more than one who finds none; a child
    // terminated late makes more choices than one terminated early). A few
    // random runs estimate it, and many more when it may be large.
    let limit = settings.limit as f64;
    let (quick_mean, quick_widest) = estimate(lesson, settings, exe, 0, QUICK_PROBES)?;
    let mut total = quick_mean.max(1.0);
    if quick_mean > limit / 20.0 || quick_widest > limit / 4.0 {
        // Far over already: no need for a closer look.
        let (mean, widest) = if quick_mean > 4.0 * limit {
            (quick_mean, quick_widest)
        } else {
            let (m, w) = estimate(lesson, settings, exe, QUICK_PROBES, PROBES)?;
            let all = (QUICK_PROBES + PROBES) as f64;
            let mean = (m * PROBES as f64 + quick_mean * QUICK_PROBES as f64) / all;
            (mean, w.max(quick_widest))
        };
        total = mean;
        // The estimate is a mean of very unequal samples, low more often
        // than high: a mean near the limit, or one sample far over it, says
        // the space is probably over it.
        if mean > 0.75 * limit || widest > 8.0 * limit {
            return Err(ExploreError::TooLarge {
                estimate: mean,
                limit: settings.limit,
                counted: false,
                shrinkable: lesson.shrinkable(),
            });
        }
    }
    first.add(outcome);
    progress(Progress {
        done: 1,
        total: Some(total),
    });
    let subtrees = tree.split();
    if subtrees.is_empty() {
        return Ok(first);
    }
    let threads = settings.threads.clamp(1, subtrees.len());
    let done = AtomicUsize::new(1);
    let stop = AtomicBool::new(false);
    let (tx, rx) = crossbeam_channel::unbounded();
    let mut results: Vec<Option<Result<Tally, ExploreError>>> =
        (0..subtrees.len()).map(|_| None).collect();
    std::thread::scope(|scope| {
        for t in 0..threads {
            let mine: Vec<(usize, Tree)> = subtrees
                .iter()
                .enumerate()
                .filter(|(j, _)| j % threads == t)
                .map(|(j, tree)| (j, tree.clone()))
                .collect();
            let (tx, done, stop) = (tx.clone(), &done, &stop);
            scope.spawn(move || {
                for (j, mut tree) in mine {
                    let r = search(lesson, settings, exe, &mut tree, j == 0, done, stop);
                    if r.is_err() {
                        stop.store(true, Ordering::SeqCst);
                    }
                    if tx.send((j, r)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(tx);
        // This thread shows progress while the others search.
        loop {
            match rx.recv_timeout(Duration::from_millis(100)) {
                Ok((j, r)) => results[j] = Some(r),
                Err(crossbeam_channel::RecvTimeoutError::Timeout) => {}
                Err(crossbeam_channel::RecvTimeoutError::Disconnected) => break,
            }
            progress(Progress {
                done: done.load(Ordering::SeqCst),
                total: Some(total),
            });
        }
    });
    let mut tally = first;
    for r in results.into_iter().flatten() {
        tally.merge(r?);
    }
    if settings.stopped() {
        return Err(ExploreError::Stopped);
    }
    Ok(tally)
}

/// Search one subtree to its end; `ran`: its first path has been run already.
fn search(
    lesson: &Lesson,
    settings: &Settings,
    exe: &Path,
    tree: &mut Tree,
    ran: bool,
    done: &AtomicUsize,
    stop: &AtomicBool,
) -> Result<Tally, ExploreError> {
    let mut tally = Tally::new(&settings.off, lesson.check.expect);
    let diverged = |d: tree::Diverged| DriveError::Refused {
        refusal: crate::schedule::Refusal::Diverged {
            step: d.depth + 1,
            at_branch: true,
        },
        blocked: None,
    };
    if ran && !tree.next_path().map_err(diverged)? {
        return Ok(tally);
    }
    loop {
        if stop.load(Ordering::SeqCst) || settings.stopped() {
            return Ok(tally);
        }
        if done.fetch_add(1, Ordering::SeqCst) >= settings.limit {
            return Err(ExploreError::TooLarge {
                estimate: (settings.limit + 1) as f64,
                limit: settings.limit,
                counted: true,
                shrinkable: lesson.shrinkable(),
            });
        }
        let mut chooser = ExploreChooser::new(Pick::Tree(tree), settings.reduce);
        tally.add(run_once(lesson, settings, exe, &mut chooser)?);
        if !tree.next_path().map_err(diverged)? {
            return Ok(tally);
        }
    }
}

/// Knuth's estimate of the number of schedules: the mean, over random
/// runs, of the product of the branch sizes met on the way; and the
/// largest such product.
fn estimate(
    lesson: &Lesson,
    settings: &Settings,
    exe: &Path,
    first: u64,
    probes: u64,
) -> Result<(f64, f64), DriveError> {
    let (mut sum, mut widest) = (0.0, 0.0f64);
    for i in first..first + probes {
        let mut chooser = ExploreChooser::random(settings.seed.wrapping_add(i), settings.reduce);
        run_once(lesson, settings, exe, &mut chooser)?;
        sum += chooser.weight;
        widest = widest.max(chooser.weight);
    }
    Ok((sum / probes as f64, widest))
}

/// `runs` random schedules; run `i` uses seed `settings.seed + i`. The runs
/// are shared among `settings.threads` threads and tallied in order of `i`.
pub fn random(
    lesson: &Lesson,
    settings: &Settings,
    runs: usize,
    exe: &Path,
    progress: &mut dyn FnMut(Progress),
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
                    let r = run_once(lesson, settings, exe, &mut chooser);
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
            progress(Progress {
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
    for o in outcomes.into_iter().flatten() {
        tally.add(o);
    }
    Ok(tally)
}

/// Wall time and throughput of an exploration.
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    pub elapsed: Duration,
    pub runs: usize,
}

impl Timing {
    pub fn since(start: Instant, runs: usize) -> Timing {
        Timing {
            elapsed: start.elapsed(),
            runs,
        }
    }

    pub fn per_second(&self) -> f64 {
        self.runs as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}
