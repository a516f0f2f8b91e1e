//! `lockstep run`'s printing: a lesson without the interface, each event as
//! it comes and then the summary, as text for a person or JSON for a program.

use std::io::Write;
use std::path::Path;

use super::summary::{self, IpcSummary, ProcessLine, RunSummary, millis};
use crate::drive::{self, Finished, Options, Pace};
use crate::lesson::{Lang, Lesson};
use crate::model::RunState;
use crate::supervisor::{Event, EventKind};
use crate::wire::{ProcId, Report};
use crate::words::report::heading;
use crate::words::report::summary as words;

mod pool;
mod pool_report;

/// What to run, and how to print it.
pub struct Request<'a> {
    pub lesson: &'a Lesson,
    pub opts: Options,
    pub json: bool,
    pub lang: Lang,
    pub exe: &'a Path,
    /// Print the seed in the text summary (it decided something in this run).
    pub show_seed: bool,
}

/// What a headless run leaves for the caller (to save its schedule).
#[derive(Debug, Default)]
pub struct Ran {
    /// The schedule as P-numbers (empty for a free run).
    pub schedule: Vec<usize>,
    /// A process stopped with an error (or was stopped): the exit status is 1.
    pub failed: bool,
}

/// Run the lesson and print it.
pub fn run_and_print(req: Request, out: &mut dyn Write) -> anyhow::Result<Ran> {
    if let Some(pool) = &req.lesson.pool {
        pool::measure_and_print(&req, pool, out)?;
        return Ok(Ran::default());
    }
    let (lang, json) = (req.lang, req.json);
    let mut write_err = None;
    let mut watch = |ev: &Event, state: &RunState| {
        let pid = state.procs.get(ev.proc).and_then(|p| p.pid);
        let res = if json {
            writeln!(out, "{}", summary::event_line(ev, pid, None))
        } else {
            print_event(ev, pid, state, lang, out)
        };
        if let Err(e) = res {
            write_err.get_or_insert(e);
        }
    };
    let finished = drive::run_to_end(req.lesson, &req.opts, req.exe, &mut watch)
        .map_err(|e| anyhow::anyhow!(words::drive_error(lang, &e)))?;
    if let Some(e) = write_err {
        return Err(e.into());
    }
    let mode = match &req.opts.pace {
        Pace::Free => "free".to_string(),
        Pace::Scheduled(p) => p.name().to_string(),
    };
    if json {
        print_json_summary(&req, &finished, &mode, out)?;
    } else {
        print_text_summary(&req, &finished, &mode, out)?;
    }
    Ok(Ran {
        failed: finished.state.failures().is_some() && !finished.state.error_is_the_story(),
        schedule: finished.schedule,
    })
}

/// An event a person sees as the run goes: what a process printed, an
/// error, a line on stderr (the rest shows only in the summary).
fn print_event(
    ev: &Event,
    pid: Option<u32>,
    state: &RunState,
    lang: Lang,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let p = ProcId(ev.proc);
    match &ev.kind {
        EventKind::Report(Report::Printed { .. } | Report::Refused { .. }) => {
            let line = state
                .output
                .last()
                .map(|l| l.text(lang))
                .unwrap_or_default();
            writeln!(out, "{}", words::printed_line(p, pid.unwrap_or(0), &line))
        }
        EventKind::Report(Report::Failed { message }) => {
            writeln!(out, "{}", words::error_line(lang, p, message, false))
        }
        EventKind::Stderr(line) => writeln!(out, "{}", words::error_line(lang, p, line, true)),
        _ => Ok(()),
    }
}

fn print_json_summary(
    req: &Request,
    finished: &Finished,
    mode: &str,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let state = &finished.state;
    let verdict = state.verdict_named(req.lang);
    let summary = RunSummary {
        actual: verdict.actual,
        broken_at_step: verdict.broken_at,
        deadlock: verdict.deadlock,
        deadlock_named: verdict.deadlock_named,
        elapsed_ms: millis(finished.elapsed),
        errors: &state.errors,
        ev: "summary",
        expected: verdict.expected,
        ipc: IpcSummary::of(state),
        lesson: &req.lesson.id,
        lost_updates: state.lost_updates.len(),
        mode,
        ok: verdict.ok,
        outcomes: &state.outcomes,
        processes: state.procs.iter().map(ProcessLine::of).collect(),
        quantity: req.lesson.check.quantity.get(req.lang),
        rule: req.lesson.check.rule,
        schedule: &finished.schedule,
        seed: req.opts.seed,
        steps: state.steps,
        timing: (mode != "free").then_some(state.clock.timing),
        unlocked: &req.opts.off,
        values: summary::final_values(state),
        verdict: verdict.sentence,
        zombies: state.zombies.iter().map(|z| z + 1).collect(),
    };
    writeln!(out, "{}", serde_json::to_string(&summary)?)?;
    Ok(())
}

fn print_text_summary(
    req: &Request,
    finished: &Finished,
    mode: &str,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let (lesson, lang, state) = (req.lesson, req.lang, &finished.state);
    let verdict = state.verdict_named(lang);
    writeln!(out)?;
    writeln!(out, "{}", heading(&lesson.id, lesson.title.get(lang)))?;
    let secs = finished.elapsed.as_secs_f64();
    let mut mode_line = words::mode_line(lang, mode, &req.opts.off, state.steps, secs);
    if mode != "free" {
        mode_line.push_str(&words::timing(lang, state.clock.timing));
    }
    if req.show_seed {
        mode_line.push_str(&words::seed(lang, req.opts.seed));
    }
    writeln!(out, "{mode_line}")?;
    let quantity = lesson.check.quantity.get(lang);
    let (actual, rule, expected) = (verdict.actual, lesson.check.rule, verdict.expected);
    let line = words::quantity_line(lang, quantity, actual, rule, expected);
    writeln!(out, "{line}")?;
    let line = words::verdict_line(lang, verdict.ok, &verdict.sentence, verdict.broken_at);
    writeln!(out, "{line}")?;
    if let Some(line) = words::names_line(lang, state) {
        writeln!(out, "{line}")?;
    }
    writeln!(out, "{}", words::processes_line(lang, state))?;
    if let Some(line) = words::connections_line(lang, state) {
        writeln!(out, "{line}")?;
    }
    if !finished.schedule.is_empty() {
        writeln!(out, "{}", words::schedule_line(lang, &finished.schedule))?;
    }
    Ok(())
}
