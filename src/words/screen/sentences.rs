//! The screens' sentences built from numbers: where the check broke, what
//! the measured times show, how the explorer searched and what it found.

use std::fmt::Display;

use crate::lesson::Lang;

/// "broke at step 8".
pub fn broken_at(step: impl Display, lang: Lang) -> String {
    match lang {
        Lang::En => format!("broke at step {step}"),
        Lang::Zh => format!("第 {step} 步出错"),
    }
}

/// A room as the side panel heads it: the listing's lines it spans
/// ("Lines 6–8: ", "第 6–8 行："), or its name when no line says.
pub fn room_label(name: &str, lines: Option<(u32, u32)>, lang: Lang) -> String {
    match (lines, lang) {
        (Some((a, b)), Lang::En) if a == b => format!("Line {a}: "),
        (Some((a, b)), Lang::En) => format!("Lines {a}–{b}: "),
        (Some((a, b)), Lang::Zh) if a == b => format!("第 {a} 行："),
        (Some((a, b)), Lang::Zh) => format!("第 {a}–{b} 行："),
        (None, Lang::En) => format!("Room {name}: "),
        (None, Lang::Zh) => format!("房间 {name}："),
    }
}

/// The timeline's whole run, with the pauses in it that the header's clock
/// leaves out: "whole run 3.81 s (1.20 s paused)".
pub fn whole_run(whole: &str, paused: Option<&str>, lang: Lang) -> String {
    match (paused, lang) {
        (None, Lang::En) => format!("whole run {whole}"),
        (None, Lang::Zh) => format!("全程 {whole}"),
        (Some(p), Lang::En) => format!("whole run {whole} ({p} paused)"),
        (Some(p), Lang::Zh) => format!("全程 {whole}（暂停 {p}）"),
    }
}

/// How a free run's times were taken: "real time, speed 2×: a 1 s sleep
/// lasts 500 ms" (`speed` and `one` already written out).
pub fn real_time(speed: &str, one: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("real time, speed {speed}×: a 1\u{a0}s sleep lasts {one}"),
        Lang::Zh => format!("真实时间 · 速度 {speed}× · 1\u{a0}秒的睡眠实际 {one}"),
    }
}

/// What a group's measured time says against its sleeps added up.
pub fn took(group: &str, took: &str, sum: &str, overlapped: bool, lang: Lang) -> String {
    match (overlapped, lang) {
        (true, Lang::En) => format!("{group} took {took} < sum {sum}: the sleeps overlapped"),
        (false, Lang::En) => format!("{group} took {took} ≈ sum {sum}: one sleep after another"),
        (true, Lang::Zh) => format!("{group} 实耗 {took} < 之和 {sum}：睡眠是重叠的"),
        (false, Lang::Zh) => format!("{group} 实耗 {took} ≈ 之和 {sum}：一个接一个地睡"),
    }
}

/// The header's locks when naming each does not fit: "3 locks ON",
/// "1 of 3 locks OFF".
pub fn locks_counted(all: usize, off: usize, lang: Lang) -> String {
    let s = if all == 1 { "" } else { "s" };
    match (off, lang) {
        (0, Lang::En) => format!("{all} lock{s} ON"),
        (0, Lang::Zh) => format!("{all} 把锁 开"),
        (_, Lang::En) => format!("{off} of {all} lock{s} OFF"),
        (_, Lang::Zh) => format!("{all} 把锁中 {off} 把 关"),
    }
}

/// How the explorer searches.
pub enum Search {
    /// Still choosing how many processes to explore.
    Sizing,
    /// Counting every schedule at `procs`; more than `limit`, and the
    /// search turns to fewer processes or random schedules.
    Trying {
        procs: Option<usize>,
        limit: usize,
    },
    /// `procs`: how many processes the lesson was shrunk to; `None` for a
    /// real program, which starts as many as it does.
    Every {
        procs: Option<usize>,
    },
    Random {
        procs: Option<usize>,
        runs: usize,
    },
}

/// "3 processes · " / "3 个进程 · ", or nothing when the program decides.
fn processes_prefix(procs: Option<usize>, lang: Lang) -> String {
    match (procs, lang) {
        (None, _) => String::new(),
        (Some(n), Lang::En) => format!("{n} processes · "),
        (Some(n), Lang::Zh) => format!("{n} 个进程 · "),
    }
}

/// A lock setting searched with random schedules while the others were
/// searched whole: "100 random schedules (too many for every one)".
pub fn random_set(runs: usize, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{runs} random schedules (too many for every one)"),
        Lang::Zh => format!("{runs} 个随机调度（全部调度太多）"),
    }
}

pub fn explore_how(search: &Search, lang: Lang) -> String {
    match (search, lang) {
        (Search::Sizing, Lang::En) => "choosing how many processes to explore…".into(),
        (Search::Sizing, Lang::Zh) => "正在确定探索多少个进程……".into(),
        (
            Search::Trying {
                procs: Some(n),
                limit,
            },
            Lang::En,
        ) => format!(
            "{n} processes · trying every schedule (over {limit}: fewer processes or random)…"
        ),
        (
            Search::Trying {
                procs: Some(n),
                limit,
            },
            Lang::Zh,
        ) => {
            format!("{n} 个进程 · 正在尝试所有调度（超过 {limit} 个就减少进程或改用随机调度）……")
        }
        (Search::Trying { procs: None, limit }, Lang::En) => {
            format!("trying every schedule (over {limit}: random ones instead)…")
        }
        (Search::Trying { procs: None, limit }, Lang::Zh) => {
            format!("正在尝试所有调度（超过 {limit} 个就改用随机调度）……")
        }
        (Search::Every { procs }, Lang::En) => format!(
            "{}every schedule, fresh processes each (local steps run at once)",
            processes_prefix(*procs, lang)
        ),
        (Search::Every { procs }, Lang::Zh) => format!(
            "{}所有调度，每个用新进程（本地步骤立即执行）",
            processes_prefix(*procs, lang)
        ),
        (Search::Random { procs, runs }, Lang::En) => format!(
            "{}{runs} random schedules per setting (too many for every one)",
            processes_prefix(*procs, lang)
        ),
        (Search::Random { procs, runs }, Lang::Zh) => format!(
            "{}每种设置 {runs} 个随机调度（全部调度太多）",
            processes_prefix(*procs, lang)
        ),
    }
}

/// The explorer's gauge while schedules run: "120/300 schedules" once the
/// total is known, else "1054 schedules · still counting".
pub fn explore_progress(done: usize, total: Option<f64>, lang: Lang) -> String {
    match (total, lang) {
        (Some(t), Lang::En) => format!("{done}/{t:.0} schedules"),
        (Some(t), Lang::Zh) => format!("{done}/{t:.0} 个调度"),
        (None, Lang::En) => format!(
            "{done} schedule{} · still counting",
            if done == 1 { "" } else { "s" }
        ),
        (None, Lang::Zh) => format!("已跑 {done} 个调度 · 总数还在数"),
    }
}

/// Before the explorer's shortest bad schedule: "shortest bad schedule
/// (every lock OFF, 12 steps): " / "最短的出错调度（所有锁都关，12 步）：".
pub fn shortest_bad_head(setting: &str, steps: usize, lang: Lang) -> String {
    match lang {
        Lang::En => format!("shortest bad schedule ({setting}, {steps} steps): "),
        Lang::Zh => format!("最短的出错调度（{setting}，{steps} 步）："),
    }
}

/// "90 schedules · 84 broke the check · 0 deadlocked · 93% bad".
pub fn explore_summary(
    schedules: usize,
    broken: usize,
    deadlocked: usize,
    share: f64,
    lang: Lang,
) -> String {
    match lang {
        Lang::En => format!(
            "{schedules} schedule{} · {broken} broke the check · {deadlocked} deadlocked · {share:.0}% bad",
            if schedules == 1 { "" } else { "s" }
        ),
        Lang::Zh => format!(
            "{schedules} 个调度 · {broken} 个检查出错 · {deadlocked} 个死锁 · {share:.0}% 出错"
        ),
    }
}
