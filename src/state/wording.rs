//! Sentences built from the run: the check's texts with their placeholders
//! and plurals filled in, and deadlocks told with the waiters of one lock
//! grouped ("P2–P10 wait for mutex, held by P1").

use super::{Phase, RunState};
use crate::lesson::{Lang, fill};

/// The placeholders a check's `ok`, `broken` and `so_far` texts may use.
pub const PLACEHOLDERS: [&str; 4] = ["actual", "expected", "diff", "s"];

/// Fill a check text: `{actual}`, `{expected}`, `{diff}` (how far apart,
/// never negative) and `{s}`: "s" unless the number filled in just before it
/// is 1, so "{diff} update{s} lost" reads "1 update lost", "2 updates lost".
pub fn check_sentence(template: &str, actual: i64, expected: i64) -> String {
    let diff = (actual - expected).abs();
    let last = std::cell::Cell::new(None::<i64>);
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
        match j - i {
            0 => parts.push(format!("P{}", sorted[i] + 1)),
            1 => {
                parts.push(format!("P{}", sorted[i] + 1));
                parts.push(format!("P{}", sorted[j] + 1));
            }
            _ => parts.push(format!("P{}–P{}", sorted[i] + 1, sorted[j] + 1)),
        }
        i = j + 1;
    }
    parts.join(", ")
}

impl RunState {
    /// Who waits for what, the waiters of one lock together; `None` if nobody waits.
    pub(super) fn waits_grouped(&self, lang: Lang) -> Option<String> {
        let mut parts = Vec::new();
        for (l, lock) in self.locks.iter().enumerate() {
            let waiting: Vec<usize> = (0..self.procs.len())
                .filter(|&i| self.procs[i].phase == Phase::Waiting { lock: l })
                .collect();
            match waiting.as_slice() {
                [] => {}
                [one] => parts.push((*one, self.waits_for_in(*one, l, lang))),
                many => {
                    let who = numbers(many);
                    let holders: Vec<String> =
                        lock.holders.iter().map(|h| self.who(*h, lang)).collect();
                    let text = match (lang, holders.is_empty()) {
                        (Lang::En, true) => {
                            format!("{who} wait for {}, no permit free", lock.name)
                        }
                        (Lang::En, false) => {
                            format!(
                                "{who} wait for {}, held by {}",
                                lock.name,
                                holders.join(", ")
                            )
                        }
                        (Lang::Zh, true) => format!("{who} 在等 {}，没有空闲的许可", lock.name),
                        (Lang::Zh, false) => {
                            format!("{who} 在等 {}，持有者：{}", lock.name, holders.join("、"))
                        }
                    };
                    parts.push((many[0], text));
                }
            }
        }
        for (i, p) in self.procs.iter().enumerate() {
            match p.phase {
                Phase::Joining { child } => parts.push((i, self.waits_for_join_in(i, child, lang))),
                Phase::Blocked { on } => parts.push((i, self.waits_for_ipc(i, on, lang))),
                _ => {}
            }
        }
        // In the order of the first waiter of each part.
        parts.sort_by_key(|(first, _)| *first);
        let parts: Vec<String> = parts.into_iter().map(|(_, t)| t).collect();
        if parts.is_empty() {
            None
        } else {
            Some(parts.join(if lang == Lang::Zh { "；" } else { "; " }))
        }
    }

    /// Processes whose program stopped with an error, and the first message.
    pub fn failures(&self) -> Option<(Vec<usize>, String)> {
        let failed: Vec<usize> = (0..self.procs.len())
            .filter(|&i| self.procs[i].failed.is_some())
            .collect();
        let first = self.procs.get(*failed.first()?)?.failed.clone()?;
        Some((failed, first))
    }

    /// The verdict's sentence when a process failed: the error comes first.
    pub(super) fn with_failures(&self, sentence: String, lang: Lang) -> String {
        let Some((failed, first)) = self.failures() else {
            return sentence;
        };
        let who = numbers(&failed);
        let p1 = failed[0] + 1;
        match (lang, failed.len()) {
            (Lang::En, 1) => {
                format!("{who} stopped with an error: {first} (the check: {sentence})")
            }
            (Lang::En, _) => {
                format!("{who} stopped with errors, first P{p1}: {first} (the check: {sentence})")
            }
            (Lang::Zh, 1) => format!("{who} 出错停止：{first}（检查：{sentence}）"),
            (Lang::Zh, _) => {
                format!("{who} 出错停止，第一个是 P{p1}：{first}（检查：{sentence}）")
            }
        }
    }

    /// A final value assumes every process did its part: say who was killed
    /// before it finished, so a shortfall is not all put down to lost updates.
    pub(super) fn with_killed(&self, sentence: String, lang: Lang) -> String {
        if !matches!(self.check.measure, crate::lesson::Measure::FinalValue(_)) {
            return sentence;
        }
        let killed: Vec<usize> = self
            .procs
            .iter()
            .enumerate()
            .filter(|(_, p)| matches!(p.ending, Some(crate::wire::Ending::Signal(_))))
            .map(|(i, _)| i)
            .collect();
        if killed.is_empty() {
            return sentence;
        }
        let who = numbers(&killed);
        match (lang, killed.len()) {
            (Lang::En, 1) => format!("{sentence} (but {who} was killed before it finished)"),
            (Lang::En, _) => format!("{sentence} (but {who} were killed before they finished)"),
            (Lang::Zh, _) => format!("{sentence}（但 {who} 在完成前被终止）"),
        }
    }

    /// A scheduled run went on too long: every process still alive is
    /// stopped (an endless loop, most likely), and that is an error.
    pub fn cut_off(&mut self, steps: u64) {
        let message = format!("stopped by lockstep after {steps} steps: is there an endless loop?");
        for (i, p) in self.procs.iter_mut().enumerate() {
            if !p.is_gone() && p.phase != Phase::NotStarted && p.failed.is_none() {
                p.failed = Some(message.clone());
                self.errors.push(format!("P{}: {message}", i + 1));
            }
        }
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
    fn numbers_make_ranges_of_runs() {
        assert_eq!(numbers(&[1]), "P2");
        assert_eq!(numbers(&[1, 2]), "P2, P3");
        assert_eq!(numbers(&[9, 1, 2, 3, 4, 5, 6, 7, 8]), "P2–P10");
        assert_eq!(numbers(&[0, 2, 3, 4, 7]), "P1, P3–P5, P8");
    }
}
