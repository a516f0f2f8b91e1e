//! Queue reports in the reducer: items put and got, who waits in `get`, and
//! a joinable queue's unfinished tasks and who waits in `join`.

use super::super::{Phase, RunState};
use super::{Wait, add, take_item};
use crate::wire::Report;

impl RunState {
    /// A report about a queue's items; the phase it puts process `p` in, if any.
    pub(super) fn queue_report(&mut self, p: usize, r: &Report) -> Option<Phase> {
        let ipc = &mut self.ipc;
        let mut phase = None;
        match r {
            Report::QueuePut { queue, item } => {
                if let Some(q) = ipc.queue(queue) {
                    let st = &mut ipc.queues[q];
                    if st.putters.contains(&p) {
                        // A put that waited for a free slot goes on.
                        st.putters.retain(|w| *w != p);
                        st.put_queued.retain(|w| *w != p);
                        phase = Some(Phase::Running);
                    }
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
                    let st = &mut ipc.queues[q];
                    st.getters.retain(|w| *w != p);
                    st.putters.retain(|w| *w != p);
                    st.put_queued.retain(|w| *w != p);
                }
                phase = Some(Phase::Running);
            }
            _ => {}
        }
        phase
    }

    /// A report about a joinable queue's tasks (`task_done`, `join`); the phase it
    /// puts process `p` in, if any.
    pub(super) fn task_report(&mut self, p: usize, r: &Report) -> Option<Phase> {
        let ipc = &mut self.ipc;
        let mut phase = None;
        match r {
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
            _ => {}
        }
        phase
    }
}
