//! The model of a run: a pure fold of [`Event`]s into processes, locks and
//! their waiters, rooms, shared values with their reads and writes, outcomes
//! and printed lines, with the lesson's check evaluated live.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;

use crate::lesson::{Check, Lesson, Measure, Op, Step};
use crate::wire::Report;
use crate::wire::{Ending, Event, EventKind};

/// Where a process is, as far as the supervisor knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Its parent has not started it (yet).
    NotStarted,
    /// Started, not yet at its first gate.
    Starting,
    /// Stopped at its gate before its next operation.
    AtGate,
    /// Running an operation (or let through and not yet back at a gate).
    Running,
    /// Blocked in the kernel on the lock or semaphore with this index.
    Waiting { lock: usize },
    /// Blocked in `waitpid` until process `child` (0-based) ends (join).
    Joining { child: usize },
    /// Blocked in the kernel on an event, a pipe end or a queue.
    Blocked { on: ipc::Wait },
    /// Its program ended or it died.
    Finished,
}

#[derive(Debug, Clone)]
pub struct Proc {
    pub number: usize,
    pub role: String,
    pub index: usize,
    pub program: Arc<Vec<Step>>,
    pub pid: Option<u32>,
    pub ppid: Option<u32>,
    pub phase: Phase,
    /// The operation it is at (or running).
    pub pc: Option<usize>,
    pub locals: BTreeMap<String, i64>,
    pub ops: u64,
    /// The code its program ended with (`Done`), before the OS reaps it.
    pub done_code: Option<i32>,
    pub ending: Option<Ending>,
    /// It said hello over the socket (so a `Closed` will follow).
    pub connected: bool,
    pub closed: bool,
    pub failed: Option<String>,
    pub started_at: Option<Duration>,
    pub ended_at: Option<Duration>,
    /// For each shared value, the version it last read (to spot lost updates).
    read_version: HashMap<usize, u64>,
    /// The process that starts it (0-based); `None`: started with the run.
    pub parent: Option<usize>,
    pub daemon: bool,
    /// Its parent ended without reaping it: init reaps it, nobody reports how.
    pub orphaned: bool,
}

impl Proc {
    pub fn step(&self) -> Option<&Step> {
        self.program.get(self.pc?)
    }

    /// The Python line its current operation stands for.
    pub fn line(&self) -> Option<u32> {
        self.step().map(|s| s.line).filter(|l| *l > 0)
    }

    /// Reaped, and every report it sent has been read.
    pub fn is_gone(&self) -> bool {
        (self.ending.is_some() || self.orphaned) && self.closed
    }
}

#[derive(Debug, Clone)]
pub struct LockState {
    pub name: String,
    pub permits: u32,
    pub is_lock: bool,
    pub off: bool,
    /// Permits free: starts at `permits`; acquire takes one, release gives one.
    pub available: i64,
    /// Who holds it, in the order they got it.
    pub holders: Vec<usize>,
    /// Who waits for it, in arrival order.
    pub waiters: Vec<usize>,
    /// The waiters that queue for their turn (under a schedule), not
    /// asleep in the kernel's own wait; a subset of `waiters`.
    pub queued: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct RoomState {
    pub name: String,
    pub limit: Option<u32>,
    pub inside: Vec<usize>,
    pub peak: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessKind {
    Read,
    Write,
}

/// One read or write of a shared value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    pub step: u64,
    pub proc: usize,
    pub kind: AccessKind,
    pub value: i64,
    /// A write based on a read that another write has since made stale.
    pub stale: bool,
}

#[derive(Debug, Clone)]
pub struct ValueState {
    pub name: String,
    pub initial: i64,
    pub current: i64,
    pub version: u64,
    /// The latest accesses, oldest first (bounded).
    pub history: Vec<Access>,
    /// Recent versions and their values, newest last (bounded).
    versions: Vec<(u64, i64)>,
}

impl ValueState {
    /// The version a read that returned `got` saw: the newest one holding
    /// that value. A read and a write racing within microseconds may be
    /// reported in either order; the value read settles which came first.
    fn version_of(&self, got: i64) -> u64 {
        if self.current == got {
            return self.version;
        }
        self.versions
            .iter()
            .rev()
            .find(|(_, v)| *v == got)
            .map_or(self.version, |(ver, _)| *ver)
    }
}

/// Reads and writes kept per value: enough to fill a tall values panel.
const HISTORY: usize = 40;

/// A write that overwrote someone else's update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LostUpdate {
    pub step: u64,
    pub proc: usize,
    pub value: String,
    pub wrote: i64,
    /// Writes made between this process's read and its write.
    pub overwritten: u64,
}

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
    /// The pool lesson's measured speedup, when it has one.
    pub speedup: Option<i64>,
    /// Per-process globals (a child copies its parent's at start).
    pub globals: Vec<String>,
    /// Processes that ended while their parent was not joining them (zombies).
    pub zombies: Vec<usize>,
    /// What each process did when (for the timing views).
    pub times: Vec<spans::Times>,
    /// Events, pipes and queues.
    pub ipc: ipc::IpcState,
}

impl RunState {
    /// A fresh state for `lesson` with the named locks switched off.
    pub fn new(lesson: &Lesson, off: &[String]) -> RunState {
        let programs: HashMap<&str, Arc<Vec<Step>>> = lesson
            .programs
            .iter()
            .map(|(role, steps)| (role.as_str(), Arc::new(steps.clone())))
            .collect();
        let procs = lesson
            .slots()
            .into_iter()
            .map(|slot| {
                let program = programs
                    .get(slot.role.as_str())
                    .cloned()
                    .unwrap_or_default();
                let locals = lesson
                    .globals
                    .iter()
                    .map(|g| (g.name.clone(), g.initial))
                    .collect();
                Proc {
                    parent: slot.parent.map(|n| n - 1),
                    daemon: false,
                    orphaned: false,
                    number: slot.number,
                    role: slot.role,
                    index: slot.index,
                    program,
                    pid: None,
                    ppid: None,
                    phase: if slot.parent.is_some() {
                        Phase::NotStarted
                    } else {
                        Phase::Starting
                    },
                    pc: None,
                    locals,
                    ops: 0,
                    done_code: None,
                    ending: None,
                    connected: false,
                    closed: false,
                    failed: None,
                    started_at: None,
                    ended_at: None,
                    read_version: HashMap::new(),
                }
            })
            .collect();
        RunState {
            lesson_id: lesson.id.clone(),
            check: lesson.check.clone(),
            procs,
            locks: lesson
                .resources()
                .into_iter()
                .map(|r| LockState {
                    off: off.contains(&r.name),
                    available: i64::from(r.permits),
                    name: r.name,
                    permits: r.permits,
                    is_lock: r.is_lock,
                    holders: Vec::new(),
                    waiters: Vec::new(),
                    queued: Vec::new(),
                })
                .collect(),
            rooms: lesson
                .rooms
                .iter()
                .map(|r| RoomState {
                    name: r.name.clone(),
                    limit: r.limit,
                    inside: Vec::new(),
                    peak: 0,
                })
                .collect(),
            values: lesson
                .values
                .iter()
                .map(|v| ValueState {
                    name: v.name.clone(),
                    initial: v.initial,
                    current: v.initial,
                    version: 0,
                    history: Vec::new(),
                    versions: vec![(0, v.initial)],
                })
                .collect(),
            outcomes: BTreeMap::new(),
            outcomes_at_first: BTreeMap::new(),
            output: Vec::new(),
            lost_updates: Vec::new(),
            steps: 0,
            broken_at: None,
            errors: Vec::new(),
            deadlock: None,
            free: false,
            speedup: None,
            globals: lesson.globals.iter().map(|g| g.name.clone()).collect(),
            zombies: Vec::new(),
            times: Vec::new(),
            ipc: ipc::IpcState::new(lesson),
        }
        .with_times()
    }

    fn with_times(mut self) -> RunState {
        self.times = vec![spans::Times::default(); self.procs.len()];
        self
    }

    fn lock_index(&self, name: &str) -> Option<usize> {
        self.locks.iter().position(|l| l.name == name)
    }

    fn room_index(&self, name: &str) -> Option<usize> {
        self.rooms.iter().position(|r| r.name == name)
    }

    fn value_index(&self, name: &str) -> Option<usize> {
        self.values.iter().position(|v| v.name == name)
    }

    /// Fold one event into the state.
    pub fn apply(&mut self, ev: &Event) {
        let p = ev.proc;
        if p >= self.procs.len() {
            return;
        }
        self.note_time(ev);
        match &ev.kind {
            EventKind::Spawned { pid } => {
                let proc = &mut self.procs[p];
                proc.pid = Some(*pid);
                proc.started_at = Some(ev.at);
            }
            EventKind::Granted => self.procs[p].phase = Phase::Running,
            EventKind::FreeRun { on } => {
                self.free = *on;
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
            }
            EventKind::TurnGiven => {
                for l in &mut self.locks {
                    l.queued.retain(|q| *q != p);
                }
                self.ipc.turn_given(p);
            }
            EventKind::Closed => {
                self.note_zombie(p);
                self.ipc.forget(p);
                let proc = &mut self.procs[p];
                proc.closed = true;
                proc.phase = Phase::Finished;
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
        match r {
            Report::Hello { pid, ppid, .. } => {
                let proc = &mut self.procs[p];
                proc.pid = Some(*pid);
                proc.ppid = Some(*ppid);
                proc.connected = true;
                if proc.phase == Phase::NotStarted {
                    proc.phase = Phase::Starting;
                }
            }
            Report::Ready => {}
            Report::At { pc } => {
                let free = self.free;
                let proc = &mut self.procs[p];
                // In a free run the process passes its gate on its own.
                proc.phase = if free { Phase::Running } else { Phase::AtGate };
                proc.pc = Some(*pc);
            }
            Report::Run { pc } => {
                let proc = &mut self.procs[p];
                proc.phase = Phase::Running;
                proc.pc = Some(*pc);
                proc.ops += 1;
                self.steps += 1;
            }
            Report::Slept { .. } | Report::Branch { .. } | Report::Skipped { .. } => {}
            Report::Read { value, got } => {
                let into = match self.procs[p].step().map(|s| &s.op) {
                    Some(Op::Read { into, .. }) => Some(into.clone()),
                    _ => None,
                };
                if let Some(into) = into {
                    self.procs[p].locals.insert(into, *got);
                }
                if let Some(v) = self.value_index(value) {
                    let version = self.values[v].version_of(*got);
                    self.procs[p].read_version.insert(v, version);
                    self.record(v, p, AccessKind::Read, *got, false);
                }
            }
            Report::Wrote { value, put } => {
                let Some(v) = self.value_index(value) else {
                    return;
                };
                let current = self.values[v].version;
                let stale = self.procs[p]
                    .read_version
                    .remove(&v)
                    .filter(|read| *read != current);
                if let Some(read) = stale {
                    self.lost_updates.push(LostUpdate {
                        step: self.steps,
                        proc: p,
                        value: value.clone(),
                        wrote: *put,
                        overwritten: current - read,
                    });
                    if matches!(&self.check.measure, Measure::FinalValue(name) if name == value) {
                        self.broken_at.get_or_insert(self.steps);
                    }
                }
                let val = &mut self.values[v];
                val.current = *put;
                val.version += 1;
                if val.versions.len() == HISTORY * 4 {
                    val.versions.remove(0);
                }
                val.versions.push((val.version, *put));
                self.record(v, p, AccessKind::Write, *put, stale.is_some());
            }
            Report::Set { local, to } => {
                self.procs[p].locals.insert(local.clone(), *to);
            }
            Report::Waiting { lock } | Report::Queued { lock } => {
                if let Some(l) = self.lock_index(lock) {
                    self.procs[p].phase = Phase::Waiting { lock: l };
                    let st = &mut self.locks[l];
                    if !st.waiters.contains(&p) {
                        st.waiters.push(p);
                    }
                    st.queued.retain(|q| *q != p);
                    if matches!(r, Report::Queued { .. }) {
                        st.queued.push(p);
                    }
                }
            }
            Report::Acquired { lock } => {
                if let Some(l) = self.lock_index(lock) {
                    let st = &mut self.locks[l];
                    st.waiters.retain(|w| *w != p);
                    st.holders.push(p);
                    st.available -= 1;
                    self.procs[p].phase = Phase::Running;
                }
            }
            Report::Released { lock } => {
                if let Some(l) = self.lock_index(lock) {
                    let st = &mut self.locks[l];
                    if let Some(i) = st.holders.iter().position(|h| *h == p) {
                        st.holders.remove(i);
                    }
                    st.available += 1;
                }
            }
            Report::Entered { room } => {
                if let Some(r) = self.room_index(room) {
                    let st = &mut self.rooms[r];
                    st.inside.push(p);
                    st.peak = st.peak.max(st.inside.len());
                    self.check_live();
                }
            }
            Report::Left { room } => {
                if let Some(r) = self.room_index(room)
                    && let Some(i) = self.rooms[r].inside.iter().position(|x| *x == p)
                {
                    self.rooms[r].inside.remove(i);
                }
            }
            Report::Printed { en, zh } => self.output.push(OutputLine {
                proc: p,
                at,
                said: Said::Printed {
                    en: en.clone(),
                    zh: zh.clone(),
                },
            }),
            Report::Outcome { name } => {
                if !self.outcomes_at_first.contains_key(name) {
                    let before = self.outcomes.clone();
                    self.outcomes_at_first.insert(name.clone(), before);
                }
                *self.outcomes.entry(name.clone()).or_default() += 1;
                self.check_live();
            }
            Report::Result { .. } => {}
            Report::Failed { message } => {
                self.procs[p].failed = Some(message.clone());
                self.errors.push(format!("P{}: {message}", p + 1));
            }
            Report::Done { code } => {
                let proc = &mut self.procs[p];
                proc.done_code = Some(*code);
                proc.phase = Phase::Finished;
            }
            Report::Started { .. }
            | Report::Joining { .. }
            | Report::JoinTimedOut { .. }
            | Report::Reaped { .. }
            | Report::Terminated { .. } => self.tree_report(p, at, r),
            Report::PipeEnds { .. }
            | Report::EventSet { .. }
            | Report::EventCleared { .. }
            | Report::EventWaiting { .. }
            | Report::EventWoke { .. }
            | Report::PipeSent { .. }
            | Report::PipeWaiting { .. }
            | Report::PipeReceived { .. }
            | Report::PipeEof { .. }
            | Report::PipeClosed { .. }
            | Report::QueuePut { .. }
            | Report::QueueWaiting { .. }
            | Report::GetQueued { .. }
            | Report::QueueGot { .. }
            | Report::QueueTimedOut { .. }
            | Report::TaskDone { .. }
            | Report::QueueJoining { .. }
            | Report::QueueJoined { .. }
            | Report::Sockets { .. }
            | Report::AcceptWaiting { .. }
            | Report::Accepted { .. }
            | Report::Connected { .. }
            | Report::SockSent { .. }
            | Report::SockWaiting { .. }
            | Report::SockReceived { .. }
            | Report::SockEof { .. }
            | Report::SockClosed { .. }
            | Report::ServerClosed { .. } => self.ipc_report(p, r),
        }
    }

    fn record(&mut self, v: usize, proc: usize, kind: AccessKind, value: i64, stale: bool) {
        let h = &mut self.values[v].history;
        if h.len() == HISTORY {
            h.remove(0);
        }
        h.push(Access {
            step: self.steps,
            proc,
            kind,
            value,
            stale,
        });
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
            Measure::Speedup => self.speedup.unwrap_or(0),
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

    /// Processes that may take a step now (at their gate).
    pub fn runnable(&self) -> Vec<bool> {
        self.procs
            .iter()
            .map(|p| p.phase == Phase::AtGate)
            .collect()
    }
}

pub mod cut_off;
pub mod facts;
pub mod ipc;
pub mod sockets;
pub mod spans;
mod tree;

pub use crate::wire::ProcId;
pub use tree::signal_name;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tree_tests;
