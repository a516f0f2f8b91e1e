//! `lockstep run` and `lockstep list`: a lesson without the interface, as
//! text for a person or as JSON lines for a program.

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use serde_json::{Map, Value, json};

use crate::drive::{self, Mode, Options};
use crate::lesson::{Lang, Lesson, builtins};
use crate::pool;
use crate::state::RunState;
use crate::supervisor::{Ending, Event, EventKind};

mod words;
pub use words::{contended_note, replaying_line, saved_line};

pub fn list(lang: Lang, out: &mut dyn Write) -> std::io::Result<()> {
    for (i, l) in builtins().iter().enumerate() {
        writeln!(out, "{:>2}  {:<10} {}", i + 1, l.id, l.title.get(lang))?;
        writeln!(out, "    {:<10} {}", "", l.summary.get(lang))?;
    }
    Ok(())
}

/// One event as a JSON object: the report's fields plus `p` (P-number) and `t_ms`.
pub fn event_json(ev: &Event, pid: Option<u32>) -> Value {
    let mut obj = match &ev.kind {
        EventKind::Report(r) => match serde_json::to_value(r) {
            Ok(Value::Object(m)) => m,
            _ => Map::new(),
        },
        EventKind::Spawned { pid } => obj([("ev", json!("spawned")), ("pid", json!(pid))]),
        EventKind::Closed => obj([("ev", json!("closed"))]),
        EventKind::Granted => obj([("ev", json!("granted"))]),
        EventKind::TurnGiven => obj([("ev", json!("turn_given"))]),
        EventKind::Stderr(line) => obj([("ev", json!("stderr")), ("line", json!(line))]),
        EventKind::Exited(e) => {
            let mut m = obj([("ev", json!("exited"))]);
            ending_fields(&mut m, *e);
            m
        }
    };
    obj.insert("p".into(), json!(ev.proc + 1));
    if let Some(pid) = pid {
        obj.entry("pid").or_insert(json!(pid));
    }
    obj.insert("t_ms".into(), json!(millis(ev.at)));
    Value::Object(obj)
}

fn obj<const N: usize>(pairs: [(&str, Value); N]) -> Map<String, Value> {
    pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

fn ending_fields(m: &mut Map<String, Value>, e: Ending) {
    match e {
        Ending::Code(c) => m.insert("exit_code".into(), json!(c)),
        Ending::Signal(s) => m.insert("signal".into(), json!(s)),
    };
}

/// A process of a tree: its parent's P-number, real ppid, daemon flag, orphan.
fn tree_fields(m: &mut Map<String, Value>, p: &crate::state::Proc) {
    if let Some(parent) = p.parent {
        m.insert("parent".into(), json!(parent + 1));
        m.insert("daemon".into(), json!(p.daemon));
        if p.orphaned {
            m.insert("orphaned".into(), json!(true));
        }
    }
    if let Some(ppid) = p.ppid {
        m.insert("ppid".into(), json!(ppid));
    }
}

fn millis(d: Duration) -> f64 {
    (d.as_secs_f64() * 1_000_000.0).round() / 1000.0
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
            writeln!(out, "{}", event_json(ev, pid))
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
    let processes: Vec<Value> = state
        .procs
        .iter()
        .map(|p| {
            let mut m = obj([
                ("id", json!(p.number)),
                ("pid", json!(p.pid)),
                ("role", json!(p.role)),
            ]);
            if let Some(e) = p.ending {
                ending_fields(&mut m, e);
            }
            tree_fields(&mut m, p);
            Value::Object(m)
        })
        .collect();
    if json {
        let summary = json!({
            "ev": "summary",
            "lesson": req.lesson.id,
            "mode": mode,
            "unlocked": req.opts.off,
            "ok": verdict.ok,
            "expected": verdict.expected,
            "actual": verdict.actual,
            "rule": req.lesson.check.rule,
            "quantity": req.lesson.check.quantity.get(lang),
            "verdict": verdict.sentence,
            "broken_at_step": verdict.broken_at,
            "deadlock": verdict.deadlock,
            "lost_updates": state.lost_updates.len(),
            "zombies": state.zombies.iter().map(|z| z + 1).collect::<Vec<_>>(),
            "steps": state.steps,
            "schedule": finished.schedule,
            "seed": req.opts.seed,
            "values": state.values.iter().map(|v| (v.name.clone(), json!(v.current))).collect::<Map<_,_>>(),
            "outcomes": state.outcomes,
            "ipc": state.ipc.summary(),
            "errors": state.errors,
            "processes": processes,
            "elapsed_ms": millis(finished.elapsed),
        });
        writeln!(out, "{summary}")?;
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
        if json {
            let mut v = event_json(ev, None);
            v["phase"] = json!(phase);
            if let Err(e) = writeln!(out, "{v}") {
                write_err.get_or_insert(e);
            }
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
    let sentence = crate::words::run::check_sentence(template.get(lang), actual, check.expect);
    if json {
        let mut summary = obj([
            ("ev", json!("summary")),
            ("lesson", json!(req.lesson.id)),
            ("mode", json!("free")),
            ("unlocked", json!(req.opts.off)),
            ("ok", json!(ok)),
            ("expected", json!(check.expect)),
            ("actual", json!(actual)),
            ("rule", json!(check.rule)),
            ("quantity", json!(check.quantity.get(lang))),
            ("verdict", json!(sentence)),
        ]);
        summary.extend(pool::report::json_fields(&result));
        summary.insert("elapsed_ms".into(), json!(millis(started.elapsed())));
        writeln!(out, "{}", Value::Object(summary))?;
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
