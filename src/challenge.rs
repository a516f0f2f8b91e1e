//! Challenges: goals a lesson declares ("make two buyers both get the
//! ticket"), each with an explicit win condition checked live against the
//! run's state, and progressive hints. Pure: no I/O here (progress is kept
//! by `progress`).

mod pursuit;

use serde::{Deserialize, Serialize};

use crate::lesson::{Rule, Text};
use crate::state::{Phase, RunState};

pub use pursuit::Pursuit;

/// One challenge of a lesson.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Goal {
    /// Stable name, used to remember that it was won.
    pub id: String,
    /// What to make happen, one sentence.
    pub text: Text,
    pub win: Win,
    /// Shown one at a time, each more telling than the last.
    #[serde(default)]
    pub hints: Vec<Text>,
}

/// Every condition given must hold at the same moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Win {
    /// The lesson's key quantity (its check's measure) against a number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<Target>,
    /// Lost updates so far against a number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lost_updates: Option<Target>,
    /// Processes blocked in the kernel on a lock, semaphore, event, pipe or queue right now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiting: Option<Target>,
    /// Count only processes of this role for `waiting` (the child, not its parent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiting_role: Option<String>,
    /// The run ended in a deadlock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadlock: Option<bool>,
    /// Judge only once the run is over (a count passes 99 on its way to 80).
    #[serde(default)]
    pub at_end: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    pub rule: Rule,
    pub value: i64,
}

impl Target {
    fn holds(self, actual: i64) -> bool {
        self.rule.holds(actual, self.value)
    }
}

impl Win {
    /// Whether the run, as it stands, wins this goal.
    pub fn holds(&self, state: &RunState) -> bool {
        let finished = state.all_gone() || state.deadlock.is_some();
        if self.at_end && !finished {
            return false;
        }
        self.quantity.is_none_or(|t| t.holds(state.actual()))
            && self
                .lost_updates
                .is_none_or(|t| t.holds(state.lost_updates.len() as i64))
            && self.waiting.is_none_or(|t| {
                let waiting = state
                    .procs
                    .iter()
                    .filter(|p| self.waiting_role.as_ref().is_none_or(|r| *r == p.role))
                    .filter(|p| matches!(p.phase, Phase::Waiting { .. } | Phase::Blocked { .. }))
                    .count();
                t.holds(waiting as i64)
            })
            && self.deadlock.is_none_or(|d| d == state.deadlock.is_some())
    }

    /// At least one condition: an empty `win` would be won by doing nothing.
    pub fn is_empty(&self) -> bool {
        self.quantity.is_none()
            && self.lost_updates.is_none()
            && self.waiting.is_none()
            && self.deadlock.is_none()
    }
}

#[cfg(test)]
mod tests;
