//! A lesson's challenges as the lesson file declares them: goals with a
//! win condition and hints. Whether a run wins one is `challenge`'s job.

use serde::{Deserialize, Serialize};

use super::{Rule, Text};

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
    pub fn holds(self, actual: i64) -> bool {
        self.rule.holds(actual, self.value)
    }
}

impl Win {
    /// At least one condition: an empty `win` would be won by doing nothing.
    pub fn is_empty(&self) -> bool {
        self.quantity.is_none()
            && self.lost_updates.is_none()
            && self.waiting.is_none()
            && self.deadlock.is_none()
    }
}
