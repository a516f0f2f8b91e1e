//! A process as the model knows it: where it is (its phase), what it runs,
//! how it ended.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;

use super::ipc;
use super::{ProcId, RunState};
use crate::lesson::Step;
use crate::wire::{Ending, Report};

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
    /// What the lesson's listing calls it (`main`, `p1`), if it says.
    pub name: Option<String>,
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
    pub(super) read_version: HashMap<usize, u64>,
    /// The process that starts it (0-based); `None`: started with the run.
    pub parent: Option<usize>,
    pub daemon: bool,
    /// Its parent ended without reaping it: init reaps it, nobody reports how.
    pub orphaned: bool,
    /// Lockstep itself killed it (what a stuck or runaway run leaves alive),
    /// so a SIGKILL ending is lockstep's, not someone else's.
    pub stopped: bool,
    /// A real program's process: the operation it is at, and where.
    pub site: Option<super::python::Site>,
}

impl Proc {
    pub fn step(&self) -> Option<&Step> {
        self.program.get(self.pc?)
    }

    /// The Python line its current operation stands for.
    pub fn line(&self) -> Option<u32> {
        self.step()
            .map(|s| s.line)
            .or_else(|| self.site.as_ref().map(|s| s.line))
            .filter(|l| *l > 0)
    }

    /// `P3 p2`: its P-number and the listing's name for it, if any.
    pub fn label(&self) -> String {
        let id = ProcId::from_number(self.number);
        match &self.name {
            Some(name) => format!("{id} {name}"),
            None => id.to_string(),
        }
    }

    /// Reaped, and every report it sent has been read.
    pub fn is_gone(&self) -> bool {
        (self.ending.is_some() || self.orphaned) && self.closed
    }
}

impl RunState {
    /// `P3 (p2)`: process `i` as a sentence names it, with the listing's
    /// name when the lesson gives one.
    pub fn named(&self, i: usize) -> String {
        match self.procs.get(i).and_then(|p| p.name.as_deref()) {
            Some(name) => format!("{} ({name})", ProcId(i)),
            None => ProcId(i).to_string(),
        }
    }

    /// A process's own course: hello, its gates, its locals, its end.
    pub(super) fn process_report(&mut self, p: usize, r: &Report) {
        match r {
            Report::Hello { pid, ppid, .. } => {
                // Forked just before its parent died (killed from outside
                // before it could report the start): init reaps it.
                let parent_gone = self.procs[p]
                    .parent
                    .is_some_and(|par| self.procs[par].ending.is_some());
                let proc = &mut self.procs[p];
                proc.orphaned |= parent_gone;
                proc.pid = Some(*pid);
                proc.ppid = Some(*ppid);
                proc.connected = true;
                if proc.phase == Phase::NotStarted {
                    proc.phase = Phase::Starting;
                }
            }
            Report::Ready => {}
            Report::Reparented { ppid } => self.procs[p].ppid = Some(*ppid),
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
            Report::Set { local, to } => {
                self.procs[p].locals.insert(local.clone(), *to);
            }
            Report::Failed { message } => {
                self.procs[p].failed = Some(message.clone());
                self.errors.push(format!("{}: {message}", ProcId(p)));
            }
            Report::Done { code } => {
                let proc = &mut self.procs[p];
                proc.done_code = Some(*code);
                proc.phase = Phase::Finished;
            }
            _ => {}
        }
    }
}
