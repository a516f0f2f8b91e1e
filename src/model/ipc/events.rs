//! Event reports in the reducer: set, cleared, who sleeps in `wait` and who was woken.

use super::super::{Phase, RunState};
use super::{Wait, add};
use crate::wire::Report;

impl RunState {
    /// A report about an event; the phase it puts process `p` in, if any.
    pub(super) fn event_report(&mut self, p: usize, r: &Report) -> Option<Phase> {
        let ipc = &mut self.ipc;
        let mut phase = None;
        match r {
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
            _ => {}
        }
        phase
    }
}
