//! `lockstep explore`'s report in English and Chinese: how the schedules
//! were chosen, what each set of them came to, the bad schedule to replay.

use std::path::Path;

use crate::lesson::{Lang, Rule, Timing};

fn tr(lang: Lang, en: &'static str, zh: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

fn processes(procs: usize, lang: Lang) -> &'static str {
    let en = if procs == 1 { "process" } else { "processes" };
    tr(lang, en, "个进程")
}

/// "with every lock on" or "off: lock".
pub fn off_text(off: &[String], lang: Lang) -> String {
    if off.is_empty() {
        tr(lang, "with every lock on", "所有锁都开着").to_string()
    } else if off.iter().any(|o| o == crate::python::ALL_OFF) {
        // A program's `--unlocked`: its locks are not known before it runs.
        tr(lang, "with every lock off", "所有锁都关掉").to_string()
    } else {
        format!("{}{}", tr(lang, "off: ", "关掉："), off.join(", "))
    }
}

/// "every distinct schedule, fresh processes each time · 2 processes".
pub fn exhaustive_line(procs: usize, lang: Lang) -> String {
    let what = tr(
        lang,
        "every distinct schedule, fresh processes each time",
        "所有不同的调度，每次都用全新的进程",
    );
    format!("{what} · {procs} {}", processes(procs, lang))
}

/// The bound of a bounded search, said once.
pub fn bounded_line(bound: usize, lang: Lang) -> String {
    match lang {
        Lang::En => format!(
            "bounded: only schedules that switch away from a process that could go on at most {bound} time{} (preemptions); others may still break",
            if bound == 1 { "" } else { "s" }
        ),
        Lang::Zh => format!(
            "有界搜索：只运行在某个进程还能继续时把它换下最多 {bound} 次（抢占）的调度；其余调度仍可能出错"
        ),
    }
}

/// "random search: 20 schedules per setting (seed 3) · 5 processes".
pub fn random_line(runs: usize, seed: u64, procs: usize, lang: Lang) -> String {
    format!(
        "{} {runs} {} (seed {seed}) · {procs} {}",
        tr(lang, "random search:", "随机搜索："),
        tr(lang, "schedules per setting", "个调度/每种设置"),
        processes(procs, lang)
    )
}

/// Whether steps that touch nothing shared were interleaved too, and
/// whether one schedule per class was run.
pub fn reduced_line(reduced: bool, dpor: bool, lang: Lang) -> &'static str {
    if reduced && dpor {
        tr(
            lang,
            "reduced: one schedule is run per class, since every schedule of a class ends the same way",
            "已约简：每一类只运行一个调度，因为同一类的调度结局都一样",
        )
    } else if reduced {
        tr(
            lang,
            "reduced: steps that touch nothing shared (sleep, set, jump, print, count, a lock that is off) run at once, not interleaved; this changes no result",
            "已约简：不碰共享数据的步骤（sleep、set、jump、print、count、关掉的锁）立即执行，不参与交错；结果不受影响",
        )
    } else {
        tr(
            lang,
            "not reduced: every step is interleaved",
            "未约简：每一步都参与交错",
        )
    }
}

/// What a class is, in one sentence.
pub fn class_meaning(lang: Lang) -> &'static str {
    tr(
        lang,
        "a class: the schedules that do the steps on each shared thing (a value, a lock, a queue…) in the same order; they differ only in when steps on different things happen",
        "一类：对每个共享对象（值、锁、队列……）的操作顺序都相同的那些调度；它们只在不同对象上的步骤谁先谁后上有区别",
    )
}

/// "6 classes, one schedule run for each (6 runs)", "6 classes in 7 runs (1 of
/// them repeated a class already run)" or "924 schedules in 6 classes".
pub fn classes_line(
    classes: usize,
    schedules: usize,
    runs: usize,
    dpor: bool,
    lang: Lang,
) -> String {
    let class_word = match (lang, classes) {
        (Lang::En, 1) => "class",
        (Lang::En, _) => "classes",
        (Lang::Zh, _) => "类",
    };
    if dpor && runs > classes {
        // Some runs went back into a class already run.
        let again = runs - classes;
        match lang {
            Lang::En => format!(
                "{classes} {class_word} in {runs} runs ({again} of them repeated a class already run)"
            ),
            Lang::Zh => {
                format!("{classes} 类，共 {runs} 次运行（其中 {again} 次重复了已跑过的类）")
            }
        }
    } else if dpor {
        let runs_word = tr(lang, if runs == 1 { "run" } else { "runs" }, "次运行");
        match lang {
            Lang::En => {
                format!("{classes} {class_word}, one schedule run for each ({runs} {runs_word})")
            }
            Lang::Zh => format!("{classes} 类，每类运行一个调度（{runs} {runs_word}）"),
        }
    } else {
        let plural = if schedules == 1 {
            "schedule"
        } else {
            "schedules"
        };
        match lang {
            Lang::En => format!("{schedules} {plural} in {classes} {class_word}"),
            Lang::Zh => format!("{schedules} 个调度，分属 {classes} 类"),
        }
    }
}

/// "off: lock · 6 schedules · 4 broke the check · 0 deadlocked".
pub fn set_line(
    off: &[String],
    schedules: usize,
    broken: usize,
    deadlocked: usize,
    lang: Lang,
) -> String {
    let plural = if schedules == 1 {
        "schedule"
    } else {
        "schedules"
    };
    format!(
        "{} · {schedules} {} · {broken} {} · {deadlocked} {}",
        off_text(off, lang),
        tr(lang, plural, "个调度"),
        tr(lang, "broke the check", "个结果出错"),
        tr(lang, "deadlocked", "个死锁")
    )
}

/// "share that went wrong: 35.0 %".
pub fn share_line(percent: f64, lang: Lang) -> String {
    let what = tr(lang, "share that went wrong", "出错比例");
    format!("{what}: {percent:.1} %")
}

fn rule_word(rule: Rule, lang: Lang) -> &'static str {
    match rule {
        Rule::Equal => tr(lang, "exactly", "等于"),
        Rule::AtMost => tr(lang, "at most", "至多"),
        Rule::AtLeast => tr(lang, "at least", "至少"),
    }
}

/// "final count (expected exactly 2):", the head of the bar chart.
pub fn expected_line(quantity: &str, rule: Rule, expect: i64, lang: Lang) -> String {
    let expected = tr(lang, "expected", "预期");
    format!(
        "{quantity} ({expected} {} {expect}):",
        rule_word(rule, lang)
    )
}

/// The bar chart's row of runs that deadlocked.
pub fn deadlock_label(lang: Lang) -> &'static str {
    tr(lang, "deadlock", "死锁")
}

/// A bar's mark: whether its value keeps the check.
pub fn mark(ok: bool, lang: Lang) -> &'static str {
    if ok {
        tr(lang, "ok", "正确")
    } else {
        tr(lang, "BROKEN", "出错")
    }
}

fn steps_text(s: &[usize]) -> String {
    s.iter()
        .map(|p| p.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

/// "shortest bad schedule (4 steps): 1,2,1,2" (or the first, in a random search).
pub fn bad_schedule_line(shortest: bool, steps: &[usize], lang: Lang) -> String {
    let label = if shortest {
        tr(lang, "shortest bad schedule", "最短的出错调度")
    } else {
        tr(lang, "first bad schedule", "第一个出错调度")
    };
    let n = steps.len();
    format!(
        "{label} ({n} {}): {}",
        tr(lang, "steps", "步"),
        steps_text(steps)
    )
}

/// "  replay: lockstep run counter --procs 2 --off lock --steps 1,2,1,2";
/// `procs` only for a lesson that can be shrunk.
pub fn replay_line(
    name: &str,
    procs: Option<usize>,
    off: &[String],
    steps: &[usize],
    timing: Option<Timing>,
    seed: Option<u64>,
    lang: Lang,
) -> String {
    let mut cmd = match procs {
        Some(procs) => format!("lockstep run {name} --procs {procs}"),
        None => format!("lockstep run {name}"),
    };
    for o in off {
        cmd.push_str(&format!(" --off {o}"));
    }
    if let Some(t) = timing {
        cmd.push_str(&format!(" --timing {}", t.name()));
    }
    if let Some(seed) = seed {
        cmd.push_str(&format!(" --seed {seed}"));
    }
    let replay = tr(lang, "replay:", "重放：");
    format!("  {replay} {cmd} --steps {}", steps_text(steps))
}

pub fn nothing_bad_line(lang: Lang) -> &'static str {
    tr(lang, "no schedule went wrong", "没有任何调度出错")
}

/// "6 runs of real processes in 0.21 s (28 schedules/s)".
pub fn timing_line(runs: usize, secs: f64, per_second: f64, lang: Lang) -> String {
    let en = if runs == 1 {
        "run of real processes in"
    } else {
        "runs of real processes in"
    };
    format!(
        "{runs} {} {secs:.2} s ({per_second:.0} {})",
        tr(lang, en, "次真实进程运行，用时"),
        tr(lang, "schedules/s", "个调度/秒")
    )
}

/// " (as written)" after a progress label, when both models are explored.
fn progress_model(named: Option<Timing>) -> String {
    named
        .map(|t| format!(" ({})", timing_name(t, Lang::En)))
        .unwrap_or_default()
}

/// The progress line's label while every schedule is run (English only).
pub fn progress_every(named: Option<Timing>) -> String {
    format!("exploring{}: schedules", progress_model(named))
}

/// The progress line's label while random schedules are run (English only).
pub fn progress_random(off: &[String], named: Option<Timing>) -> String {
    format!(
        "random schedules{} ({}):",
        progress_model(named),
        off_text(off, Lang::En)
    )
}

/// A timing model's name: "as written", "any timing".
pub fn timing_name(t: Timing, lang: Lang) -> &'static str {
    match t {
        Timing::AsWritten => tr(lang, "as written", "按代码计时"),
        Timing::Any => tr(lang, "any timing", "任意时序"),
    }
}

/// The heading of the sets explored under one timing model, when both were.
pub fn timing_heading(t: Timing, lang: Lang) -> String {
    let what = match t {
        Timing::AsWritten => tr(
            lang,
            "a virtual clock: a sleeping process waits its turn until its sleep ends",
            "虚拟时钟：睡眠中的进程要等睡够了才能走",
        ),
        Timing::Any => tr(
            lang,
            "sleeps take no time: every order the OS could produce",
            "睡眠不占时间：操作系统可能排出的任何顺序",
        ),
    };
    match lang {
        Lang::En => format!("── {} ({what}) ──", timing_name(t, lang)),
        Lang::Zh => format!("── {}（{what}）──", timing_name(t, lang)),
    }
}

/// The other model found exactly the same: one line instead of its sets.
pub fn same_under(t: Timing, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{}: the same results", timing_name(t, Lang::En)),
        Lang::Zh => format!("{}：结果完全相同", timing_name(t, Lang::Zh)),
    }
}

/// "saved: bad.schedule.json (replay: lockstep run bad.schedule.json)".
pub fn saved_line(path: &Path) -> String {
    let path = path.display();
    format!("saved: {path} (replay: lockstep run {path})")
}

/// On stderr when `--save` found nothing to save.
pub fn nothing_saved(path: &Path) -> String {
    format!(
        "lockstep: nothing saved to {}: no schedule went wrong",
        path.display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_classes_line_says_when_runs_repeated_a_class() {
        assert_eq!(
            classes_line(6, 6, 6, true, Lang::En),
            "6 classes, one schedule run for each (6 runs)"
        );
        assert_eq!(
            classes_line(6, 6, 7, true, Lang::En),
            "6 classes in 7 runs (1 of them repeated a class already run)"
        );
        assert_eq!(
            classes_line(90, 90, 95, true, Lang::Zh),
            "90 类，共 95 次运行（其中 5 次重复了已跑过的类）"
        );
    }
}
