//! The model of a run: a pure fold of [`Event`]s into processes, locks and
//! their waiters, rooms, shared values with their reads and writes, outcomes
//! and printed lines, with the lesson's check evaluated live.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::lesson::{Check, Measure};
use crate::wire::Report;
use crate::wire::{Event, EventKind};

/// A line of the run's output: what a process printed, or what it did
/// that the output shows (a `terminate()`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputLine {
    pub proc: usize,
    pub at: Duration,
    pub said: Said,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Said {
    /// The lesson's text, as the process filled it in, in both languages.
    Printed { en: String, zh: Option<String> },
    /// The process called `terminate()` on this child.
    Terminated { child: ProcId },
    /// Its server closed a connection from outside the lesson (from this port).
    Refused { server: String, port: u16 },
}

#[derive(Debug, Clone)]
pub struct RunState {
    pub lesson_id: String,
    pub check: Check,
    pub procs: Vec<Proc>,
    pub locks: Vec<LockState>,
    pub rooms: Vec<RoomState>,
    pub values: Vec<ValueState>,
    pub outcomes: BTreeMap<String, i64>,
    /// Every outcome's count at the moment each outcome was first counted.
    pub outcomes_at_first: BTreeMap<String, BTreeMap<String, i64>>,
    pub output: Vec<OutputLine>,
    pub lost_updates: Vec<LostUpdate>,
    /// Operations begun, all processes together.
    pub steps: u64,
    pub broken_at: Option<u64>,
    pub errors: Vec<String>,
    /// Set once the run is stuck: who waits for what, as it stood then
    /// (the stuck processes are killed after).
    pub deadlock: Option<facts::Deadlock>,
    /// Gates open by themselves (a free run).
    pub free: bool,
    /// The pool lesson's measured key quantity (its speedup, or a phase's
    /// lesson ms), when it has one.
    pub speedup: Option<i64>,
    /// Per-process globals (a child copies its parent's at start).
    pub globals: Vec<String>,
    /// Processes that ended while their parent was not joining them (zombies).
    pub zombies: Vec<usize>,
    /// What each process did when (for the timing views).
    pub times: Vec<spans::Times>,
    /// Events, pipes and queues.
    pub ipc: ipc::IpcState,
    /// Virtual time under a schedule (the *as written* timing model).
    pub clock: clock::Clock,
}

impl RunState {
    /// Fold one event into the state.
    pub fn apply(&mut self, ev: &Event) {
        let p = ev.proc;
        if !self.admit(ev) {
            return;
        }
        self.note_time(ev);
        match &ev.kind {
            EventKind::Spawned { pid } => {
                let proc = &mut self.procs[p];
                proc.pid = Some(*pid);
                proc.started_at = Some(ev.at);
            }
            EventKind::Granted => {
                self.procs[p].phase = Phase::Running;
                if !self.free {
                    self.clock.stepped(p);
                }
            }
            EventKind::FreeRun { on } => {
                self.free = *on;
                if *on {
                    self.clock.forget_sleeps();
                }
                for proc in &mut self.procs {
                    if *on && proc.phase == Phase::AtGate {
                        proc.phase = Phase::Running;
                    }
                }
            }
            EventKind::SigtermSent => {
                // Its end is no earlier than the signal, whatever its last
                // report said (a child asleep sends none).
                if let Some(t) = self.times.get_mut(p) {
                    t.killed.get_or_insert(ev.at);
                }
                self.dying(p);
            }
            EventKind::TurnGiven => {
                for l in &mut self.locks {
                    l.queued.retain(|q| *q != p);
                }
                self.ipc.turn_given(p);
            }
            EventKind::Closed => {
                self.clock.ended(p);
                self.note_zombie(p);
                self.ipc.forget(p);
                // Its connection closed: it is dead or dying and waits for
                // no lock any more (even before its parent reaps it).
                for l in &mut self.locks {
                    l.waiters.retain(|w| *w != p);
                    l.queued.retain(|w| *w != p);
                }
                let proc = &mut self.procs[p];
                proc.closed = true;
                proc.phase = Phase::Finished;
                // A writer whose reader is gone goes on (its write fails).
                self.release_writers();
            }
            EventKind::Exited(ending) => self.end_process(p, *ending, ev.at),
            EventKind::Stderr(line) => self.errors.push(format!("{}: {line}", ProcId(p))),
            EventKind::Report(r) => self.report(p, ev.at, r),
        }
        if self.deadlock.is_none() {
            self.deadlock = self.deadlock_now();
        }
    }

    fn report(&mut self, p: usize, at: Duration, r: &Report) {
        self.clock.heard(p, r);
        self.python_check(p, r);
        if r.is_ipc() {
            return self.ipc_report(p, r);
        }
        match r {
            Report::Hello { .. }
            | Report::Ready
            | Report::Reparented { .. }
            | Report::At { .. }
            | Report::Run { .. }
            | Report::Set { .. }
            | Report::Failed { .. }
            | Report::Done { .. } => {
                self.process_report(p, r);
                self.writer_moved(p, r);
            }
            Report::Slept { ms, real: false } => self.clock.slept(p, *ms),
            Report::Read { .. } | Report::Wrote { .. } => self.value_report(p, r),
            Report::Waiting { .. }
            | Report::Queued { .. }
            | Report::Acquired { .. }
            | Report::Reentered { .. }
            | Report::Released { .. }
            | Report::Entered { .. }
            | Report::Left { .. }
            | Report::Skipped { .. } => self.lock_report(p, r),
            Report::Printed { en, zh } => {
                let (en, zh) = (en.clone(), zh.clone());
                self.say(p, at, Said::Printed { en, zh });
            }
            Report::Outcome { name } => {
                if !self.outcomes_at_first.contains_key(name) {
                    let before = self.outcomes.clone();
                    self.outcomes_at_first.insert(name.clone(), before);
                }
                *self.outcomes.entry(name.clone()).or_default() += 1;
                self.check_live();
            }
            Report::Refused { server, port } => {
                let (server, port) = (server.clone(), *port);
                self.say(p, at, Said::Refused { server, port });
            }
            Report::Result { .. } => {}
            Report::Started { .. }
            | Report::Joining { .. }
            | Report::JoinTimedOut { .. }
            | Report::Reaped { .. }
            | Report::Terminated { .. } => {
                self.tree_report(p, at, r);
                self.python_report(p, r);
            }
            Report::Op { .. } | Report::Created { .. } | Report::Shutdown { .. } => {
                self.python_report(p, r)
            }
            // Timed waits are the clock's (`heard` above), the IPC reports
            // the IPC part's (above).
            _ => {}
        }
    }

    fn say(&mut self, proc: usize, at: Duration, said: Said) {
        self.output.push(OutputLine { proc, at, said });
    }

    /// Outcome and room checks can break in the middle of a run.
    fn check_live(&mut self) {
        // An "at least" count can still be reached: it never breaks midway.
        if self.broken_at.is_none()
            && self.check.rule != crate::lesson::Rule::AtLeast
            && matches!(
                self.check.measure,
                Measure::Outcome(_) | Measure::OutcomeAfter(_) | Measure::MaxInside(_)
            )
            && !self.check.rule.holds(self.actual(), self.check.expect)
        {
            self.broken_at = Some(self.steps);
        }
    }

    /// The lesson's key quantity now.
    pub fn actual(&self) -> i64 {
        match &self.check.measure {
            Measure::Outcome(name) => self.outcomes.get(name).copied().unwrap_or(0),
            Measure::OutcomeAfter(m) => {
                let now = self.outcomes.get(&m.outcome).copied().unwrap_or(0);
                match self.outcomes_at_first.get(&m.after) {
                    Some(then) => now - then.get(&m.outcome).copied().unwrap_or(0),
                    None => 0,
                }
            }
            Measure::FinalValue(name) => {
                self.value_index(name).map_or(0, |v| self.values[v].current)
            }
            Measure::MaxInside(name) => self
                .room_index(name)
                .map_or(0, |r| self.rooms[r].peak as i64),
            Measure::Speedup | Measure::PhaseMs(_) => self.speedup.unwrap_or(0),
            Measure::FinalLocal(r) => self
                .procs
                .iter()
                .find(|p| p.role == r.role)
                .and_then(|p| p.locals.get(&r.name).copied())
                .unwrap_or(0),
            Measure::Zombies => self.zombies.len() as i64,
            Measure::DoneAtJoin(q) => self.done_at_join(q).unwrap_or(0),
            Measure::UpperReplies(s) => self.ipc.sockets.upper_replies(s),
        }
    }

    /// Every process has ended and been reaped.
    pub fn all_gone(&self) -> bool {
        // A slot nobody started by now never will be: its parent is gone too.
        self.procs
            .iter()
            .all(|p| p.is_gone() || p.phase == Phase::NotStarted)
    }

    /// A permit is free on a lock somebody waits for: the kernel will wake a waiter.
    fn wake_pending(&self) -> bool {
        self.locks
            .iter()
            .any(|l| !l.waiters.is_empty() && l.available > 0)
            || self.join_wake_pending()
            || self.ipc.wake_pending()
    }

    /// The queued process whose turn it is to take a lock that is free:
    /// the first in arrival order, unless one asleep in the kernel's wait
    /// takes it anyway.
    pub fn turn_due(&self) -> Option<usize> {
        self.locks
            .iter()
            .find_map(|l| {
                let kernel_takes = l.waiters.iter().any(|w| !l.queued.contains(w));
                (l.available > 0 && !kernel_takes)
                    .then(|| l.waiters.first().copied())
                    .flatten()
            })
            .or_else(|| self.ipc.turn_due())
    }

    /// Nothing will happen until the supervisor lets someone through: every
    /// process is at its gate, blocked, or finished, and no wake-up is due.
    pub fn is_quiet(&self) -> bool {
        self.procs.iter().all(|p| match p.phase {
            Phase::AtGate
            | Phase::Waiting { .. }
            | Phase::Joining { .. }
            | Phase::Blocked { .. } => true,
            Phase::NotStarted => true,
            // A process that died without saying `Done` is settled only once
            // reaped: its exit code belongs in any verdict drawn now. One
            // started by a parent is settled once its connection closed: it
            // has then (all but) exited, so its parent's next waitpid sees it.
            // A started child's end reaches us only when its parent reaps it.
            Phase::Finished => match p.parent {
                Some(_) => p.closed || p.is_gone(),
                None => p.done_code.is_some() || p.is_gone(),
            },
            Phase::Starting | Phase::Running => false,
        }) && !self.wake_pending()
    }
}

pub mod clock;
pub mod cut_off;
pub mod facts;
pub mod ipc;
mod locks;
mod process;
pub mod python;
mod setup;
pub mod sockets;
pub mod spans;
mod tree;
mod values;
mod verdict;

pub use crate::wire::ProcId;
pub use locks::{LockState, RoomState};
pub use process::{Phase, Proc};
pub use tree::signal_name;
pub use values::{Access, AccessKind, LostUpdate, ValueState};

#[cfg(test)]
mod python_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tree_tests;
