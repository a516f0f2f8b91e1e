//! `lockstep explore PROGRAM.py`: every distinct schedule of a real Python
//! program (with the reduction), or `--random N` of them, judged against
//! its expectations; the shortest bad one saved with `--save FILE` (replay
//! it with `lockstep run FILE`).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use serde::Serialize;

use super::args::ExploreArgs;
use super::usage::{new_seed, usage_error};
use crate::explore::{self, SearchProgress, Settings, Tally, program};
use crate::lesson::Lang;
use crate::python::{self, Program};
use crate::schedule_file::ScheduleFile;
use crate::words::python as words;
use crate::words::report::explore as explore_words;
use crate::words::report::summary as summary_words;

/// The JSON summary of an exploration of a program; fields in
/// alphabetical order.
#[derive(Serialize)]
struct ProgramExplore<'a> {
    bad_schedules: &'a [Vec<usize>],
    broken: usize,
    /// The classes the runs fell into (see docs/explorer.md).
    classes: usize,
    deadlocked: usize,
    /// The first expected value's final value → how many schedules ended so.
    distribution: &'a BTreeMap<i64, usize>,
    ev: &'static str,
    first_bad: Option<&'a Vec<usize>>,
    off: &'a [String],
    /// Only in a bounded search: the most preemptions a schedule had.
    #[serde(skip_serializing_if = "Option::is_none")]
    preemption_bound: Option<usize>,
    program: String,
    python: &'a str,
    reduced: bool,
    /// "dpor" (one schedule per class), "local" (steps that touch nothing
    /// shared at once) or "none".
    reduction: &'static str,
    /// Runs made: one per schedule, or more than the classes (dpor).
    runs: usize,
    search: &'static str,
    schedules: usize,
    seed: u64,
    shortest_bad: Option<&'a Vec<usize>>,
    /// The timing model every schedule followed.
    timing: crate::lesson::Timing,
}

/// `lockstep explore PROGRAM.py …`.
pub fn explore_program(args: ExploreArgs, exe: &Path) -> anyhow::Result<()> {
    let lang = args.lang.unwrap_or_else(Lang::from_env);
    if args.python {
        usage_error(
            Some("explore"),
            crate::words::python_lessons::python_needs_a_lesson(&args.lesson),
        );
    }
    refuse(&args);
    let program = match Program::check(
        Path::new(&args.lesson),
        args.interpreter.as_deref(),
        &args.expect,
    ) {
        Ok(p) => super::python::timed(p, args.timing.map(Into::into)),
        Err(e) => {
            eprintln!("lockstep: {}", words::error(lang, &e));
            std::process::exit(2);
        }
    };
    explore_checked(args, &program, None, exe)
}

/// `lockstep explore LESSON --python …`: every schedule of the lesson's
/// real program.
pub fn explore_lesson(args: ExploreArgs, exe: &Path) -> anyhow::Result<()> {
    let lang = args.lang.unwrap_or_else(Lang::from_env);
    refuse(&args);
    let lesson = super::usage::load(&args.lesson, Some("explore"))?;
    super::usage::off_list(&lesson, &args.locks, Some("explore"));
    let interpreter = args.interpreter.as_deref();
    let program =
        match super::python_lesson::lesson_program(&lesson, lang, interpreter, &args.expect) {
            Ok(p) => super::python::timed(p, Some(args.timing.map_or(lesson.timing, Into::into))),
            Err(message) => {
                eprintln!("lockstep: {message}");
                std::process::exit(2);
            }
        };
    explore_checked(args, &program, Some(lang), exe)
}

/// What an exploration of a program may not be asked for.
fn refuse(args: &ExploreArgs) {
    if args.procs.is_some() {
        usage_error(
            Some("explore"),
            crate::words::python_lessons::procs_not_for_programs(),
        );
    }
    if args.random == Some(0) {
        usage_error(
            Some("explore"),
            crate::words::report::usage::random_needs_one(),
        );
    }
}

/// Explore a checked program and print (or save) what was found;
/// `listing`: the program is a lesson's listing in that language, and a
/// saved schedule replays it under CPython.
fn explore_checked(
    args: ExploreArgs,
    program: &Program,
    listing: Option<Lang>,
    exe: &Path,
) -> anyhow::Result<()> {
    let lang = args.lang.unwrap_or_else(Lang::from_env);
    let mut settings = Settings::new(super::python::off_list(&args.locks));
    settings.reduce = !args.no_reduce;
    settings.dpor = !args.no_reduce && !args.no_dpor;
    settings.preemptions = args.preemptions;
    if let Some(n) = args.threads {
        settings.threads = usize::from(n);
    }
    settings.seed = args
        .seed
        .unwrap_or_else(|| if args.random.is_some() { new_seed() } else { 0 });
    let label = match args.random {
        Some(_) => crate::words::report::explore::progress_random(&settings.off, None),
        None => crate::words::report::explore::progress_every(None),
    };
    let mut line = explore::ProgressLine::new(label);
    let mut show = |p: SearchProgress| line.show(p);
    let tally = match args.random {
        Some(runs) => program::random(program, &settings, runs, exe, &mut show),
        None => program::exhaustive(program, &settings, exe, &mut show),
    };
    line.clear();
    let tally = match tally {
        Err(e @ explore::ExploreError::TooLarge { .. }) => {
            usage_error(Some("explore"), e.to_string())
        }
        other => other?,
    };
    let mut out = std::io::stdout().lock();
    let told = Told {
        program,
        tally: &tally,
        random: args.random.map(|n| (n, settings.seed)),
        reduction: match (
            settings.reduce,
            program::by_class(program, &settings) && args.random.is_none(),
        ) {
            (true, true) => "dpor",
            (true, false) => "local",
            (false, _) => "none",
        },
        bound: settings.preemptions,
        lang,
    };
    if args.json {
        writeln!(
            out,
            "{}",
            serde_json::to_string(&told.summary(settings.seed))?
        )?;
    } else {
        told.print(&mut out)?;
    }
    if let (Some(path), Some(bad)) = (&args.save, &tally.shortest_bad) {
        let file = ScheduleFile::new(
            &args.lesson,
            &tally.off,
            None,
            Some(settings.seed),
            bad.clone(),
        )
        .with_timing(program.lesson.timing);
        match listing {
            Some(listing) => file.on_python(&args.lesson, listing),
            None => file,
        }
        .save(path)?;
        if !args.json {
            writeln!(out, "{}", summary_words::saved_line(lang, path))?;
        }
    }
    out.flush()?;
    Ok(())
}

/// A finished exploration of a program, to print.
struct Told<'a> {
    program: &'a Program,
    tally: &'a Tally,
    random: Option<(usize, u64)>,
    /// "dpor", "local" or "none", as in the JSON summary.
    reduction: &'static str,
    /// A bounded search: at most this many preemptions.
    bound: Option<usize>,
    lang: Lang,
}

impl Told<'_> {
    fn summary(&self, seed: u64) -> ProgramExplore<'_> {
        let t = self.tally;
        ProgramExplore {
            bad_schedules: &t.bad_schedules,
            broken: t.broken,
            classes: t.classes.len(),
            deadlocked: t.deadlocked,
            distribution: &t.distribution,
            ev: "summary",
            first_bad: t.first_bad.as_ref(),
            off: &t.off,
            preemption_bound: self.bound,
            program: self.program.path.display().to_string(),
            python: &self.program.interpreter.version,
            reduced: self.reduction != "none",
            reduction: self.reduction,
            runs: t.runs,
            search: if self.random.is_some() {
                "random"
            } else {
                "exhaustive"
            },
            schedules: t.schedules,
            seed,
            shortest_bad: t.shortest_bad.as_ref(),
            timing: self.program.lesson.timing,
        }
    }

    fn print(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let (t, lang) = (self.tally, self.lang);
        let version = &self.program.interpreter.version;
        writeln!(
            out,
            "{}",
            words::heading(lang, &self.program.name(), version)
        )?;
        let timing = summary_words::timing(lang, self.program.lesson.timing);
        writeln!(out, "{}{timing}", words::search_line(lang, self.random))?;
        let dpor = self.reduction == "dpor";
        if let Some(bound) = self.bound {
            writeln!(out, "{}", explore_words::bounded_line(bound, lang))?;
        }
        if dpor {
            writeln!(out, "{}", explore_words::reduced_line(true, true, lang))?;
            writeln!(out, "{}", explore_words::class_meaning(lang))?;
        } else {
            writeln!(
                out,
                "{}",
                words::reduced_line(lang, self.reduction != "none")
            )?;
        }
        let line = explore_words::set_line(&t.off, t.schedules, t.broken, t.deadlocked, lang);
        writeln!(out, "{line}")?;
        let classes = t.classes.len();
        let line = explore_words::classes_line(classes, t.schedules, t.runs, dpor, lang);
        writeln!(out, "{line}")?;
        let first_value = self
            .program
            .expectations
            .iter()
            .find_map(python::Expectation::quantity);
        if let Some(name) = first_value
            && !t.distribution.is_empty()
        {
            writeln!(
                out,
                "{}",
                words::distribution_line(lang, &name, &t.distribution)
            )?;
        }
        let bad = if self.random.is_some() {
            t.first_bad.as_ref().map(|s| (false, s))
        } else {
            t.shortest_bad.as_ref().map(|s| (true, s))
        };
        if let Some((shortest, steps)) = bad {
            writeln!(
                out,
                "{}",
                explore_words::bad_schedule_line(shortest, steps, lang)
            )?;
        }
        Ok(())
    }
}
