//! The pool lesson's report in English and Chinese: who ran each task, how
//! long each phase took, where the callbacks ran.

use crate::lesson::{Lang, PoolPhase};

/// A phase's name as the bar chart and the text show it, e.g. `Pool(4).map`.
pub fn phase_label(workers: u32, tasks: u32, phase: PoolPhase, lang: Lang) -> String {
    match (phase, lang) {
        (PoolPhase::Processes, Lang::En) => format!("{tasks} processes"),
        (PoolPhase::Processes, Lang::Zh) => format!("{tasks} 个进程"),
        (p, _) => format!("Pool({workers}).{}", p.name()),
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

/// The app's head of each worker's share of one phase's tasks.
pub fn worker_tasks(phase: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("Tasks per pool worker in {phase}:"),
        Lang::Zh => format!("{phase} 中各工作进程的任务："),
    }
}

/// "task   3 →  13  ran in pool worker pid 4242".
pub fn task_line(task: u32, result: i64, pid: u32, lang: Lang) -> String {
    match lang {
        Lang::En => format!("task {task:>3} → {result:>3}  ran in pool worker pid {pid}"),
        Lang::Zh => format!("任务 {task:>3} → {result:>3}  由进程池工作进程 pid {pid} 完成"),
    }
}

/// "pool of 4: tasks per worker in Pool(4).map: pid 4242: 25 tasks, …",
/// given the phase they count (its label) and each worker's pid and count.
pub fn shares_line(workers: u32, phase: &str, shares: &[(u32, usize)], lang: Lang) -> String {
    let shares: Vec<String> = shares
        .iter()
        .map(|(pid, n)| match lang {
            Lang::En => format!("pid {pid}: {n} tasks"),
            Lang::Zh => format!("pid {pid}: {n} 个任务"),
        })
        .collect();
    match lang {
        Lang::En => format!(
            "pool of {workers}: tasks per worker in {phase}: {}",
            shares.join(", ")
        ),
        Lang::Zh => format!(
            "{workers} 个工作进程，{phase} 中各自的任务: {}",
            shares.join(", ")
        ),
    }
}

/// "start Pool(4): 3.2 ms".
pub fn start_line(workers: u32, ms: f64, lang: Lang) -> String {
    let start = match lang {
        Lang::En => "start Pool",
        Lang::Zh => "启动进程池",
    };
    format!("{start}({workers}): {ms:.1} ms")
}

/// "close() + join() …  (workers exited: 4242 → 0, …)"; `label` is the
/// phase column, padded by the caller.
pub fn close_join_line(ms: f64, exits: &str, lang: Lang) -> String {
    let codes = match lang {
        Lang::En => "workers exited",
        Lang::Zh => "工作进程退出码",
    };
    let what = "close() + join()";
    format!("{what:<20} {ms:>8.1} ms  ({codes}: {exits})")
}

/// "callback ×100: pid 4242 = the parent's pid: … (4242)".
pub fn callback_line(
    count: usize,
    pid: u32,
    parent_pid: u32,
    all_parent: bool,
    lang: Lang,
) -> String {
    let verdict = match (all_parent, lang) {
        (true, Lang::En) => "= the parent's pid: callbacks run in the main process",
        (false, Lang::En) => "differs from the parent's pid",
        (true, Lang::Zh) => "= 父进程的 pid：回调在主进程里运行",
        (false, Lang::Zh) => "与父进程的 pid 不同",
    };
    let head = match lang {
        Lang::En => "callback",
        Lang::Zh => "回调",
    };
    format!("{head} ×{count}: pid {pid} {verdict} ({parent_pid})")
}

/// The two lines the comparison rests on (scripts read them in English):
/// the pool's time for all tasks, and the separate processes' time.
pub fn comparison_lines(
    workers: u32,
    tasks: u32,
    headline: PoolPhase,
    pool_ms: f64,
    procs_ms: f64,
    lang: Lang,
) -> [String; 2] {
    let phase = headline.name();
    match lang {
        Lang::En => [
            format!(
                "Pool({workers}) ran {tasks} tasks in {pool_ms:.1} ms (start + {phase} + close/join)"
            ),
            format!("{tasks} separate processes took {procs_ms:.1} ms"),
        ],
        Lang::Zh => [
            format!(
                "Pool({workers}) 用 {pool_ms:.1} ms 跑完 {tasks} 个任务（启动 + {phase} + close/join）"
            ),
            format!("{tasks} 个独立进程用了 {procs_ms:.1} ms"),
        ],
    }
}
