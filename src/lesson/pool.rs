//! The pool lesson's section: how many workers and tasks, and the timed
//! ways (`PoolPhase`) of running the tasks.

use serde::{Deserialize, Serialize};

/// The pool lesson: the same tasks on a pool of workers, then one process each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PoolDecl {
    pub workers: u32,
    pub tasks: u32,
    /// The program each task runs; its argument is the local `arg`.
    pub program: String,
    /// What to time, in order: the pool's ways of running tasks, and one process per task.
    #[serde(default = "default_pool_phases")]
    pub phases: Vec<PoolPhase>,
}

/// One timed way of running a pool lesson's tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PoolPhase {
    /// `pool.apply(f, (n,))` for each task: one at a time, waiting for each result.
    Apply,
    /// `pool.apply_async(f, (n,), callback=cb)` for all, then `get()` each.
    ApplyAsync,
    /// `pool.map(f, range(tasks))`: results in task order.
    Map,
    /// One new `Process` per task, started and joined.
    Processes,
}

impl PoolPhase {
    pub fn name(self) -> &'static str {
        match self {
            PoolPhase::Apply => "apply",
            PoolPhase::ApplyAsync => "apply_async",
            PoolPhase::Map => "map",
            PoolPhase::Processes => "processes",
        }
    }

    /// Runs on the pool's workers (all but `processes`).
    pub fn on_pool(self) -> bool {
        self != PoolPhase::Processes
    }
}

fn default_pool_phases() -> Vec<PoolPhase> {
    vec![PoolPhase::Map, PoolPhase::Processes]
}
