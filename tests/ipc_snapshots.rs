//! The side panel and lanes with an event, a pipe and a queue, drawn from
//! folded events: who waits on what, set or clear, which processes hold each
//! pipe end open and what is in flight, queue items and unfinished tasks.
//! Pids are fixed and times are zero, so the screens are stable.

mod screens;

use std::time::Duration;

use lockstep::lesson::{Lang, builtin};
use lockstep::model::RunState;
use lockstep::supervisor::{Event, EventKind};
use lockstep::wire::{Item, Report};
use screens::{screen, stepping_app};

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

/// Every process of `lesson` started (P1 is the parent of the others) and at its first gate.
fn started(lesson: &str) -> RunState {
    let mut s = RunState::new(&builtin(lesson).unwrap(), &[]);
    for p in 0..s.procs.len() {
        if p > 0 {
            s.apply(&rep(
                0,
                Report::Started {
                    child: p + 1,
                    pid: 5000 + p as u32,
                    daemon: false,
                },
            ));
        }
        s.apply(&rep(
            p,
            Report::Hello {
                version: 1,
                number: p + 1,
                pid: 5000 + p as u32,
                ppid: if p == 0 { 1 } else { 5000 },
            },
        ));
        s.apply(&rep(p, Report::At { pc: 0 }));
    }
    s
}

/// Process `p` runs the operation at `pc`, reporting `reports`.
fn step(s: &mut RunState, p: usize, pc: usize, reports: Vec<Report>) {
    s.apply(&ev(p, EventKind::Granted));
    s.apply(&rep(p, Report::Run { pc }));
    for r in reports {
        s.apply(&rep(p, r));
    }
}

#[test]
fn event_main_waits_while_the_child_computes() {
    let mut s = started("event");
    step(
        &mut s,
        0,
        5,
        vec![Report::EventWaiting { event: "e".into() }],
    );
    let en = screen(&stepping_app("event", &s, Lang::En), 80, 24);
    assert!(en.contains("waits: event e"), "{en}");
    assert!(en.contains("Event e clear  waiting: P1"), "{en}");
    insta::assert_snapshot!("event_waiting_80x24", en);
    let zh = screen(&stepping_app("event", &s, Lang::Zh), 80, 24);
    assert!(zh.contains("在等事件 e"), "{zh}");
    insta::assert_snapshot!("event_waiting_zh", zh);
}

#[test]
fn pipe_ends_held_and_messages_in_flight() {
    let mut s = started("pipe");
    let both = vec!["conn1".to_string(), "conn2".to_string()];
    s.apply(&rep(0, Report::PipeEnds { ends: both.clone() }));
    s.apply(&rep(1, Report::PipeEnds { ends: both }));
    step(
        &mut s,
        1,
        0,
        vec![Report::PipeClosed {
            end: "conn2".into(),
        }],
    );
    s.apply(&rep(1, Report::At { pc: 1 }));
    step(
        &mut s,
        0,
        1,
        vec![Report::PipeClosed {
            end: "conn1".into(),
        }],
    );
    for v in [1, 2] {
        s.apply(&rep(
            0,
            Report::PipeSent {
                end: "conn2".into(),
                item: num(v),
            },
        ));
    }
    s.apply(&rep(0, Report::At { pc: 2 }));
    let en = screen(&stepping_app("pipe", &s, Lang::En), 80, 24);
    assert!(en.contains("Pipe pipe (conn1 ⇄ conn2)"), "{en}");
    assert!(en.contains("conn1: open in P2"), "{en}");
    assert!(en.contains("inbox: 1 2"), "{en}");
    insta::assert_snapshot!("pipe_in_flight_80x24", en);
}

#[test]
fn queue_items_getters_and_unfinished_at_160x48() {
    let mut s = started("queue");
    step(
        &mut s,
        3,
        0,
        vec![Report::QueueWaiting { queue: "q".into() }],
    );
    for (p, v) in [(1, 10), (2, 20), (1, 11)] {
        step(
            &mut s,
            p,
            5,
            vec![Report::QueuePut {
                queue: "q".into(),
                item: num(v),
            }],
        );
        s.apply(&rep(p, Report::At { pc: 6 }));
    }
    s.apply(&rep(
        3,
        Report::QueueGot {
            queue: "q".into(),
            item: num(10),
        },
    ));
    s.apply(&rep(3, Report::At { pc: 1 }));
    step(&mut s, 4, 0, vec![]);
    s.apply(&rep(
        4,
        Report::QueueGot {
            queue: "q".into(),
            item: num(20),
        },
    ));
    s.apply(&rep(4, Report::At { pc: 1 }));
    step(
        &mut s,
        0,
        6,
        vec![Report::QueueJoining { queue: "q".into() }],
    );
    let wide = screen(&stepping_app("queue", &s, Lang::En), 160, 48);
    assert!(wide.contains("JoinableQueue q  items: 11"), "{wide}");
    assert!(wide.contains("put 3 · got 2 · done 0 · left 3"), "{wide}");
    assert!(wide.contains("waits: q.join()"), "{wide}");
    insta::assert_snapshot!("queue_join_160x48", wide);
}
