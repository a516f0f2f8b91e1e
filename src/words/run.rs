//! Sentences about a run's facts: why a process cannot move, who waits for
//! whom in a deadlock, what the verdict says, the check's texts with their
//! placeholders and plurals filled in.

mod blocked;

pub use blocked::{Names, blocked, blocked_as, clock_time, deadlock};

use crate::drive::DriveError;
use crate::lesson::{Check, Lang, fill};
use crate::model::facts::{Blocked, Says, Verdict};
use crate::model::{OutputLine, ProcId, RunState, Said};
use crate::schedule::Refusal;

pub use crate::lesson::PLACEHOLDERS;

/// Fill a check text: `{actual}`, `{expected}`, `{diff}` (how far apart,
/// never negative) and `{s}`: "s" unless the number filled in just before it
/// is 1, so "{diff} update{s} lost" reads "1 update lost", "2 updates lost".
pub fn check_sentence(template: &str, actual: i64, expected: i64) -> String {
    // Wide enough that no difference of two i64 wraps around.
    let (actual, expected) = (i128::from(actual), i128::from(expected));
    let diff = (actual - expected).abs();
    let last = std::cell::Cell::new(None::<i128>);
    fill(template, |name| {
        let n = match name {
            "actual" => actual,
            "expected" => expected,
            "diff" => diff,
            "s" => {
                let one = last.get().is_some_and(|n| n.abs() == 1);
                return Some(if one { "" } else { "s" }.to_string());
            }
            _ => return None,
        };
        last.set(Some(n));
        Some(n.to_string())
    })
}

/// "1 update lost so far" / "3 updates lost so far".
pub fn lost_so_far(lost: usize, lang: Lang) -> String {
    match (lang, lost) {
        (Lang::En, 1) => "1 update lost so far".into(),
        (Lang::En, n) => format!("{n} updates lost so far"),
        (Lang::Zh, n) => format!("目前已丢失 {n} 次更新"),
    }
}

/// P-numbers (0-based in, "P2–P5, P7" out): runs of three or more as a range.
pub fn numbers(procs: &[usize]) -> String {
    let mut sorted = procs.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut parts = Vec::new();
    let mut i = 0;
    while i < sorted.len() {
        let mut j = i;
        while j + 1 < sorted.len() && sorted[j + 1] == sorted[j] + 1 {
            j += 1;
        }
        let (first, last) = (ProcId(sorted[i]), ProcId(sorted[j]));
        match j - i {
            0 => parts.push(first.to_string()),
            1 => {
                parts.push(first.to_string());
                parts.push(last.to_string());
            }
            _ => parts.push(format!("{first}–{last}")),
        }
        i = j + 1;
    }
    parts.join(", ")
}

/// The verdict as the screen and the reports tell it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerdictText {
    pub ok: bool,
    pub finished: bool,
    pub actual: i64,
    pub expected: i64,
    /// One plain sentence.
    pub sentence: String,
    /// The step at which the check first broke.
    pub broken_at: Option<u64>,
    /// The deadlock in English by P-numbers (the JSON summary's
    /// `deadlock`, which scripts read).
    pub deadlock: Option<String>,
    /// The deadlock in English with each process named as its lane is
    /// ("P2 (task 1) waits for lock, held by P1 (task 0)"): the JSON
    /// summary's `deadlock_named`.
    pub deadlock_named: Option<String>,
}

/// What a run that checks no value shows when it did not deadlock.
pub fn no_deadlock(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "no deadlock",
        Lang::Zh => "没有死锁",
    }
}

/// The verdict's sentence in `lang`, from the facts and the lesson's check.
pub fn verdict_sentence(v: &Verdict, check: &Check, lang: Lang, names: Names) -> String {
    let q = check.quantity.get(lang);
    let (actual, expected) = (v.actual, v.expected);
    let sentence = match (v.says, lang) {
        // A program that checks nothing but deadlock (or nothing at all).
        (Says::SoFar | Says::Ok, _) if q.is_empty() => no_deadlock(lang).into(),
        (Says::SoFar, _) => match &check.so_far {
            Some(t) => check_sentence(t.get(lang), actual, expected),
            None if lang == Lang::Zh => format!("{q}：{actual}"),
            None => format!("{q}: {actual}"),
        },
        (Says::Ok, _) => check_sentence(check.ok.get(lang), actual, expected),
        (Says::Broken, _) => check_sentence(check.broken.get(lang), actual, expected),
        (Says::LostSoFar(n), _) => lost_so_far(n, lang),
        (Says::Pending { measured: false }, Lang::En) => format!("{q}: not measured yet"),
        (Says::Pending { measured: false }, Lang::Zh) => format!("{q}：尚未测得"),
        (Says::Pending { measured: true }, Lang::En) => format!("{q}: {actual} so far"),
        (Says::Pending { measured: true }, Lang::Zh) => format!("{q}：目前 {actual}"),
        (Says::Off, _) => match check.outcome.as_ref().and_then(|o| o.off.as_ref()) {
            Some(t) => check_sentence(t.get(lang), actual, expected),
            None => String::new(),
        },
        (Says::Unmeasured, Lang::En) => format!("{q}: never measured"),
        (Says::Unmeasured, Lang::Zh) => format!("{q}：始终没有测得"),
        (Says::Deadlock, _) => {
            let d = v.deadlock.as_ref().map(|d| deadlock(d, lang, names));
            let d = d.unwrap_or_default();
            match lang {
                Lang::En => format!("DEADLOCK: {d}"),
                Lang::Zh => format!("死锁（DEADLOCK）：{d}"),
            }
        }
    };
    with_missed(
        with_killed(with_failures(sentence, v, lang), v, lang),
        v,
        check,
        lang,
    )
}

/// The run ended without the end the lesson's story leads to: say so first.
fn with_missed(sentence: String, v: &Verdict, check: &Check, lang: Lang) -> String {
    let missed = check.outcome.as_ref().and_then(|o| o.missed.as_ref());
    match missed {
        Some(t) if v.missed => {
            let t = check_sentence(t.get(lang), v.actual, v.expected);
            match lang {
                Lang::En => format!("{t} ({sentence})"),
                Lang::Zh => format!("{t}（{sentence}）"),
            }
        }
        _ => sentence,
    }
}

/// The verdict's sentence when a process failed: the error comes first.
fn with_failures(sentence: String, v: &Verdict, lang: Lang) -> String {
    let Some((failed, first)) = &v.failures else {
        return sentence;
    };
    let who = numbers(&failed.iter().map(|p| p.index()).collect::<Vec<_>>());
    let p1 = failed[0];
    match (lang, failed.len()) {
        (Lang::En, 1) => format!("{who} stopped with an error: {first} (the check: {sentence})"),
        (Lang::En, _) => {
            format!("{who} stopped with errors, first {p1}: {first} (the check: {sentence})")
        }
        (Lang::Zh, 1) => format!("{who} 出错停止：{first}（检查：{sentence}）"),
        (Lang::Zh, _) => format!("{who} 出错停止，第一个是 {p1}：{first}（检查：{sentence}）"),
    }
}

/// A final value assumes every process did its part: say who was killed
/// before it finished, so a shortfall is not all put down to lost updates.
fn with_killed(sentence: String, v: &Verdict, lang: Lang) -> String {
    if v.killed.is_empty() {
        return sentence;
    }
    let who = numbers(&v.killed.iter().map(|p| p.index()).collect::<Vec<_>>());
    match (lang, v.killed.len()) {
        (Lang::En, 1) => format!("{sentence} (but {who} was killed before it finished)"),
        (Lang::En, _) => format!("{sentence} (but {who} were killed before they finished)"),
        (Lang::Zh, _) => format!("{sentence}（但 {who} 在完成前被终止）"),
    }
}

/// Why a schedule could not be followed: "step 3: P2 cannot move (P2 waits
/// for lock, held by P1)".
pub fn refusal(r: &Refusal, blocked: Option<&Blocked>, lang: Lang) -> String {
    let why = blocked.map(|b| self::blocked(b, lang));
    match (r, lang) {
        (Refusal::NoSuchProcess { step, proc, count }, Lang::En) => format!(
            "step {step} names {}, but there {} only {count} {} then",
            ProcId::from_number(*proc),
            if *count == 1 { "is" } else { "are" },
            if *count == 1 { "process" } else { "processes" },
        ),
        (Refusal::NoSuchProcess { step, proc, count }, Lang::Zh) => format!(
            "第 {step} 步指定了 {}，但那时只有 {count} 个进程",
            ProcId::from_number(*proc)
        ),
        (Refusal::Blocked { step, proc }, Lang::En) => format!(
            "step {step}: {} cannot move{}",
            ProcId::from_number(*proc),
            why.map(|w| format!(" ({w})")).unwrap_or_default()
        ),
        (Refusal::Blocked { step, proc }, Lang::Zh) => format!(
            "第 {step} 步：{} 不能移动{}",
            ProcId::from_number(*proc),
            why.map(|w| format!("（{w}）")).unwrap_or_default()
        ),
        (Refusal::Diverged { step, at_branch }, Lang::En) => format!(
            "step {step}: the run went differently from an earlier run of the same schedule{}",
            if *at_branch {
                " (at a branch point)"
            } else {
                ""
            }
        ),
        (Refusal::Diverged { step, at_branch }, Lang::Zh) => format!(
            "第 {step} 步：这次运行和先前按同一调度的运行走得不一样{}",
            if *at_branch {
                "（在一个分支点）"
            } else {
                ""
            }
        ),
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&refusal(self, None, Lang::En))
    }
}

impl std::fmt::Display for DriveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DriveError::Start(e) => write!(f, "failed to start the run: {e}"),
            DriveError::Refused {
                refusal: r,
                blocked,
            } => write!(
                f,
                "failed to follow the schedule: {}",
                refusal(r, blocked.as_deref(), Lang::En)
            ),
            DriveError::Stuck(why) => write!(f, "failed to finish the run: {why}"),
        }
    }
}

impl OutputLine {
    /// The line as the output shows it in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match (&self.said, lang) {
            (Said::Printed { zh: Some(zh), .. }, Lang::Zh) => zh.clone(),
            (Said::Printed { en, .. }, _) => en.clone(),
            // In brackets: what the process did, not a line it printed.
            (Said::Terminated { child }, Lang::En) => format!("[terminate(): SIGTERM to {child}]"),
            (Said::Terminated { child }, Lang::Zh) => {
                format!("[terminate()：向 {child} 发送 SIGTERM]")
            }
            (Said::Refused { server, port }, Lang::En) => format!(
                "[refused a connection to {server} from 127.0.0.1:{port}: not a process of this lesson]"
            ),
            (Said::Refused { server, port }, Lang::Zh) => {
                format!("[拒绝了来自 127.0.0.1:{port} 到 {server} 的连接：不是这一课的进程]")
            }
        }
    }
}

impl RunState {
    /// The check's verdict now, told in `lang`.
    pub fn verdict(&self, lang: Lang) -> VerdictText {
        self.verdict_as(lang, Names::Numbers)
    }

    /// The verdict as the app's screen and the headless reports tell it:
    /// processes named as in the lanes ("P3 (p2) waits for lock, held by
    /// P1 (main)").
    pub fn verdict_named(&self, lang: Lang) -> VerdictText {
        self.verdict_as(lang, Names::Listing(self))
    }

    fn verdict_as(&self, lang: Lang, names: Names) -> VerdictText {
        let v = self.verdict_facts();
        VerdictText {
            ok: v.ok,
            finished: v.finished,
            actual: v.actual,
            expected: v.expected,
            sentence: verdict_sentence(&v, &self.check, lang, names),
            broken_at: v.broken_at,
            deadlock: v
                .deadlock
                .as_ref()
                .map(|d| deadlock(d, Lang::En, Names::Numbers)),
            deadlock_named: v
                .deadlock
                .as_ref()
                .map(|d| deadlock(d, Lang::En, Names::Listing(self))),
        }
    }

    /// The run's deadlock, if it ended in one, told in `lang` with each
    /// process named as its lane is: the reports' line, as the screen says it.
    pub fn deadlock_named(&self, lang: Lang) -> Option<String> {
        let v = self.verdict_facts();
        v.deadlock
            .as_ref()
            .map(|d| deadlock(d, lang, Names::Listing(self)))
    }

    /// If the run is stuck now: who waits for what, told in `lang`.
    pub fn deadlock_told(&self, lang: Lang) -> Option<String> {
        self.deadlock_now()
            .map(|d| deadlock(&d, lang, Names::Numbers))
    }

    /// Why process `p` cannot be stepped, in one sentence; `None` if it can.
    pub fn why_blocked(&self, p: usize) -> Option<String> {
        self.why_blocked_in(p, Lang::En)
    }

    /// [`RunState::why_blocked`] in `lang`.
    pub fn why_blocked_in(&self, p: usize, lang: Lang) -> Option<String> {
        self.blocked(p).map(|b| blocked(&b, lang))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s_follows_the_number_before_it() {
        let t = "count is {actual}, expected {expected}: {diff} update{s} lost";
        assert_eq!(
            check_sentence(t, 81, 80),
            "count is 81, expected 80: 1 update lost"
        );
        assert_eq!(
            check_sentence(t, 99, 80),
            "count is 99, expected 80: 19 updates lost"
        );
        assert_eq!(check_sentence("{actual} zombie{s}", 1, 3), "1 zombie");
        assert_eq!(check_sentence("{actual} zombie{s}", 0, 3), "0 zombies");
        // Before any number: plural.
        assert_eq!(check_sentence("thing{s}", 1, 1), "things");
    }

    #[test]
    fn lost_updates_so_far_agree_in_number() {
        assert_eq!(lost_so_far(1, Lang::En), "1 update lost so far");
        assert_eq!(lost_so_far(2, Lang::En), "2 updates lost so far");
        assert_eq!(lost_so_far(1, Lang::Zh), "目前已丢失 1 次更新");
    }

    #[test]
    fn a_program_checking_no_value_says_no_deadlock() {
        let path = std::path::Path::new("philosophers.py");
        let lesson = crate::python::lesson(path, "print(1)\n").unwrap();
        let state = RunState::new(&lesson, &[]);
        assert_eq!(state.verdict_named(Lang::En).sentence, "no deadlock");
        assert_eq!(state.verdict_named(Lang::Zh).sentence, "没有死锁");
    }

    #[test]
    fn a_step_naming_a_process_not_there_yet_says_how_many_are() {
        let r = |count| crate::schedule::Refusal::NoSuchProcess {
            step: 2,
            proc: 9,
            count,
        };
        assert_eq!(
            refusal(&r(2), None, Lang::En),
            "step 2 names P9, but there are only 2 processes then"
        );
        assert_eq!(
            refusal(&r(1), None, Lang::En),
            "step 2 names P9, but there is only 1 process then"
        );
    }

    #[test]
    fn numbers_make_ranges_of_runs() {
        assert_eq!(numbers(&[1]), "P2");
        assert_eq!(numbers(&[1, 2]), "P2, P3");
        assert_eq!(numbers(&[9, 1, 2, 3, 4, 5, 6, 7, 8]), "P2–P10");
        assert_eq!(numbers(&[0, 2, 3, 4, 7]), "P1, P3–P5, P8");
    }
}
