//! What the learner switches that needs a fresh run: the locks (`l`) and
//! the timing model of the steps (`w`).

use super::Session;
use crate::model::RunState;

impl Session {
    /// The model of a run not yet started, under this session's timing model.
    pub(super) fn fresh_model(&self) -> RunState {
        RunState::new(&self.lesson, &self.off).with_timing(self.timing_model)
    }

    /// Switch the timing model of the steps (as written / any), and restart.
    pub fn switch_timing_model(&mut self) -> anyhow::Result<()> {
        self.timing_model = self.timing_model.other();
        self.restart()
    }

    /// Switch every lock off, or all back on, and restart.
    pub fn toggle_locks(&mut self) -> anyhow::Result<()> {
        self.off = if self.off.is_empty() && self.program.is_some() {
            // A program's locks are not known before it makes them.
            vec![crate::python::ALL_OFF.to_string()]
        } else if self.off.is_empty() {
            self.lesson
                .resources()
                .into_iter()
                .map(|r| r.name)
                .collect()
        } else {
            Vec::new()
        };
        self.restart()
    }
}
