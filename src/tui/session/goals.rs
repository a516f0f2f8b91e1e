//! The goal the goal line shows: the first one not yet won, one the run
//! has just won, or the one the learner chose with `g`, which stays.

use super::Session;
use crate::words::screen::notes::{Note, text};

impl Session {
    pub fn recheck_goal(&mut self) {
        self.check_goal();
    }

    /// `g`: the next goal, which the goal line keeps from now on (a run
    /// that wins another goal says so in a note).
    pub fn next_goal(&mut self) {
        self.pursuit.next(&self.lesson.goals);
        self.goal_chosen = true;
        // The new goal may already hold in this run.
        self.check_goal();
    }

    pub(super) fn check_goal(&mut self) {
        let chosen = (self.pursuit.goal, self.pursuit.hints, self.pursuit.won_now);
        let won = self.pursuit.check(&self.lesson.goals, self.run.model());
        self.take_wins(won, chosen);
    }

    /// Record the goals just `won`. The pursuit shows the last of them,
    /// unless the learner chose a goal that is not among them: then the
    /// line goes back to that goal (`chosen`: its index, its hints shown,
    /// whether it is won in this run) and a note tells the other win.
    pub(super) fn take_wins(&mut self, won: Vec<usize>, chosen: (usize, usize, bool)) {
        let (goal, hints, won_now) = chosen;
        for i in &won {
            self.wins.push(self.lesson.goals[*i].id.clone());
        }
        let Some(&other) = won.last() else { return };
        if self.goal_chosen && !won.contains(&goal) {
            self.pursuit.goal = goal;
            self.pursuit.hints = hints;
            self.pursuit.won_now = won_now;
            self.message = Some(text(&Note::GoalWonToo {
                number: other + 1,
                goal: self.lesson.goals[other].text.clone(),
            }));
        }
    }
}
