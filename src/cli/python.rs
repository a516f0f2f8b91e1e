//! `lockstep run PROGRAM.py`: a real Python program, checked, run headless
//! (free, or stepped by a schedule), each event as it comes, then its
//! summary (`python_summary`) as text or JSON.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use super::args::{RunArgs, ScheduleKind};
use super::python_saved::SaveAs;
use super::python_summary::Told;
use super::summary;
use super::usage::{new_seed, usage_error};
use crate::drive::{self, Finished, Pace};
use crate::engine::Controller;
use crate::lesson::{Lang, Timing};
use crate::model::RunState;
use crate::python::{self, Program};
use crate::schedule::{Chooser, Policy};
use crate::supervisor::{Event, EventKind};
use crate::wire::{ProcId, Report};
use crate::words::python as words;
use crate::words::report::summary as report_words;

/// A path that names a Python program rather than a lesson.
pub fn is_program(name: &str) -> bool {
    name.ends_with(".py")
}

/// `lockstep run PROGRAM.py …`.
pub fn run_program(args: RunArgs, exe: &Path) -> anyhow::Result<ExitCode> {
    let lang = args.lang.unwrap_or_else(Lang::from_env);
    if args.python {
        usage_error(
            Some("run"),
            crate::words::python_lessons::python_needs_a_lesson(&args.lesson),
        );
    }
    refuse(&args);
    let program = match Program::check(
        Path::new(&args.lesson),
        args.interpreter.as_deref(),
        &args.expect,
    ) {
        Ok(p) => timed(p, args.timing.map(Into::into)),
        Err(e) => {
            eprintln!("lockstep: {}", words::error(lang, &e));
            return Ok(ExitCode::from(2));
        }
    };
    let (seed, pace) = seed_and_pace(&args);
    let off = off_list(&args.locks);
    let ask = Ask {
        program: &program,
        off: &off,
        pace: &pace,
        speed: args.speed.unwrap_or(1.0),
        seed,
        exe,
        json: args.json,
        lang,
    };
    let saved = args.save.as_deref().map(|path| SaveAs {
        path,
        name: &args.lesson,
        listing: None,
    });
    run_and_tell(&ask, None, saved)
}

/// What a program's run may not be asked for.
pub fn refuse(args: &RunArgs) {
    if args.procs.is_some() {
        usage_error(
            Some("run"),
            crate::words::python_lessons::procs_not_for_programs(),
        );
    }
    if args.save.is_some() && args.schedule.is_none() && args.steps.is_none() {
        usage_error(
            Some("run"),
            crate::words::report::usage::save_needs_schedule(),
        );
    }
    if args.timing.is_some() && args.schedule.is_none() && args.steps.is_none() {
        usage_error(
            Some("run"),
            crate::words::report::usage::timing_needs_schedule(),
        );
    }
}

/// The program with the timing model its schedules follow (`--timing`).
/// A program as the app shows it: its verdict line follows its first
/// expectation, and `i` shows its card; a lesson's listing (`--python`)
/// keeps that lesson's title, summary and story.
pub fn for_the_app(program: Program, lesson: Option<&crate::lesson::Lesson>) -> Program {
    let program = program.with_check(crate::words::python::check_texts);
    match lesson {
        Some(l) => {
            let mut program = program.with_card((l.summary.clone(), l.story.clone()));
            program.lesson.title = l.title.clone();
            program
        }
        None => {
            let expects: Vec<String> = program
                .expectations
                .iter()
                .map(|e| e.text.clone())
                .collect();
            let card = crate::words::python::program_card(&program.interpreter.version, &expects);
            program.with_card(card)
        }
    }
}

pub fn timed(mut program: Program, timing: Option<Timing>) -> Program {
    if let Some(t) = timing {
        program.lesson.timing = t;
    }
    program
}

/// Run, print every event and the summary, save the schedule if asked
/// (`saved`: the file, and the program's name in it); `mapped`: a lesson's
/// schedule to follow (its chooser and the lesson's own steps).
pub fn run_and_tell(
    ask: &Ask,
    mapped: Option<(&mut dyn Chooser, &[usize])>,
    saved: Option<SaveAs>,
) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    let (chooser, lesson_schedule) = match mapped {
        Some((c, steps)) => (Some(c), Some(steps)),
        None => (None, None),
    };
    let (finished, inside) = run(ask, chooser, &mut out)?;
    let (program, lang) = (ask.program, ask.lang);
    if let Some(to) = &saved {
        let timing = program.lesson.timing;
        super::python_saved::save(to, ask.off, ask.seed, &finished.schedule, timing)?;
    }
    let outcomes = python::expect::judge(&program.expectations, &finished.state, &inside);
    let mode = match ask.pace {
        Pace::Free => "free",
        Pace::Scheduled(p) => p.name(),
    };
    let told = Told {
        program,
        finished: &finished,
        outcomes: &outcomes,
        mode,
        seed: ask.seed,
        lang,
        lesson_schedule,
    };
    if ask.json {
        writeln!(out, "{}", serde_json::to_string(&told.summary())?)?;
    } else {
        told.print(&mut out)?;
        if let Some(to) = saved {
            writeln!(out, "{}", report_words::saved_line(lang, to.path))?;
        }
    }
    out.flush()?;
    let failed = finished.state.failures().is_some() || outcomes.iter().any(|o| !o.ok);
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// The run's seed and how it is stepped. The program's own `random` is
/// seeded from the seed too: a stepped run draws the same numbers every
/// time unless the schedule is random.
pub fn seed_and_pace(args: &RunArgs) -> (u64, Pace) {
    let seed = args
        .seed
        .unwrap_or_else(|| match (args.schedule, args.steps.is_some()) {
            (Some(ScheduleKind::RoundRobin), _) | (_, true) => 0,
            _ => new_seed(),
        });
    let pace = match (args.schedule, args.steps.clone()) {
        (Some(ScheduleKind::Random), Some(_)) => {
            usage_error(Some("run"), crate::words::report::usage::steps_and_random())
        }
        (_, Some(steps)) => Pace::Scheduled(Policy::Steps(steps)),
        (Some(ScheduleKind::RoundRobin), None) => Pace::Scheduled(Policy::RoundRobin),
        (Some(ScheduleKind::Random), None) => Pace::Scheduled(Policy::Random { seed }),
        (None, None) => Pace::Free,
    };
    (seed, pace)
}

/// The locks switched off by name (`python::ALL_OFF` for `--unlocked`).
pub fn off_list(locks: &super::args::LockArgs) -> Vec<String> {
    if locks.unlocked {
        vec![python::ALL_OFF.to_string()]
    } else {
        locks.off.clone()
    }
}

/// What to run, and how to print it.
pub struct Ask<'a> {
    pub program: &'a Program,
    /// Locks switched off by name (`python::ALL_OFF`: every one).
    pub off: &'a [String],
    pub pace: &'a Pace,
    pub speed: f64,
    pub seed: u64,
    pub exe: &'a Path,
    pub json: bool,
    pub lang: Lang,
}

/// Start the program and drive it to its end (by `chooser` if given, else
/// as the pace says), printing events as they come; who held which lock when.
fn run(
    ask: &Ask,
    chooser: Option<&mut dyn Chooser>,
    out: &mut dyn Write,
) -> anyhow::Result<(Finished, python::inside::Inside)> {
    let (json, lang, mapped) = (ask.json, ask.lang, chooser.is_some());
    let mut write_err = None;
    let mut inside = python::inside::Inside::default();
    let mut watch = |ev: &Event, state: &RunState| {
        inside.see(ev);
        let pid = state.procs.get(ev.proc).and_then(|p| p.pid);
        let res = if json {
            writeln!(out, "{}", summary::event_line(ev, pid, None))
        } else {
            print_event(ev, pid, lang, out)
        };
        if let Err(e) = res {
            write_err.get_or_insert(e);
        }
    };
    let semprefix = python::shim::semaphore_prefix();
    let plan = python::plan(
        ask.program,
        ask.exe,
        ask.speed,
        ask.seed,
        &semprefix,
        ask.off,
    );
    let finished =
        Controller::start_plan(plan, python::model(ask.program)).and_then(|c| match chooser {
            Some(ch) => drive::run_started_chosen(c, ch, &mut watch),
            None => drive::run_started(c, ask.pace, &mut watch),
        });
    if let Some(pgid) = finished.as_ref().ok().and_then(|f| f.state.procs[0].pid) {
        python::shim::end_helpers(pgid);
    }
    // Every process of the program is gone now, whatever happened.
    python::shim::sweep_semaphores(&semprefix);
    let finished = finished.map_err(|e| match e {
        // Only a lesson's schedule (`engine::mapped`) has a chooser here.
        drive::DriveError::Refused {
            refusal: crate::schedule::Refusal::Diverged { step, .. },
            ..
        } if mapped => anyhow::anyhow!(crate::words::python_lessons::mapping_diverged(lang, step)),
        e => anyhow::anyhow!(report_words::drive_error(lang, &e)),
    })?;
    if let Some(e) = write_err {
        return Err(e.into());
    }
    Ok((finished, inside))
}

/// What a person sees as the run goes: printed lines and errors.
fn print_event(
    ev: &Event,
    pid: Option<u32>,
    lang: Lang,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let p = ProcId(ev.proc);
    match &ev.kind {
        EventKind::Report(Report::Printed { en, .. }) => {
            writeln!(
                out,
                "{}",
                report_words::printed_line(p, pid.unwrap_or(0), en)
            )
        }
        EventKind::Report(Report::Failed { message }) => {
            writeln!(out, "{}", report_words::error_line(lang, p, message, false))
        }
        EventKind::Stderr(line) => {
            writeln!(out, "{}", report_words::error_line(lang, p, line, true))
        }
        _ => Ok(()),
    }
}
