//! What `lockstep run pool` prints: the summary's pool fields as JSON, or
//! the same as text for a person, in English or Chinese.

use std::io::Write;

use serde::Serialize;

use super::{CallbackRun, PhaseRun, PoolProcess, PoolRun, TaskRun};
use crate::cli::summary::in_key_order;
use crate::lesson::{Lang, PoolPhase, Rule};
use crate::supervisor::Ending;

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

/// A phase's name as the bar chart and the text show it, e.g. `Pool(4).map`.
pub fn phase_label(r: &PoolRun, phase: PoolPhase, lang: Lang) -> String {
    match (phase, lang) {
        (PoolPhase::Processes, Lang::En) => format!("{} processes", r.tasks),
        (PoolPhase::Processes, Lang::Zh) => format!("{} 个进程", r.tasks),
        (p, _) => format!("Pool({}).{}", r.workers, p.name()),
    }
}

/// What a phase does, in a few words.
pub fn phase_note(phase: PoolPhase, lang: Lang) -> &'static str {
    match (phase, lang) {
        (PoolPhase::Apply, Lang::En) => "one task at a time, waiting for each result",
        (PoolPhase::ApplyAsync, Lang::En) => "all submitted, callbacks, then get() each",
        (PoolPhase::Map, Lang::En) => "results in task order",
        (PoolPhase::Processes, Lang::En) => "a new process per task, started and joined",
        (PoolPhase::Apply, Lang::Zh) => "一次一个任务，等到结果再交下一个",
        (PoolPhase::ApplyAsync, Lang::Zh) => "全部提交，回调，再逐个 get()",
        (PoolPhase::Map, Lang::Zh) => "结果按任务顺序返回",
        (PoolPhase::Processes, Lang::Zh) => "每个任务开一个新进程，start 再 join",
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
    let zh = lang == Lang::Zh;
    if let Some(h) = r.headline() {
        for t in &h.tasks {
            if zh {
                writeln!(
                    out,
                    "任务 {:>3} → {:>3}  由进程池工作进程 pid {} 完成",
                    t.task, t.result, t.pid
                )?;
            } else {
                writeln!(
                    out,
                    "task {:>3} → {:>3}  ran in pool worker pid {}",
                    t.task, t.result, t.pid
                )?;
            }
        }
        writeln!(out)?;
        let shares: Vec<String> = r
            .pool
            .iter()
            .map(|w| {
                let n = h.tasks.iter().filter(|t| t.pid == w.pid).count();
                if zh {
                    format!("pid {}: {n} 个任务", w.pid)
                } else {
                    format!("pid {}: {n} tasks", w.pid)
                }
            })
            .collect();
        if zh {
            writeln!(out, "{} 个工作进程: {}", r.workers, shares.join(", "))?;
        } else {
            writeln!(out, "pool of {}: {}", r.workers, shares.join(", "))?;
        }
    }
    if !r.pool.is_empty() {
        let start = if zh { "启动进程池" } else { "start Pool" };
        writeln!(out, "{start}({}): {:.1} ms", r.workers, r.start.ms)?;
    }
    for p in &r.phases {
        writeln!(
            out,
            "{} {:>8.1} ms  ({})",
            pad(&phase_label(r, p.name, lang), 20),
            p.ms,
            phase_note(p.name, lang)
        )?;
    }
    if !r.pool.is_empty() {
        let (what, codes) = if zh {
            ("close() + join()", "工作进程退出码")
        } else {
            ("close() + join()", "workers exited")
        };
        writeln!(
            out,
            "{what:<20} {:>8.1} ms  ({codes}: {})",
            r.close_join.ms,
            exit_list(&r.pool)
        )?;
    }
    if let Some(c) = r.callbacks.first() {
        let all_parent = r.callbacks.iter().all(|c| c.pid == r.parent_pid);
        let verdict = match (all_parent, zh) {
            (true, false) => "= the parent's pid: callbacks run in the main process",
            (false, false) => "differs from the parent's pid",
            (true, true) => "= 父进程的 pid：回调在主进程里运行",
            (false, true) => "与父进程的 pid 不同",
        };
        let head = if zh { "回调" } else { "callback" };
        let count = r.callbacks.len();
        writeln!(
            out,
            "{head} ×{count}: pid {} {verdict} ({})",
            c.pid, r.parent_pid
        )?;
    }
    if let (Some(h), Some(pool_ms), Some(procs_ms)) = (r.headline(), r.pool_ms(), r.processes_ms())
    {
        // The two lines the comparison rests on (scripts read them in English).
        if zh {
            writeln!(
                out,
                "Pool({}) 用 {:.1} ms 跑完 {} 个任务（启动 + {} + close/join）",
                r.workers,
                pool_ms,
                r.tasks,
                h.name.name()
            )?;
            writeln!(out, "{} 个独立进程用了 {:.1} ms", r.tasks, procs_ms)?;
        } else {
            writeln!(
                out,
                "Pool({}) ran {} tasks in {:.1} ms (start + {} + close/join)",
                r.workers,
                r.tasks,
                pool_ms,
                h.name.name()
            )?;
            writeln!(
                out,
                "{} separate processes took {:.1} ms",
                r.tasks, procs_ms
            )?;
        }
    }
    Ok(())
}
