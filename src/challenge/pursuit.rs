//! The learner's pursuit of a lesson's goals: which goal is current, which
//! were won in this run, and how many hints are shown.

use super::Goal;
use crate::lesson::Lang;
use crate::model::RunState;

/// Which goal the learner works on in one lesson, and how far the hints go.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pursuit {
    pub goal: usize,
    /// Hints shown so far for this goal.
    pub hints: usize,
    /// The current goal was won in this run (celebrate until the next run).
    pub won_now: bool,
    /// Goals won in this run, by index: each is announced once per run.
    won_run: Vec<usize>,
}

impl Pursuit {
    /// Start on the first goal not yet won (or the first, if all are).
    pub fn new(goals: &[Goal], won: impl Fn(&str) -> bool) -> Pursuit {
        let goal = goals.iter().position(|g| !won(&g.id)).unwrap_or(0);
        Pursuit {
            goal,
            ..Pursuit::default()
        }
    }

    /// Check every goal, not only the current one: a goal reached on the
    /// way to another still counts. Returns the goals just won; the last of
    /// them becomes the current goal, celebrated.
    pub fn check(&mut self, goals: &[Goal], state: &RunState) -> Vec<usize> {
        let won: Vec<usize> = (0..goals.len())
            .filter(|i| !self.won_run.contains(i) && goals[*i].win.holds(state))
            .collect();
        if let Some(&last) = won.last() {
            let current = if won.contains(&self.goal) {
                self.goal
            } else {
                last
            };
            if current != self.goal {
                self.hints = 0;
            }
            self.goal = current;
            self.won_now = true;
            self.won_run.extend(&won);
        }
        won
    }

    /// Show one more hint; false when there are none left.
    pub fn hint(&mut self, goals: &[Goal]) -> bool {
        let n = goals.get(self.goal).map_or(0, |g| g.hints.len());
        if self.hints < n {
            self.hints += 1;
            true
        } else {
            false
        }
    }

    /// Move to the next goal (wrapping), hints hidden again.
    pub fn next(&mut self, goals: &[Goal]) {
        if !goals.is_empty() {
            self.goal = (self.goal + 1) % goals.len();
        }
        self.hints = 0;
        self.won_now = self.won_run.contains(&self.goal);
    }

    /// A fresh run: every goal is judged again.
    pub fn restarted(&mut self) {
        self.won_now = false;
        self.won_run.clear();
    }

    /// The hints shown so far, in `lang`.
    pub fn shown_hints<'g>(&self, goals: &'g [Goal], lang: Lang) -> Vec<&'g str> {
        goals
            .get(self.goal)
            .map(|g| {
                g.hints
                    .iter()
                    .take(self.hints)
                    .map(|h| h.get(lang))
                    .collect()
            })
            .unwrap_or_default()
    }
}
