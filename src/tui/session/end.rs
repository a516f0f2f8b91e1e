//! The run's end: the mode turns to DONE, the clock stops, and a replay's
//! last note no longer says that `n` goes on.

use super::{RunMode, Session};

impl Session {
    pub(super) fn check_end(&mut self) {
        if self.mode == RunMode::Done || !self.run.is_over() {
            return;
        }
        self.mode = RunMode::Done;
        self.finished_at = Some(self.elapsed());
        if !self.script.is_empty() && self.script_next().is_none() && self.message.is_some() {
            self.message = Some(self.script_note());
        }
    }
}
