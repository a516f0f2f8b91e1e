//! What the model tells about a run, as facts and never as sentences: why a
//! process cannot move, who waits for what in a deadlock, what the check
//! says. The words room turns these into text in the learner's language.

use super::ipc::Wait;
use super::{Phase, ProcId, RunState};
use crate::wire::Ending;

/// A process that holds a lock, with how it ended if it has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub proc: ProcId,
    pub ending: Option<Ending>,
}

/// Why a process cannot take a step now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlockedOn {
    NotStarted,
    Finished,
    /// At its gate but asleep (as written) until `until_ms`; `first` can
    /// move before it: awake now (`first_awake`) or waking sooner.
    Asleep {
        until_ms: u64,
        now_ms: u64,
        first: ProcId,
        first_awake: bool,
    },
    Starting,
    /// Still running its last step.
    Running,
    /// A lock or semaphore: who holds it (nobody: no permit free).
    Lock {
        name: String,
        holders: Vec<Holder>,
    },
    /// A lock it holds itself (acquired again): it waits on itself.
    OwnLock {
        name: String,
    },
    /// `join` until this child ends.
    Join {
        child: ProcId,
    },
    /// `wait` on an event that is not set.
    Event {
        name: String,
    },
    /// `recv` on a pipe end with nothing sent; `peer` is still open in `writers`.
    Recv {
        end: String,
        peer: String,
        writers: Vec<ProcId>,
    },
    /// `get` on an empty queue.
    Get {
        queue: String,
    },
    /// `wait()` on a real program's Condition, not notified yet.
    CondWait {
        condition: String,
    },
    /// `put` on a full queue: `items` of at most `capacity` (0: its pipe is full).
    Put {
        queue: String,
        items: usize,
        capacity: usize,
    },
    /// `send` on a pipe end whose pipe is full; `peer` is open in `readers`.
    Send {
        end: String,
        peer: String,
        readers: Vec<ProcId>,
    },
    /// A queue's `join` with items not marked done.
    QueueJoin {
        queue: String,
        unfinished: i64,
    },
    /// `accept` with no client waiting to connect.
    Accept {
        server: String,
    },
    /// `recv` on a connection (numbered from 0) whose other side is still
    /// open in `others`.
    SockRecv {
        conn: usize,
        others: Vec<ProcId>,
    },
}

/// One or more processes that cannot move for the same reason (the waiters
/// of one lock are told together).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blocked {
    pub who: Vec<ProcId>,
    pub on: BlockedOn,
}

/// Every live process waits and none can move: who waits for what, in the
/// order of each group's first waiter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadlock {
    pub waits: Vec<Blocked>,
}

/// Which sentence the check's verdict is told with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Says {
    /// The lesson's `ok` text.
    Ok,
    /// The lesson's `broken` text.
    Broken,
    /// Holding so far: the lesson's `so_far` text, or the generic one.
    SoFar,
    /// Updates were lost before the final value is known.
    LostSoFar(usize),
    /// Not decided yet; `measured`: the quantity has a value so far.
    Pending { measured: bool },
    /// Stuck: the deadlock is told.
    Deadlock,
    /// A lock the story needs is off: nothing to see (the outcome's `off`).
    Off,
    /// The run ended and the quantity was never measured (its process died
    /// first): no number to hold against the rule.
    Unmeasured,
}

/// The verdict of the lesson's check, live or final, as facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub ok: bool,
    pub finished: bool,
    pub actual: i64,
    pub expected: i64,
    /// The step at which the check first broke.
    pub broken_at: Option<u64>,
    pub says: Says,
    pub deadlock: Option<Deadlock>,
    /// Processes whose program stopped with an error, and the first message.
    pub failures: Option<(Vec<ProcId>, String)>,
    /// Killed by a signal before the end (not by lockstep ending a stuck
    /// run), when the check needs a final value or found none (so a
    /// shortfall is not all put down to lost updates).
    pub killed: Vec<ProcId>,
    /// The run ended without the end the lesson's story leads to: its
    /// `missed` sentence comes first.
    pub missed: bool,
}

impl RunState {
    /// Why process `p` cannot be stepped; `None` if it can.
    pub fn blocked(&self, p: usize) -> Option<Blocked> {
        let on = match self.procs.get(p)?.phase {
            Phase::AtGate => self.asleep(p)?,
            Phase::Waiting { lock } if self.holds_itself(p, lock) => BlockedOn::OwnLock {
                name: self.locks[lock].name.clone(),
            },
            Phase::Waiting { lock } => self.blocked_on_lock(lock),
            Phase::Joining { child } => BlockedOn::Join {
                child: ProcId(child),
            },
            Phase::Blocked { on } => self.blocked_on_ipc(on),
            Phase::NotStarted => BlockedOn::NotStarted,
            Phase::Finished => BlockedOn::Finished,
            Phase::Starting => BlockedOn::Starting,
            Phase::Running => BlockedOn::Running,
        };
        Some(Blocked {
            who: vec![ProcId(p)],
            on,
        })
    }

    /// Every permit of `lock` is held by `p`, which waits for it: nobody
    /// but `p` could release it.
    fn holds_itself(&self, p: usize, lock: usize) -> bool {
        let holders = &self.locks[lock].holders;
        !holders.is_empty() && holders.iter().all(|h| *h == p)
    }

    fn blocked_on_lock(&self, lock: usize) -> BlockedOn {
        let l = &self.locks[lock];
        BlockedOn::Lock {
            name: l.name.clone(),
            holders: l
                .holders
                .iter()
                .map(|&h| Holder {
                    proc: ProcId(h),
                    ending: self.procs[h].ending,
                })
                .collect(),
        }
    }

    fn blocked_on_ipc(&self, on: Wait) -> BlockedOn {
        let ipc = &self.ipc;
        let ids = |v: &[usize]| v.iter().map(|&h| ProcId(h)).collect();
        match on {
            Wait::Event(e) => BlockedOn::Event {
                name: ipc.events[e].name.clone(),
            },
            Wait::Recv(e) => {
                let end = &ipc.ends[e];
                let peer = &ipc.ends[end.peer];
                BlockedOn::Recv {
                    end: end.name.clone(),
                    peer: peer.name.clone(),
                    writers: ids(&peer.holders),
                }
            }
            Wait::Get(q) if ipc.queues[q].condition => BlockedOn::CondWait {
                condition: ipc.queues[q].name.clone(),
            },
            Wait::Get(q) => BlockedOn::Get {
                queue: ipc.queues[q].name.clone(),
            },
            Wait::Put(q) => BlockedOn::Put {
                queue: ipc.queues[q].name.clone(),
                items: ipc.queues[q].items.len(),
                capacity: ipc.queues[q].capacity,
            },
            Wait::Send(e) => {
                let peer = &ipc.ends[ipc.ends[e].peer];
                BlockedOn::Send {
                    end: ipc.ends[e].name.clone(),
                    peer: peer.name.clone(),
                    readers: ids(&peer.holders),
                }
            }
            Wait::Join(q) => BlockedOn::QueueJoin {
                queue: ipc.queues[q].name.clone(),
                unfinished: ipc.queues[q].unfinished,
            },
            Wait::Accept(s) => BlockedOn::Accept {
                server: ipc.sockets.servers[s].name.clone(),
            },
            Wait::SockRecv(c, k) => BlockedOn::SockRecv {
                conn: c,
                others: ipc.sockets.conns[c].sides[1 - k]
                    .holders
                    .iter()
                    .map(|(h, _)| ProcId(*h))
                    .collect(),
            },
        }
    }

    /// If every live process waits and none can move: who waits for what.
    pub fn deadlock_now(&self) -> Option<Deadlock> {
        if !self.is_quiet() || self.runnable().iter().any(|r| *r) {
            return None;
        }
        self.waits()
    }

    /// Who waits for what, the waiters of one lock together; `None` if nobody waits.
    fn waits(&self) -> Option<Deadlock> {
        let mut waits = Vec::new();
        for l in 0..self.locks.len() {
            let (own, who): (Vec<usize>, Vec<usize>) = (0..self.procs.len())
                .filter(|&i| self.procs[i].phase == Phase::Waiting { lock: l })
                .partition(|&i| self.holds_itself(i, l));
            waits.extend(own.into_iter().filter_map(|i| self.blocked(i)));
            let who: Vec<ProcId> = who.into_iter().map(ProcId).collect();
            if !who.is_empty() {
                waits.push(Blocked {
                    who,
                    on: self.blocked_on_lock(l),
                });
            }
        }
        for (i, p) in self.procs.iter().enumerate() {
            if matches!(p.phase, Phase::Joining { .. } | Phase::Blocked { .. }) {
                waits.extend(self.blocked(i));
            }
        }
        waits.sort_by_key(|b| b.who[0]);
        (!waits.is_empty()).then_some(Deadlock { waits })
    }

    /// Processes whose program stopped with an error, and the first message.
    pub fn failures(&self) -> Option<(Vec<usize>, String)> {
        let failed: Vec<usize> = (0..self.procs.len())
            .filter(|&i| self.procs[i].failed.is_some())
            .collect();
        let first = self.procs.get(*failed.first()?)?.failed.clone()?;
        Some((failed, first))
    }
}
