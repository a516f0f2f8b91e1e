//! The check's verdict as facts: the key quantity against the rule, a lost
//! update that already decides it, the end the lesson's story leads to
//! (a deadlock, an error, the check holding) and whether this run got there.

use super::facts::{Says, Verdict};
use super::{ProcId, RunState};
use crate::lesson::{EndsIn, Measure, OutcomeVerdict, Rule};
use crate::wire::Ending;

impl RunState {
    /// The check's verdict now.
    pub fn verdict_facts(&self) -> Verdict {
        let actual = self.actual();
        let expected = self.check.expect;
        let finished = self.all_gone() || self.deadlock.is_some();
        let holds = self.check.rule.holds(actual, expected);
        let pending = !finished && self.tree_pending(holds);
        let final_value = matches!(self.check.measure, Measure::FinalValue(_));
        let unmeasured = finished && !self.measured();
        let lost = self.lost_that_break();
        let ok = self.deadlock.is_none()
            && !unmeasured
            && lost == 0
            && (pending
                || match self.check.measure {
                    // The final value is only known at the end; before that, a
                    // lost update already decides it.
                    Measure::FinalValue(_) if !finished => self.broken_at.is_none(),
                    // A count of outcomes or a peak only grows: below an
                    // `==` or a `>=` it may still get there.
                    Measure::Outcome(_) | Measure::MaxInside(_) if !finished => {
                        self.check.rule == Rule::AtLeast || actual <= expected
                    }
                    _ => holds,
                });
        let mut says = match (!finished && (ok || holds), ok) {
            (true, _) if lost > 0 => Says::LostSoFar(lost),
            (true, _) => Says::SoFar,
            (false, true) => Says::Ok,
            (false, false) => Says::Broken,
        };
        if !finished && !ok && final_value {
            says = Says::LostSoFar(self.lost_updates.len());
        }
        if pending {
            says = Says::Pending {
                measured: !matches!(
                    self.check.measure,
                    Measure::FinalLocal(_) | Measure::DoneAtJoin(_)
                ),
            };
        }
        if unmeasured {
            says = Says::Unmeasured;
        }
        if self.deadlock.is_some() {
            says = Says::Deadlock;
        }
        let failures = self.failures();
        let killed = if finished && (final_value || unmeasured) {
            self.killed()
        } else {
            Vec::new()
        };
        let mut v = Verdict {
            ok,
            finished,
            actual,
            expected,
            broken_at: self.broken_at,
            says,
            deadlock: self.deadlock.clone(),
            failures: failures.map(|(f, m)| (f.into_iter().map(ProcId).collect(), m)),
            killed,
            missed: false,
        };
        let error_expected = self.story_end(&mut v, holds && !unmeasured);
        // A process that stopped with an error did not run the lesson through
        // (unless that error is where the story ends).
        v.ok = v.ok && (v.failures.is_none() || error_expected);
        v
    }

    /// The end the lesson's story leads to, if it declares one: a lock it
    /// needs is off (nothing to see), the run got there (the verdict the
    /// lesson gives it), or the run ended otherwise (its `missed` sentence).
    /// True if an error is that end and happened.
    fn story_end(&self, v: &mut Verdict, holds: bool) -> bool {
        let Some(o) = &self.check.outcome else {
            return false;
        };
        let off = o
            .needs
            .iter()
            .any(|n| self.locks.iter().any(|l| l.name == *n && l.off));
        if off && self.deadlock.is_none() {
            v.ok = true;
            v.says = Says::Off;
            return false;
        }
        let never = o
            .never
            .as_ref()
            .is_some_and(|n| self.outcomes.get(n).is_some_and(|c| *c > 0));
        let happened = !never
            && match o.ends_in {
                EndsIn::Deadlock => self.deadlock.is_some(),
                EndsIn::Error => v.failures.is_some(),
                EndsIn::Check => v.finished && holds,
            };
        if happened {
            v.ok = o.verdict == OutcomeVerdict::Ok;
            if o.ends_in == EndsIn::Deadlock {
                v.says = Says::Deadlock;
            }
            return o.ends_in == EndsIn::Error && v.ok;
        }
        v.missed = v.finished && o.missed.is_some();
        false
    }

    /// A process stopped with an error, and the lesson says that is where
    /// its story ends, with an OK verdict: the run went through.
    pub fn error_is_the_story(&self) -> bool {
        self.check
            .outcome
            .as_ref()
            .is_some_and(|o| o.ends_in == EndsIn::Error && o.verdict == OutcomeVerdict::Ok)
            && self.failures().is_some()
    }

    /// Lost updates of the value whose lost update breaks the check now
    /// (`breaks_at_lost_update`): the count the verdict tells.
    fn lost_that_break(&self) -> usize {
        let Some(name) = &self.check.breaks_at_lost_update else {
            return 0;
        };
        self.lost_updates
            .iter()
            .filter(|l| l.value == *name)
            .count()
    }

    /// Killed by a signal, by anybody but lockstep ending a stuck run.
    fn killed(&self) -> Vec<ProcId> {
        self.procs
            .iter()
            .enumerate()
            // A daemon is ended when its parent's program ends: its usual end.
            .filter(|(_, p)| matches!(p.ending, Some(Ending::Signal(_))) && !p.stopped && !p.daemon)
            .map(|(i, _)| ProcId(i))
            .collect()
    }
}
