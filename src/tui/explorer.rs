//! The explorer screen (`e`): every schedule of a shrunk lesson, with its
//! locks off and on, run in the background with fresh real processes; the
//! key quantity's distribution as bars; Enter replays the shortest bad
//! schedule step by step.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crossbeam_channel::{Receiver, unbounded};

use crate::explore::{SearchProgress, Tally};
use crate::lesson::Lesson;

mod draw;
mod program;
mod search;
pub use draw::draw;
use search::search;

/// Exhaustive searches in the app stay this small, so they end in seconds.
const LIMIT: usize = 3_000;
/// Schedules per lock setting when the space is too large for every one.
const RANDOM_RUNS: usize = 300;

/// How the schedules are chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coverage {
    Every,
    Random(usize),
}

/// What the search reports to the screen.
pub enum News {
    /// Every schedule (of the lesson shrunk to `procs` processes) is being
    /// run; more than `limit`, and fewer processes or random ones follow.
    Trying {
        procs: Option<usize>,
        limit: usize,
    },
    /// The lesson shrunk to `procs` processes, searched this way.
    /// `procs`: `None` for a real program (it starts as many as it does).
    Plan {
        lesson: Box<Lesson>,
        procs: Option<usize>,
        mode: Coverage,
    },
    Progress {
        set: usize,
        progress: SearchProgress,
    },
    /// Set `set` searched `mode`: every schedule, or random ones where
    /// its locks left too many.
    Done {
        set: usize,
        tally: Tally,
        mode: Coverage,
    },
    Failed(String),
}

/// One lock setting: its locks off, and what its schedules came to.
pub struct Set {
    pub off: Vec<String>,
    pub tally: Option<Tally>,
    pub progress: Option<SearchProgress>,
    /// How its schedules were chosen, once done.
    pub mode: Option<Coverage>,
}

pub struct Explorer {
    /// The lesson as opened (not shrunk).
    pub title_of: Lesson,
    /// How the lesson was named (id or path), for replays saved later.
    pub origin: String,
    /// The shrunk lesson the schedules ran on, once chosen.
    pub lesson: Option<Lesson>,
    pub procs: Option<usize>,
    pub mode: Option<Coverage>,
    /// Every schedule is being tried, up to this limit, before the mode
    /// is known.
    pub trying: Option<usize>,
    pub sets: Vec<Set>,
    pub error: Option<String>,
    rx: Receiver<News>,
    /// The search has stopped reporting (ended, or its thread is gone).
    quiet: bool,
    stop: Arc<AtomicBool>,
}

impl Drop for Explorer {
    fn drop(&mut self) {
        // The search ends after the runs under way; their processes go with them.
        self.stop.store(true, Ordering::SeqCst);
    }
}

impl Explorer {
    /// Start exploring `lesson` in the background.
    pub fn start(lesson: Lesson, origin: String, exe: PathBuf) -> Explorer {
        let (tx, rx) = unbounded();
        let mut ex = Explorer::waiting(lesson, origin);
        ex.rx = rx;
        let offs: Vec<Vec<String>> = ex.sets.iter().map(|s| s.off.clone()).collect();
        let (lesson, stop) = (ex.title_of.clone(), ex.stop.clone());
        std::thread::spawn(move || {
            if let Err(e) = search(&lesson, &offs, &exe, &stop, &tx) {
                let _ = tx.send(News::Failed(e));
            }
        });
        ex
    }

    /// An exploration of `lesson` before any news: its lock settings, no
    /// search behind it (`start` gives it one; tests hand it news).
    pub fn waiting(lesson: Lesson, origin: String) -> Explorer {
        let all: Vec<String> = lesson.resources().into_iter().map(|r| r.name).collect();
        // Without the locks first: that is where things go wrong.
        let mut offs = vec![all.clone()];
        if !all.is_empty() {
            offs.push(Vec::new());
        }
        let sets = offs
            .into_iter()
            .map(|off| Set {
                off,
                tally: None,
                progress: None,
                mode: None,
            })
            .collect();
        Explorer {
            title_of: lesson,
            origin,
            lesson: None,
            procs: None,
            mode: None,
            trying: None,
            sets,
            error: None,
            rx: unbounded().1,
            quiet: false,
            stop: Arc::new(AtomicBool::new(false)),
        }
    }

    /// A finished exploration, from results (for previews and tests).
    pub fn finished(
        lesson: Lesson,
        shrunk: Lesson,
        procs: usize,
        mode: Coverage,
        tallies: Vec<Tally>,
    ) -> Explorer {
        let (_, rx) = unbounded();
        Explorer {
            origin: lesson.id.clone(),
            title_of: lesson,
            lesson: Some(shrunk),
            procs: Some(procs),
            mode: Some(mode),
            trying: None,
            sets: tallies
                .into_iter()
                .map(|t| Set {
                    off: t.off.clone(),
                    tally: Some(t),
                    progress: None,
                    mode: None,
                })
                .collect(),
            error: None,
            rx,
            quiet: true,
            stop: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Where the search's news arrive, while it is under way.
    pub fn news(&self) -> Option<Receiver<News>> {
        (!self.quiet && !self.is_done()).then(|| self.rx.clone())
    }

    /// Nothing more will come from the search.
    pub fn stop_listening(&mut self) {
        self.quiet = true;
    }

    /// Take one piece of news from the search.
    pub fn take(&mut self, news: News) {
        match news {
            News::Trying { procs, limit } => {
                self.procs = procs;
                self.trying = Some(limit);
                // A smaller size starts its count again.
                if let Some(first) = self.sets.first_mut() {
                    first.progress = None;
                }
            }
            News::Plan {
                lesson,
                procs,
                mode,
            } => {
                self.lesson = Some(*lesson);
                self.procs = procs;
                self.mode = Some(mode);
                self.trying = None;
            }
            News::Progress { set, progress } => {
                if let Some(s) = self.sets.get_mut(set) {
                    s.progress = Some(progress);
                }
            }
            News::Done { set, tally, mode } => {
                if let Some(s) = self.sets.get_mut(set) {
                    s.tally = Some(tally);
                    s.mode = Some(mode);
                }
            }
            News::Failed(e) => self.error = Some(e),
        }
    }

    pub fn is_done(&self) -> bool {
        self.error.is_some() || self.sets.iter().all(|s| s.tally.is_some())
    }

    /// The shortest bad schedule found, with the locks it had off.
    pub fn shortest_bad(&self) -> Option<(Vec<String>, Vec<usize>)> {
        self.sets
            .iter()
            .filter_map(|s| {
                let t = s.tally.as_ref()?;
                Some((s.off.clone(), t.shortest_bad.clone()?))
            })
            .min_by_key(|(_, steps)| steps.len())
    }
}
