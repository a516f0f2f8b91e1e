//! `lockstep explore`: runs the search the user asked for, shows progress on
//! a terminal, prints the result and saves the shortest bad schedule.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::report::{Exploration, Search};
use super::{DEFAULT_LIMIT, ExploreError, SearchProgress, Settings, Tally, Timing};
use crate::lesson::{Lang, Lesson};
use crate::schedule_file::ScheduleFile;
use crate::words::report::explore as words;

/// A checked `lockstep explore` request.
pub struct Request<'a> {
    pub lesson: &'a Lesson,
    /// The lesson as the user named it.
    pub name: &'a str,
    /// `--procs`, if given.
    pub procs: Option<usize>,
    /// Locks and semaphores off, as asked.
    pub off: Vec<String>,
    /// The user chose the lock setting (`--unlocked` / `--off`).
    pub off_chosen: bool,
    pub random: Option<usize>,
    pub seed: u64,
    pub reduce: bool,
    /// Schedules run at the same time.
    pub threads: usize,
    pub save: Option<PathBuf>,
    pub json: bool,
    pub lang: Lang,
    pub exe: &'a Path,
}

/// A progress line on stderr, redrawn in place at most ten times a second,
/// only when stderr is a terminal.
struct ProgressLine {
    on: bool,
    last: Option<Instant>,
    label: String,
}

impl ProgressLine {
    fn show(&mut self, p: SearchProgress) {
        if !self.on
            || self
                .last
                .is_some_and(|t| t.elapsed() < Duration::from_millis(100))
        {
            return;
        }
        self.last = Some(Instant::now());
        let total = p
            .total
            .map(|t| format!(" / {}", super::show_size(t)))
            .unwrap_or_default();
        eprint!("\r\x1b[K{} {}{total}", self.label, p.done);
    }

    fn clear(&mut self) {
        if self.on && self.last.is_some() {
            eprint!("\r\x1b[K");
        }
    }
}

/// Run the search, print what it found, save a bad schedule if asked.
pub fn search_and_print(req: Request, out: &mut dyn Write) -> Result<(), anyhow::Error> {
    let start = Instant::now();
    let (search, sets) = search(&req)?;
    let runs = sets.iter().map(|t| t.schedules).sum();
    let found = Exploration {
        lesson: req.lesson,
        name: req.name,
        search,
        reduced: req.reduce,
        sets,
        timing: Timing::since(start, runs),
    };
    if req.json {
        writeln!(out, "{}", serde_json::to_string(&found.summary())?)?;
    } else {
        found.write_text(req.lang, out)?;
    }
    if let Some(path) = &req.save {
        save_bad(&req, &found, path, out)?;
    }
    Ok(())
}

/// Every schedule with the locks asked for, or random ones: with and
/// without the locks, unless the user chose a setting.
fn search(req: &Request) -> Result<(Search, Vec<Tally>), anyhow::Error> {
    let mut line = ProgressLine {
        on: std::io::stderr().is_terminal(),
        last: None,
        label: String::new(),
    };
    let settings = |off: Vec<String>| Settings {
        reduce: req.reduce,
        limit: DEFAULT_LIMIT,
        seed: req.seed,
        threads: req.threads,
        ..Settings::new(off)
    };
    let Some(runs) = req.random else {
        line.label = words::progress_every();
        let off = settings(req.off.clone());
        let t = super::exhaustive(req.lesson, &off, req.exe, &mut |p| line.show(p));
        line.clear();
        return Ok((Search::Exhaustive, vec![t?]));
    };
    let all: Vec<String> = req.lesson.resources().into_iter().map(|r| r.name).collect();
    let wanted = if req.off_chosen || all.is_empty() {
        vec![req.off.clone()]
    } else {
        vec![Vec::new(), all]
    };
    let mut sets: Vec<Tally> = Vec::new();
    for off in wanted {
        line.label = words::progress_random(&off);
        let t = super::random(req.lesson, &settings(off), runs, req.exe, &mut |p| {
            line.show(p)
        });
        line.clear();
        sets.push(t?);
    }
    let seed = req.seed;
    Ok((Search::Random { runs, seed }, sets))
}

/// `--save FILE`: the bad schedule the report shows first, if any.
fn save_bad(
    req: &Request,
    found: &Exploration,
    path: &Path,
    out: &mut dyn Write,
) -> Result<(), anyhow::Error> {
    let bad = found.sets.iter().find_map(|t| {
        let s = match found.search {
            Search::Exhaustive => t.shortest_bad.as_ref(),
            Search::Random { .. } => t.first_bad.as_ref(),
        };
        s.map(|s| (t.off.clone(), s.clone()))
    });
    match bad {
        Some((off, steps)) => {
            ScheduleFile::new(req.name, &off, req.procs, Some(req.seed), steps).save(path)?;
            if !req.json {
                writeln!(out, "{}", words::saved_line(path))?;
            }
        }
        None => eprintln!("{}", words::nothing_saved(path)),
    }
    Ok(())
}

/// Whether an error is the user's to fix by asking for less (a usage error).
pub fn is_too_large(e: &anyhow::Error) -> bool {
    matches!(
        e.downcast_ref::<ExploreError>(),
        Some(ExploreError::TooLarge { .. })
    )
}
