//! Exhaustive mode: every distinct schedule, found by re-running the
//! lesson along the paths of its [`Branches`], its shares searched on several
//! threads at once.

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use super::branches::{self, Branches};
use super::moves::{ExploreChooser, Pick};
use super::{ExploreError, SearchProgress, Settings, Tally, run_explore, size};
use crate::drive::DriveError;
use crate::lesson::Lesson;

/// Every distinct schedule of `lesson`, each with fresh processes. After a
/// first run, the search is split at its first branch point and the
/// shares are searched by `settings.threads` threads at once; their
/// tallies are merged in search order, so the result does not depend on
/// which thread was faster.
pub fn exhaustive(
    lesson: &Lesson,
    settings: &Settings,
    exe: &Path,
    progress: &mut dyn FnMut(SearchProgress),
) -> Result<Tally, ExploreError> {
    if lesson.pool.is_some() {
        return Err(ExploreError::Pool(lesson.id.clone()));
    }
    if settings.reduce && settings.dpor {
        return super::dpor::search(lesson, settings, exe, progress);
    }
    let mut first = Tally::new(&settings.off, lesson.check.expect);
    first.timing = settings.timing.unwrap_or(lesson.timing);
    let mut branches = Branches::new();
    let mut chooser = ExploreChooser::new(Pick::Branches(&mut branches), settings.reduce);
    let outcome = run_explore(lesson, settings, exe, &mut chooser)?;
    let total = size::expected_schedules(lesson, settings, exe)?;
    first.add(outcome);
    progress(SearchProgress {
        done: 1,
        total: Some(total),
    });
    let shares = branches.split();
    if shares.is_empty() {
        return Ok(first);
    }
    let results = search_shares(lesson, settings, exe, shares, total, progress);
    let mut tally = first;
    for r in results.into_iter().flatten() {
        tally.merge(r?);
    }
    if settings.stopped() {
        return Err(ExploreError::Stopped);
    }
    Ok(tally)
}

/// Search `shares` on `settings.threads` threads, showing progress on
/// this one. Each result lands at its share's place.
fn search_shares(
    lesson: &Lesson,
    settings: &Settings,
    exe: &Path,
    shares: Vec<Branches>,
    total: f64,
    progress: &mut dyn FnMut(SearchProgress),
) -> Vec<Option<Result<Tally, ExploreError>>> {
    let threads = settings.threads.clamp(1, shares.len());
    let done = AtomicUsize::new(1);
    let stop = AtomicBool::new(false);
    let (tx, rx) = crossbeam_channel::unbounded();
    let mut results: Vec<Option<Result<Tally, ExploreError>>> =
        (0..shares.len()).map(|_| None).collect();
    std::thread::scope(|scope| {
        for t in 0..threads {
            let mine: Vec<(usize, Branches)> = shares
                .iter()
                .enumerate()
                .filter(|(j, _)| j % threads == t)
                .map(|(j, branches)| (j, branches.clone()))
                .collect();
            let (tx, done, stop) = (tx.clone(), &done, &stop);
            scope.spawn(move || {
                for (j, mut branches) in mine {
                    let r = search(lesson, settings, exe, &mut branches, j == 0, done, stop);
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
            progress(SearchProgress {
                done: done.load(Ordering::SeqCst),
                total: Some(total),
            });
        }
    });
    results
}

/// Search one share to its end; `ran`: its first path has been run already.
fn search(
    lesson: &Lesson,
    settings: &Settings,
    exe: &Path,
    branches: &mut Branches,
    ran: bool,
    done: &AtomicUsize,
    stop: &AtomicBool,
) -> Result<Tally, ExploreError> {
    let mut tally = Tally::new(&settings.off, lesson.check.expect);
    let diverged = |d: branches::Diverged| DriveError::Refused {
        refusal: crate::schedule::Refusal::Diverged {
            step: d.depth + 1,
            at_branch: true,
        },
        blocked: None,
    };
    if ran && !branches.next_path().map_err(diverged)? {
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
                shrinkable: lesson.shrinkable() && lesson.process_count() > 2,
            });
        }
        let mut chooser = ExploreChooser::new(Pick::Branches(branches), settings.reduce);
        tally.add(run_explore(lesson, settings, exe, &mut chooser)?);
        if !branches.next_path().map_err(diverged)? {
            return Ok(tally);
        }
    }
}
