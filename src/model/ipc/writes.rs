//! Blocked writes in the reducer: a `put` on a full bounded queue (it waits
//! for a `get` to free a slot, and under a schedule for its turn, in
//! arrival order), and a write to a full pipe (a pipe end's `send`, or a
//! queue's `put`). A writer the kernel lets go on as soon as the reader has
//! read *something* is held, at its next gate, until the reader has read
//! its own message: so when it moves again is the schedule's doing, not
//! the kernel's, and the same schedule gives the same run.

use super::super::{Phase, RunState};
use super::{IpcState, Wait, add};
use crate::wire::Report;

/// A process blocked writing to a full pipe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Writer {
    pub proc: usize,
    /// Its message is surely read once the reader's count of receives
    /// (gets, for a queue) reaches this.
    pub by: u64,
    /// Its write is done (`write_woke`).
    pub woke: bool,
    /// It is at its next gate, held there until its message is read.
    pub at_gate: bool,
}

impl Writer {
    fn new(proc: usize, by: u64) -> Writer {
        Writer {
            proc,
            by,
            woke: false,
            at_gate: false,
        }
    }
}

impl RunState {
    /// A report about a blocked put or send; the phase it puts process `p` in, if any.
    pub(super) fn write_report(&mut self, p: usize, r: &Report) -> Option<Phase> {
        let ipc = &mut self.ipc;
        match r {
            Report::PutQueued { queue } | Report::PutWaiting { queue } => {
                let q = ipc.queue(queue)?;
                let st = &mut ipc.queues[q];
                add(&mut st.putters, p);
                st.put_queued.retain(|w| *w != p);
                if matches!(r, Report::PutQueued { .. }) {
                    st.put_queued.push(p);
                }
                Some(Phase::Blocked { on: Wait::Put(q) })
            }
            Report::WriteWaiting { on } => {
                if let Some(e) = ipc.end(on) {
                    // Its message is in the other end's inbox: read by the
                    // time every item now there has been received.
                    let peer = ipc.ends.get(ipc.ends[e].peer);
                    let by = peer.map_or(0, |peer| peer.received + peer.inbox.len() as u64);
                    ipc.ends[e].writers.push(Writer::new(p, by));
                    return Some(Phase::Blocked { on: Wait::Send(e) });
                }
                let q = ipc.queue(on)?;
                let st = &mut ipc.queues[q];
                let by = st.gets + st.items.len() as u64;
                st.writers.push(Writer::new(p, by));
                Some(Phase::Blocked { on: Wait::Put(q) })
            }
            Report::WriteWoke { .. } => {
                let ends = ipc.ends.iter_mut().flat_map(|e| e.writers.iter_mut());
                let queues = ipc.queues.iter_mut().flat_map(|q| q.writers.iter_mut());
                for w in ends.chain(queues).filter(|w| w.proc == p) {
                    w.woke = true;
                }
                Some(Phase::Running)
            }
            _ => None,
        }
    }

    /// Process `p` reached its next gate (`At`) or went through one (`Run`,
    /// in a free run): a writer whose message is not read yet waits at it.
    pub(in crate::model) fn writer_moved(&mut self, p: usize, r: &Report) {
        let Some(on) = self.ipc.held_on(p) else {
            return;
        };
        match r {
            Report::At { .. } => {
                self.ipc.each_writer(|w| w.at_gate |= w.proc == p);
                self.procs[p].phase = Phase::Blocked { on };
            }
            Report::Run { .. } => self.ipc.forget_writer(p),
            _ => {}
        }
    }

    /// Let go of every writer whose message has been read (or whose reader
    /// is gone); one held at its gate is at its gate again.
    pub(in crate::model) fn release_writers(&mut self) {
        let mut gone = Vec::new();
        for e in 0..self.ipc.ends.len() {
            // (A pipe's second end may not be made yet.)
            let Some(peer) = self.ipc.ends.get(self.ipc.ends[e].peer) else {
                continue;
            };
            let (received, closed) = (peer.received, peer.holders.is_empty());
            let writers = &mut self.ipc.ends[e].writers;
            gone.extend(
                writers
                    .iter()
                    .filter(|w| w.woke && (closed || received >= w.by))
                    .copied(),
            );
            writers.retain(|w| !(w.woke && (closed || received >= w.by)));
        }
        for q in &mut self.ipc.queues {
            let gets = q.gets;
            gone.extend(q.writers.iter().filter(|w| w.woke && gets >= w.by).copied());
            q.writers.retain(|w| !(w.woke && gets >= w.by));
        }
        for w in gone.into_iter().filter(|w| w.at_gate) {
            if matches!(self.procs[w.proc].phase, Phase::Blocked { .. }) {
                self.procs[w.proc].phase = Phase::AtGate;
            }
        }
    }
}

impl IpcState {
    /// What process `p` is held on, if it is a writer whose message is not read.
    fn held_on(&self, p: usize) -> Option<Wait> {
        let end = (0..self.ends.len()).find(|&e| self.ends[e].writers.iter().any(|w| w.proc == p));
        let queue =
            (0..self.queues.len()).find(|&q| self.queues[q].writers.iter().any(|w| w.proc == p));
        end.map(Wait::Send).or(queue.map(Wait::Put))
    }

    fn each_writer(&mut self, f: impl FnMut(&mut Writer)) {
        let ends = self.ends.iter_mut().flat_map(|e| e.writers.iter_mut());
        let queues = self.queues.iter_mut().flat_map(|q| q.writers.iter_mut());
        ends.chain(queues).for_each(f);
    }

    fn forget_writer(&mut self, p: usize) {
        for e in &mut self.ends {
            e.writers.retain(|w| w.proc != p);
        }
        for q in &mut self.queues {
            q.writers.retain(|w| w.proc != p);
        }
    }

    /// The kernel is about to let a blocked put or send go on: a slot is
    /// free for a putter asleep in the kernel, or the reader has read what
    /// a blocked write waits on (or closed every copy of its end).
    pub(super) fn write_wake_pending(&self) -> bool {
        let queues = self.queues.iter().any(|q| {
            let asleep = q.putters.iter().any(|w| !q.put_queued.contains(w));
            (asleep && has_room(q)) || q.writers.iter().any(|w| !w.woke && q.gets >= w.by)
        });
        queues
            || self.ends.iter().any(|e| {
                let Some(peer) = self.ends.get(e.peer) else {
                    return false;
                };
                let read = |w: &Writer| peer.received >= w.by || peer.holders.is_empty();
                e.writers.iter().any(|w| !w.woke && read(w))
            })
    }

    /// The queued putter whose turn it is to take a free slot: the first in
    /// arrival order, unless one asleep in the kernel takes it anyway.
    pub(super) fn put_turn_due(&self) -> Option<usize> {
        self.queues.iter().find_map(|q| {
            let asleep = q.putters.iter().any(|w| !q.put_queued.contains(w));
            (has_room(q) && !asleep)
                .then(|| q.put_queued.first().copied())
                .flatten()
        })
    }
}

fn has_room(q: &super::QueueState) -> bool {
    q.capacity == 0 || q.items.len() < q.capacity
}

#[cfg(test)]
#[path = "writes_tests.rs"]
mod tests;
