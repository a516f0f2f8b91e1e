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

    /// Processes started and not gone yet (not reaped, or reports unread).
    pub fn alive(&self) -> Vec<usize> {
        (0..self.procs.len())
            .filter(|&p| !self.procs[p].is_gone() && self.procs[p].phase != Phase::NotStarted)
            .collect()
    }

    /// The process started with the run that `p` descends from (itself if
    /// it was started with the run).
    pub fn root_of(&self, p: usize) -> usize {
        let mut at = p;
        // Parents come before their children; the bound guards a bad model.
        for _ in 0..self.procs.len() {
            match self.procs.get(at).and_then(|x| x.parent) {
                Some(parent) => at = parent,
                None => break,
            }
        }
        at
    }
}
