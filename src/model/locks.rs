//! Locks, semaphores and rooms in the model: who holds, who waits (in
//! arrival order), who queues for a turn, who is inside.

use super::{Phase, RunState};
use crate::wire::Report;

#[derive(Debug, Clone)]
pub struct LockState {
    pub name: String,
    pub permits: u32,
    pub is_lock: bool,
    /// An RLock: its owner may acquire it again; `depth` counts how often.
    pub reentrant: bool,
    pub depth: u32,
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

impl RunState {
    pub(super) fn lock_index(&self, name: &str) -> Option<usize> {
        self.locks.iter().position(|l| l.name == name)
    }

    pub(super) fn room_index(&self, name: &str) -> Option<usize> {
        self.rooms.iter().position(|r| r.name == name)
    }

    /// A lock's or a room's report from process `p`.
    pub(super) fn lock_report(&mut self, p: usize, r: &Report) {
        match r {
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
                    st.depth = 1;
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
                    st.depth = 0;
                }
            }
            Report::Reentered { lock, depth } => {
                if let Some(l) = self.lock_index(lock) {
                    self.locks[l].depth = *depth;
                    self.procs[p].phase = Phase::Running;
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
            Report::Skipped { lock, .. } => {
                // A real program's lock is known to be off when it passes.
                if let Some(l) = self.lock_index(lock) {
                    self.locks[l].off = true;
                }
            }
            _ => {}
        }
    }
}
