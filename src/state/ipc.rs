//! Events, pipes and queues in the reducer: whether each event is set and
//! who sleeps on it, which processes hold each pipe end open and what is in
//! flight toward it, each queue's items, getters and unfinished tasks. From
//! these it knows when the kernel is about to wake someone (so a scheduled
//! run waits for that wake-up) and who waits for what in a deadlock.

use std::collections::VecDeque;

use super::{Phase, RunState};
use crate::lesson::{Lesson, Op};
use crate::wire::{Item, Report};

/// What a blocked process waits for: the index of the event, pipe end (it
/// receives on) or queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    Event(usize),
    Recv(usize),
    Get(usize),
    Join(usize),
    /// In `accept` on the server with this index.
    Accept(usize),
    /// In `recv` on (connection, side: 0 client, 1 server).
    SockRecv(usize, usize),
}

#[derive(Debug, Clone, Default)]
pub struct EventState {
    pub name: String,
    pub set: bool,
    /// Asleep in `wait`, no wake-up given yet.
    pub waiters: Vec<usize>,
    /// Given a wake-up by `set`, not yet back.
    pub waking: Vec<usize>,
}

#[derive(Debug, Clone, Default)]
pub struct EndState {
    pub name: String,
    pub pipe: String,
    /// Index of the other end (what is sent there arrives here).
    pub peer: usize,
    /// Processes holding this end open.
    pub holders: Vec<usize>,
    /// Sent from the other end, not yet received here.
    pub inbox: VecDeque<Item>,
    /// Blocked in `recv` on this end.
    pub waiters: Vec<usize>,
    pub received: u64,
    /// Processes whose `recv` here ended with EOFError.
    pub eof: Vec<usize>,
    /// Someone held it at some point (so "closed" means something).
    pub was_open: bool,
}

#[derive(Debug, Clone, Default)]
pub struct QueueState {
    pub name: String,
    pub joinable: bool,
    pub items: VecDeque<Item>,
    /// Blocked in `get`, in arrival order.
    pub getters: Vec<usize>,
    /// The getters that queue for their turn (under a schedule), not
    /// asleep in the kernel's own receive; a subset of `getters`.
    pub queued: Vec<usize>,
    /// Blocked in `join`, no wake-up given yet.
    pub joiners: Vec<usize>,
    /// Woken by the `task_done` that brought the count to zero.
    pub waking: Vec<usize>,
    pub unfinished: i64,
    pub puts: u64,
    pub gets: u64,
    pub done: u64,
    /// Items done when a `join` last returned.
    pub done_at_join: Option<i64>,
}

#[derive(Debug, Clone, Default)]
pub struct IpcState {
    pub events: Vec<EventState>,
    pub ends: Vec<EndState>,
    pub queues: Vec<QueueState>,
    pub sockets: super::sockets::SocketState,
}

impl IpcState {
    pub fn new(lesson: &Lesson) -> IpcState {
        let mut ends = Vec::new();
        for p in &lesson.pipes {
            let base = ends.len();
            for (k, name) in p.ends.iter().enumerate() {
                ends.push(EndState {
                    name: name.clone(),
                    pipe: p.name.clone(),
                    peer: base + 1 - k,
                    ..EndState::default()
                });
            }
        }
        IpcState {
            events: lesson
                .events
                .iter()
                .map(|e| EventState {
                    name: e.name.clone(),
                    ..EventState::default()
                })
                .collect(),
            ends,
            queues: lesson
                .queues
                .iter()
                .map(|q| QueueState {
                    name: q.name.clone(),
                    joinable: q.joinable,
                    ..QueueState::default()
                })
                .collect(),
            sockets: super::sockets::SocketState::new(lesson),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
            && self.ends.is_empty()
            && self.queues.is_empty()
            && self.sockets.is_empty()
    }

    fn event(&self, name: &str) -> Option<usize> {
        self.events.iter().position(|e| e.name == name)
    }

    fn end(&self, name: &str) -> Option<usize> {
        self.ends.iter().position(|e| e.name == name)
    }

    fn queue(&self, name: &str) -> Option<usize> {
        self.queues.iter().position(|q| q.name == name)
    }

    /// Every copy of the other end is closed: a `recv` here ends with EOFError.
    pub fn writers_gone(&self, end: usize) -> bool {
        self.ends[self.ends[end].peer].holders.is_empty()
    }

    /// The kernel is about to wake somebody on an event, pipe or queue.
    pub fn wake_pending(&self) -> bool {
        self.events.iter().any(|e| !e.waking.is_empty())
            || (0..self.ends.len()).any(|i| {
                let e = &self.ends[i];
                !e.waiters.is_empty() && (!e.inbox.is_empty() || self.writers_gone(i))
            })
            || self
                .queues
                .iter()
                .any(|q| !q.waking.is_empty() || (!q.getters.is_empty() && !q.items.is_empty()))
            || self.sockets.wake_pending()
    }

    /// The queued getter whose turn it is to take an item that is there:
    /// the first in arrival order, unless one asleep in the kernel's own
    /// receive takes it anyway.
    pub fn turn_due(&self) -> Option<usize> {
        self.queues.iter().find_map(|q| {
            let kernel_takes = q.getters.iter().any(|g| !q.queued.contains(g));
            (!q.items.is_empty() && !kernel_takes)
                .then(|| q.getters.first().copied())
                .flatten()
        })
    }

    /// The supervisor gave `p` its turn: it now waits in the kernel.
    pub fn turn_given(&mut self, p: usize) {
        for q in &mut self.queues {
            q.queued.retain(|w| *w != p);
        }
    }

    /// Process `p` has ended: the kernel closed its ends; it waits no more.
    pub fn forget(&mut self, p: usize) {
        for e in &mut self.events {
            e.waiters.retain(|w| *w != p);
            e.waking.retain(|w| *w != p);
        }
        for e in &mut self.ends {
            e.holders.retain(|w| *w != p);
            e.waiters.retain(|w| *w != p);
        }
        for q in &mut self.queues {
            q.getters.retain(|w| *w != p);
            q.queued.retain(|w| *w != p);
            q.joiners.retain(|w| *w != p);
            q.waking.retain(|w| *w != p);
        }
        self.sockets.forget(p);
    }

    /// [`IpcState::would_block`] for process `p` (sockets are named per process).
    pub fn would_block_for(&self, p: usize, op: &Op) -> bool {
        self.sockets
            .would_block(p, op)
            .unwrap_or_else(|| self.would_block(op))
    }

    /// Would this operation block now (for the explorer, which moves only
    /// processes that can go on)? A timed wait gives up at once under a schedule.
    pub fn would_block(&self, op: &Op) -> bool {
        match op {
            Op::EventWait {
                event,
                timeout_ms: None,
                ..
            } => self.event(event).is_some_and(|e| !self.events[e].set),
            Op::PipeRecv { end, .. } => self
                .end(end)
                .is_some_and(|e| self.ends[e].inbox.is_empty() && !self.writers_gone(e)),
            Op::QueueGet {
                queue,
                timeout_ms: None,
                ..
            } => self
                .queue(queue)
                .is_some_and(|q| self.queues[q].items.is_empty()),
            Op::QueueJoin { queue } => self
                .queue(queue)
                .is_some_and(|q| self.queues[q].unfinished > 0),
            _ => false,
        }
    }
}

/// Take the first item like `item` out of `items` (else the oldest).
fn take_item(items: &mut VecDeque<Item>, item: &Item) {
    match items.iter().position(|i| i.same(item)) {
        Some(k) => {
            items.remove(k);
        }
        None => {
            items.pop_front();
        }
    }
}

fn add(v: &mut Vec<usize>, p: usize) {
    if !v.contains(&p) {
        v.push(p);
    }
}

impl RunState {
    /// A report about an event, pipe or queue.
    pub(super) fn ipc_report(&mut self, p: usize, r: &Report) {
        let ipc = &mut self.ipc;
        let mut phase = None;
        match r {
            Report::PipeEnds { ends } => {
                for name in ends {
                    if let Some(e) = ipc.end(name) {
                        add(&mut ipc.ends[e].holders, p);
                        ipc.ends[e].was_open = true;
                    }
                }
            }
            Report::EventSet { event } => {
                if let Some(e) = ipc.event(event) {
                    let ev = &mut ipc.events[e];
                    ev.set = true;
                    let woken: Vec<usize> = ev.waiters.drain(..).collect();
                    ev.waking.extend(woken);
                }
            }
            Report::EventCleared { event } => {
                if let Some(e) = ipc.event(event) {
                    ipc.events[e].set = false;
                }
            }
            Report::EventWaiting { event } => {
                if let Some(e) = ipc.event(event) {
                    let ev = &mut ipc.events[e];
                    add(
                        if ev.set {
                            &mut ev.waking
                        } else {
                            &mut ev.waiters
                        },
                        p,
                    );
                    phase = Some(Phase::Blocked { on: Wait::Event(e) });
                }
            }
            Report::EventWoke { event, .. } => {
                if let Some(e) = ipc.event(event) {
                    ipc.events[e].waiters.retain(|w| *w != p);
                    ipc.events[e].waking.retain(|w| *w != p);
                }
                phase = Some(Phase::Running);
            }
            Report::PipeSent { end, item } => {
                if let Some(e) = ipc.end(end) {
                    let peer = ipc.ends[e].peer;
                    ipc.ends[peer].inbox.push_back(item.clone());
                }
            }
            Report::PipeWaiting { end } => {
                if let Some(e) = ipc.end(end) {
                    add(&mut ipc.ends[e].waiters, p);
                    phase = Some(Phase::Blocked { on: Wait::Recv(e) });
                }
            }
            Report::PipeReceived { end, item } => {
                if let Some(e) = ipc.end(end) {
                    let st = &mut ipc.ends[e];
                    take_item(&mut st.inbox, item);
                    st.received += 1;
                    st.waiters.retain(|w| *w != p);
                }
                self.received_into(p, item);
                phase = Some(Phase::Running);
            }
            Report::PipeEof { end } => {
                if let Some(e) = ipc.end(end) {
                    ipc.ends[e].waiters.retain(|w| *w != p);
                    add(&mut ipc.ends[e].eof, p);
                }
                phase = Some(Phase::Running);
            }
            Report::PipeClosed { end } => {
                if let Some(e) = ipc.end(end) {
                    ipc.ends[e].holders.retain(|w| *w != p);
                }
            }
            Report::QueuePut { queue, item } => {
                if let Some(q) = ipc.queue(queue) {
                    let st = &mut ipc.queues[q];
                    st.items.push_back(item.clone());
                    st.puts += 1;
                    if st.joinable {
                        st.unfinished += 1;
                    }
                }
            }
            Report::QueueWaiting { queue } | Report::GetQueued { queue } => {
                if let Some(q) = ipc.queue(queue) {
                    let st = &mut ipc.queues[q];
                    add(&mut st.getters, p);
                    st.queued.retain(|w| *w != p);
                    if matches!(r, Report::GetQueued { .. }) {
                        st.queued.push(p);
                    }
                    phase = Some(Phase::Blocked { on: Wait::Get(q) });
                }
            }
            Report::QueueGot { queue, item } => {
                if let Some(q) = ipc.queue(queue) {
                    let st = &mut ipc.queues[q];
                    take_item(&mut st.items, item);
                    st.gets += 1;
                    st.getters.retain(|w| *w != p);
                    st.queued.retain(|w| *w != p);
                }
                self.received_into(p, item);
                phase = Some(Phase::Running);
            }
            Report::QueueTimedOut { queue } => {
                if let Some(q) = ipc.queue(queue) {
                    ipc.queues[q].getters.retain(|w| *w != p);
                }
                phase = Some(Phase::Running);
            }
            Report::TaskDone { queue } => {
                if let Some(q) = ipc.queue(queue) {
                    let st = &mut ipc.queues[q];
                    st.unfinished -= 1;
                    st.done += 1;
                    if st.unfinished <= 0 {
                        let woken: Vec<usize> = st.joiners.drain(..).collect();
                        st.waking.extend(woken);
                    }
                }
            }
            Report::QueueJoining { queue } => {
                if let Some(q) = ipc.queue(queue) {
                    let st = &mut ipc.queues[q];
                    add(
                        if st.unfinished <= 0 {
                            &mut st.waking
                        } else {
                            &mut st.joiners
                        },
                        p,
                    );
                    phase = Some(Phase::Blocked { on: Wait::Join(q) });
                }
            }
            Report::QueueJoined { queue } => {
                if let Some(q) = ipc.queue(queue) {
                    let st = &mut ipc.queues[q];
                    st.joiners.retain(|w| *w != p);
                    st.waking.retain(|w| *w != p);
                    st.done_at_join = Some(st.done as i64);
                }
                phase = Some(Phase::Running);
            }
            Report::SockReceived { .. } => {
                phase = ipc.sockets.report(p, r);
                if let Some(Op::SockRecv { into, .. }) = self.procs[p].step().map(|s| &s.op) {
                    let into = into.clone();
                    self.procs[p].locals.remove(&into);
                }
            }
            other => phase = ipc.sockets.report(p, other),
        }
        if let Some(ph) = phase
            && self.procs[p].phase != Phase::Finished
        {
            self.procs[p].phase = ph;
        }
    }

    /// A number received into a local shows in the state (a text does not).
    fn received_into(&mut self, p: usize, item: &Item) {
        let into = match self.procs[p].step().map(|s| &s.op) {
            Some(Op::PipeRecv { into, .. } | Op::QueueGet { into, .. }) => into.clone(),
            _ => return,
        };
        match item.value {
            Some(v) => {
                self.procs[p].locals.insert(into, v);
            }
            None => {
                self.procs[p].locals.remove(&into);
            }
        }
    }

    /// Items of queue `name` done when its join last returned.
    pub fn done_at_join(&self, name: &str) -> Option<i64> {
        self.ipc
            .queue(name)
            .and_then(|q| self.ipc.queues[q].done_at_join)
    }
}

#[cfg(test)]
#[path = "ipc_tests.rs"]
mod tests;
