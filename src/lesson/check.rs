//! The check: what decides the verdict, one key quantity (`Measure`) held
//! against an expected number by a `Rule`.

use serde::{Deserialize, Serialize};

use super::{LocalRef, Text};

/// The placeholders a check's `ok`, `broken` and `so_far` texts may use.
pub const PLACEHOLDERS: [&str; 4] = ["actual", "expected", "diff", "s"];

/// What decides the verdict: one key quantity against an expected number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Check {
    pub measure: Measure,
    pub expect: i64,
    /// How `expect` changes per process added or removed by `--procs`
    /// (e.g. -1: each process takes one from the count).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect_per_process: Option<i64>,
    pub rule: Rule,
    /// What the key quantity is called, e.g. "tickets sold".
    pub quantity: Text,
    /// One sentence when the check holds at the end; `{actual}`, `{expected}`,
    /// `{diff}` and `{s}` are filled in (see `words::run`).
    pub ok: Text,
    /// One sentence when it breaks.
    pub broken: Text,
    /// While the run is under way and the check holds so far (else a generic
    /// "QUANTITY: N so far").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub so_far: Option<Text>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Measure {
    /// How many times an outcome was counted.
    Outcome(String),
    /// How many times an outcome was counted after another was first counted
    /// (the daemon's lines after the main code ended).
    OutcomeAfter(OutcomeAfter),
    /// A shared value at the end of the run.
    FinalValue(String),
    /// The most processes inside a room at the same time.
    MaxInside(String),
    /// How many times faster the pool phase was than one process per task.
    Speedup,
    /// A local of a role's first process at the end (e.g. what the parent sees).
    FinalLocal(LocalRef),
    /// How many processes were zombies: ended while their parent had not joined them.
    Zombies,
    /// How many items of a JoinableQueue were marked done when its `join` returned.
    DoneAtJoin(String),
    /// How many replies clients of a server received that were the text they
    /// had just sent, upper-cased.
    UpperReplies(String),
}

/// `{ "outcome": "daemon_woke", "after": "main_ended" }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutcomeAfter {
    pub outcome: String,
    pub after: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    Equal,
    AtMost,
    AtLeast,
}

impl Rule {
    pub fn holds(self, actual: i64, expected: i64) -> bool {
        match self {
            Rule::Equal => actual == expected,
            Rule::AtMost => actual <= expected,
            Rule::AtLeast => actual >= expected,
        }
    }
}
