//! `lockstep [LESSON]`: opens the interactive app, on a lesson or a saved
//! schedule if one is named.

use std::path::PathBuf;
use std::process::ExitCode;

use super::args::Cli;
use super::usage::{load, off_list, usage_error};
use crate::lesson::Lang;
use crate::schedule_file::{self, Replay, ScheduleFile};
use crate::tui::app::App;
use crate::words::report::usage as words;
use crate::{cleanup, lesson, progress, tui};

/// Open the app (exit 2 without a terminal); cleans up when it closes.
pub fn open(cli: Cli, exe: PathBuf) -> anyhow::Result<ExitCode> {
    let lang = cli.lang.unwrap_or_else(Lang::from_env);
    let mut app = App::new(lesson::builtins(), lang, exe);
    app.speed = cli.speed;
    app.timing = cli.timing.map(Into::into);
    app.real_program = Some(real_program);
    app.progress = progress::Store::open(progress::default_path());
    app.error = app.progress.problem.clone();
    let mut open = None;
    // A saved schedule: given with --replay, or as the lesson itself.
    let replay = match (
        program_replay(&cli, &mut app, lang),
        &cli.replay,
        &cli.lesson,
    ) {
        (Some(Ok(r)), _, _) => Some(r),
        (Some(Err(message)), _, _) => {
            eprintln!("lockstep: {}", super::clean::escape_controls(&message));
            return Ok(ExitCode::from(2));
        }
        (None, Some(file), _) => Some(ScheduleFile::open(file)?),
        (None, None, Some(name)) => schedule_file::sniff(std::path::Path::new(name))?,
        (None, None, None) => None,
    };
    if let Some(name) = cli
        .lesson
        .as_ref()
        .filter(|n| cli.python && super::python::is_program(n))
    {
        usage_error(
            None,
            crate::words::python_lessons::python_needs_a_lesson(name),
        );
    }
    if let Some(r) = &replay {
        check_replay(&cli, r);
    } else if let Some(name) = cli.lesson.as_ref().filter(|n| super::python::is_program(n)) {
        let Some(program) = own_program(name, &cli, lang) else {
            return Ok(ExitCode::from(2));
        };
        app.start_off = super::python::off_list(&cli.locks);
        open = Some(app.add_program(program, name.clone()));
    } else if let Some(name) = cli.lesson.as_ref().filter(|_| cli.python) {
        // The lesson's listing as a real program (`--python`).
        let lesson = load(name, None)?;
        off_list(&lesson, &cli.locks, None);
        let program = match super::python_lesson::lesson_program(&lesson, lang, None, &[]) {
            Ok(p) => super::python::timed(p, Some(cli.timing.map_or(lesson.timing, Into::into))),
            Err(message) => {
                eprintln!("lockstep: {message}");
                return Ok(ExitCode::from(2));
            }
        };
        app.start_off = super::python::off_list(&cli.locks);
        let program = super::python::for_the_app(program, Some(&lesson));
        let origin = format!("{name}{}", crate::tui::real_python::SUFFIX);
        open = Some(app.add_program(program, origin));
    } else if let Some(name) = &cli.lesson {
        let lesson = load(name, None)?;
        app.start_off = off_list(&lesson, &cli.locks, None);
        app.start_off_all = cli.locks.unlocked;
        let builtin = app.lessons.iter().position(|l| l.id == *name);
        open = Some(builtin.unwrap_or_else(|| app.add_lesson(lesson, name.clone())));
    }
    if !std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        eprintln!("{}", words::no_terminal());
        return Ok(ExitCode::from(2));
    }
    let result = tui::run_app(app, open, replay);
    // A pool measurement still running in the background ends here too.
    cleanup::cleanup_all();
    result?;
    Ok(ExitCode::SUCCESS)
}

/// A schedule file of a real program, or of a lesson's real program
/// (given with --replay, or as the lesson itself): the program checked and
/// added to the app, to replay; or what is wrong with it, told in `lang`.
fn program_replay(cli: &Cli, app: &mut App, lang: Lang) -> Option<Result<Replay, String>> {
    let path = cli
        .replay
        .clone()
        .or_else(|| cli.lesson.clone().map(PathBuf::from))?;
    if let Some(found) = super::python_saved::lesson_schedule(&path) {
        let replay = found.map_err(|e| e.to_string());
        return Some(replay.and_then(|r| lesson_program_replay(r, app)));
    }
    let file = super::python_saved::program_schedule(&path)?;
    let location = file.lesson_location(&path);
    let checked = crate::python::Program::check(std::path::Path::new(&location), None, &[]);
    Some(
        checked
            .map(|program| {
                let program = super::python::for_the_app(program, None);
                let lesson = program.lesson.clone();
                app.add_program(program, file.lesson.clone());
                Replay { lesson, file }
            })
            .map_err(|e| crate::words::python::error(lang, &e)),
    )
}

/// A lesson's real program made from the listing its file names, added
/// to the app as `counter --python`, to replay.
fn lesson_program_replay(replay: Replay, app: &mut App) -> Result<Replay, String> {
    let file = replay.file;
    let listing = file.python.map_or(Lang::En, |p| p.listing);
    let program = real_program(&replay.lesson, listing)?;
    let program = super::python::timed(program, Some(file.timing()));
    let lesson = program.lesson.clone();
    app.add_program(program, crate::tui::real_python::origin_of(&file));
    Ok(Replay { lesson, file })
}

/// A replayed schedule brings its lesson and locks: the arguments may not
/// choose others.
fn check_replay(cli: &Cli, r: &Replay) {
    if cli.locks.unlocked || !cli.locks.off.is_empty() {
        usage_error(None, words::replay_brings_its_locks());
    }
    if cli.timing.is_some() {
        usage_error(None, words::replay_brings_its_timing());
    }
    // The file says whether it ran under CPython.
    if cli.python {
        usage_error(None, words::replay_brings_its_engine());
    }
    if let (Some(name), Some(_)) = (&cli.lesson, &cli.replay)
        && *name != r.file.lesson
        && *name != r.lesson.id
    {
        usage_error(None, words::replay_of_other_lesson(&r.file.lesson, name));
    }
}

/// The learner's own program `name`, checked for the app; `None` once
/// what is wrong with it is told.
fn own_program(name: &str, cli: &Cli, lang: Lang) -> Option<crate::python::Program> {
    match crate::python::Program::check(std::path::Path::new(name), None, &[]) {
        Ok(p) => {
            let timed = super::python::timed(p, cli.timing.map(Into::into));
            Some(super::python::for_the_app(timed, None))
        }
        Err(e) => {
            eprintln!("lockstep: {}", crate::words::python::error(lang, &e));
            None
        }
    }
}

/// A lesson's real program for the app's `c`: its listing under CPython
/// with the lesson's check as its expectation.
fn real_program(
    lesson: &crate::lesson::Lesson,
    lang: Lang,
) -> Result<crate::python::Program, String> {
    let program = super::python_lesson::lesson_program(lesson, lang, None, &[])?;
    Ok(super::python::for_the_app(program, Some(lesson)))
}
