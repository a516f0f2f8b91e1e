//! What a set of schedules came to: how many broke the check, how many
//! deadlocked, the key quantity's distribution, and the bad schedules.

use std::collections::{BTreeMap, BTreeSet};

/// How one schedule ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// 1-based P-numbers, every step taken.
    pub schedule: Vec<usize>,
    pub ok: bool,
    pub deadlock: bool,
    /// The lesson's key quantity at the end.
    pub actual: i64,
    /// Its class: runs with the same class took every pair of dependent
    /// steps in the same order ([`super::trace::Trace::class_key`]).
    pub class: u64,
    /// It went on too long and was stopped (an endless loop, most likely).
    pub runaway: bool,
}

impl Outcome {
    pub fn is_bad(&self) -> bool {
        !self.ok
    }
}

/// How many bad schedules a tally keeps for replaying.
pub const KEEP_BAD: usize = 100;

/// What a set of schedules (all with the same locks off) came to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    pub off: Vec<String>,
    /// Schedules counted: every run, or one run per class when `per_class`.
    pub schedules: usize,
    /// Runs made (with fresh processes).
    pub runs: usize,
    /// The classes the runs fell into.
    pub classes: BTreeSet<u64>,
    /// Count one schedule per class (the reduced search).
    pub per_class: bool,
    /// The check broke (deadlocks not included).
    pub broken: usize,
    pub deadlocked: usize,
    /// Deadlocks the lesson expects as its outcome (its verdict is OK).
    pub expected_deadlocks: usize,
    /// Key quantity at the end → how many schedules ended with it.
    pub distribution: BTreeMap<i64, usize>,
    /// The fewest steps among the bad schedules (the first found on a tie).
    pub shortest_bad: Option<Vec<usize>>,
    /// The first bad schedule found.
    pub first_bad: Option<Vec<usize>>,
    /// The bad schedules in the order found, the first [`KEEP_BAD`] of them.
    pub bad_schedules: Vec<Vec<usize>>,
    /// The expected value and the rule, to label the distribution.
    pub expected: i64,
    /// The timing model the schedules followed.
    pub timing: crate::lesson::Timing,
}

impl Tally {
    pub fn new(off: &[String], expected: i64) -> Tally {
        Tally {
            off: off.to_vec(),
            expected,
            ..Tally::default()
        }
    }

    /// A tally that counts one schedule per class.
    pub fn per_class(off: &[String], expected: i64) -> Tally {
        Tally {
            per_class: true,
            ..Tally::new(off, expected)
        }
    }

    pub fn add(&mut self, o: Outcome) {
        self.runs += 1;
        if !self.classes.insert(o.class) && self.per_class {
            return;
        }
        self.schedules += 1;
        // A deadlocked run never got to its result: its own row, not a value's.
        if !o.deadlock {
            *self.distribution.entry(o.actual).or_default() += 1;
        }
        if o.deadlock {
            self.deadlocked += 1;
        } else if !o.ok {
            self.broken += 1;
        }
        if o.deadlock && o.ok {
            self.expected_deadlocks += 1;
        }
        if o.is_bad() {
            if self.bad_schedules.len() < KEEP_BAD {
                self.bad_schedules.push(o.schedule.clone());
            }
            if self.first_bad.is_none() {
                self.first_bad = Some(o.schedule.clone());
            }
            if self
                .shortest_bad
                .as_ref()
                .is_none_or(|s| o.schedule.len() < s.len())
            {
                self.shortest_bad = Some(o.schedule);
            }
        }
    }

    /// Add the tally of schedules found after this one's.
    pub fn merge(&mut self, other: Tally) {
        self.schedules += other.schedules;
        self.runs += other.runs;
        self.classes.extend(other.classes);
        self.broken += other.broken;
        self.deadlocked += other.deadlocked;
        self.expected_deadlocks += other.expected_deadlocks;
        for (k, v) in other.distribution {
            *self.distribution.entry(k).or_default() += v;
        }
        if self.first_bad.is_none() {
            self.first_bad = other.first_bad;
        }
        let room = KEEP_BAD.saturating_sub(self.bad_schedules.len());
        self.bad_schedules
            .extend(other.bad_schedules.into_iter().take(room));
        if let Some(s) = other.shortest_bad
            && self
                .shortest_bad
                .as_ref()
                .is_none_or(|mine| s.len() < mine.len())
        {
            self.shortest_bad = Some(s);
        }
    }

    /// Schedules that went wrong: the check broke, or the run ended in a
    /// deadlock or an error the lesson does not expect.
    pub fn bad(&self) -> usize {
        self.broken + self.deadlocked - self.expected_deadlocks
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explore::branches::Branches;
    use crate::explore::moves::{Candidate, Moves, moves};

    #[test]
    fn interleavings_are_multinomials() {
        use crate::explore::interleavings;
        assert_eq!(interleavings(&[6, 6]), 924.0);
        assert_eq!(interleavings(&[2, 2]), 6.0);
        assert_eq!(interleavings(&[2, 2, 2]), 90.0);
        assert_eq!(interleavings(&[]), 1.0);
        assert!(interleavings(&[2; 20]) > 1e30);
    }

    /// The counter lesson with its lock off, two processes, as a pure model:
    /// acquire (off), read, sleep, write, print, release (off). The hand
    /// enumeration: the reads and writes R1 W1 R2 W2 have 6 orders keeping
    /// each process's order; only R1 W1 R2 W2 and R2 W2 R1 W1 end at 98.
    #[test]
    fn counter_by_hand_six_classes_four_lose_an_update() {
        const SHARED_AT: [bool; 6] = [false, true, false, true, false, false];
        let mut branches = Branches::new();
        let mut tally = Tally::new(&[], 98);
        loop {
            let mut pc = [0usize; 2];
            let mut local_copy = [0i64; 2];
            let mut count = 100i64;
            let mut schedule = Vec::new();
            loop {
                let c: Vec<Candidate> = (0..2)
                    .map(|p| Candidate {
                        at_gate: pc[p] < 6,
                        enabled: true,
                        local: pc[p] < 6 && !SHARED_AT[pc[p]],
                    })
                    .collect();
                let p = match moves(&c, true) {
                    Moves::Done => break,
                    Moves::Forced(p) | Moves::Doomed(p) => p,
                    Moves::Branch(o) => branches.choose(&o).unwrap(),
                };
                match pc[p] {
                    1 => local_copy[p] = count,
                    3 => count = local_copy[p] - 1,
                    _ => {}
                }
                pc[p] += 1;
                schedule.push(p + 1);
            }
            tally.add(Outcome {
                schedule,
                ok: count == 98,
                deadlock: false,
                actual: count,
                class: 0,
                runaway: false,
            });
            if !branches.next_path().unwrap() {
                break;
            }
        }
        assert_eq!(tally.schedules, 6);
        assert_eq!(tally.broken, 4);
        assert_eq!(tally.distribution, BTreeMap::from([(98, 2), (99, 4)]));
        assert_eq!(tally.shortest_bad.as_ref().unwrap().len(), 12);
    }

    #[test]
    fn a_deadlock_the_lesson_expects_is_counted_but_not_bad() {
        let mut tally = Tally::new(&[], 0);
        let run = |ok, deadlock, class| Outcome {
            schedule: vec![1, 2],
            ok,
            deadlock,
            actual: 0,
            class,
            runaway: false,
        };
        tally.add(run(true, true, 1));
        tally.add(run(false, true, 2));
        tally.add(run(false, false, 3));
        assert_eq!((tally.deadlocked, tally.broken), (2, 1));
        assert_eq!(tally.bad(), 2, "the expected deadlock is not bad");
        assert_eq!(tally.bad_schedules.len(), 2);
    }
}
