//! `lockstep run`: checks its arguments (or reads a saved schedule), runs
//! the lesson headless, and saves its schedule if asked.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::args::{RunArgs, ScheduleKind};
use super::clean::{Clean, escape_controls};
use super::headless;
use super::usage::{load, new_seed, off_list, shrink, usage_error};
use crate::drive::{Options, Pace};
use crate::lesson::{self, Lang, Lesson};
use crate::schedule::Policy;
use crate::schedule_file::{self, Replay, ScheduleFile};
use crate::words::report::{summary, usage as words};

/// Where to save the run's schedule: the file, the lesson's name, `--procs`.
type SaveTo = (PathBuf, String, Option<usize>);

/// `lockstep run LESSON …` or `lockstep run FILE.schedule.json …`.
pub fn run_command(args: RunArgs, exe: &Path) -> anyhow::Result<ExitCode> {
    if super::python::is_program(&args.lesson) {
        return super::python::run_program(args, exe);
    }
    if args.python {
        // A schedule file says itself whether it ran under CPython.
        if schedule_file::is_schedule_file(Path::new(&args.lesson)) {
            usage_error(Some("run"), words::schedule_file_decides(&args.lesson));
        }
        return super::python_lesson::run_lesson(args, exe);
    }
    if let Some(file) = super::python_saved::program_schedule(Path::new(&args.lesson)) {
        return super::python_saved::run_saved(args, file, exe);
    }
    // A lesson's real program's schedule (`python`): replayed under CPython.
    if lesson::builtin(&args.lesson).is_none()
        && let Some(found) = super::python_saved::lesson_schedule(Path::new(&args.lesson))
    {
        return match found {
            Ok(replay) => super::python_lesson::run_saved(args, replay, exe),
            Err(e) => {
                eprintln!("lockstep: {}", escape_controls(&e.to_string()));
                Ok(ExitCode::from(2))
            }
        };
    }
    // A schedule file (told by its content) replays a saved run.
    if lesson::builtin(&args.lesson).is_none()
        && let Some(replay) = schedule_file::sniff(Path::new(&args.lesson))?
    {
        return run_saved(args, replay, exe);
    }
    let lesson = shrink(load(&args.lesson, Some("run"))?, args.procs, "run");
    if lesson.pool.is_some() && (args.schedule.is_some() || args.steps.is_some()) {
        usage_error(
            Some("run"),
            words::timing_lesson_has_no_schedule(&lesson.id),
        );
    }
    let off = off_list(&lesson, &args.locks, Some("run"));
    // Small enough to type again; printed whenever it decided something.
    let seed = args.seed.unwrap_or_else(new_seed);
    let show_seed = args.seed.is_some()
        || args.schedule == Some(ScheduleKind::Random)
        || lesson.has_random_sleeps();
    if args.save.is_some() && args.schedule.is_none() && args.steps.is_none() {
        usage_error(Some("run"), words::save_needs_schedule());
    }
    if args.timing.is_some() && args.schedule.is_none() && args.steps.is_none() {
        usage_error(Some("run"), words::timing_needs_schedule());
    }
    let opts = Options {
        off,
        speed: args.speed.unwrap_or(lesson.speed),
        pace: pace(&lesson, args.schedule, args.steps, seed),
        seed,
        timing: args.timing.map(Into::into),
        sigterms: Vec::new(),
    };
    let save = args
        .save
        .map(|path| (path, args.lesson.clone(), args.procs));
    finish(&lesson, opts, show_seed, args.json, args.lang, save, exe)
}

/// Free, or stepped by `--schedule` / `--steps` (whose numbers are checked).
fn pace(
    lesson: &Lesson,
    schedule: Option<ScheduleKind>,
    steps: Option<Vec<usize>>,
    seed: u64,
) -> Pace {
    match (schedule, steps) {
        (Some(ScheduleKind::Random), Some(_)) => {
            usage_error(Some("run"), words::steps_and_random())
        }
        (_, Some(steps)) => {
            let count = lesson.slots().len();
            if let Some(bad) = steps.iter().find(|&&p| p == 0 || p > count) {
                usage_error(Some("run"), words::no_such_process(*bad, &lesson.id, count));
            }
            Pace::Scheduled(Policy::Steps(steps))
        }
        (Some(ScheduleKind::RoundRobin), None) => Pace::Scheduled(Policy::RoundRobin),
        (Some(ScheduleKind::Random), None) => Pace::Scheduled(Policy::Random { seed }),
        (None, None) => Pace::Free,
    }
}

/// Run `lesson` headless, print it, and save its schedule if asked.
fn finish(
    lesson: &Lesson,
    opts: Options,
    show_seed: bool,
    json: bool,
    lang: Option<Lang>,
    save: Option<SaveTo>,
    exe: &Path,
) -> anyhow::Result<ExitCode> {
    let (off, seed) = (opts.off.clone(), opts.seed);
    let (timing, sigterms) = (opts.timing.unwrap_or(lesson.timing), opts.sigterms.clone());
    let lang = lang.unwrap_or_else(Lang::from_env);
    // Output goes to a terminal: a lesson's control characters are shown escaped.
    let mut out: Box<dyn Write> = if json {
        Box::new(Clean::json(std::io::stdout().lock()))
    } else {
        Box::new(Clean::new(std::io::stdout().lock()))
    };
    let request = headless::Request {
        lesson,
        opts,
        json,
        lang,
        exe,
        show_seed,
    };
    let ran = headless::run_and_print(request, &mut out)?;
    if let Some((path, name, procs)) = save {
        ScheduleFile::new(&name, &off, procs, Some(seed), ran.schedule)
            .with_timing(timing)
            .with_sigterms(sigterms)
            .save(&path)?;
        if !json {
            writeln!(out, "{}", summary::saved_line(lang, &path))?;
        }
    }
    out.flush()?;
    // A lesson process that stopped with an error: the run did not go through.
    Ok(if ran.failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// `lockstep run FILE.schedule.json`: the saved steps exactly, then round-robin.
fn run_saved(args: RunArgs, replay: Replay, exe: &Path) -> anyhow::Result<ExitCode> {
    if args.locks.unlocked
        || !args.locks.off.is_empty()
        || args.steps.is_some()
        || args.schedule.is_some()
        || args.procs.is_some()
    {
        usage_error(Some("run"), words::schedule_file_decides(&args.lesson));
    }
    let file = replay.file;
    let opts = Options {
        off: file.off.clone(),
        speed: args.speed.unwrap_or(replay.lesson.speed),
        pace: Pace::Scheduled(Policy::Steps(file.steps.clone())),
        seed: file.seed.or(args.seed).unwrap_or_else(new_seed),
        timing: Some(file.timing()),
        sigterms: file.sigterms.clone(),
    };
    let lang = args.lang.unwrap_or_else(Lang::from_env);
    if !args.json {
        let line = summary::replaying_line(lang, &args.lesson, file.steps.len(), &file.lesson);
        println!("{}", escape_controls(&line));
    }
    let show_seed = args.seed.is_some() || replay.lesson.has_random_sleeps();
    let save = args
        .save
        .map(|path| (path, file.lesson.clone(), file.procs));
    finish(
        &replay.lesson,
        opts,
        show_seed,
        args.json,
        Some(lang),
        save,
        exe,
    )
}
