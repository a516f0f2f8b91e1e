//! An exploration's result for people (a compact table with a bar chart of
//! the key quantity) and for programs (one JSON object).

use std::io::Write;

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Tally, Timing};
use crate::lesson::{Lang, Lesson, Rule};

/// How the schedules were chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Search {
    Exhaustive,
    Random { runs: usize, seed: u64 },
}

impl Search {
    pub fn name(self) -> &'static str {
        match self {
            Search::Exhaustive => "exhaustive",
            Search::Random { .. } => "random",
        }
    }
}

/// What one set of schedules (one lock setting) came to, for `--json`.
#[derive(Serialize, Default)]
pub struct SetSummary<'a> {
    bad_schedules: &'a [Vec<usize>],
    broken: usize,
    deadlocked: usize,
    /// The key quantity's value (as text, so in text order) → schedules.
    distribution: BTreeMap<String, usize>,
    first_bad: Option<&'a [usize]>,
    off: &'a [String],
    schedules: usize,
    shortest_bad: Option<&'a [usize]>,
}

impl<'a> SetSummary<'a> {
    fn of(t: &'a Tally) -> SetSummary<'a> {
        SetSummary {
            bad_schedules: &t.bad_schedules,
            broken: t.broken,
            deadlocked: t.deadlocked,
            distribution: (t.distribution.iter())
                .map(|(value, n)| (value.to_string(), *n))
                .collect(),
            first_bad: t.first_bad.as_deref(),
            off: &t.off,
            schedules: t.schedules,
            shortest_bad: t.shortest_bad.as_deref(),
        }
    }
}

/// The one line of `lockstep explore --json`: the first set's counts, the
/// search's facts, and every set.
#[derive(Serialize)]
pub struct ExploreSummary<'a> {
    bad_schedules: &'a [Vec<usize>],
    broken: usize,
    deadlocked: usize,
    distribution: BTreeMap<String, usize>,
    elapsed_ms: f64,
    ev: &'static str,
    expected: i64,
    first_bad: Option<&'a [usize]>,
    lesson: &'a str,
    mode: &'static str,
    off: &'a [String],
    procs: usize,
    /// Only in a random search.
    #[serde(skip_serializing_if = "Option::is_none")]
    random_runs: Option<usize>,
    reduced: bool,
    rule: Rule,
    runs: usize,
    schedules: usize,
    schedules_per_s: f64,
    /// Only in a random search.
    #[serde(skip_serializing_if = "Option::is_none")]
    seed: Option<u64>,
    sets: Vec<SetSummary<'a>>,
    shortest_bad: Option<&'a [usize]>,
}

/// Everything an exploration found.
pub struct Exploration<'a> {
    pub lesson: &'a Lesson,
    /// The lesson as the user named it (an id or a path), for the replay hint.
    pub name: &'a str,
    pub search: Search,
    pub reduced: bool,
    /// One set per lock setting: the one asked for, or with and without the lock.
    pub sets: Vec<Tally>,
    pub timing: Timing,
}

fn tr(lang: Lang, en: &'static str, zh: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

/// "every lock on" or "off: lock" (English, for progress lines).
pub fn off_label(off: &[String]) -> String {
    off_text(off, Lang::En)
}

fn off_text(off: &[String], lang: Lang) -> String {
    if off.is_empty() {
        tr(lang, "with every lock on", "所有锁都开着").to_string()
    } else {
        format!("{}{}", tr(lang, "off: ", "关掉："), off.join(", "))
    }
}

fn rule_word(rule: Rule, lang: Lang) -> &'static str {
    match rule {
        Rule::Equal => tr(lang, "exactly", "等于"),
        Rule::AtMost => tr(lang, "at most", "至多"),
        Rule::AtLeast => tr(lang, "at least", "至少"),
    }
}

fn steps_text(s: &[usize]) -> String {
    s.iter()
        .map(|p| p.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

impl Exploration<'_> {
    /// The summary object of `--json`. The top-level counts are those of the
    /// first set (the lock setting asked for); `sets` holds every set.
    pub fn summary(&self) -> ExploreSummary<'_> {
        // An exploration has a set per lock setting it ran, so at least one.
        let first = self.sets.first().map(SetSummary::of).unwrap_or_default();
        let random = match self.search {
            Search::Random { runs, seed } => Some((runs, seed)),
            Search::Exhaustive => None,
        };
        ExploreSummary {
            bad_schedules: first.bad_schedules,
            broken: first.broken,
            deadlocked: first.deadlocked,
            distribution: first.distribution,
            elapsed_ms: (self.timing.elapsed.as_secs_f64() * 1000.0 * 1000.0).round() / 1000.0,
            ev: "explore",
            expected: self.lesson.check.expect,
            first_bad: first.first_bad,
            lesson: &self.lesson.id,
            mode: self.search.name(),
            off: first.off,
            procs: self.lesson.process_count(),
            random_runs: random.map(|(runs, _)| runs),
            reduced: self.reduced,
            rule: self.lesson.check.rule,
            runs: self.timing.runs,
            schedules: first.schedules,
            schedules_per_s: (self.timing.per_second() * 10.0).round() / 10.0,
            seed: random.map(|(_, seed)| seed),
            sets: self.sets.iter().map(SetSummary::of).collect(),
            shortest_bad: first.shortest_bad,
        }
    }

    /// The table for people.
    pub fn write_text(&self, lang: Lang, out: &mut dyn Write) -> std::io::Result<()> {
        let lesson = self.lesson;
        let check = &lesson.check;
        writeln!(out, "── {} · {} ──", lesson.id, lesson.title.get(lang))?;
        let procs = lesson.process_count();
        match self.search {
            Search::Exhaustive => writeln!(
                out,
                "{} · {procs} {}",
                tr(
                    lang,
                    "every distinct schedule, fresh processes each time",
                    "所有不同的调度，每次都用全新的进程"
                ),
                tr(
                    lang,
                    if procs == 1 { "process" } else { "processes" },
                    "个进程"
                )
            )?,
            Search::Random { runs, seed } => writeln!(
                out,
                "{} {runs} {} (seed {seed}) · {procs} {}",
                tr(lang, "random search:", "随机搜索："),
                tr(lang, "schedules per setting", "个调度/每种设置"),
                tr(
                    lang,
                    if procs == 1 { "process" } else { "processes" },
                    "个进程"
                )
            )?,
        }
        if self.reduced {
            writeln!(
                out,
                "{}",
                tr(
                    lang,
                    "reduced: steps that touch nothing shared (sleep, set, jump, print, count, a lock that is off) run at once, not interleaved; this changes no result",
                    "已约简：不碰共享数据的步骤（sleep、set、jump、print、count、关掉的锁）立即执行，不参与交错；结果不受影响"
                )
            )?;
        } else {
            writeln!(
                out,
                "{}",
                tr(
                    lang,
                    "not reduced: every step is interleaved",
                    "未约简：每一步都参与交错"
                )
            )?;
        }
        for t in &self.sets {
            writeln!(out)?;
            writeln!(
                out,
                "{} · {} {} · {} {} · {} {}",
                off_text(&t.off, lang),
                t.schedules,
                tr(
                    lang,
                    if t.schedules == 1 {
                        "schedule"
                    } else {
                        "schedules"
                    },
                    "个调度"
                ),
                t.broken,
                tr(lang, "broke the check", "个结果出错"),
                t.deadlocked,
                tr(lang, "deadlocked", "个死锁")
            )?;
            if t.schedules > 0 && matches!(self.search, Search::Random { .. }) {
                writeln!(
                    out,
                    "{}: {:.1} %",
                    tr(lang, "share that went wrong", "出错比例"),
                    100.0 * t.bad() as f64 / t.schedules as f64
                )?;
            }
            writeln!(
                out,
                "{} ({} {}):",
                check.quantity.get(lang),
                tr(lang, "expected", "预期"),
                format_args!("{} {}", rule_word(check.rule, lang), check.expect)
            )?;
            let widest = t
                .distribution
                .values()
                .copied()
                .chain([t.deadlocked])
                .max()
                .unwrap_or(1)
                .max(1);
            let deadlock = tr(lang, "deadlock", "死锁");
            let label_w = t
                .distribution
                .keys()
                .map(|k| k.to_string().len())
                .chain([if t.deadlocked > 0 {
                    deadlock.chars().count()
                } else {
                    1
                }])
                .max()
                .unwrap_or(1);
            for (value, n) in &t.distribution {
                let bar = (n * 30).div_ceil(widest);
                let mark = if check.rule.holds(*value, check.expect) {
                    tr(lang, "ok", "正确")
                } else {
                    tr(lang, "BROKEN", "出错")
                };
                writeln!(
                    out,
                    "  {value:>label_w$} │{:<30}│ {n:>6}  {mark}",
                    "█".repeat(bar)
                )?;
            }
            if t.deadlocked > 0 {
                let bar = (t.deadlocked * 30).div_ceil(widest);
                // Chinese takes two columns a character.
                let pad = label_w.saturating_sub(
                    deadlock.chars().count() * if lang == Lang::Zh { 2 } else { 1 },
                );
                writeln!(
                    out,
                    "  {}{deadlock} │{:<30}│ {:>6}  {}",
                    " ".repeat(pad),
                    "█".repeat(bar),
                    t.deadlocked,
                    tr(lang, "BROKEN", "出错")
                )?;
            }
            let (label, bad) = match self.search {
                Search::Exhaustive => (
                    tr(lang, "shortest bad schedule", "最短的出错调度"),
                    &t.shortest_bad,
                ),
                Search::Random { .. } => (
                    tr(lang, "first bad schedule", "第一个出错调度"),
                    &t.first_bad,
                ),
            };
            match bad {
                Some(s) => {
                    writeln!(
                        out,
                        "{label} ({} {}): {}",
                        s.len(),
                        tr(lang, "steps", "步"),
                        steps_text(s)
                    )?;
                    // A lesson whose main program starts its children has one size.
                    let mut cmd = if self.lesson.shrinkable() {
                        format!("lockstep run {} --procs {procs}", self.name)
                    } else {
                        format!("lockstep run {}", self.name)
                    };
                    for o in &t.off {
                        cmd.push_str(&format!(" --off {o}"));
                    }
                    writeln!(
                        out,
                        "  {} {cmd} --steps {}",
                        tr(lang, "replay:", "重放："),
                        steps_text(s)
                    )?;
                }
                None => writeln!(
                    out,
                    "{}",
                    tr(lang, "no schedule went wrong", "没有任何调度出错")
                )?,
            }
        }
        writeln!(out)?;
        writeln!(
            out,
            "{} {} {:.2} s ({:.0} {})",
            self.timing.runs,
            tr(
                lang,
                if self.timing.runs == 1 {
                    "run of real processes in"
                } else {
                    "runs of real processes in"
                },
                "次真实进程运行，用时"
            ),
            self.timing.elapsed.as_secs_f64(),
            self.timing.per_second(),
            tr(lang, "schedules/s", "个调度/秒")
        )?;
        Ok(())
    }
}
