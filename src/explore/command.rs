//! `lockstep explore`: runs the search the user asked for, shows progress on
//! a terminal, prints the result and saves the shortest bad schedule.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::report::{Exploration, Search};
use super::{DEFAULT_LIMIT, ExploreError, ProgressLine, Settings, Tally, Throughput};
use crate::lesson::{Lang, Lesson, Timing as TimingModel};
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
    /// One schedule per class (dynamic partial-order reduction).
    pub dpor: bool,
    /// A bounded search: at most this many preemptions.
    pub preemptions: Option<usize>,
    /// Schedules run at the same time.
    pub threads: usize,
    pub save: Option<PathBuf>,
    pub json: bool,
    pub lang: Lang,
    pub exe: &'a Path,
    /// `--timing`: one timing model only; `None`: the lesson's own, and
    /// the other too if the lesson sleeps.
    pub timing: Option<TimingModel>,
}

/// Run the search, print what it found, save a bad schedule if asked.
pub fn search_and_print(req: Request, out: &mut dyn Write) -> Result<(), anyhow::Error> {
    let start = Instant::now();
    let (search, sets) = search(&req)?;
    let runs = sets.iter().map(|t| t.runs).sum();
    let found = Exploration {
        lesson: req.lesson,
        name: req.name,
        search,
        reduced: req.reduce,
        dpor: req.dpor,
        preemptions: req.preemptions,
        seed: req.seed,
        sets,
        throughput: Throughput::since(start, runs),
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

/// The timing models to explore under: the one asked for, or the lesson's
/// own and then the other, where the lesson has sleeps for them to differ on.
fn models(req: &Request) -> Vec<TimingModel> {
    match req.timing {
        Some(t) => vec![t],
        None if req.lesson.has_sleeps() => vec![req.lesson.timing, req.lesson.timing.other()],
        None => vec![req.lesson.timing],
    }
}

/// The search asked for, under each timing model in turn.
fn search(req: &Request) -> Result<(Search, Vec<Tally>), anyhow::Error> {
    let models = models(req);
    let mut sets = Vec::new();
    let mut kind = Search::Exhaustive;
    for &model in &models {
        let named = (models.len() > 1).then_some(model);
        let (k, found) = search_under(req, model, named)?;
        kind = k;
        sets.extend(found);
    }
    Ok((kind, sets))
}

/// Every schedule with the locks asked for, or random ones: with and
/// without the locks, unless the user chose a setting. `named`: the
/// progress line names the timing model.
fn search_under(
    req: &Request,
    model: TimingModel,
    named: Option<TimingModel>,
) -> Result<(Search, Vec<Tally>), anyhow::Error> {
    let mut line = ProgressLine::new(String::new());
    let settings = |off: Vec<String>| Settings {
        reduce: req.reduce,
        dpor: req.dpor,
        preemptions: req.preemptions,
        limit: DEFAULT_LIMIT,
        seed: req.seed,
        threads: req.threads,
        timing: Some(model),
        ..Settings::new(off)
    };
    let Some(runs) = req.random else {
        line.label = words::progress_every(named);
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
        line.label = words::progress_random(&off, named);
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
        s.map(|s| (t.off.clone(), s.clone(), t.timing))
    });
    match bad {
        Some((off, steps, timing)) => {
            ScheduleFile::new(req.name, &off, req.procs, Some(req.seed), steps)
                .with_timing(timing)
                .save(path)?;
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
