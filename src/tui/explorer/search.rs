//! The search behind the explorer screen, on its own thread: shrink the
//! lesson (3 processes, else 2), try every schedule (or random ones when
//! there are too many) with the locks off, then on, and report as it goes.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use crossbeam_channel::Sender;

use super::{Coverage, LIMIT, News, RANDOM_RUNS};
use crate::explore::{self, ExploreError, SearchProgress, Settings, Tally};
use crate::lesson::Lesson;

/// How one search runs: its lesson settings, where its runs' processes
/// come from, how it is stopped and where it reports.
struct Search<'a> {
    exe: &'a std::path::Path,
    stop: &'a Arc<AtomicBool>,
    tx: &'a Sender<News>,
}

impl Search<'_> {
    fn settings(&self, off: &[String]) -> Settings {
        Settings {
            limit: LIMIT,
            stop: Some(self.stop.clone()),
            ..Settings::new(off.to_vec())
        }
    }

    /// Progress of set `set`, sent to the screen.
    fn progress(&self, set: usize) -> impl FnMut(SearchProgress) + use<> {
        let tx = self.tx.clone();
        move |progress: SearchProgress| {
            let _ = tx.send(News::Progress { set, progress });
        }
    }

    fn send(&self, news: News) {
        let _ = self.tx.send(news);
    }

    /// Every schedule of `lesson` with `off`, or `runs` random ones.
    fn run(
        &self,
        lesson: &Lesson,
        off: &[String],
        mode: Coverage,
        set: usize,
    ) -> Result<Tally, ExploreError> {
        let s = self.settings(off);
        match mode {
            Coverage::Every => explore::exhaustive(lesson, &s, self.exe, &mut self.progress(set)),
            Coverage::Random(runs) => {
                explore::random(lesson, &s, runs, self.exe, &mut self.progress(set))
            }
        }
    }
}

/// Choose the size (3 processes, else 2) and the mode, then run every set.
pub fn search(
    lesson: &Lesson,
    offs: &[Vec<String>],
    exe: &std::path::Path,
    stop: &Arc<AtomicBool>,
    tx: &Sender<News>,
) -> Result<(), String> {
    if lesson.pool.is_some() {
        return Err(ExploreError::Pool(lesson.id.clone()).to_string());
    }
    let search = Search { exe, stop, tx };
    let (shrunk, mode) = first_set(&search, lesson, &offs[0])?;
    for (set, off) in offs.iter().enumerate().skip(1) {
        let (tally, mode) = match search.run(&shrunk, off, mode, set) {
            // Locks make some orders impossible, rarely more: say so if not.
            Err(ExploreError::TooLarge { .. }) => {
                let random = Coverage::Random(RANDOM_RUNS);
                (search.run(&shrunk, off, random, set), random)
            }
            other => (other, mode),
        };
        let tally = tally.map_err(|e| e.to_string())?;
        search.send(News::Done { set, tally, mode });
    }
    Ok(())
}

/// The sizes to try: 3 processes, else 2, when the lesson can be shrunk;
/// else as it is.
fn sizes(lesson: &Lesson) -> Vec<usize> {
    let declared = lesson.process_count();
    let mut sizes: Vec<usize> = [3, 2]
        .into_iter()
        .filter(|n| *n < declared && lesson.with_processes(*n).is_ok())
        .collect();
    if sizes.is_empty() {
        sizes.push(declared);
    }
    sizes
}

/// Search the first set (locks off) at the largest size that can be
/// searched whole, else with random schedules; the shrunk lesson and the
/// mode the other sets use.
fn first_set(
    search: &Search,
    lesson: &Lesson,
    off: &[String],
) -> Result<(Lesson, Coverage), String> {
    let declared = lesson.process_count();
    let mut last_shrunk = None;
    for n in sizes(lesson) {
        let shrunk = if n == declared {
            lesson.clone()
        } else {
            lesson.with_processes(n)?
        };
        search.send(News::Trying {
            procs: Some(n),
            limit: LIMIT,
        });
        match search.run(&shrunk, off, Coverage::Every, 0) {
            Ok(tally) => {
                search.send(News::Plan {
                    lesson: Box::new(shrunk.clone()),
                    procs: Some(n),
                    mode: Coverage::Every,
                });
                search.send(News::Done {
                    set: 0,
                    tally,
                    mode: Coverage::Every,
                });
                return Ok((shrunk, Coverage::Every));
            }
            Err(ExploreError::TooLarge { .. }) => last_shrunk = Some((shrunk, n)),
            Err(e) => return Err(e.to_string()),
        }
    }
    let Some((shrunk, n)) = last_shrunk else {
        return Err("nothing to explore".into());
    };
    let mode = Coverage::Random(RANDOM_RUNS);
    search.send(News::Plan {
        lesson: Box::new(shrunk.clone()),
        procs: Some(n),
        mode,
    });
    let tally = search
        .run(&shrunk, off, mode, 0)
        .map_err(|e| e.to_string())?;
    search.send(News::Done {
        set: 0,
        tally,
        mode,
    });
    Ok((shrunk, mode))
}
