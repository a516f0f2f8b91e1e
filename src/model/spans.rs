//! What each process did when, for the timing views: when it was created,
//! each stretch of starting, running, sleeping, waiting (at its gate, for a
//! lock, for a child in join), when it exited and when it was reaped. Still
//! a pure fold of the same events, on the supervisor's clock.
//!
//! A started child's `ended_at` is when its parent reaped it; its exit is
//! when it said `Done` or its connection closed, whichever came first.

use std::time::Duration;

use super::RunState;
use crate::wire::{Event, EventKind};

mod reports;

/// What a process is doing during a stint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Doing {
    /// Created, not yet at its first gate: fork, exec, connecting.
    Starting,
    /// Stopped at its gate until it is let through (stepping).
    AtGate,
    Running,
    /// In a `sleep` operation.
    Sleeping,
    /// Blocked on a lock or semaphore.
    Waiting,
    /// Blocked in join, waiting for a child to end.
    Joining,
}

/// One stretch of time spent doing one thing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stint {
    pub from: Duration,
    pub to: Duration,
    pub doing: Doing,
}

/// One `sleep` operation as measured: from its start to the report that it ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sleep {
    pub from: Duration,
    pub to: Duration,
    /// The lesson's milliseconds it asked for.
    pub ms: u64,
    /// It really slept (a free run); under a schedule a sleep takes no time.
    pub real: bool,
}

impl Sleep {
    pub fn took(&self) -> Duration {
        self.to.saturating_sub(self.from)
    }
}

/// Past this many stints a process's further ones are merged into the last.
const MAX_STINTS: usize = 4096;

/// One process's life on the supervisor's clock.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Times {
    pub created: Option<Duration>,
    /// Its program ended (`Done`) or its connection closed.
    pub exited: Option<Duration>,
    /// Its parent (or the supervisor) reaped it.
    pub reaped: Option<Duration>,
    /// Closed stints, in time order, not overlapping.
    pub stints: Vec<Stint>,
    /// The stint still going on, and since when.
    pub current: Option<(Doing, Duration)>,
    pub sleeps: Vec<Sleep>,
    /// When its parent sent it SIGTERM: it lived (asleep, say) until then at least.
    pub killed: Option<Duration>,
}

impl Times {
    /// From now on it does `doing`.
    fn switch(&mut self, doing: Doing, at: Duration) {
        match self.current {
            Some((d, _)) if d == doing => return,
            Some((d, from)) => self.close(d, from, at),
            None => {}
        }
        self.current = Some((doing, at));
    }

    fn close(&mut self, doing: Doing, from: Duration, to: Duration) {
        let to = to.max(from);
        let full = self.stints.len() >= MAX_STINTS;
        match self.stints.last_mut() {
            Some(last) if last.doing == doing && last.to == from => last.to = to,
            Some(last) if full => last.to = to,
            _ => self.stints.push(Stint { from, to, doing }),
        }
    }

    fn created_at(&mut self, at: Duration) {
        if self.created.is_none_or(|c| at < c) {
            self.created = Some(at);
        }
        if self.current.is_none() && self.stints.is_empty() && self.exited.is_none() {
            self.current = Some((Doing::Starting, at));
        }
    }

    fn exited_at(&mut self, at: Duration) {
        if self.exited.is_some() {
            return;
        }
        self.exited = Some(at);
        if let Some((d, from)) = self.current.take() {
            self.close(d, from, at);
        }
    }

    /// It ended later than first thought: a process killed in a sleep sends
    /// nothing more, so its connection's close is stamped with its last
    /// report; the reaper's clock tells the real end. The last stint goes on
    /// until then.
    fn exited_later(&mut self, at: Duration) {
        let Some(was) = self.exited else {
            return self.exited_at(at);
        };
        if at <= was {
            return;
        }
        self.exited = Some(at);
        if let Some(last) = self.stints.last_mut()
            && last.to == was
        {
            last.to = at;
        }
    }

    /// Every stint up to `now`, the one going on included.
    pub fn stints_until(&self, now: Duration) -> Vec<Stint> {
        let mut out = self.stints.clone();
        if let Some((doing, from)) = self.current {
            out.push(Stint {
                from,
                to: now.max(from),
                doing,
            });
        }
        out
    }

    /// Every sleep it took was real (and it took at least one).
    pub fn slept_really(&self) -> bool {
        !self.sleeps.is_empty() && self.sleeps.iter().all(|s| s.real)
    }
}

impl RunState {
    /// Note when process `ev.proc` (or the child a report names) changed activity.
    pub(super) fn note_time(&mut self, ev: &Event) {
        let p = ev.proc;
        let at = ev.at;
        match &ev.kind {
            EventKind::Spawned { .. } => self.times[p].created_at(at),
            EventKind::Granted
            | EventKind::TurnGiven
            | EventKind::SigtermSent
            | EventKind::FreeRun { .. }
            | EventKind::Stderr(_) => {}
            EventKind::Closed => {
                let t = &mut self.times[p];
                let at = t.killed.map_or(at, |k| k.max(at));
                t.exited_at(at);
            }
            EventKind::Exited(ending) => {
                let t = &mut self.times[p];
                if matches!(ending, crate::wire::Ending::Signal(_)) {
                    // Reaped by the supervisor at once: its clock is the end.
                    t.exited_later(at);
                } else {
                    t.exited_at(at);
                }
                t.reaped.get_or_insert(at);
            }
            EventKind::Report(r) => self.note_report_time(p, at, r),
        }
    }
}

#[cfg(test)]
mod tests;
