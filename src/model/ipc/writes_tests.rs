//! Blocked puts and sends in the reducer, and a Pool's workers as lanes.

use std::time::Duration;

use crate::lesson::Lesson;
use crate::model::ipc::Wait;
use crate::model::{Phase, RunState};
use crate::wire::{Event, EventKind, Item, Object, Report};

fn rep(proc: usize, r: Report) -> Event {
    Event {
        proc,
        at: Duration::ZERO,
        kind: EventKind::Report(r),
    }
}

/// A program's run with `n` processes connected, each at a gate.
fn program(n: usize) -> RunState {
    let lesson: Lesson = serde_json::from_value(serde_json::json!({
        "id": "prog", "title": {"en": "prog"}, "summary": {"en": ""}, "story": {"en": ""},
        "processes": [{"role": "main"}], "programs": {"main": []},
        "check": {"measure": {"final_value": ""}, "expect": 0, "rule": "equal",
                  "quantity": {"en": ""}, "ok": {"en": ""}, "broken": {"en": ""}}
    }))
    .unwrap();
    let mut s = RunState::new(&lesson, &[]);
    for p in 0..n {
        let pid = 100 + p as u32;
        let (number, ppid) = (p + 1, 1);
        s.apply(&rep(
            p,
            Report::Hello {
                version: 1,
                number,
                pid,
                ppid,
            },
        ));
        s.apply(&rep(p, Report::At { pc: 1 }));
    }
    s
}

fn op(s: &mut RunState, p: usize, op: &str, name: &str) {
    let (op, name, file) = (op.into(), name.into(), "prog.py".into());
    s.apply(&rep(
        p,
        Report::Op {
            op,
            name,
            file,
            line: 3,
        },
    ));
    s.apply(&rep(p, Report::At { pc: 2 }));
}

fn make(s: &mut RunState, object: Object, name: &str, value: i64) {
    s.apply(&rep(
        0,
        Report::Created {
            object,
            name: name.into(),
            value,
        },
    ));
}

fn item(v: i64) -> Item {
    serde_json::from_value(serde_json::json!({ "value": v })).unwrap()
}

#[test]
fn a_pools_workers_are_named_after_the_pool_in_start_order() {
    let mut s = program(1);
    op(&mut s, 0, "pool", "pool");
    for child in [2, 3] {
        let pid = 200 + child as u32;
        s.apply(&rep(
            0,
            Report::Started {
                child,
                pid,
                daemon: true,
            },
        ));
    }
    assert_eq!(
        (s.procs[1].role.as_str(), s.procs[2].role.as_str()),
        ("pool[0]", "pool[1]")
    );
}

#[test]
fn a_put_on_a_full_queue_waits_for_a_get_then_its_turn() {
    let mut s = program(2);
    make(&mut s, Object::Queue, "q", 1);
    s.apply(&rep(
        0,
        Report::QueuePut {
            queue: "q".into(),
            item: item(1),
        },
    ));
    s.apply(&rep(0, Report::PutQueued { queue: "q".into() }));
    assert_eq!(s.procs[0].phase, Phase::Blocked { on: Wait::Put(0) });
    assert_eq!(s.turn_due(), None, "the queue is full");
    s.apply(&rep(
        1,
        Report::QueueGot {
            queue: "q".into(),
            item: item(1),
        },
    ));
    assert_eq!(s.turn_due(), Some(0), "a slot is free: the putter's turn");
    s.apply(&Event {
        proc: 0,
        at: Duration::ZERO,
        kind: EventKind::TurnGiven,
    });
    assert!(!s.is_quiet(), "its put goes on in the kernel");
    s.apply(&rep(
        0,
        Report::QueuePut {
            queue: "q".into(),
            item: item(2),
        },
    ));
    assert_eq!(s.procs[0].phase, Phase::Running);
    assert!(s.ipc.queues[0].putters.is_empty());
}

#[test]
fn a_sender_on_a_full_pipe_is_held_at_its_next_gate_until_its_message_is_read() {
    let mut s = program(2);
    make(&mut s, Object::PipeEnd, "a", 0);
    make(&mut s, Object::PipeEnd, "b", 1);
    s.apply(&rep(
        1,
        Report::PipeEnds {
            ends: vec!["a".into(), "b".into()],
        },
    ));
    for v in [1, 2] {
        s.apply(&rep(
            0,
            Report::PipeSent {
                end: "a".into(),
                item: item(v),
            },
        ));
    }
    s.apply(&rep(0, Report::WriteWaiting { on: "a".into() }));
    assert_eq!(s.procs[0].phase, Phase::Blocked { on: Wait::Send(0) });
    // The reader reads the first message: the kernel lets the writer finish.
    s.apply(&rep(
        1,
        Report::PipeReceived {
            end: "b".into(),
            item: item(1),
        },
    ));
    s.apply(&rep(0, Report::WriteWoke { on: "a".into() }));
    op(&mut s, 0, "send", "a");
    assert_eq!(
        s.procs[0].phase,
        Phase::Blocked { on: Wait::Send(0) },
        "held: 2 is not read"
    );
    assert!(!s.runnable()[0]);
    s.apply(&rep(
        1,
        Report::PipeReceived {
            end: "b".into(),
            item: item(2),
        },
    ));
    assert_eq!(s.procs[0].phase, Phase::AtGate);
    assert!(s.runnable()[0]);
}
