//! The explorer screen on a real Python program: every schedule of it (or
//! random ones when there are too many), its locks off (every one), then
//! on (once, when it takes no lock), each run a fresh CPython
//! (`explore::program`).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use crossbeam_channel::{Sender, unbounded};

use super::{Coverage, Explorer, News, Set};
use crate::explore::{self, ExploreError, SearchProgress, Settings};
use crate::python::{ALL_OFF, Program};

/// Schedules searched whole before the screen turns to random ones: each
/// run starts CPython, so fewer than a lesson's.
const LIMIT: usize = 300;
/// Random schedules per lock setting when there are too many.
const RANDOM_RUNS: usize = 100;

impl Explorer {
    /// Start exploring `program` in the background.
    pub fn start_program(program: Program, origin: String, exe: PathBuf) -> Explorer {
        // Every lock off, then on; one setting when there is no lock.
        let offs = if program.may_take_locks() {
            vec![vec![ALL_OFF.to_string()], Vec::new()]
        } else {
            vec![Vec::new()]
        };
        let sets = offs
            .iter()
            .map(|off| Set {
                off: off.clone(),
                tally: None,
                progress: None,
                mode: None,
            })
            .collect();
        let (tx, rx) = unbounded();
        let stop = Arc::new(AtomicBool::new(false));
        let title_of = program.lesson.clone();
        {
            let stop = stop.clone();
            std::thread::spawn(move || {
                if let Err(e) = search(&program, &offs, &exe, &stop, &tx) {
                    let _ = tx.send(News::Failed(e));
                }
            });
        }
        Explorer {
            title_of,
            origin,
            lesson: None,
            procs: None,
            mode: None,
            trying: None,
            sets,
            error: None,
            rx,
            quiet: false,
            stop,
        }
    }
}

/// Each lock setting in turn: every schedule, else random ones.
fn search(
    program: &Program,
    offs: &[Vec<String>],
    exe: &Path,
    stop: &Arc<AtomicBool>,
    tx: &Sender<News>,
) -> Result<(), String> {
    for (set, off) in offs.iter().enumerate() {
        let settings = Settings {
            limit: LIMIT,
            stop: Some(stop.clone()),
            ..Settings::new(off.clone())
        };
        if set == 0 {
            let _ = tx.send(News::Trying {
                procs: None,
                limit: LIMIT,
            });
        }
        let tell = tx.clone();
        let mut progress = move |progress: SearchProgress| {
            let _ = tell.send(News::Progress { set, progress });
        };
        let (mode, tally) =
            match explore::program::exhaustive(program, &settings, exe, &mut progress) {
                Err(ExploreError::TooLarge { .. }) => (
                    Coverage::Random(RANDOM_RUNS),
                    explore::program::random(program, &settings, RANDOM_RUNS, exe, &mut progress),
                ),
                other => (Coverage::Every, other),
            };
        let tally = tally.map_err(|e| e.to_string())?;
        if set == 0 {
            let _ = tx.send(News::Plan {
                lesson: Box::new(program.lesson.clone()),
                procs: None,
                mode,
            });
        }
        let _ = tx.send(News::Done { set, tally, mode });
    }
    Ok(())
}
