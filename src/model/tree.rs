//! Process trees in the reducer: a parent's `start`, `join`, `terminate`
//! and the children it reaps; zombies (ended, not yet reaped) and orphans
//! (their parent died first). Still pure: everything comes from events.

use std::time::Duration;

use super::{Phase, RunState};
use crate::lesson::{Measure, Rule};
use crate::wire::Ending;
use crate::wire::Report;

/// A signal's name as the lanes and verdicts show it.
pub fn signal_name(sig: i32) -> String {
    match sig {
        libc::SIGTERM => "SIGTERM".into(),
        libc::SIGKILL => "SIGKILL".into(),
        libc::SIGINT => "SIGINT".into(),
        _ => format!("SIG{sig}"),
    }
}

impl RunState {
    /// A report about process `p`'s children.
    pub(super) fn tree_report(&mut self, p: usize, at: Duration, r: &Report) {
        let child = |c: &usize| c.checked_sub(1).filter(|c| *c < self.procs.len());
        match r {
            Report::Started {
                child: c,
                pid,
                daemon,
            } => {
                let Some(c) = child(c) else { return };
                if let Some(crate::lesson::Op::Start { handle, .. }) =
                    self.procs[p].step().map(|s| &s.op)
                {
                    let handle = handle.clone();
                    self.procs[p].locals.insert(handle, c as i64 + 1);
                }
                // A fork copies the parent's globals as they are now.
                let copied: Vec<(String, i64)> = self
                    .globals
                    .iter()
                    .filter_map(|g| self.procs[p].locals.get(g).map(|v| (g.clone(), *v)))
                    .collect();
                let kid = &mut self.procs[c];
                kid.locals.extend(copied);
                kid.pid = Some(*pid);
                kid.daemon = *daemon;
                kid.parent = Some(p);
                kid.started_at.get_or_insert(at);
                // Its own reports may have come first (it connects on its own).
                if kid.phase == Phase::NotStarted {
                    kid.phase = Phase::Starting;
                }
            }
            Report::Joining { child: c } => {
                if let Some(c) = child(c) {
                    self.procs[p].phase = Phase::Joining { child: c };
                }
            }
            Report::JoinTimedOut { .. } => self.procs[p].phase = Phase::Running,
            Report::Reaped { child: c, exitcode } => {
                let Some(c) = child(c) else { return };
                let ending = if *exitcode < 0 {
                    Ending::Signal(-exitcode)
                } else {
                    Ending::Code(*exitcode)
                };
                self.end_process(c, ending, at);
                if matches!(self.procs[p].phase, Phase::Joining { .. }) {
                    self.procs[p].phase = Phase::Running;
                }
            }
            Report::Terminated { child: c } => {
                if let Some(c) = child(c) {
                    self.output.push(super::OutputLine {
                        proc: p,
                        at,
                        said: super::Said::Terminated {
                            child: super::ProcId(c),
                        },
                    });
                    self.dying(c);
                }
            }
            _ => {}
        }
    }

    /// Process `p` was sent SIGTERM: it is dying, not at a gate any more, so
    /// a schedule must not choose it, and the run is not quiet until its
    /// end has come (and reached its parent, whose next poll then sees it).
    pub(super) fn dying(&mut self, p: usize) {
        let proc = &mut self.procs[p];
        if matches!(
            proc.phase,
            Phase::AtGate
                | Phase::Waiting { .. }
                | Phase::Blocked { .. }
                | Phase::Joining { .. }
                | Phase::Starting
        ) {
            proc.phase = Phase::Running;
        }
    }

    /// Process `p` was reaped (by the supervisor or by its parent).
    pub(super) fn end_process(&mut self, p: usize, ending: Ending, at: Duration) {
        let proc = &mut self.procs[p];
        proc.ending = Some(ending);
        proc.ended_at = Some(at);
        proc.phase = Phase::Finished;
        if !proc.connected {
            // It never connected: no `Closed` will come.
            proc.closed = true;
        }
        // A process killed while waiting waits no more; the locks it holds
        // stay held (a POSIX semaphore is not released on death).
        for l in &mut self.locks {
            l.waiters.retain(|w| *w != p);
            l.queued.retain(|w| *w != p);
        }
        self.ipc.forget(p);
        // Children it did not reap are now init's: nobody reports their end.
        for c in 0..self.procs.len() {
            let kid = &mut self.procs[c];
            if kid.parent == Some(p) && kid.ending.is_none() && kid.phase != Phase::NotStarted {
                kid.orphaned = true;
            }
        }
    }

    /// A child ended: if its parent is not waiting for it, it is a zombie.
    pub(super) fn note_zombie(&mut self, c: usize) {
        let Some(parent) = self.procs[c].parent else {
            return;
        };
        let par = &self.procs[parent];
        let joining = par.phase == Phase::Joining { child: c };
        // Processes killed at the end of a deadlock are not zombies to count.
        if !joining
            && self.deadlock.is_none()
            && par.ending.is_none()
            && self.procs[c].ending.is_none()
            && !self.zombies.contains(&c)
        {
            self.zombies.push(c);
        }
    }

    /// Process `p` has ended but its parent has not reaped it yet.
    pub fn is_zombie(&self, p: usize) -> bool {
        let proc = &self.procs[p];
        proc.parent.is_some() && proc.closed && proc.ending.is_none() && !proc.orphaned
    }

    /// A parent blocked in join on a child that has ended: waitpid returns soon.
    pub(super) fn join_wake_pending(&self) -> bool {
        self.procs.iter().any(|p| match p.phase {
            Phase::Joining { child } => self.procs[child].phase == Phase::Finished,
            _ => false,
        })
    }

    /// Before the end, a local not yet measured or an "at least" count not
    /// yet reached has not broken anything: the verdict is still open.
    pub(super) fn tree_pending(&self, holds: bool) -> bool {
        match &self.check.measure {
            Measure::DoneAtJoin(_) | Measure::FinalLocal(_) => !self.measured(),
            // Replies come one by one: fewer so far is not broken yet.
            Measure::UpperReplies(_) => !holds,
            _ => self.check.rule == Rule::AtLeast && !holds,
        }
    }

    /// The key quantity has a value: a local some process sets, a queue's
    /// `join` that returned; every other measure has one from the start.
    pub fn measured(&self) -> bool {
        match &self.check.measure {
            Measure::DoneAtJoin(q) => self.done_at_join(q).is_some(),
            Measure::FinalLocal(r) => self
                .procs
                .iter()
                .find(|p| p.role == r.role)
                .is_some_and(|p| p.locals.contains_key(&r.name)),
            _ => true,
        }
    }
}
