//! Events, pipes and queues in the reducer: whether each event is set and
//! who sleeps on it, which processes hold each pipe end open and what is in
//! flight toward it, each queue's items, getters and unfinished tasks. From
//! these it knows when the kernel is about to wake someone (so a scheduled
//! run waits for that wake-up) and who waits for what in a deadlock.

use std::collections::VecDeque;

use super::{Phase, RunState};
use crate::lesson::{Lesson, Op};
use crate::wire::{Item, Report};

mod events;
mod pipes;
mod queues;
mod writes;

pub use writes::Writer;

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
    /// In `put` on this queue: full (a bounded queue), or its pipe is.
    Put(usize),
    /// In `send` on this pipe end: the pipe is full.
    Send(usize),
}

#[derive(Debug, Clone, Default)]
pub struct EventState {
    pub name: String,
    pub set: bool,
    /// Asleep in `wait`, no wake-up given yet.
    pub waiters: Vec<usize>,
    /// Given a wake-up by `set`, not yet back.
    pub waking: Vec<usize>,
    /// A real program's `Barrier`, drawn as an event: its `wait` is an
    /// arrival, which never waits for the event to be set first.
    pub barrier: bool,
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
    /// Blocked in a `send` here (the pipe is full), until its message is read.
    pub writers: Vec<Writer>,
}

#[derive(Debug, Clone, Default)]
pub struct QueueState {
    pub name: String,
    pub joinable: bool,
    /// A real program's `Condition`: its `wait` is a get, its `notify` a put.
    pub condition: bool,
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
    /// At most this many items (a bounded queue); 0: no bound.
    pub capacity: usize,
    /// Blocked in `put` for a free slot, in arrival order.
    pub putters: Vec<usize>,
    /// The putters that queue for their turn (under a schedule); a subset of `putters`.
    pub put_queued: Vec<usize>,
    /// Blocked writing a put item to the queue's full pipe, until it is got.
    pub writers: Vec<Writer>,
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
            || self.write_wake_pending()
            || self.sockets.wake_pending()
    }

    /// The queued getter whose turn it is to take an item that is there:
    /// the first in arrival order, unless one asleep in the kernel's own
    /// receive takes it anyway.
    pub fn turn_due(&self) -> Option<usize> {
        self.queues
            .iter()
            .find_map(|q| {
                let kernel_takes = q.getters.iter().any(|g| !q.queued.contains(g));
                (!q.items.is_empty() && !kernel_takes)
                    .then(|| q.getters.first().copied())
                    .flatten()
            })
            .or_else(|| self.put_turn_due())
    }

    /// The supervisor gave `p` its turn: it now waits in the kernel.
    pub fn turn_given(&mut self, p: usize) {
        for q in &mut self.queues {
            q.queued.retain(|w| *w != p);
            q.put_queued.retain(|w| *w != p);
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
            e.writers.retain(|w| w.proc != p);
        }
        for q in &mut self.queues {
            q.putters.retain(|w| *w != p);
            q.put_queued.retain(|w| *w != p);
            q.writers.retain(|w| w.proc != p);
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
        let phase = match r {
            Report::EventSet { .. }
            | Report::EventCleared { .. }
            | Report::EventWaiting { .. }
            | Report::EventWoke { .. } => self.event_report(p, r),
            Report::PipeEnds { .. }
            | Report::PipeSent { .. }
            | Report::PipeWaiting { .. }
            | Report::PipeReceived { .. }
            | Report::PipeEof { .. }
            | Report::PipeClosed { .. } => self.pipe_report(p, r),
            Report::QueuePut { .. }
            | Report::QueueWaiting { .. }
            | Report::GetQueued { .. }
            | Report::QueueGot { .. }
            | Report::QueueTimedOut { .. } => self.queue_report(p, r),
            Report::PutQueued { .. }
            | Report::PutWaiting { .. }
            | Report::WriteWaiting { .. }
            | Report::WriteWoke { .. } => self.write_report(p, r),
            Report::TaskDone { .. } | Report::QueueJoining { .. } | Report::QueueJoined { .. } => {
                self.task_report(p, r)
            }
            Report::SockReceived { .. } => {
                let phase = self.ipc.sockets.report(p, r);
                if let Some(Op::SockRecv { into, .. }) = self.procs[p].step().map(|s| &s.op) {
                    let into = into.clone();
                    self.procs[p].locals.remove(&into);
                }
                phase
            }
            other => self.ipc.sockets.report(p, other),
        };
        if let Some(ph) = phase
            && self.procs[p].phase != Phase::Finished
        {
            self.procs[p].phase = ph;
        }
        self.release_writers();
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
