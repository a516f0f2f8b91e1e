//! What `lockstep run pool` prints: its summary as JSON, or the same facts
//! laid out as text for a person (the sentences are in `words::report::pool`).

use std::io::Write;

use serde::Serialize;

use crate::cli::summary::in_key_order;
use crate::lesson::{Lang, PoolPhase, Rule};
use crate::pool::{CallbackRun, PhaseRun, PoolProcess, PoolRun, TaskRun};
use crate::supervisor::Ending;
use crate::words::report::pool as words;

/// One process; `role` tells a pool worker (`W1`…) from a separate
/// process (`P1`…), whose ids both count from 1.
#[derive(Serialize)]
pub struct ProcessLine {
    #[serde(skip_serializing_if = "Option::is_none")]
    exit_code: Option<i32>,
    id: usize,
    pid: u32,
    ppid: u32,
    role: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    signal: Option<i32>,
}

impl ProcessLine {
    fn of(p: &PoolProcess, role: &'static str) -> ProcessLine {
        ProcessLine {
            exit_code: match p.ending {
                Some(Ending::Code(c)) => Some(c),
                _ => None,
            },
            id: p.id,
            pid: p.pid,
            ppid: p.ppid,
            role,
            signal: match p.ending {
                Some(Ending::Signal(s)) => Some(s),
                _ => None,
            },
        }
    }
}

/// `close()` + `join()`: how long, and how each pool worker ended.
#[derive(Serialize)]
pub struct CloseJoin {
    ms: f64,
    workers: Vec<ProcessLine>,
}

/// Each process's life, the pool's workers and the separate processes.
#[derive(Serialize)]
pub struct Timeline<'a> {
    #[serde(serialize_with = "in_key_order")]
    pool: &'a [PoolProcess],
    #[serde(serialize_with = "in_key_order")]
    processes: &'a [PoolProcess],
}

/// The verdict's part of the pool summary (the caller knows the check).
pub struct Verdict<'a> {
    pub lesson: &'a str,
    pub unlocked: &'a [String],
    pub ok: bool,
    pub expected: i64,
    pub actual: i64,
    pub rule: Rule,
    pub quantity: &'a str,
    pub sentence: String,
    pub elapsed_ms: f64,
}

/// The last line of `lockstep run pool --json`.
#[derive(Serialize)]
pub struct PoolSummary<'a> {
    actual: i64,
    callback_pid: Option<u32>,
    #[serde(serialize_with = "in_key_order")]
    callbacks: &'a [CallbackRun],
    close_join: CloseJoin,
    elapsed_ms: f64,
    ev: &'static str,
    expected: i64,
    headline: Option<PoolPhase>,
    lesson: &'a str,
    mode: &'static str,
    ok: bool,
    parent_pid: u32,
    #[serde(serialize_with = "in_key_order")]
    phases: &'a [PhaseRun],
    pool_ms: Option<f64>,
    pool_start_ms: f64,
    pool_workers: Vec<u32>,
    processes: Vec<ProcessLine>,
    processes_ms: Option<f64>,
    quantity: &'a str,
    rule: Rule,
    #[serde(serialize_with = "in_key_order")]
    separate_tasks: &'a [TaskRun],
    #[serde(serialize_with = "in_key_order")]
    tasks: &'a [TaskRun],
    timeline: Timeline<'a>,
    unlocked: &'a [String],
    verdict: String,
}

impl<'a> PoolSummary<'a> {
    pub fn new(r: &'a PoolRun, v: Verdict<'a>) -> PoolSummary<'a> {
        let headline = r.headline();
        let workers = || r.pool.iter().map(|p| ProcessLine::of(p, "pool_worker"));
        let separate = r.separate.iter().map(|p| ProcessLine::of(p, "process"));
        PoolSummary {
            actual: v.actual,
            callback_pid: r.callbacks.first().map(|c| c.pid),
            callbacks: &r.callbacks,
            close_join: CloseJoin {
                ms: r.close_join.ms,
                workers: workers().collect(),
            },
            elapsed_ms: v.elapsed_ms,
            ev: "summary",
            expected: v.expected,
            headline: headline.map(|p| p.name),
            lesson: v.lesson,
            mode: "free",
            ok: v.ok,
            parent_pid: r.parent_pid,
            phases: &r.phases,
            pool_ms: r.pool_ms(),
            pool_start_ms: r.start.ms,
            pool_workers: r.pool.iter().map(|p| p.pid).collect(),
            processes: workers().chain(separate).collect(),
            processes_ms: r.processes_ms(),
            quantity: v.quantity,
            rule: v.rule,
            separate_tasks: (r.phase(PoolPhase::Processes)).map_or(&[], |p| &p.tasks),
            tasks: headline.map_or(&[], |p| &p.tasks),
            timeline: Timeline {
                pool: &r.pool,
                processes: &r.separate,
            },
            unlocked: v.unlocked,
            verdict: v.sentence,
        }
    }
}

/// `text` padded with spaces to `width` terminal columns (CJK takes two).
fn pad(text: &str, width: usize) -> String {
    let wide =
        |c: char| ('\u{2E80}'..='\u{9FFF}').contains(&c) || ('\u{FF00}'..='\u{FF60}').contains(&c);
    let used: usize = text.chars().map(|c| if wide(c) { 2 } else { 1 }).sum();
    format!("{text}{}", " ".repeat(width.saturating_sub(used)))
}

fn exit_list(procs: &[PoolProcess]) -> String {
    procs
        .iter()
        .map(|p| match p.ending {
            Some(e) => format!("{} → {}", p.pid, e.exitcode()),
            None => format!("{} → ?", p.pid),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The text report: who ran the headline's tasks, each phase's time,
/// where the callbacks ran, and how the pool's workers ended.
pub fn text(r: &PoolRun, lang: Lang, out: &mut dyn Write) -> std::io::Result<()> {
    if let Some(h) = r.headline() {
        for t in &h.tasks {
            writeln!(out, "{}", words::task_line(t.task, t.result, t.pid, lang))?;
        }
        writeln!(out)?;
        let shares: Vec<(u32, usize)> = (r.pool.iter())
            .map(|w| (w.pid, h.tasks.iter().filter(|t| t.pid == w.pid).count()))
            .collect();
        let phase = crate::pool::phase_label(r, h.name, lang);
        writeln!(
            out,
            "{}",
            words::shares_line(r.workers, &phase, &shares, lang)
        )?;
    }
    if !r.pool.is_empty() {
        writeln!(out, "{}", words::start_line(r.workers, r.start.ms, lang))?;
    }
    for p in &r.phases {
        writeln!(
            out,
            "{} {:>8.1} ms  ({})",
            pad(&crate::pool::phase_label(r, p.name, lang), 20),
            p.ms,
            words::phase_note(p.name, lang)
        )?;
    }
    if !r.pool.is_empty() {
        let line = words::close_join_line(r.close_join.ms, &exit_list(&r.pool), lang);
        writeln!(out, "{line}")?;
    }
    if let Some(c) = r.callbacks.first() {
        let all_parent = r.callbacks.iter().all(|c| c.pid == r.parent_pid);
        let count = r.callbacks.len();
        let line = words::callback_line(count, c.pid, r.parent_pid, all_parent, lang);
        writeln!(out, "{line}")?;
    }
    if let (Some(h), Some(pool_ms), Some(procs_ms)) = (r.headline(), r.pool_ms(), r.processes_ms())
    {
        let lines = words::comparison_lines(r.workers, r.tasks, h.name, pool_ms, procs_ms, lang);
        for line in lines {
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::summary::assert_keys_in_order;
    use crate::pool::{Busy, Segment};

    fn process(id: usize, ending: Option<Ending>) -> PoolProcess {
        let busy = vec![Busy {
            task: 0,
            from_ms: 1.0,
            to_ms: 2.0,
        }];
        PoolProcess {
            id,
            pid: 100 + id as u32,
            ppid: 100,
            ending,
            started_ms: 0.5,
            ready_ms: Some(0.7),
            ended_ms: 3.0,
            busy,
        }
    }

    #[test]
    fn the_pool_summary_writes_its_keys_in_alphabetical_order() {
        let task = TaskRun {
            task: 0,
            result: 10,
            pid: 101,
        };
        let phase = |name| PhaseRun {
            name,
            ms: 1.0,
            from_ms: 1.0,
            to_ms: 2.0,
            tasks: vec![task.clone()],
            workers: vec![101],
        };
        let run = PoolRun {
            workers: 1,
            tasks: 1,
            parent_pid: 100,
            pool: vec![process(1, Some(Ending::Code(0)))],
            start: Segment::default(),
            close_join: Segment::default(),
            phases: vec![phase(PoolPhase::Map), phase(PoolPhase::Processes)],
            separate: vec![process(1, Some(Ending::Signal(9))), process(2, None)],
            callbacks: vec![CallbackRun {
                task: 0,
                result: 10,
                pid: 100,
                at_ms: 1.5,
            }],
            total_ms: 4.0,
        };
        let verdict = Verdict {
            lesson: "pool",
            unlocked: &[],
            ok: true,
            expected: 2,
            actual: 3,
            rule: Rule::AtLeast,
            quantity: "speed-up",
            sentence: "fast".into(),
            elapsed_ms: 5.0,
        };
        assert_keys_in_order(PoolSummary::new(&run, verdict));
    }

    #[test]
    fn the_workers_shares_say_which_phase_they_count() {
        let run = PoolRun {
            workers: 1,
            tasks: 1,
            parent_pid: 100,
            pool: vec![process(1, Some(Ending::Code(0)))],
            start: Segment::default(),
            close_join: Segment::default(),
            phases: vec![PhaseRun {
                name: PoolPhase::Map,
                ms: 1.0,
                from_ms: 1.0,
                to_ms: 2.0,
                tasks: vec![TaskRun {
                    task: 0,
                    result: 10,
                    pid: 101,
                }],
                workers: vec![101],
            }],
            separate: Vec::new(),
            callbacks: Vec::new(),
            total_ms: 4.0,
        };
        let said = |lang| {
            let mut out = Vec::new();
            text(&run, lang, &mut out).unwrap();
            String::from_utf8(out).unwrap()
        };
        let en = said(Lang::En);
        assert!(
            en.contains("pool of 1: tasks per worker in Pool(1).map: pid 101: 1 tasks"),
            "{en}"
        );
        let zh = said(Lang::Zh);
        assert!(
            zh.contains("1 个工作进程，Pool(1).map 中各自的任务: pid 101: 1 个任务"),
            "{zh}"
        );
    }
}
