//! `lockstep explore`: checks its arguments against the lesson and hands
//! the search to `explore::command`.

use std::io::Write;
use std::path::Path;

use super::args::ExploreArgs;
use super::clean::Clean;
use super::usage::{load, new_seed, off_list, shrink, usage_error};
use crate::explore::command::{self, Request};
use crate::lesson::{self, Lang};
use crate::schedule_file;
use crate::words::report::usage as words;

/// `lockstep explore LESSON …`, checked, then run and printed.
pub fn explore(args: ExploreArgs, exe: &Path) -> anyhow::Result<()> {
    if super::python::is_program(&args.lesson) {
        return super::python_explore::explore_program(args, exe);
    }
    if args.python {
        return super::python_explore::explore_lesson(args, exe);
    }
    if lesson::builtin(&args.lesson).is_none()
        && schedule_file::is_schedule_file(Path::new(&args.lesson))
    {
        usage_error(Some("explore"), words::explore_takes_a_lesson(&args.lesson));
    }
    let lesson = load(&args.lesson, Some("explore"))?;
    if lesson.pool.is_some() {
        usage_error(
            Some("explore"),
            words::timing_lesson_has_nothing_to_explore(&lesson.id),
        );
    }
    if args.random == Some(0) {
        usage_error(Some("explore"), words::random_needs_one());
    }
    let lesson = shrink(lesson, args.procs, "explore");
    let off = off_list(&lesson, &args.locks, Some("explore"));
    // Output goes to a terminal: a lesson's control characters are shown escaped.
    let mut out: Box<dyn Write> = if args.json {
        Box::new(Clean::json(std::io::stdout().lock()))
    } else {
        Box::new(Clean::new(std::io::stdout().lock()))
    };
    let req = Request {
        lesson: &lesson,
        name: &args.lesson,
        procs: args.procs,
        off,
        off_chosen: args.locks.unlocked || !args.locks.off.is_empty(),
        random: args.random,
        // Random sleep lengths decide orders when sleeps keep their time:
        // an exhaustive search sees the same ones every time.
        seed: args
            .seed
            .unwrap_or_else(|| if args.random.is_some() { new_seed() } else { 0 }),
        reduce: !args.no_reduce,
        dpor: !args.no_reduce && !args.no_dpor,
        preemptions: args.preemptions,
        threads: args
            .threads
            .map_or_else(crate::explore::default_threads, usize::from),
        save: args.save,
        json: args.json,
        lang: args.lang.unwrap_or_else(Lang::from_env),
        exe,
        timing: args.timing.map(Into::into),
    };
    match command::search_and_print(req, &mut out) {
        Err(e) if command::is_too_large(&e) => usage_error(Some("explore"), e.to_string()),
        other => other?,
    }
    out.flush()?;
    Ok(())
}
