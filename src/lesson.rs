//! Lessons are data: the JSON format, loading it, and the built-in catalogue.
//!
//! `docs/lesson-format.md` documents every field for lesson authors.

mod arrays;
mod catalog;
mod check;
mod declarations;
mod goals;
pub mod ipc;
mod listing;
mod load;
pub(crate) mod locate;
mod pool;
mod program;
mod shrink;
pub mod sockets;
mod started_by;
mod text;
mod timing;
mod validate;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use arrays::{MAX_ARRAY_LEN, index_expr, slot_name, split_index};
pub use catalog::{builtin, builtin_ids, builtins, closest_builtin};
pub use check::{
    Check, EndsIn, Measure, Outcome, OutcomeAfter, OutcomeVerdict, PLACEHOLDERS, Rule,
};
pub use declarations::{
    GlobalDecl, LocalRef, LockDecl, ProcessDecl, ProcessSlot, Resource, RoomDecl, SemaphoreDecl,
    ValueDecl,
};
pub use goals::{Goal, Target, Win};
pub use listing::statement;
pub(crate) use load::strip_position;
pub use load::{LessonError, Origin};
pub use pool::{PoolDecl, PoolPhase};
pub use program::{Op, Step};
pub use text::{Lang, Text, fill, placeholders};
pub use timing::Timing;

/// The most processes one lesson may start (pool tasks are counted apart).
pub const MAX_PROCESSES: usize = 256;

fn one_f64() -> f64 {
    1.0
}

/// One lesson: its story, what it declares, the programs its processes run
/// and the check that judges the run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    pub id: String,
    pub title: Text,
    /// One line for the lesson list.
    pub summary: Text,
    pub story: Text,
    /// What to try: a hint for the learner.
    #[serde(default, rename = "try", skip_serializing_if = "Option::is_none")]
    pub try_this: Option<Text>,
    /// The Python listing, one string per line. Built-in lessons take theirs from `assets/lessons/`.
    #[serde(default)]
    pub listing: Vec<String>,
    /// The same listing with its comments and strings in Chinese, line for
    /// line (built-in lessons: `assets/lessons/zh/`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub listing_zh: Vec<String>,
    /// Default speed factor of a free run: sleeps last `ms / speed`.
    #[serde(default = "one_f64")]
    pub speed: f64,
    /// The timing model schedules follow unless told otherwise: `as_written`
    /// when the lesson's story depends on its sleeps.
    #[serde(default, skip_serializing_if = "Timing::is_any")]
    pub timing: Timing,
    #[serde(default)]
    pub values: Vec<ValueDecl>,
    #[serde(default)]
    pub locks: Vec<LockDecl>,
    #[serde(default)]
    pub semaphores: Vec<SemaphoreDecl>,
    #[serde(default)]
    pub rooms: Vec<RoomDecl>,
    #[serde(default)]
    pub globals: Vec<GlobalDecl>,
    #[serde(default)]
    pub processes: Vec<ProcessDecl>,
    pub programs: BTreeMap<String, Vec<Step>>,
    pub check: Check,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pool: Option<PoolDecl>,
    /// `multiprocessing.Event`s.
    #[serde(default)]
    pub events: Vec<ipc::EventDecl>,
    /// `multiprocessing.Pipe()`s: two connected ends each.
    #[serde(default)]
    pub pipes: Vec<ipc::PipeDecl>,
    /// `multiprocessing.Queue`s and `JoinableQueue`s.
    #[serde(default)]
    pub queues: Vec<ipc::QueueDecl>,
    /// TCP servers listening on 127.0.0.1 (a port the kernel picks).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub servers: Vec<sockets::ServerDecl>,
    /// Challenges: goals with a win condition and hints.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub goals: Vec<Goal>,
}

impl Lesson {
    /// Some process sleeps: the timing models can differ.
    pub fn has_sleeps(&self) -> bool {
        self.programs
            .values()
            .flatten()
            .any(|s| matches!(s.op, Op::Sleep { .. } | Op::SleepFor { .. }))
    }

    /// Some `sleep` has a random length (`max_ms`): the seed decides it.
    pub fn has_random_sleeps(&self) -> bool {
        self.programs.values().flatten().any(|s| {
            matches!(
                s.op,
                Op::Sleep {
                    max_ms: Some(_),
                    ..
                }
            )
        })
    }

    pub fn program(&self, role: &str) -> &[Step] {
        self.programs.get(role).map(Vec::as_slice).unwrap_or(&[])
    }
}
