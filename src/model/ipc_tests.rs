//! The reducer on events, pipes and queues: who waits, when a wake-up is
//! due (so a schedule waits for it), EOF once every writer has closed, and
//! deadlocks on an event nobody sets or a queue nobody fills.

use std::time::Duration;

use super::Wait;
use crate::lesson::builtin;
use crate::model::{Phase, RunState};
use crate::wire::{Event, EventKind};
use crate::wire::{Item, Report};

fn ev(proc: usize, kind: EventKind) -> Event {
    Event {
        proc,
        at: Duration::ZERO,
        kind,
    }
}

fn rep(proc: usize, r: Report) -> Event {
    ev(proc, EventKind::Report(r))
}

fn num(v: i64) -> Item {
    Item {
        value: Some(v),
        text: None,
        clock_ms: 0.0,
    }
}

/// Every process of `lesson` connected and at its first gate.
fn all_at_gate(lesson: &str) -> RunState {
    let mut s = RunState::new(&builtin(lesson).unwrap(), &[]);
    for p in 0..s.procs.len() {
        s.apply(&rep(
            p,
            Report::Hello {
                version: 1,
                number: p + 1,
                pid: 100 + p as u32,
                ppid: 1,
            },
        ));
        s.apply(&rep(p, Report::At { pc: 0 }));
    }
    s
}

/// Process `p` takes a step at its current pc, reporting `reports`.
fn step(s: &mut RunState, p: usize, reports: Vec<Report>) {
    let pc = s.procs[p].pc.unwrap_or(0);
    s.apply(&ev(p, EventKind::Granted));
    s.apply(&rep(p, Report::Run { pc }));
    for r in reports {
        s.apply(&rep(p, r));
    }
}

fn at(s: &mut RunState, p: usize, pc: usize) {
    s.apply(&rep(p, Report::At { pc }));
}

fn end(s: &mut RunState, p: usize) {
    s.apply(&rep(p, Report::Done { code: 0 }));
    s.apply(&ev(p, EventKind::Closed));
}

#[test]
fn an_event_waiter_blocks_until_set_and_its_wake_up_is_awaited() {
    let mut s = all_at_gate("event");
    // The event lesson's event, `e` as in its listing.
    let done = || "e".to_string();
    step(&mut s, 0, vec![Report::EventWaiting { event: done() }]);
    assert_eq!(s.procs[0].phase, Phase::Blocked { on: Wait::Event(0) });
    assert!(s.is_quiet());
    assert_eq!(s.why_blocked(0).unwrap(), "P1 waits for event e (not set)");
    step(&mut s, 1, vec![Report::EventSet { event: done() }]);
    at(&mut s, 1, 5);
    assert!(s.ipc.events[0].set);
    assert!(
        !s.is_quiet(),
        "P1's wake-up is due: a schedule must wait for it"
    );
    s.apply(&rep(
        0,
        Report::EventWoke {
            event: done(),
            set: true,
        },
    ));
    at(&mut s, 0, 6);
    assert!(s.is_quiet());
    step(&mut s, 0, vec![Report::EventCleared { event: done() }]);
    assert!(!s.ipc.events[0].set);
}

#[test]
fn an_event_nobody_will_set_is_a_deadlock_once_the_setter_is_gone() {
    let mut s = all_at_gate("event");
    step(&mut s, 0, vec![Report::EventWaiting { event: "e".into() }]);
    assert!(
        s.deadlock_told(crate::lesson::Lang::En).is_none(),
        "P2 can still set it"
    );
    end(&mut s, 1);
    s.apply(&ev(1, EventKind::Exited(crate::wire::Ending::Signal(15))));
    let d = s
        .deadlock_told(crate::lesson::Lang::En)
        .expect("nobody is left to set it");
    assert!(d.contains("P1 waits for event e"), "{d}");
}

#[test]
fn a_pipe_recv_waits_for_data_and_sees_eof_once_every_writer_closed() {
    let mut s = all_at_gate("pipe");
    let ends = vec!["conn1".to_string(), "conn2".to_string()];
    s.apply(&rep(0, Report::PipeEnds { ends: ends.clone() }));
    s.apply(&rep(1, Report::PipeEnds { ends }));
    step(
        &mut s,
        1,
        vec![Report::PipeClosed {
            end: "conn2".into(),
        }],
    );
    at(&mut s, 1, 1);
    step(
        &mut s,
        1,
        vec![Report::PipeWaiting {
            end: "conn1".into(),
        }],
    );
    assert_eq!(s.procs[1].phase, Phase::Blocked { on: Wait::Recv(0) });
    assert!(s.is_quiet(), "P1 still holds conn2: no EOF yet");
    assert!(s.ipc.would_block(&s.procs[1].step().unwrap().op));
    step(
        &mut s,
        0,
        vec![Report::PipeSent {
            end: "conn2".into(),
            item: num(7),
        }],
    );
    at(&mut s, 0, 1);
    assert_eq!(s.ipc.ends[0].inbox.len(), 1, "in flight toward conn1");
    assert!(!s.is_quiet(), "the message wakes P2");
    s.apply(&rep(
        1,
        Report::PipeReceived {
            end: "conn1".into(),
            item: num(7),
        },
    ));
    at(&mut s, 1, 2);
    assert!(s.ipc.ends[0].inbox.is_empty());
    assert_eq!(s.procs[1].locals.get("msg"), Some(&7));
    // P2 waits again; P1 closes the last copy of conn2: EOF is due.
    s.apply(&rep(
        1,
        Report::PipeWaiting {
            end: "conn1".into(),
        },
    ));
    assert!(s.is_quiet());
    step(
        &mut s,
        0,
        vec![Report::PipeClosed {
            end: "conn2".into(),
        }],
    );
    at(&mut s, 0, 2);
    assert!(s.ipc.writers_gone(0));
    assert!(!s.is_quiet(), "EOF wakes P2");
    s.apply(&rep(
        1,
        Report::PipeEof {
            end: "conn1".into(),
        },
    ));
    assert_eq!(s.ipc.ends[0].eof, vec![1]);
}

#[test]
fn a_dead_writer_closes_its_ends() {
    let mut s = all_at_gate("pipe");
    s.apply(&rep(
        0,
        Report::PipeEnds {
            ends: vec!["conn2".into()],
        },
    ));
    assert!(!s.ipc.writers_gone(0));
    s.apply(&ev(0, EventKind::Closed));
    assert!(s.ipc.writers_gone(0), "the kernel closed P1's copy");
}

#[test]
fn queue_join_waits_for_every_task_done_and_get_on_an_empty_queue_deadlocks() {
    let mut s = all_at_gate("queue");
    let q = || "q".to_string();
    // P4 waits on the empty queue; P2 puts; the item wakes P4.
    step(&mut s, 3, vec![Report::QueueWaiting { queue: q() }]);
    assert_eq!(s.procs[3].phase, Phase::Blocked { on: Wait::Get(0) });
    step(
        &mut s,
        1,
        vec![Report::QueuePut {
            queue: q(),
            item: num(10),
        }],
    );
    at(&mut s, 1, 1);
    assert!(!s.is_quiet());
    s.apply(&rep(
        3,
        Report::QueueGot {
            queue: q(),
            item: num(10),
        },
    ));
    at(&mut s, 3, 1);
    assert_eq!(s.ipc.queues[0].unfinished, 1);
    // Main joins the queue: one item is not done.
    step(&mut s, 0, vec![Report::QueueJoining { queue: q() }]);
    assert_eq!(s.procs[0].phase, Phase::Blocked { on: Wait::Join(0) });
    assert!(s.is_quiet());
    assert!(
        s.why_blocked(0)
            .unwrap()
            .contains("1 item(s) not marked done"),
        "{:?}",
        s.why_blocked(0)
    );
    step(&mut s, 3, vec![Report::TaskDone { queue: q() }]);
    at(&mut s, 3, 4);
    assert!(!s.is_quiet(), "the last task_done wakes the join");
    s.apply(&rep(0, Report::QueueJoined { queue: q() }));
    assert_eq!(s.done_at_join("q"), Some(1));
    // Everyone else gone, P5 waits on an empty queue: a deadlock.
    for p in [0, 1, 2, 3] {
        end(&mut s, p);
    }
    step(&mut s, 4, vec![Report::QueueWaiting { queue: q() }]);
    let d = s
        .deadlock_told(crate::lesson::Lang::En)
        .expect("nobody will put");
    assert!(d.contains("P5 waits to get from queue q (empty)"), "{d}");
}
