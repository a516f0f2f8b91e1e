//! `lockstep run` and `lockstep list`: a lesson without the interface, as
//! text for a person or as JSON lines for a program.

use std::io::Write;
use std::path::Path;

use crate::cli::summary::{self, IpcSummary, ProcessLine, RunSummary, millis};

use crate::drive::{self, Mode, Options};
use crate::lesson::{Lang, Lesson, builtins};
use crate::pool;
use crate::state::RunState;
use crate::supervisor::{Event, EventKind};

mod words;
pub use words::{contended_note, replaying_line, saved_line};

pub fn list(lang: Lang, out: &mut dyn Write) -> std::io::Result<()> {
    for (i, l) in builtins().iter().enumerate() {
        writeln!(out, "{:>2}  {:<10} {}", i + 1, l.id, l.title.get(lang))?;
        writeln!(out, "    {:<10} {}", "", l.summary.get(lang))?;
    }
    Ok(())
}

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
    /// Several processes waited for one lock at once (see `drive::Finished`).
    pub contended: bool,
    /// A process stopped with an error (or was stopped): the exit status is 1.
    pub failed: bool,
}

/// Run the lesson and print it.
pub fn run(req: Request, out: &mut dyn Write) -> anyhow::Result<Ran> {
    if let Some(pool) = &req.lesson.pool {
        run_pool(&req, pool, out)?;
        return Ok(Ran::default());
    }
    let lang = req.lang;
    let json = req.json;
    let mut write_err = None;
    let mut watch = |ev: &Event, state: &RunState| {
        let pid = state.procs.get(ev.proc).and_then(|p| p.pid);
        let res = if json {
            writeln!(out, "{}", summary::event_line(ev, pid, None))
        } else {
            match &ev.kind {
                EventKind::Report(crate::wire::Report::Printed { .. }) => {
                    let line = state.output.last().map(|l| l.text(lang)).unwrap_or("");
                    writeln!(out, "P{} [pid {}] {line}", ev.proc + 1, pid.unwrap_or(0))
                }
                EventKind::Report(crate::wire::Report::Failed { message }) => {
                    writeln!(
                        out,
                        "{}",
                        words::error_line(lang, ev.proc + 1, message, false)
                    )
                }
                EventKind::Stderr(line) => {
                    writeln!(out, "{}", words::error_line(lang, ev.proc + 1, line, true))
                }
                _ => Ok(()),
            }
        };
        if let Err(e) = res {
            write_err.get_or_insert(e);
        }
    };
    let finished = drive::run(req.lesson, &req.opts, req.exe, &mut watch)
        .map_err(|e| anyhow::anyhow!(words::drive_error(lang, &e)))?;
    if let Some(e) = write_err {
        return Err(e.into());
    }
    let state = &finished.state;
    let verdict = state.verdict(lang);
    let mode = match &req.opts.mode {
        Mode::Free => "free".to_string(),
        Mode::Scheduled(p) => p.name().to_string(),
    };
    if json {
        let summary = RunSummary {
            actual: verdict.actual,
            broken_at_step: verdict.broken_at,
            deadlock: verdict.deadlock.clone(),
            elapsed_ms: millis(finished.elapsed),
            errors: &state.errors,
            ev: "summary",
            expected: verdict.expected,
            ipc: IpcSummary::of(state),
            lesson: &req.lesson.id,
            lost_updates: state.lost_updates.len(),
            mode: &mode,
            ok: verdict.ok,
            outcomes: &state.outcomes,
            processes: state.procs.iter().map(ProcessLine::of).collect(),
            quantity: req.lesson.check.quantity.get(lang),
            rule: req.lesson.check.rule,
            schedule: &finished.schedule,
            seed: req.opts.seed,
            steps: state.steps,
            unlocked: &req.opts.off,
            values: summary::final_values(state),
            verdict: verdict.sentence.clone(),
            zombies: state.zombies.iter().map(|z| z + 1).collect(),
        };
        writeln!(out, "{}", serde_json::to_string(&summary)?)?;
    } else {
        let lesson = req.lesson;
        writeln!(out)?;
        writeln!(out, "── {} · {} ──", lesson.id, lesson.title.get(lang))?;
        let mut mode_line = words::mode_line(
            lang,
            &mode,
            &req.opts.off,
            state.steps,
            finished.elapsed.as_secs_f64(),
        );
        if req.show_seed {
            mode_line.push_str(&words::seed(lang, req.opts.seed));
        }
        writeln!(out, "{mode_line}")?;
        writeln!(
            out,
            "{}",
            words::quantity_line(
                lang,
                lesson.check.quantity.get(lang),
                verdict.actual,
                lesson.check.rule,
                verdict.expected
            )
        )?;
        writeln!(
            out,
            "{}",
            words::verdict_line(lang, verdict.ok, &verdict.sentence, verdict.broken_at)
        )?;
        writeln!(out, "{}", words::processes_line(lang, state))?;
        if let Some(line) = words::connections_line(lang, state) {
            writeln!(out, "{line}")?;
        }
        if !finished.schedule.is_empty() {
            writeln!(out, "{}", words::schedule_line(lang, &finished.schedule))?;
        }
    }
    Ok(Ran {
        failed: state.failures().is_some(),
        schedule: finished.schedule,
        contended: finished.contended,
    })
}

fn run_pool(
    req: &Request,
    decl: &crate::lesson::PoolDecl,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let json = req.json;
    let mut write_err = None;
    let mut watch = |phase: &str, ev: &Event| {
        if json && let Err(e) = writeln!(out, "{}", summary::event_line(ev, None, Some(phase))) {
            write_err.get_or_insert(e);
        }
    };
    let started = std::time::Instant::now();
    let result = pool::run(req.lesson, decl, &req.opts, req.exe, &mut watch)?;
    if let Some(e) = write_err {
        return Err(e.into());
    }
    let lang = req.lang;
    let check = &req.lesson.check;
    let actual = result.speedup();
    let ok = check.rule.holds(actual, check.expect);
    let template = if ok { &check.ok } else { &check.broken };
    let sentence = crate::state::wording::check_sentence(template.get(lang), actual, check.expect);
    if json {
        let verdict = pool::report::Verdict {
            lesson: &req.lesson.id,
            unlocked: &req.opts.off,
            ok,
            expected: check.expect,
            actual,
            rule: check.rule,
            quantity: check.quantity.get(lang),
            sentence,
            elapsed_ms: millis(started.elapsed()),
        };
        let summary = pool::report::PoolSummary::new(&result, verdict);
        writeln!(out, "{}", serde_json::to_string(&summary)?)?;
    } else {
        writeln!(
            out,
            "── {} · {} ──",
            req.lesson.id,
            req.lesson.title.get(lang)
        )?;
        pool::report::text(&result, lang, out)?;
        writeln!(out, "{}", words::verdict_line(lang, ok, &sentence, None))?;
    }
    Ok(())
}
