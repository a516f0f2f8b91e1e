//! `lockstep run` and `lockstep list`: a lesson without the interface, as
//! text for a person or as JSON lines for a program.

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use serde_json::{Map, Value, json};

use crate::drive::{self, Mode, Options};
use crate::lesson::{Lang, Lesson, Rule, builtins};
use crate::pool;
use crate::state::RunState;
use crate::supervisor::{Ending, Event, EventKind};

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

fn rule_text(rule: Rule, lang: Lang) -> &'static str {
    match (rule, lang) {
        (Rule::Equal, Lang::En) => "exactly",
        (Rule::AtMost, Lang::En) => "at most",
        (Rule::AtLeast, Lang::En) => "at least",
        (Rule::Equal, Lang::Zh) => "等于",
        (Rule::AtMost, Lang::Zh) => "至多",
        (Rule::AtLeast, Lang::Zh) => "至少",
    }
}

pub struct Request<'a> {
    pub lesson: &'a Lesson,
    pub opts: Options,
    pub json: bool,
    pub lang: Lang,
    pub exe: &'a Path,
}

/// What a headless run leaves for the caller (to save its schedule).
#[derive(Debug, Default)]
pub struct Ran {
    /// The schedule as P-numbers (empty for a free run).
    pub schedule: Vec<usize>,
    /// Several processes waited for one lock at once (see `drive::Finished`).
    pub contended: bool,
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
                    writeln!(out, "P{} error: {message}", ev.proc + 1)
                }
                EventKind::Stderr(line) => writeln!(out, "P{} stderr: {line}", ev.proc + 1),
                _ => Ok(()),
            }
        };
        if let Err(e) = res {
            write_err.get_or_insert(e);
        }
    };
    let finished = drive::run(req.lesson, &req.opts, req.exe, &mut watch)?;
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
            "values": state.values.iter().map(|v| (v.name.clone(), json!(v.current))).collect::<Map<_,_>>(),
            "outcomes": state.outcomes,
            "errors": state.errors,
            "processes": processes,
            "elapsed_ms": millis(finished.elapsed),
        });
        writeln!(out, "{summary}")?;
    } else {
        let lesson = req.lesson;
        writeln!(out)?;
        writeln!(out, "── {} · {} ──", lesson.id, lesson.title.get(lang))?;
        let off = if req.opts.off.is_empty() {
            "none".to_string()
        } else {
            req.opts.off.join(", ")
        };
        writeln!(
            out,
            "mode {mode} · off: {off} · {} steps · {:.2} s",
            state.steps,
            finished.elapsed.as_secs_f64()
        )?;
        writeln!(
            out,
            "{}: {} (expected {} {})",
            lesson.check.quantity.get(lang),
            verdict.actual,
            rule_text(lesson.check.rule, lang),
            verdict.expected
        )?;
        let at = verdict
            .broken_at
            .map(|s| format!(" (first broken at step {s})"))
            .unwrap_or_default();
        let word = if verdict.ok { "OK" } else { "BROKEN" };
        writeln!(out, "verdict: {word}: {}{at}", verdict.sentence)?;
        writeln!(out, "processes: {}", endings(state))?;
        if !finished.schedule.is_empty() {
            let s: Vec<String> = finished.schedule.iter().map(|p| p.to_string()).collect();
            writeln!(out, "schedule: {}", s.join(","))?;
        }
    }
    Ok(Ran {
        schedule: finished.schedule,
        contended: finished.contended,
    })
}

/// "all 20 exited with code 0", or each ending that differs from the most common one.
fn endings(state: &RunState) -> String {
    let text = |p: &crate::state::Proc| match p.ending {
        Some(Ending::Code(c)) => format!("exited with code {c}"),
        Some(Ending::Signal(s)) => format!("killed by signal {s} (exit code {})", -s),
        None if p.orphaned => "orphaned (its parent died first; init reaped it)".into(),
        None if p.phase == crate::state::Phase::NotStarted => "never started".into(),
        None => "still running".into(),
    };
    let mut counts: Vec<(String, usize)> = Vec::new();
    for p in &state.procs {
        let t = text(p);
        match counts.iter_mut().find(|(k, _)| *k == t) {
            Some((_, n)) => *n += 1,
            None => counts.push((t, 1)),
        }
    }
    let Some((common, n)) = counts.iter().max_by_key(|(_, n)| *n).cloned() else {
        return "none".into();
    };
    if n == state.procs.len() {
        return format!("all {n} {common}");
    }
    let odd: Vec<String> = state
        .procs
        .iter()
        .filter(|p| text(p) != common)
        .map(|p| format!("P{} {}", p.number, text(p)))
        .collect();
    format!("{}; the other {n} {common}", odd.join(", "))
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
    let sentence = crate::lesson::fill(template.get(lang), |n| match n {
        "actual" => Some(actual.to_string()),
        "expected" => Some(check.expect.to_string()),
        "diff" => Some((actual - check.expect).abs().to_string()),
        _ => None,
    });
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
        let (head, word) = match (lang, ok) {
            (Lang::Zh, true) => ("结论", "正常"),
            (Lang::Zh, false) => ("结论", "出错"),
            (_, true) => ("verdict", "OK"),
            (_, false) => ("verdict", "BROKEN"),
        };
        writeln!(out, "{head}: {word}: {sentence}")?;
    }
    Ok(())
}
