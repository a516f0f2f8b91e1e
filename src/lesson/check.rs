//! The check: what decides the verdict, one key quantity (`Measure`) held
//! against an expected number by a `Rule`.

use serde::{Deserialize, Serialize};

use super::{LocalRef, PoolPhase, Text};

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
    /// The check breaks at the first lost update of this shared value, not
    /// only when the measure shows it (a ticket's lost write is a ticket
    /// sold twice, told before the second buyer prints it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub breaks_at_lost_update: Option<String>,
    /// The end the lesson's story leads to, and what the verdict says when
    /// a run does not get there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
}

/// The end a lesson's story leads to: `{ "ends_in": "deadlock", "verdict":
/// "broken", "missed": …, "needs": ["lock"], "off": … }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    pub ends_in: EndsIn,
    /// How the verdict reads when the run ends so: `ok` (the lesson shows
    /// that this happens) or `broken` (the hazard it warns of).
    #[serde(default)]
    pub verdict: OutcomeVerdict,
    /// An outcome the story never counts (the daemon's line after its
    /// sleep): counted, the run did not end as the story says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub never: Option<String>,
    /// Told, before the check's own sentence, when a run ends otherwise
    /// (another timing model, or a schedule the story rules out).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missed: Option<Text>,
    /// Locks and semaphores the story needs: with one of them switched off
    /// there is nothing to see, the verdict is OK and says `off`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub needs: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub off: Option<Text>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndsIn {
    /// Every live process waits and none can move.
    Deadlock,
    /// A process stops with an error.
    Error,
    /// The check holds at the end (its `ok` is the story's end).
    Check,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeVerdict {
    #[default]
    Ok,
    Broken,
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
    /// How long a pool phase took, in lesson milliseconds (real time
    /// multiplied by the speed, as the lesson clock counts).
    PhaseMs(PoolPhase),
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
