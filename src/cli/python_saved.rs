//! Schedule files of real Python programs: `lockstep run PROGRAM.py
//! --schedule … --save FILE` writes one (its `lesson` is the program's
//! path), and `lockstep run FILE` replays its steps (then round-robin).

use std::path::Path;
use std::process::ExitCode;

use super::args::RunArgs;
use super::usage::usage_error;
use crate::lesson::{Lang, Timing};
use crate::schedule_file::{self, ScheduleFile};
use crate::words::report::summary as summary_words;
use crate::words::report::usage as words;

/// The schedule file at `path` if it is one whose `lesson` is a program.
pub fn program_schedule(path: &Path) -> Option<ScheduleFile> {
    if !schedule_file::is_schedule_file(path) {
        return None;
    }
    let file = ScheduleFile::load(path).ok()?;
    super::python::is_program(&file.lesson).then_some(file)
}

/// `lockstep run FILE` of a program's schedule file: the program with the
/// file's steps, locks off and seed.
pub fn run_saved(mut args: RunArgs, file: ScheduleFile, exe: &Path) -> anyhow::Result<ExitCode> {
    if args.locks.unlocked
        || !args.locks.off.is_empty()
        || args.steps.is_some()
        || args.schedule.is_some()
        || args.procs.is_some()
        || args.timing.is_some()
    {
        usage_error(Some("run"), words::schedule_file_decides(&args.lesson));
    }
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

/// Write the run's schedule to `path` (`--save`).
pub fn save(
    path: &Path,
    program: &str,
    off: &[String],
    seed: u64,
    steps: &[usize],
    timing: Timing,
) -> anyhow::Result<()> {
    ScheduleFile::new(program, off, None, Some(seed), steps.to_vec())
        .with_timing(timing)
        .save(path)?;
    Ok(())
}
