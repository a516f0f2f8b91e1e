//! Schedule files of real Python programs: `lockstep run PROGRAM.py
//! --schedule … --save FILE` writes one (its `lesson` is the program's
//! path; a lesson's listing run with `--python`: the lesson, and `python`
//! its listing's language), and `lockstep run FILE` replays its steps
//! (then round-robin).

use std::path::Path;
use std::process::ExitCode;

use super::args::RunArgs;
use super::usage::usage_error;
use crate::lesson::{Lang, Timing};
use crate::schedule_file::{self, Replay, ScheduleFile, ScheduleFileError};
use crate::words::report::summary as summary_words;
use crate::words::report::usage as words;

/// The schedule file at `path` if it is one whose `lesson` is a program.
pub fn program_schedule(path: &Path) -> Option<ScheduleFile> {
    if !schedule_file::is_schedule_file(path) {
        return None;
    }
    let file = ScheduleFile::load(path).ok()?;
    (file.python.is_none() && super::python::is_program(&file.lesson)).then_some(file)
}

/// The schedule file at `path` if it is one of a lesson's real program
/// (`python` set): resolved, or why it cannot be replayed.
pub fn lesson_schedule(path: &Path) -> Option<Result<Replay, ScheduleFileError>> {
    if !schedule_file::is_schedule_file(path) {
        return None;
    }
    let text = std::fs::read_to_string(path).ok()?;
    // A file that does not parse is told by the lesson's loader, as before.
    let file = ScheduleFile::parse(&text, &path.display().to_string()).ok()?;
    file.python?;
    if super::python::is_program(&file.lesson) {
        let field = [crate::lesson::locate::Seg::Key("python".into())];
        let message = crate::words::python_lessons::python_of_a_program(&file.lesson);
        return Some(Err(schedule_file::field_error(
            path, &text, &field, message,
        )));
    }
    Some(file.resolve(path, &text))
}

/// `lockstep run FILE` of a program's schedule file: the program with the
/// file's steps, locks off and seed.
pub fn run_saved(mut args: RunArgs, file: ScheduleFile, exe: &Path) -> anyhow::Result<ExitCode> {
    refuse_options(&args, &file);
    let path = std::path::PathBuf::from(&args.lesson);
    if !args.json {
        let lang = args.lang.unwrap_or_else(Lang::from_env);
        let line =
            summary_words::replaying_line(lang, &args.lesson, file.steps.len(), &file.lesson);
        println!("{}", super::clean::escape_controls(&line));
    }
    args.lesson = file.lesson_location(&path);
    args.steps = Some(file.steps.clone());
    args.locks.off = file.off.clone();
    args.seed = file.seed.or(args.seed);
    // The timing model the run was saved under, as written or any.
    args.timing = Some(match file.timing() {
        Timing::AsWritten => super::args::TimingArg::AsWritten,
        Timing::Any => super::args::TimingArg::Any,
    });
    super::python::run_program(args, exe)
}

/// What a program's schedule file decides: the command line may not; and
/// SIGTERMs, which only the app sends to a program's processes again.
pub fn refuse_options(args: &RunArgs, file: &ScheduleFile) {
    if !file.sigterms.is_empty() {
        usage_error(Some("run"), words::sigterms_replay_in_the_app(&args.lesson));
    }
    if args.locks.unlocked
        || !args.locks.off.is_empty()
        || args.steps.is_some()
        || args.schedule.is_some()
        || args.procs.is_some()
        || args.timing.is_some()
    {
        usage_error(Some("run"), words::schedule_file_decides(&args.lesson));
    }
}

/// Where `--save` writes a program's schedule, and what the file names.
pub struct SaveAs<'a> {
    pub path: &'a Path,
    /// The program's path, or the lesson whose listing ran (`--python`).
    pub name: &'a str,
    /// A lesson's listing: the language it was made in.
    pub listing: Option<Lang>,
}

/// Write the run's schedule (`--save`).
pub fn save(
    to: &SaveAs,
    off: &[String],
    seed: u64,
    steps: &[usize],
    timing: Timing,
) -> anyhow::Result<()> {
    let file = ScheduleFile::new(to.name, off, None, Some(seed), steps.to_vec());
    let file = match to.listing {
        Some(lang) => file.on_python(to.name, lang),
        None => file,
    };
    file.with_timing(timing).save(to.path)?;
    Ok(())
}
