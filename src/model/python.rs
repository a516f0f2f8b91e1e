//! Real programs (Python) in the model: processes that appear as the
//! program starts them, and locks, semaphores and values that appear as it
//! makes them, each under its Python name; the operation each process is
//! at, with the program's file and line. Still a pure fold of events.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::ipc::{EndState, EventState, QueueState};
use super::sockets::ServerState;
use super::{LockState, Phase, Proc, RunState, ValueState, spans};
use crate::lesson::Measure;
use crate::wire::{Event, EventKind, MAX_PROCS, Object, Report};

/// The operation a real program's process is at: what, on which object,
/// and where the program calls it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    pub op: String,
    /// The object's Python name (empty for `print` and `sleep`).
    pub name: String,
    pub file: String,
    pub line: u32,
}

impl RunState {
    /// Make room for a process the model learns of as it starts (a real
    /// program decides how many): its hello, or its parent's `Started`.
    /// False if the event concerns no process the model can know.
    pub(super) fn admit(&mut self, ev: &Event) -> bool {
        let wanted = match &ev.kind {
            EventKind::Report(Report::Hello { .. }) => ev.proc + 1,
            EventKind::Report(Report::Started { child, .. }) if ev.proc < self.procs.len() => {
                *child
            }
            _ => 0,
        };
        while self.procs.len() < wanted.min(MAX_PROCS) {
            let number = self.procs.len() + 1;
            self.procs.push(blank(number));
            self.times.push(spans::Times::default());
        }
        ev.proc < self.procs.len()
    }

    /// A real program's own reports: the next operation, a new object.
    pub(super) fn python_report(&mut self, p: usize, r: &Report) {
        match r {
            Report::Op {
                op,
                name,
                file,
                line,
            } => {
                self.procs[p].site = Some(Site {
                    op: op.clone(),
                    name: name.clone(),
                    file: file.clone(),
                    line: *line,
                });
            }
            Report::Created {
                object,
                name,
                value,
            } => self.created(p, *object, name, *value),
            Report::Shutdown { server } => {
                if let Some(s) = self
                    .ipc
                    .sockets
                    .servers
                    .iter_mut()
                    .find(|s| s.name == *server)
                {
                    s.waiters.retain(|w| *w != p);
                }
                if self.procs[p].phase != Phase::Finished {
                    self.procs[p].phase = Phase::Running;
                }
            }
            Report::Started { child, .. } => {
                // The child goes by the name its parent started it under; a
                // Manager's server is the process that owns the shared
                // objects; a Pool's workers are `pool[0]`, `pool[1]`…
                let name = self.procs[p]
                    .site
                    .as_ref()
                    .filter(|s| matches!(s.op.as_str(), "start" | "manager" | "pool"))
                    .filter(|s| !s.name.is_empty())
                    .map(|s| match s.op.as_str() {
                        "manager" => format!("{} (Manager)", s.name),
                        "pool" => self.worker_name(&s.name, *child),
                        _ => s.name.clone(),
                    });
                if let Some(site) = self.procs[p].site.as_ref().filter(|s| s.op == "manager")
                    && let Some(srv) =
                        (self.ipc.sockets.servers.iter_mut()).find(|s| s.name == site.name)
                {
                    srv.manager = child.checked_sub(1);
                }
                if let Some(name) = name
                    && let Some(kid) = child.checked_sub(1).and_then(|c| self.procs.get_mut(c))
                {
                    kid.name = Some(name.clone());
                    kid.role = name;
                }
            }
            _ => {}
        }
    }

    /// A real program's expectation as the app's check (see
    /// `Program::with_check`): a lock's holders are inside the room of its
    /// name, and a printed line containing the checked text counts as that
    /// outcome. Nothing for the built-in engine's processes (no site).
    pub(super) fn python_check(&mut self, p: usize, r: &Report) {
        if self.procs.get(p).is_none_or(|q| q.site.is_none()) {
            return;
        }
        match r {
            Report::Acquired { lock }
            | Report::Skipped {
                lock,
                release: false,
            } => {
                if let Some(room) = self.room_index(lock) {
                    let st = &mut self.rooms[room];
                    if !st.inside.contains(&p) {
                        st.inside.push(p);
                        st.peak = st.peak.max(st.inside.len());
                    }
                    self.check_live();
                }
            }
            Report::Released { lock }
            | Report::Skipped {
                lock,
                release: true,
            } => {
                if let Some(room) = self.room_index(lock) {
                    self.rooms[room].inside.retain(|x| *x != p);
                }
            }
            Report::Printed { en, .. } => {
                if let Measure::Outcome(text) = &self.check.measure
                    && en.contains(text.as_str())
                {
                    *self.outcomes.entry(text.clone()).or_default() += 1;
                    self.check_live();
                }
            }
            _ => {}
        }
    }

    /// The next worker of pool `pool`: numbered from 0 in start order.
    fn worker_name(&self, pool: &str, child: usize) -> String {
        let prefix = format!("{pool}[");
        let before = self
            .procs
            .iter()
            .filter(|q| q.number != child && q.role.starts_with(&prefix))
            .count();
        format!("{pool}[{before}]")
    }

    fn created(&mut self, p: usize, object: Object, name: &str, value: i64) {
        if self.ipc_created(p, object, name, value) {
            return;
        }
        if object == Object::Value {
            if self.value_index(name).is_none() {
                self.values.push(ValueState {
                    name: name.to_string(),
                    initial: value,
                    current: value,
                    version: 0,
                    history: Vec::new(),
                    versions: vec![(0, value)],
                });
            }
        } else if self.lock_index(name).is_none() {
            let permits = u32::try_from(value).unwrap_or(0);
            self.locks.push(LockState {
                name: name.to_string(),
                permits,
                is_lock: matches!(object, Object::Lock | Object::RLock),
                reentrant: false,
                depth: 0,
                off: false,
                available: value,
                holders: Vec::new(),
                waiters: Vec::new(),
                queued: Vec::new(),
            });
        }
    }
}

impl RunState {
    /// An event, queue, pipe end or Manager server the program made; false
    /// for any other object.
    fn ipc_created(&mut self, p: usize, object: Object, name: &str, value: i64) -> bool {
        let ipc = &mut self.ipc;
        match object {
            Object::Event | Object::Barrier if !ipc.events.iter().any(|e| e.name == name) => {
                ipc.events.push(EventState {
                    name: name.to_string(),
                    barrier: object == Object::Barrier,
                    ..EventState::default()
                });
            }
            Object::Queue | Object::JoinableQueue | Object::Condition
                if !ipc.queues.iter().any(|q| q.name == name) =>
            {
                ipc.queues.push(QueueState {
                    name: name.to_string(),
                    joinable: object == Object::JoinableQueue,
                    condition: object == Object::Condition,
                    capacity: usize::try_from(value).unwrap_or(0),
                    ..QueueState::default()
                });
            }
            Object::PipeEnd if !ipc.ends.iter().any(|e| e.name == name) => {
                let at = ipc.ends.len();
                // The second end pairs with the end made just before it.
                let peer = if value == 1 && at > 0 { at - 1 } else { at + 1 };
                ipc.ends.push(EndState {
                    name: name.to_string(),
                    pipe: name.to_string(),
                    peer,
                    holders: vec![p],
                    was_open: true,
                    ..EndState::default()
                });
                if value == 1 && at > 0 {
                    let first = &mut ipc.ends[at - 1];
                    first.pipe = format!("{}, {name}", first.name);
                    ipc.ends[at].pipe = ipc.ends[at - 1].pipe.clone();
                }
            }
            Object::Manager if !ipc.sockets.servers.iter().any(|s| s.name == name) => {
                ipc.sockets.servers.push(ServerState {
                    name: name.to_string(),
                    was_open: true,
                    ..ServerState::default()
                });
            }
            Object::Event
            | Object::Barrier
            | Object::Queue
            | Object::JoinableQueue
            | Object::Condition
            | Object::PipeEnd
            | Object::Manager => {}
            _ => return false,
        }
        true
    }
}

/// A process the model has just learnt of: not started until its hello
/// or its parent's `Started` says so.
fn blank(number: usize) -> Proc {
    Proc {
        number,
        role: "process".into(),
        index: number - 1,
        name: None,
        program: Arc::new(Vec::new()),
        pid: None,
        ppid: None,
        phase: Phase::NotStarted,
        pc: None,
        locals: BTreeMap::new(),
        ops: 0,
        done_code: None,
        ending: None,
        connected: false,
        closed: false,
        failed: None,
        started_at: None,
        ended_at: None,
        read_version: HashMap::new(),
        parent: None,
        daemon: false,
        orphaned: false,
        stopped: false,
        site: None,
    }
}
