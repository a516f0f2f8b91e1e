//! An exploration's result for people (a compact table with a bar chart of
//! the key quantity) and for programs (one JSON object).

use std::io::Write;

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Tally, Throughput};
use crate::lesson::{Check, Lang, Lesson, Rule};
use crate::words::report::explore as words;
use crate::words::report::heading;

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
    /// Classes of equivalent schedules the runs fell into.
    classes: usize,
    deadlocked: usize,
    /// The key quantity's value (as text, so in text order) → schedules.
    distribution: BTreeMap<String, usize>,
    first_bad: Option<&'a [usize]>,
    off: &'a [String],
    /// Runs made, with fresh processes.
    runs: usize,
    schedules: usize,
    shortest_bad: Option<&'a [usize]>,
    timing: crate::lesson::Timing,
}

impl<'a> SetSummary<'a> {
    fn of(t: &'a Tally) -> SetSummary<'a> {
        SetSummary {
            bad_schedules: &t.bad_schedules,
            broken: t.broken,
            classes: t.classes.len(),
            deadlocked: t.deadlocked,
            distribution: (t.distribution.iter())
                .map(|(value, n)| (value.to_string(), *n))
                .collect(),
            first_bad: t.first_bad.as_deref(),
            off: &t.off,
            runs: t.runs,
            schedules: t.schedules,
            shortest_bad: t.shortest_bad.as_deref(),
            timing: t.timing,
        }
    }
}

/// The one line of `lockstep explore --json`: the first set's counts, the
/// search's facts, and every set.
#[derive(Serialize)]
pub struct ExploreSummary<'a> {
    bad_schedules: &'a [Vec<usize>],
    broken: usize,
    classes: usize,
    deadlocked: usize,
    distribution: BTreeMap<String, usize>,
    elapsed_ms: f64,
    ev: &'static str,
    expected: i64,
    first_bad: Option<&'a [usize]>,
    lesson: &'a str,
    mode: &'static str,
    off: &'a [String],
    /// Only in a bounded search: the most preemptions a schedule had.
    #[serde(skip_serializing_if = "Option::is_none")]
    preemption_bound: Option<usize>,
    procs: usize,
    /// Only in a random search.
    #[serde(skip_serializing_if = "Option::is_none")]
    random_runs: Option<usize>,
    reduced: bool,
    /// How the search was reduced: "dpor" (one schedule per class),
    /// "local" (steps that touch nothing shared at once) or "none".
    reduction: &'static str,
    rule: Rule,
    runs: usize,
    schedules: usize,
    schedules_per_s: f64,
    /// Only in a random search.
    #[serde(skip_serializing_if = "Option::is_none")]
    seed: Option<u64>,
    sets: Vec<SetSummary<'a>>,
    shortest_bad: Option<&'a [usize]>,
    timing: crate::lesson::Timing,
}

/// Everything an exploration found.
pub struct Exploration<'a> {
    pub lesson: &'a Lesson,
    /// The lesson as the user named it (an id or a path), for the replay hint.
    pub name: &'a str,
    pub search: Search,
    pub reduced: bool,
    /// One schedule per class (dynamic partial-order reduction).
    pub dpor: bool,
    /// A bounded search: at most this many preemptions.
    pub preemptions: Option<usize>,
    /// Seed of random schedules and random sleep lengths.
    pub seed: u64,
    /// One set per lock setting: the one asked for, or with and without the lock.
    pub sets: Vec<Tally>,
    pub throughput: Throughput,
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
            classes: first.classes,
            deadlocked: first.deadlocked,
            distribution: first.distribution,
            elapsed_ms: (self.throughput.elapsed.as_secs_f64() * 1000.0 * 1000.0).round() / 1000.0,
            ev: "explore",
            expected: self.lesson.check.expect,
            first_bad: first.first_bad,
            lesson: &self.lesson.id,
            mode: self.search.name(),
            off: first.off,
            preemption_bound: self.preemptions,
            procs: self.lesson.process_count(),
            random_runs: random.map(|(runs, _)| runs),
            reduced: self.reduced,
            reduction: match (self.reduced, self.dpor && random.is_none()) {
                (true, true) => "dpor",
                (true, false) => "local",
                (false, _) => "none",
            },
            rule: self.lesson.check.rule,
            runs: self.throughput.runs,
            schedules: first.schedules,
            schedules_per_s: (self.throughput.per_second() * 10.0).round() / 10.0,
            seed: random.map(|(_, seed)| seed),
            sets: self.sets.iter().map(SetSummary::of).collect(),
            shortest_bad: first.shortest_bad,
            timing: first.timing,
        }
    }

    /// The table for people.
    pub fn write_text(&self, lang: Lang, out: &mut dyn Write) -> std::io::Result<()> {
        let lesson = self.lesson;
        writeln!(out, "{}", heading(&lesson.id, lesson.title.get(lang)))?;
        let procs = lesson.process_count();
        let search = match self.search {
            Search::Exhaustive => words::exhaustive_line(procs, lang),
            Search::Random { runs, seed } => words::random_line(runs, seed, procs, lang),
        };
        writeln!(out, "{search}")?;
        if let Some(bound) = self.preemptions {
            writeln!(out, "{}", words::bounded_line(bound, lang))?;
        }
        let dpor = self.dpor && self.search == Search::Exhaustive;
        writeln!(out, "{}", words::reduced_line(self.reduced, dpor, lang))?;
        writeln!(out, "{}", words::class_meaning(lang))?;
        let first = self.sets.first().map(|t| t.timing);
        let both = self.sets.iter().any(|t| Some(t.timing) != first);
        for (i, t) in self.sets.iter().enumerate() {
            let new_model = i == 0 || self.sets[i - 1].timing != t.timing;
            if both && new_model {
                writeln!(out)?;
                if self.same_as_first(t) {
                    writeln!(out, "{}", words::same_under(t.timing, lang))?;
                    continue;
                }
                writeln!(out, "{}", words::timing_heading(t.timing, lang))?;
            }
            if both && Some(t.timing) != first && self.same_as_first(t) {
                continue;
            }
            writeln!(out)?;
            self.write_set(t, lang, out)?;
        }
        writeln!(out)?;
        let (runs, secs) = (self.throughput.runs, self.throughput.elapsed.as_secs_f64());
        let line = words::timing_line(runs, secs, self.throughput.per_second(), lang);
        writeln!(out, "{line}")
    }

    /// Every set under `t`'s timing model found what the first model's sets
    /// found (same counts, same distribution), so it is told in one line.
    fn same_as_first(&self, t: &Tally) -> bool {
        let first = self.sets[0].timing;
        let mine: Vec<&Tally> = self.sets.iter().filter(|u| u.timing == t.timing).collect();
        let theirs: Vec<&Tally> = self.sets.iter().filter(|u| u.timing == first).collect();
        t.timing != first
            && mine.len() == theirs.len()
            && mine.iter().zip(&theirs).all(|(a, b)| {
                a.off == b.off
                    && a.schedules == b.schedules
                    && a.broken == b.broken
                    && a.deadlocked == b.deadlocked
                    && a.distribution == b.distribution
            })
    }

    /// One set of schedules: its counts, the bar chart, a bad schedule.
    fn write_set(&self, t: &Tally, lang: Lang, out: &mut dyn Write) -> std::io::Result<()> {
        let check = &self.lesson.check;
        let line = words::set_line(&t.off, t.schedules, t.broken, t.deadlocked, lang);
        writeln!(out, "{line}")?;
        let dpor = self.dpor && self.search == Search::Exhaustive;
        let classes = t.classes.len();
        let line = words::classes_line(classes, t.schedules, t.runs, dpor, lang);
        writeln!(out, "{line}")?;
        if t.schedules > 0 && matches!(self.search, Search::Random { .. }) {
            let percent = 100.0 * t.bad() as f64 / t.schedules as f64;
            writeln!(out, "{}", words::share_line(percent, lang))?;
        }
        let quantity = check.quantity.get(lang);
        let line = words::expected_line(quantity, check.rule, check.expect, lang);
        writeln!(out, "{line}")?;
        write_bars(t, check, lang, out)?;
        let (shortest, bad) = match self.search {
            Search::Exhaustive => (true, &t.shortest_bad),
            Search::Random { .. } => (false, &t.first_bad),
        };
        let Some(steps) = bad else {
            return writeln!(out, "{}", words::nothing_bad_line(lang));
        };
        writeln!(out, "{}", words::bad_schedule_line(shortest, steps, lang))?;
        // A lesson whose main program starts its children has one size.
        let procs = self
            .lesson
            .shrinkable()
            .then(|| self.lesson.process_count());
        // Another model than the lesson's own must be asked for again.
        let timing = (t.timing != self.lesson.timing).then_some(t.timing);
        // Random sleep lengths decide what a step meets: the same seed again.
        let seed = self.lesson.has_random_sleeps().then_some(self.seed);
        let line = words::replay_line(self.name, procs, &t.off, steps, timing, seed, lang);
        writeln!(out, "{line}")
    }
}

/// The key quantity's distribution as bars 30 columns wide at most, with a
/// row for the runs that deadlocked.
fn write_bars(t: &Tally, check: &Check, lang: Lang, out: &mut dyn Write) -> std::io::Result<()> {
    let widest = (t.distribution.values().copied())
        .chain([t.deadlocked])
        .max()
        .unwrap_or(1)
        .max(1);
    let deadlock = words::deadlock_label(lang);
    let deadlock_width = if t.deadlocked > 0 {
        deadlock.chars().count()
    } else {
        1
    };
    let label_w = (t.distribution.keys())
        .map(|k| k.to_string().len())
        .chain([deadlock_width])
        .max()
        .unwrap_or(1);
    for (value, n) in &t.distribution {
        let bar = (n * 30).div_ceil(widest);
        let mark = words::mark(check.rule.holds(*value, check.expect), lang);
        writeln!(
            out,
            "  {value:>label_w$} │{:<30}│ {n:>6}  {mark}",
            "█".repeat(bar)
        )?;
    }
    if t.deadlocked > 0 {
        let bar = (t.deadlocked * 30).div_ceil(widest);
        // Chinese takes two columns a character.
        let columns = deadlock.chars().count() * if lang == Lang::Zh { 2 } else { 1 };
        let pad = label_w.saturating_sub(columns);
        writeln!(
            out,
            "  {}{deadlock} │{:<30}│ {:>6}  {}",
            " ".repeat(pad),
            "█".repeat(bar),
            t.deadlocked,
            words::mark(false, lang)
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::summary::assert_keys_in_order;

    #[test]
    fn the_explore_summary_writes_its_keys_in_alphabetical_order() {
        let lesson = crate::lesson::builtin("counter").unwrap();
        let mut set = Tally::new(&["lock".into()], 2);
        (set.shortest_bad, set.first_bad) = (Some(vec![1, 2]), Some(vec![2, 1]));
        set.distribution.insert(10, 3);
        for search in [Search::Exhaustive, Search::Random { runs: 5, seed: 3 }] {
            let found = Exploration {
                lesson: &lesson,
                name: "counter",
                search,
                reduced: true,
                dpor: true,
                preemptions: Some(1),
                seed: 0,
                sets: vec![set.clone(), Tally::default()],
                throughput: Throughput::since(std::time::Instant::now(), 2),
            };
            assert_keys_in_order(found.summary());
        }
    }
}
