//! What a run that went on too long, or got stuck, leaves in the model.

use super::{Phase, ProcId, RunState};

impl RunState {
    /// A scheduled run went on too long: every process still alive is
    /// stopped (an endless loop, most likely), and that is an error.
    pub fn cut_off(&mut self, steps: u64) {
        let message = format!("stopped by lockstep after {steps} steps: is there an endless loop?");
        for (i, p) in self.procs.iter_mut().enumerate() {
            if !p.is_gone() && p.phase != Phase::NotStarted && p.failed.is_none() {
                p.failed = Some(message.clone());
                self.errors.push(format!("{}: {message}", ProcId(i)));
            }
        }
    }

    /// Lockstep is about to kill process `p`, alive in a stuck or runaway
    /// run: its ending is then lockstep's doing.
    pub fn stopping(&mut self, p: usize) {
        if let Some(proc) = self.procs.get_mut(p) {
            proc.stopped = true;
        }
    }
}
