//! The lines of `lockstep run`'s report in English and Chinese: what the
//! processes print as the run goes, then the summary.

use crate::drive::DriveError;
use crate::lesson::{Lang, Rule};
use crate::model::{Phase, Proc, RunState};
use crate::supervisor::Ending;
use crate::wire::ProcId;

/// "mode round-robin · off: lock · 120 steps · 0.03 s" (and the seed when it matters).
pub fn mode_line(lang: Lang, mode: &str, off: &[String], steps: u64, secs: f64) -> String {
    match lang {
        Lang::En => {
            let off = if off.is_empty() {
                "none".to_string()
            } else {
                off.join(", ")
            };
            format!("mode {mode} · off: {off} · {steps} steps · {secs:.2} s")
        }
        Lang::Zh => {
            let off = if off.is_empty() {
                "无".to_string()
            } else {
                off.join("、")
            };
            let mode = match mode {
                "free" => "自由运行",
                "round-robin" => "轮转（round-robin）",
                "random" => "随机（random）",
                "steps" => "指定步骤（steps）",
                other => other,
            };
            format!("模式 {mode} · 关闭：{off} · {steps} 步 · {secs:.2} 秒")
        }
    }
}

/// " · as written": the timing model a schedule followed.
pub fn timing(lang: Lang, t: crate::lesson::Timing) -> String {
    format!(" · {}", crate::words::report::explore::timing_name(t, lang))
}

/// " · seed 42": how to repeat the random choices.
pub fn seed(lang: Lang, seed: u64) -> String {
    match lang {
        Lang::En => format!(" · seed {seed}"),
        Lang::Zh => format!(" · 种子 {seed}"),
    }
}

/// "final count: 99 (expected exactly 80)".
pub fn quantity_line(lang: Lang, quantity: &str, actual: i64, rule: Rule, expected: i64) -> String {
    let rule_text = match (rule, lang) {
        (Rule::Equal, Lang::En) => "exactly",
        (Rule::AtMost, Lang::En) => "at most",
        (Rule::AtLeast, Lang::En) => "at least",
        (Rule::Equal, Lang::Zh) => "等于",
        (Rule::AtMost, Lang::Zh) => "至多",
        (Rule::AtLeast, Lang::Zh) => "至少",
    };
    match lang {
        Lang::En => format!("{quantity}: {actual} (expected {rule_text} {expected})"),
        Lang::Zh => format!("{quantity}：{actual}（预期{rule_text} {expected}）"),
    }
}

/// "verdict: BROKEN: … (first broken at step 62)".
pub fn verdict_line(lang: Lang, ok: bool, sentence: &str, broken_at: Option<u64>) -> String {
    match lang {
        Lang::En => {
            let word = if ok { "OK" } else { "BROKEN" };
            let at = broken_at
                .map(|s| format!(" (first broken at step {s})"))
                .unwrap_or_default();
            format!("verdict: {word}: {sentence}{at}")
        }
        Lang::Zh => {
            let word = if ok {
                "正常（OK）"
            } else {
                "出错（BROKEN）"
            };
            let at = broken_at
                .map(|s| format!("（第 {s} 步首次出错）"))
                .unwrap_or_default();
            format!("结论：{word}：{sentence}{at}")
        }
    }
}

/// `names: P1 main, P2 p1`: what the listing calls each process, when
/// the lesson names them (`None` when it names none).
pub fn names_line(lang: Lang, state: &RunState) -> Option<String> {
    let named: Vec<String> = state
        .procs
        .iter()
        .filter(|p| p.name.is_some())
        .map(|p| p.label())
        .collect();
    if named.is_empty() {
        return None;
    }
    Some(match lang {
        Lang::En => format!("names in the listing: {}", named.join(", ")),
        Lang::Zh => format!("代码里的名字：{}", named.join("，")),
    })
}

pub fn processes_line(lang: Lang, state: &RunState) -> String {
    match lang {
        Lang::En => format!("processes: {}", endings(state, lang)),
        Lang::Zh => format!("进程：{}", endings(state, lang)),
    }
}

/// Who served whom: `connections: c1 P2 ⇄ P5, c2 P3 ⇄ P6` (`None` without servers).
pub fn connections_line(lang: Lang, state: &RunState) -> Option<String> {
    let sockets = &state.ipc.sockets;
    if sockets.is_empty() {
        return None;
    }
    let p = |v: &[usize]| {
        v.iter()
            .map(|x| ProcId(*x).to_string())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let list: Vec<String> = sockets
        .conns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let client = c.client.map_or("?".to_string(), |x| ProcId(x).to_string());
            let served = if c.sides[1].users.is_empty() {
                "-".to_string()
            } else {
                p(&c.sides[1].users)
            };
            format!("c{} {client} ⇄ {served}", i + 1)
        })
        .collect();
    let list = if list.is_empty() {
        match lang {
            Lang::En => "none".to_string(),
            Lang::Zh => "无".to_string(),
        }
    } else {
        list.join(", ")
    };
    Some(match lang {
        Lang::En => format!("connections (client ⇄ served by): {list}"),
        Lang::Zh => format!("连接（客户端 ⇄ 服务进程）：{list}"),
    })
}

/// The schedule, cut after [`SHOWN_STEPS`] steps (`--save` or `--json` keep all).
pub fn schedule_line(lang: Lang, schedule: &[usize]) -> String {
    let s: Vec<String> = schedule
        .iter()
        .take(SHOWN_STEPS)
        .map(|p| p.to_string())
        .collect();
    let more = schedule.len() > SHOWN_STEPS;
    match lang {
        Lang::En if more => format!(
            "schedule: {},… ({} steps in all; --save FILE or --json has every one)",
            s.join(","),
            schedule.len()
        ),
        Lang::En => format!("schedule: {}", s.join(",")),
        Lang::Zh if more => format!(
            "调度：{},…（共 {} 步；--save FILE 或 --json 会给出全部）",
            s.join(","),
            schedule.len()
        ),
        Lang::Zh => format!("调度：{}", s.join(",")),
    }
}

pub const SHOWN_STEPS: usize = 1000;

pub fn saved_line(lang: Lang, path: &std::path::Path) -> String {
    match lang {
        Lang::En => format!("saved: {}", path.display()),
        Lang::Zh => format!("已保存：{}", path.display()),
    }
}

pub fn replaying_line(lang: Lang, file: &str, steps: usize, lesson: &str) -> String {
    match lang {
        Lang::En => {
            format!("replaying {file}: {steps} steps of lesson {lesson}, then round-robin")
        }
        Lang::Zh => format!("重放 {file}：课程 {lesson} 的 {steps} 步，之后轮转"),
    }
}

/// "P3 [pid 4242] saw 7": a line a process printed.
pub fn printed_line(p: ProcId, pid: u32, text: &str) -> String {
    format!("{p} [pid {pid}] {text}")
}

/// "P1 error: …" / "P1 stderr: …" as the run goes.
pub fn error_line(lang: Lang, p: ProcId, message: &str, stderr: bool) -> String {
    match (lang, stderr) {
        (Lang::En, false) => format!("{p} error: {message}"),
        (Lang::En, true) => format!("{p} stderr: {message}"),
        (Lang::Zh, false) => format!("{p} 出错：{message}"),
        (Lang::Zh, true) => format!("{p} 标准错误：{message}"),
    }
}

/// A failed run, in `lang` (the English text is the error's own).
pub fn drive_error(lang: Lang, e: &DriveError) -> String {
    if lang == Lang::En {
        return e.to_string();
    }
    match e {
        DriveError::Start(io) => match crate::cleanup::tmpdir_problem(io) {
            Some(p) => format!(
                "无法开始运行：{}",
                super::tmpdir::tmpdir_problem(p, Lang::Zh)
            ),
            None => format!("无法开始运行：{io}"),
        },
        DriveError::Stuck(why) => format!("无法完成运行：{why}"),
        DriveError::Refused { refusal, blocked } => format!(
            "无法按调度运行：{}",
            crate::words::run::refusal(refusal, blocked.as_deref(), Lang::Zh)
        ),
    }
}

fn ending_text(p: &Proc, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    match p.ending {
        Some(Ending::Code(c)) if zh => format!("以退出码 {c} 退出"),
        Some(Ending::Code(c)) => format!("exited with code {c}"),
        // Lessons send SIGTERM; lockstep ends what a stuck run left with SIGKILL
        // (a SIGKILL from anybody else is told as any other signal).
        Some(Ending::Signal(9)) if p.stopped && zh => "被 lockstep 用信号 9 结束（退出码 -9；卡住的运行剩下的进程由它结束）".into(),
        Some(Ending::Signal(9)) if p.stopped => {
            "ended by lockstep with signal 9 (exit code -9: what a stuck run leaves alive is stopped)".into()
        }
        Some(Ending::Signal(s)) if zh => format!("被信号 {s} 杀死（退出码 {}）", -s),
        Some(Ending::Signal(s)) => format!("killed by signal {s} (exit code {})", -s),
        None if p.orphaned && zh => "成了孤儿（父进程先死了；由 init 回收）".into(),
        None if p.orphaned => "orphaned (the parent died first; init reaped them)".into(),
        None if p.phase == Phase::NotStarted && zh => "从未启动".into(),
        None if p.phase == Phase::NotStarted => "never started".into(),
        None if zh => "仍在运行".into(),
        None => "still running".into(),
    }
}

/// "all 20 exited with code 0", or each ending that differs from the most common one.
pub fn endings(state: &RunState, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut counts: Vec<(String, usize)> = Vec::new();
    for p in &state.procs {
        let t = ending_text(p, lang);
        match counts.iter_mut().find(|(k, _)| *k == t) {
            Some((_, n)) => *n += 1,
            None => counts.push((t, 1)),
        }
    }
    let Some((common, n)) = counts.iter().max_by_key(|(_, n)| *n).cloned() else {
        return if zh { "无".into() } else { "none".into() };
    };
    if n == state.procs.len() {
        return if zh {
            format!("全部 {n} 个{common}")
        } else {
            format!("all {n} {common}")
        };
    }
    let odd: Vec<String> = state
        .procs
        .iter()
        .filter(|p| ending_text(p, lang) != common)
        .map(|p| format!("{} {}", ProcId::from_number(p.number), ending_text(p, lang)))
        .collect();
    if zh {
        format!("{}；其余 {n} 个{common}", odd.join("，"))
    } else {
        format!("{}; the other {n} {common}", odd.join(", "))
    }
}
