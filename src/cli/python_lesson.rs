//! `--python`: a lesson run as its real program. `lockstep run LESSON
//! --python` runs the lesson's listing under CPython with the lesson's
//! check as its expectation (free, or following the shared operations of
//! the built-in engine's run under the same schedule: `engine::mapped`);
//! `lockstep explore LESSON --python` and the app take the same program.
//! `--save FILE` writes the program's steps (`python_saved`); `lockstep
//! run FILE` replays them with the listing the run was saved with.

use std::path::Path;
use std::process::ExitCode;

use super::args::RunArgs;
use super::python::{Ask, refuse, run_and_tell, seed_and_pace, timed};
use super::python_saved::SaveAs;
use super::usage::{load, off_list, usage_error};
use crate::drive::{Options, Pace};
use crate::engine::mapped::{self, Mapped};
use crate::lesson::{Lang, Lesson};
use crate::python::{self, Program};
use crate::schedule::Policy;
use crate::schedule_file::Replay;
use crate::words::python_lessons as words;
use crate::words::report::summary;

/// The lesson's real program, checked; a lesson without one, or whose
/// program does not compile, is told on stderr and the caller exits 2.
pub fn lesson_program(
    lesson: &Lesson,
    lang: Lang,
    interpreter: Option<&Path>,
    extra: &[String],
) -> Result<Program, String> {
    let quantity = words::quantity(&lesson.id, lang);
    let (file, source) = python::lessons::source(lesson, lang, quantity)
        .map_err(|why| words::not_a_program(lang, &lesson.id, why))?;
    let mut program = Program::carried(&file, source, interpreter, extra)
        .map_err(|e| crate::words::python::error(lang, &e))?;
    // A free run's sleeps are the lesson's, scaled as the lesson's are.
    program.lesson.speed = lesson.speed;
    Ok(program)
}

/// `lockstep run LESSON --python …`.
pub fn run_lesson(args: RunArgs, exe: &Path) -> anyhow::Result<ExitCode> {
    let lang = args.lang.unwrap_or_else(Lang::from_env);
    refuse(&args);
    let lesson = load(&args.lesson, Some("run"))?;
    // Checked against the lesson's own locks: the listing uses their names.
    let builtin_off = off_list(&lesson, &args.locks, Some("run"));
    let program = match lesson_program(&lesson, lang, args.interpreter.as_deref(), &args.expect) {
        Ok(p) => timed(p, Some(args.timing.map_or(lesson.timing, Into::into))),
        Err(message) => {
            eprintln!("lockstep: {message}");
            return Ok(ExitCode::from(2));
        }
    };
    let (seed, pace) = seed_and_pace(&args);
    let off = super::python::off_list(&args.locks);
    let ask = Ask {
        program: &program,
        off: &off,
        pace: &pace,
        speed: args.speed.unwrap_or(lesson.speed),
        seed,
        exe,
        json: args.json,
        lang,
    };
    // A timing lesson (pool) has no built-in schedule: its program is
    // stepped as any program.
    let saved = args.save.as_deref().map(|path| SaveAs {
        path,
        name: &args.lesson,
        listing: Some(lang),
    });
    if pace == Pace::Free || lesson.pool.is_some() {
        return run_and_tell(&ask, None, saved);
    }
    // The built-in engine's run under the schedule gives the order of the
    // lesson's shared operations; the program follows it.
    let opts = Options {
        off: builtin_off,
        speed: lesson.speed,
        pace: pace.clone(),
        seed,
        timing: Some(program.lesson.timing),
        sigterms: Vec::new(),
    };
    let (builtin, order) = match mapped::shared_order(&lesson, &opts, exe) {
        Ok(found) => found,
        Err(e) => usage_error(
            Some("run"),
            crate::words::report::summary::drive_error(lang, &e),
        ),
    };
    let mut chooser = Mapped::new(&lesson, order);
    run_and_tell(&ask, Some((&mut chooser, &builtin.schedule)), saved)
}

/// `lockstep run FILE` of a lesson's real program's schedule file: the
/// listing it was saved with, its steps, locks off, seed and timing.
pub fn run_saved(args: RunArgs, replay: Replay, exe: &Path) -> anyhow::Result<ExitCode> {
    let (lesson, file) = (replay.lesson, replay.file);
    super::python_saved::refuse_options(&args, &file);
    let listing = file.python.map_or(Lang::En, |p| p.listing);
    let lang = args.lang.unwrap_or_else(Lang::from_env);
    let program = match lesson_program(&lesson, listing, args.interpreter.as_deref(), &args.expect)
    {
        Ok(p) => timed(p, Some(file.timing())),
        Err(message) => {
            eprintln!("lockstep: {message}");
            return Ok(ExitCode::from(2));
        }
    };
    if !args.json {
        let line = summary::replaying_line(
            lang,
            &args.lesson,
            file.steps.len(),
            &crate::tui::real_python::origin_of(&file),
        );
        println!("{}", super::clean::escape_controls(&line));
    }
    let pace = Pace::Scheduled(Policy::Steps(file.steps.clone()));
    let ask = Ask {
        program: &program,
        off: &file.off,
        pace: &pace,
        speed: args.speed.unwrap_or(lesson.speed),
        seed: file.seed.or(args.seed).unwrap_or(0),
        exe,
        json: args.json,
        lang,
    };
    // Saved again, it says the same: the lesson and its listing's language.
    let saved = args.save.as_deref().map(|path| SaveAs {
        path,
        name: &file.lesson,
        listing: Some(listing),
    });
    run_and_tell(&ask, None, saved)
}
