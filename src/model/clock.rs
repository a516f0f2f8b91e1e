//! The virtual clock of the *as written* timing model: who is asleep until
//! when, and who may move now. Under *any* timing it constrains nothing.

use super::facts::BlockedOn;
use super::{Phase, ProcId, RunState};
use crate::lesson::Timing;
use crate::wire::Report;

/// Virtual time under a schedule, in lesson milliseconds.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    pub timing: Timing,
    /// The time now: the latest wake-up a step has reached.
    pub now_ms: u64,
    /// For each process, when its current sleep ends (if it sleeps).
    pub wake_at: Vec<Option<u64>>,
    /// For each process in a timed wait, what wakes it before its wake-up.
    pub wake_on: Vec<Option<WakeOn>>,
}

/// What ends a timed wait before its timeout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WakeOn {
    /// This child (0-based) ends (`join(timeout)`).
    End(usize),
    /// This event is set (`event.wait(timeout)`).
    Set(String),
    /// An item is put on this queue (`q.get(timeout)`).
    Put(String),
}

impl Clock {
    pub fn new(timing: Timing, procs: usize) -> Clock {
        Clock {
            timing,
            now_ms: 0,
            wake_at: vec![None; procs],
            wake_on: vec![None; procs],
        }
    }

    /// When process `p` wakes, if that is still to come.
    pub fn asleep_until(&self, p: usize) -> Option<u64> {
        self.wake_at
            .get(p)
            .copied()
            .flatten()
            .filter(|&w| w > self.now_ms)
    }

    /// Process `p` slept `ms` without real time passing (a scheduled run).
    pub(super) fn slept(&mut self, p: usize, ms: u64) {
        if self.timing == Timing::AsWritten
            && let Some(w) = self.wake_at.get_mut(p)
        {
            *w = Some(self.now_ms.saturating_add(ms));
        }
    }

    /// A report that starts or ends a timed wait.
    pub(super) fn heard(&mut self, p: usize, r: &Report) {
        let (ms, on) = match r {
            Report::TimedJoin { child, ms } => (*ms, WakeOn::End(child.saturating_sub(1))),
            Report::TimedEventWait { event, ms } => (*ms, WakeOn::Set(event.clone())),
            Report::TimedGet { queue, ms } => (*ms, WakeOn::Put(queue.clone())),
            Report::EventSet { event } => return self.woken(&WakeOn::Set(event.clone())),
            Report::QueuePut { queue, .. } => return self.woken(&WakeOn::Put(queue.clone())),
            _ => return,
        };
        self.slept(p, ms);
        if let Some(w) = self.wake_on.get_mut(p) {
            *w = Some(on);
        }
    }

    /// Process `child` ended: whoever waited for it with a timeout is awake now.
    pub(super) fn ended(&mut self, child: usize) {
        self.woken(&WakeOn::End(child));
    }

    /// Whoever waited for `what` with a timeout is awake now.
    fn woken(&mut self, what: &WakeOn) {
        for (w, on) in self.wake_at.iter_mut().zip(&mut self.wake_on) {
            if on.as_ref() == Some(what) {
                *w = None;
                *on = None;
            }
        }
    }

    /// Process `p` takes a step: if it was asleep, the clock has reached
    /// its wake-up (the step was allowed because nothing else could move).
    pub(super) fn stepped(&mut self, p: usize) {
        if let Some(w) = self.asleep_until(p) {
            self.now_ms = w;
        }
        if let Some(w) = self.wake_at.get_mut(p) {
            *w = None;
        }
        if let Some(on) = self.wake_on.get_mut(p) {
            *on = None;
        }
    }

    /// Real time runs (a free run): sleeps are real, nobody waits on the clock.
    pub(super) fn forget_sleeps(&mut self) {
        self.wake_at.iter_mut().for_each(|w| *w = None);
        self.wake_on.iter_mut().for_each(|w| *w = None);
    }

    /// Of the processes at their gate, those that may move: the awake ones,
    /// or, when none is awake, those whose sleep ends first.
    pub fn movable(&self, at_gate: &[bool]) -> Vec<bool> {
        let awake: Vec<bool> = (0..at_gate.len())
            .map(|i| at_gate[i] && self.asleep_until(i).is_none())
            .collect();
        if awake.iter().any(|a| *a) {
            return awake;
        }
        let first = (0..at_gate.len())
            .filter(|&i| at_gate[i])
            .filter_map(|i| self.asleep_until(i))
            .min();
        (0..at_gate.len())
            .map(|i| at_gate[i] && first.is_some() && self.asleep_until(i) == first)
            .collect()
    }
}

impl RunState {
    /// Processes that may take a step now: at their gate, and (as written)
    /// awake or first to wake.
    pub fn runnable(&self) -> Vec<bool> {
        let at_gate: Vec<bool> = self
            .procs
            .iter()
            .map(|p| p.phase == Phase::AtGate)
            .collect();
        self.clock.movable(&at_gate)
    }

    /// Why process `p`, at its gate, may not move yet: it sleeps, and
    /// another can move now or wakes first.
    pub(super) fn asleep(&self, p: usize) -> Option<BlockedOn> {
        let until_ms = self.clock.asleep_until(p)?;
        let movable = self.runnable();
        if movable.get(p).copied().unwrap_or(false) {
            return None;
        }
        let first = movable.iter().position(|m| *m)?;
        Some(BlockedOn::Asleep {
            until_ms,
            now_ms: self.clock.now_ms,
            first: ProcId(first),
            first_awake: self.clock.asleep_until(first).is_none(),
        })
    }
}
