//! Pipe reports in the reducer: who holds each end open, what is in flight
//! toward it, who waits in `recv` and who read the end of the file.

use super::super::{Phase, RunState};
use super::{Wait, add, take_item};
use crate::wire::Report;

impl RunState {
    /// A report about a pipe end; the phase it puts process `p` in, if any.
    pub(super) fn pipe_report(&mut self, p: usize, r: &Report) -> Option<Phase> {
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
            _ => {}
        }
        phase
    }
}
