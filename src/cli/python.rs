//! `lockstep run PROGRAM.py`: a real Python program, checked, run headless
//! (free, or stepped by a schedule), each event as it comes, then its
//! summary as text or JSON: values under their Python names, the deadlock
//! if any, and whether the program's expectations held.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use serde::Serialize;

use super::args::{RunArgs, ScheduleKind};
use super::summary::{self, millis};
use super::usage::{new_seed, usage_error};
use crate::drive::{self, Finished, Pace};
use crate::engine::Controller;
use crate::lesson::Lang;
use crate::model::RunState;
use crate::python::{self, Outcome, Program};
use crate::schedule::Policy;
use crate::supervisor::{Ending, Event, EventKind};
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
    if args.procs.is_some() {
        usage_error(Some("run"), words::flags_not_for_programs());
    }
    if args.save.is_some() && args.schedule.is_none() && args.steps.is_none() {
        usage_error(
            Some("run"),
            crate::words::report::usage::save_needs_schedule(),
        );
    }
    let program = match Program::check(
        Path::new(&args.lesson),
        args.interpreter.as_deref(),
        &args.expect,
    ) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("lockstep: {}", words::error(lang, &e));
            return Ok(ExitCode::from(2));
        }
    };
    let (seed, pace) = seed_and_pace(&args);
    let mut out = std::io::stdout().lock();
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
    let finished = run(&ask, &mut out)?;
    if let Some(path) = &args.save {
        let timing = program.lesson.timing;
        super::python_saved::save(path, &args.lesson, &off, seed, &finished.schedule, timing)?;
    }
    let outcomes = python::expect::judge(&program.expectations, &finished.state);
    let mode = match &pace {
        Pace::Free => "free",
        Pace::Scheduled(p) => p.name(),
    };
    let told = Told {
        program: &program,
        finished: &finished,
        outcomes: &outcomes,
        mode,
        seed,
        lang,
    };
    if args.json {
        writeln!(out, "{}", serde_json::to_string(&told.summary())?)?;
    } else {
        told.print(&mut out)?;
        if let Some(path) = &args.save {
            writeln!(out, "{}", report_words::saved_line(lang, path))?;
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
fn seed_and_pace(args: &RunArgs) -> (u64, Pace) {
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
struct Ask<'a> {
    program: &'a Program,
    /// Locks switched off by name (`python::ALL_OFF`: every one).
    off: &'a [String],
    pace: &'a Pace,
    speed: f64,
    seed: u64,
    exe: &'a Path,
    json: bool,
    lang: Lang,
}

/// Start the program and drive it to its end, printing events as they come.
fn run(ask: &Ask, out: &mut dyn Write) -> anyhow::Result<Finished> {
    let Ask {
        program,
        off,
        pace,
        speed,
        seed,
        exe,
        json,
        lang,
    } = *ask;
    let mut write_err = None;
    let mut watch = |ev: &Event, state: &RunState| {
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
    let plan = python::plan(program, exe, speed, seed, &semprefix, off);
    let finished = Controller::start_plan(plan, python::model(program))
        .and_then(|started| drive::run_started(started, pace, &mut watch));
    if let Some(pgid) = finished.as_ref().ok().and_then(|f| f.state.procs[0].pid) {
        python::shim::end_helpers(pgid);
    }
    // Every process of the program is gone now, whatever happened.
    python::shim::sweep_semaphores(&semprefix);
    let finished = finished.map_err(|e| anyhow::anyhow!(report_words::drive_error(lang, &e)))?;
    if let Some(e) = write_err {
        return Err(e.into());
    }
    Ok(finished)
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

/// A finished run of a program, to print.
struct Told<'a> {
    program: &'a Program,
    finished: &'a Finished,
    outcomes: &'a [Outcome],
    mode: &'a str,
    seed: u64,
    lang: Lang,
}

/// The last line of `lockstep run PROGRAM.py --json`; fields in
/// alphabetical order, as every object of the output.
#[derive(Serialize)]
struct ProgramSummary<'a> {
    deadlock: Option<String>,
    elapsed_ms: f64,
    errors: &'a [String],
    ev: &'static str,
    expect: &'a [Outcome],
    interpreter: &'a str,
    mode: &'a str,
    /// The locks that were switched off and passed straight through.
    off: Vec<&'a str>,
    /// Every expectation held (and no process failed); `None`: none stated.
    ok: Option<bool>,
    output: Vec<OutputLine>,
    processes: Vec<ProcessLine<'a>>,
    program: String,
    python: &'a str,
    schedule: &'a [usize],
    seed: u64,
    steps: u64,
    values: BTreeMap<&'a str, i64>,
}

#[derive(Serialize)]
struct OutputLine {
    p: usize,
    text: String,
}

/// One process: its Python name, where it stopped last, how it ended.
#[derive(Serialize)]
struct ProcessLine<'a> {
    /// `file:line op name` of the last operation it reached.
    at: Option<String>,
    exit_code: Option<i32>,
    id: usize,
    name: &'a str,
    parent: Option<usize>,
    pid: Option<u32>,
    ppid: Option<u32>,
    signal: Option<i32>,
}

impl Told<'_> {
    fn summary(&self) -> ProgramSummary<'_> {
        let state = &self.finished.state;
        let failed = state.failures().is_some();
        ProgramSummary {
            deadlock: state.verdict(Lang::En).deadlock,
            elapsed_ms: millis(self.finished.elapsed),
            errors: &state.errors,
            ev: "summary",
            expect: self.outcomes,
            interpreter: self.program.interpreter.path.to_str().unwrap_or("python3"),
            mode: self.mode,
            off: off_locks(state),
            ok: (!self.outcomes.is_empty()).then(|| !failed && self.outcomes.iter().all(|o| o.ok)),
            output: state
                .output
                .iter()
                .map(|l| OutputLine {
                    p: l.proc + 1,
                    text: l.text(Lang::En),
                })
                .collect(),
            processes: state.procs.iter().map(process_line).collect(),
            program: self.program.path.display().to_string(),
            python: &self.program.interpreter.version,
            schedule: &self.finished.schedule,
            seed: self.seed,
            steps: state.steps,
            values: summary::final_values(state),
        }
    }

    fn print(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let (state, lang) = (&self.finished.state, self.lang);
        writeln!(out)?;
        let heading = words::heading(
            lang,
            &self.program.name(),
            &self.program.interpreter.version,
        );
        writeln!(out, "{heading}")?;
        let secs = self.finished.elapsed.as_secs_f64();
        writeln!(
            out,
            "{}",
            report_words::mode_line(lang, self.mode, &off_names(state), state.steps, secs)
        )?;
        if let Some(line) = words::values_line(lang, state) {
            writeln!(out, "{line}")?;
        }
        if let (Some(told), Some(d)) = (state.verdict(lang).deadlock, &state.deadlock) {
            writeln!(out, "{told}")?;
            for who in d.waits.iter().flat_map(|w| &w.who) {
                if let Some(line) = words::site_line(lang, state, who.index()) {
                    writeln!(out, "  {line}")?;
                }
            }
        }
        if self.outcomes.is_empty() {
            writeln!(out, "{}", words::no_expectation(lang))?;
        }
        for o in self.outcomes {
            writeln!(out, "{}", words::outcome_line(lang, o))?;
        }
        writeln!(out, "{}", report_words::processes_line(lang, state))?;
        if !self.finished.schedule.is_empty() {
            writeln!(
                out,
                "{}",
                report_words::schedule_line(lang, &self.finished.schedule)
            )?;
        }
        Ok(())
    }
}

/// The locks a run switched off, as its program names them.
fn off_locks(state: &RunState) -> Vec<&str> {
    state
        .locks
        .iter()
        .filter(|l| l.off)
        .map(|l| l.name.as_str())
        .collect()
}

fn off_names(state: &RunState) -> Vec<String> {
    off_locks(state).into_iter().map(str::to_string).collect()
}

fn process_line(p: &crate::model::Proc) -> ProcessLine<'_> {
    let (exit_code, signal) = match p.ending {
        Some(Ending::Code(c)) => (Some(c), None),
        Some(Ending::Signal(s)) => (None, Some(s)),
        None => (None, None),
    };
    ProcessLine {
        at: p.site.as_ref().map(|s| {
            format!("{}:{} {} {}", s.file, s.line, s.op, s.name)
                .trim()
                .to_string()
        }),
        exit_code,
        id: p.number,
        name: &p.role,
        parent: p.parent.map(|parent| parent + 1),
        pid: p.pid,
        ppid: p.ppid,
        signal,
    }
}
