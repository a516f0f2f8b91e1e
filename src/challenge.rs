//! Challenges: goals a lesson declares ("make two buyers both get the
//! ticket"), each with an explicit win condition checked live against the
//! run's state, and progressive hints. Pure: no I/O here (progress is kept
//! by `progress`).

mod pursuit;

use crate::model::{Phase, RunState};

pub use crate::lesson::{Goal, Target, Win};
pub use pursuit::Pursuit;

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
}

#[cfg(test)]
mod tests;
