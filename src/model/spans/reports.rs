//! What a process's reports say it does from then on: run, sleep, wait, join,
//! end; and for the children it names, when they were created, killed and reaped.

use std::time::Duration;

use super::super::RunState;
use super::{Doing, Sleep};
use crate::lesson::Op;
use crate::wire::Report;

impl RunState {
    /// Note what report `r` of process `p` at `at` says it (or a child it names)
    /// now does.
    pub(super) fn note_report_time(&mut self, p: usize, at: Duration, r: &Report) {
        match r {
            Report::At { .. } => self.times[p].switch(Doing::AtGate, at),
            Report::Run { pc } => {
                let proc = &self.procs[p];
                // A lesson's sleep op, or a real program's `time.sleep` gate.
                let sleeping = match proc.program.get(*pc) {
                    Some(step) => matches!(step.op, Op::Sleep { .. } | Op::SleepFor { .. }),
                    None => proc.site.as_ref().is_some_and(|s| s.op == "sleep"),
                };
                let doing = if sleeping {
                    Doing::Sleeping
                } else {
                    Doing::Running
                };
                self.times[p].switch(doing, at);
            }
            Report::Slept { ms, real } => {
                let t = &mut self.times[p];
                let from = match t.current {
                    Some((Doing::Sleeping, from)) => from,
                    _ => at,
                };
                t.sleeps.push(Sleep {
                    from,
                    to: at,
                    ms: *ms,
                    real: *real,
                });
                t.switch(Doing::Running, at);
            }
            Report::Waiting { .. }
            | Report::Queued { .. }
            | Report::EventWaiting { .. }
            | Report::PipeWaiting { .. }
            | Report::QueueWaiting { .. }
            | Report::GetQueued { .. }
            | Report::QueueJoining { .. }
            | Report::PutQueued { .. }
            | Report::PutWaiting { .. }
            | Report::WriteWaiting { .. }
            | Report::AcceptWaiting { .. }
            | Report::SockWaiting { .. } => self.times[p].switch(Doing::Waiting, at),
            // Woken from an event, pipe or queue (a no-op if it never waited).
            Report::EventWoke { .. }
            | Report::PipeReceived { .. }
            | Report::PipeEof { .. }
            | Report::QueueGot { .. }
            | Report::QueueTimedOut { .. }
            | Report::QueueJoined { .. }
            | Report::WriteWoke { .. }
            | Report::Accepted { .. }
            | Report::SockReceived { .. }
            | Report::SockEof { .. } => self.times[p].switch(Doing::Running, at),
            Report::Joining { .. } => self.times[p].switch(Doing::Joining, at),
            Report::Acquired { .. } | Report::JoinTimedOut { .. } => {
                self.times[p].switch(Doing::Running, at)
            }
            Report::Terminated { .. } | Report::Started { .. } | Report::Reaped { .. } => {
                self.note_child_time(p, at, r)
            }
            Report::Done { .. } => self.times[p].exited_at(at),
            _ => {}
        }
    }

    /// A child was killed, started or reaped: its times, and its joining parent's.
    fn note_child_time(&mut self, p: usize, at: Duration, r: &Report) {
        let n = self.times.len();
        let child = |c: &usize| c.checked_sub(1).filter(|c| *c < n);
        match r {
            Report::Terminated { child: c } => {
                if let Some(c) = child(c) {
                    self.times[c].killed.get_or_insert(at);
                }
            }
            Report::Started { child: c, .. } => {
                if let Some(c) = child(c) {
                    self.times[c].created_at(at);
                }
            }
            Report::Reaped { child: c, .. } => {
                if let Some(c) = child(c) {
                    let t = &mut self.times[c];
                    t.exited_at(at);
                    t.reaped.get_or_insert(at);
                }
                if matches!(self.times[p].current, Some((Doing::Joining, _))) {
                    self.times[p].switch(Doing::Running, at);
                }
            }
            _ => {}
        }
    }
}
