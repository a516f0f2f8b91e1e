//! Folds one run's events into per-process timelines on the lesson's clock:
//! spawned, ready, each task's busy stretch, exited.

use crate::wire::{Event, EventKind, Report};

use super::{Busy, PoolProcess};

pub struct Recorder {
    /// Where this run's clock starts on the lesson's clock, in ms.
    offset_ms: f64,
    pub procs: Vec<PoolProcess>,
    pub ready: usize,
    pub reaped: usize,
}

impl Recorder {
    /// Processes with these pids, on a run that started `offset_ms` into the lesson.
    pub fn new(pids: impl IntoIterator<Item = u32>, offset_ms: f64) -> Recorder {
        let procs = pids
            .into_iter()
            .enumerate()
            .map(|(i, pid)| PoolProcess {
                id: i + 1,
                pid,
                ppid: 0,
                ending: None,
                started_ms: offset_ms,
                ready_ms: None,
                ended_ms: offset_ms,
                busy: Vec::new(),
            })
            .collect();
        Recorder {
            offset_ms,
            procs,
            ready: 0,
            reaped: 0,
        }
    }

    pub fn apply(&mut self, ev: &Event) {
        let at = self.offset_ms + ev.at.as_secs_f64() * 1000.0;
        let Some(p) = self.procs.get_mut(ev.proc) else {
            return;
        };
        match &ev.kind {
            EventKind::Spawned { pid } => {
                p.pid = *pid;
                p.started_ms = at;
            }
            EventKind::Report(Report::Hello { ppid, .. }) => p.ppid = *ppid,
            EventKind::Report(Report::Ready) => {
                p.ready_ms = Some(at);
                self.ready += 1;
            }
            EventKind::Report(Report::Result { task, busy_ns, .. }) => p.busy.push(Busy {
                task: *task,
                from_ms: (at - *busy_ns as f64 / 1e6).max(p.ready_ms.unwrap_or(p.started_ms)),
                to_ms: at,
            }),
            EventKind::Exited(ending) => {
                p.ending = Some(*ending);
                p.ended_ms = at;
                self.reaped += 1;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::wire::Ending;

    fn ev(ms: u64, kind: EventKind) -> Event {
        Event {
            proc: 0,
            at: Duration::from_millis(ms),
            kind,
        }
    }

    #[test]
    fn events_become_a_timeline_on_the_lessons_clock() {
        let mut r = Recorder::new([0], 100.0);
        r.apply(&ev(1, EventKind::Spawned { pid: 42 }));
        r.apply(&ev(
            2,
            EventKind::Report(Report::Hello {
                version: 1,
                number: 1,
                pid: 42,
                ppid: 7,
            }),
        ));
        r.apply(&ev(3, EventKind::Report(Report::Ready)));
        r.apply(&ev(
            10,
            EventKind::Report(Report::Result {
                task: 5,
                value: 15,
                busy_ns: 2_000_000,
            }),
        ));
        r.apply(&ev(12, EventKind::Exited(Ending::Code(0))));
        let p = &r.procs[0];
        assert_eq!((p.pid, p.ppid), (42, 7));
        assert_eq!(p.started_ms, 101.0);
        assert_eq!(p.ready_ms, Some(103.0));
        assert_eq!(
            p.busy,
            vec![Busy {
                task: 5,
                from_ms: 108.0,
                to_ms: 110.0
            }]
        );
        assert_eq!((p.ending, p.ended_ms), (Some(Ending::Code(0)), 112.0));
        assert_eq!((r.ready, r.reaped), (1, 1));
    }
}
