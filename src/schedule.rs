//! Who moves next under a schedule: round-robin, seeded random, or an
//! explicit list of P-numbers that then goes on round-robin. Pure: it sees
//! only which processes can move.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

/// A SIGTERM sent from outside the lesson (the app's `t` key): to
/// P-number `proc`, once `after_step` steps have been taken. Part of a
/// schedule, so a run with one can be saved and replayed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sigterm {
    pub after_step: usize,
    pub proc: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Policy {
    RoundRobin,
    Random {
        seed: u64,
    },
    /// 1-based P-numbers, as the app shows them.
    Steps(Vec<usize>),
}

impl Policy {
    pub fn name(&self) -> &'static str {
        match self {
            Policy::RoundRobin => "round-robin",
            Policy::Random { .. } => "random",
            Policy::Steps(_) => "steps",
        }
    }
}

/// Why the explicit list could not be followed.
/// (`proc`: the 1-based P-number the schedule named.) The words room tells
/// it (`Display`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    NoSuchProcess {
        step: usize,
        proc: usize,
        count: usize,
    },
    Blocked {
        step: usize,
        proc: usize,
    },
    /// A re-run of a schedule met a different situation than the first run
    /// (`at_branch`: at a branch point of the explorer's tree).
    Diverged {
        step: usize,
        at_branch: bool,
    },
}

impl std::error::Error for Refusal {}

/// Chooses who moves next at each quiet point of a scheduled run, seeing the
/// whole run state (who is at its gate, what each will do next).
pub trait Chooser {
    /// The next process to let through (0-based); `None` when none can move.
    fn choose(&mut self, state: &crate::model::RunState) -> Result<Option<usize>, Refusal>;
    /// Every choice so far, as 1-based P-numbers: the run's schedule.
    fn schedule(&self) -> Vec<usize>;
    /// The rest of the run is not wanted (the explorer knows where it
    /// leads): end it at this point instead of taking the step chosen.
    fn enough(&self) -> bool {
        false
    }
}

impl Chooser for Scheduler {
    fn choose(&mut self, state: &crate::model::RunState) -> Result<Option<usize>, Refusal> {
        self.next(&state.runnable())
    }

    fn schedule(&self) -> Vec<usize> {
        self.taken()
    }
}

#[derive(Debug)]
pub struct Scheduler {
    policy: Policy,
    /// Where round-robin looks first.
    cursor: usize,
    /// How many listed steps were used.
    used: usize,
    rng: Option<StdRng>,
    /// Every choice made so far (0-based), the run's schedule.
    taken: Vec<usize>,
}

impl Scheduler {
    pub fn new(policy: Policy) -> Scheduler {
        let rng = match policy {
            Policy::Random { seed } => Some(StdRng::seed_from_u64(seed)),
            _ => None,
        };
        Scheduler {
            policy,
            cursor: 0,
            used: 0,
            rng,
            taken: Vec::new(),
        }
    }

    /// The schedule so far as 1-based P-numbers.
    pub fn taken(&self) -> Vec<usize> {
        self.taken.iter().map(|p| p + 1).collect()
    }

    /// Choose the next process (0-based) among `runnable`; `None` when none can move.
    pub fn next(&mut self, runnable: &[bool]) -> Result<Option<usize>, Refusal> {
        let n = runnable.len();
        if let Policy::Steps(list) = &self.policy
            && let Some(&proc) = list.get(self.used)
        {
            let step = self.used + 1;
            if proc == 0 || proc > n {
                return Err(Refusal::NoSuchProcess {
                    step,
                    proc,
                    count: n,
                });
            }
            if !runnable[proc - 1] {
                return Err(Refusal::Blocked { step, proc });
            }
            self.used += 1;
            return Ok(Some(self.take(proc - 1, n)));
        }
        if let Some(rng) = &mut self.rng {
            let choices: Vec<usize> = (0..n).filter(|&i| runnable[i]).collect();
            if choices.is_empty() {
                return Ok(None);
            }
            let pick = choices[rng.random_range(0..choices.len())];
            return Ok(Some(self.take(pick, n)));
        }
        let pick = (0..n).map(|k| (self.cursor + k) % n).find(|&i| runnable[i]);
        Ok(pick.map(|p| self.take(p, n)))
    }

    fn take(&mut self, p: usize, n: usize) -> usize {
        self.cursor = (p + 1) % n.max(1);
        self.taken.push(p);
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_robin_takes_turns_and_skips_the_blocked() {
        let mut s = Scheduler::new(Policy::RoundRobin);
        let all = [true, true, true];
        assert_eq!(s.next(&all).unwrap(), Some(0));
        assert_eq!(s.next(&all).unwrap(), Some(1));
        assert_eq!(s.next(&[true, true, false]).unwrap(), Some(0));
        assert_eq!(s.next(&[false, false, true]).unwrap(), Some(2));
        assert_eq!(s.next(&[false, false, false]).unwrap(), None);
        assert_eq!(s.taken(), vec![1, 2, 1, 3]);
    }

    #[test]
    fn explicit_steps_then_round_robin() {
        let mut s = Scheduler::new(Policy::Steps(vec![2, 2, 1]));
        let all = [true, true, true];
        assert_eq!(s.next(&all).unwrap(), Some(1));
        assert_eq!(s.next(&all).unwrap(), Some(1));
        assert_eq!(s.next(&all).unwrap(), Some(0));
        // The list is used up: round-robin goes on after the last one listed.
        assert_eq!(s.next(&all).unwrap(), Some(1));
        assert_eq!(s.next(&all).unwrap(), Some(2));
    }

    #[test]
    fn explicit_steps_refuse_blocked_or_missing_processes() {
        let mut s = Scheduler::new(Policy::Steps(vec![2]));
        assert_eq!(
            s.next(&[true, false]),
            Err(Refusal::Blocked { step: 1, proc: 2 })
        );
        let mut s = Scheduler::new(Policy::Steps(vec![5]));
        assert_eq!(
            s.next(&[true, true]),
            Err(Refusal::NoSuchProcess {
                step: 1,
                proc: 5,
                count: 2
            })
        );
    }

    #[test]
    fn random_is_reproducible_and_only_picks_runnable() {
        let pattern = [true, false, true, true];
        let picks = |seed| {
            let mut s = Scheduler::new(Policy::Random { seed });
            (0..50)
                .map(|_| s.next(&pattern).unwrap().unwrap())
                .collect::<Vec<_>>()
        };
        let a = picks(7);
        assert_eq!(a, picks(7));
        assert!(a.iter().all(|&p| pattern[p]));
        assert!(a.contains(&0) && a.contains(&2) && a.contains(&3));
        assert_ne!(a, picks(8));
    }
}
