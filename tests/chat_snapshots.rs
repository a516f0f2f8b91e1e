//! The chat lesson on screen, drawn from folded events: the server's
//! listening copies and accepts, each connection as client ⇄ the process
//! that serves it, who holds each side open, the text in flight each way,
//! and who waits in accept or recv. Pids are fixed and times are zero, so
//! the screens are stable.

mod screens;

use std::time::Duration;

use lockstep::lesson::{Lang, builtin};
use lockstep::model::RunState;
use lockstep::supervisor::{Event, EventKind};
use lockstep::wire::{Report, SockRef};
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

/// The server (P1) and the three clients (P5–P7) started by the supervisor, at their first gate.
fn chat() -> RunState {
    let mut s = RunState::new(&builtin("chat").unwrap(), &[]);
    for p in [0, 4, 5, 6] {
        s.apply(&ev(
            p,
            EventKind::Spawned {
                pid: 5000 + p as u32,
            },
        ));
        s.apply(&rep(
            p,
            Report::Hello {
                version: 1,
                number: p + 1,
                pid: 5000 + p as u32,
                ppid: 4999,
            },
        ));
        if p == 0 {
            s.apply(&rep(
                0,
                Report::Sockets {
                    servers: vec!["server".into()],
                    socks: vec![],
                },
            ));
        }
        s.apply(&rep(p, Report::At { pc: 0 }));
    }
    s
}

fn sock(name: &str, port: u16, server_side: bool) -> SockRef {
    SockRef {
        sock: name.into(),
        port,
        server_side,
    }
}

/// Process `p` runs the operation at `pc`, reporting `reports`.
fn step(s: &mut RunState, p: usize, pc: usize, reports: Vec<Report>) {
    s.apply(&ev(p, EventKind::Granted));
    s.apply(&rep(p, Report::Run { pc }));
    for r in reports {
        s.apply(&rep(p, r));
    }
}

/// P1 waits in accept; P5 connects and is accepted; P1 starts P2 with the
/// connection and closes its copy; P5 sends and waits for the reply; P6 connects.
fn first_connection() -> RunState {
    let mut s = chat();
    step(&mut s, 0, 0, vec![]);
    s.apply(&rep(0, Report::At { pc: 1 }));
    step(
        &mut s,
        0,
        1,
        vec![Report::AcceptWaiting {
            server: "server".into(),
        }],
    );
    step(
        &mut s,
        4,
        0,
        vec![Report::Connected {
            server: "server".into(),
            at: sock("c", 40001, false),
        }],
    );
    s.apply(&rep(4, Report::At { pc: 1 }));
    s.apply(&rep(
        0,
        Report::Accepted {
            server: "server".into(),
            at: sock("conn", 40001, true),
        },
    ));
    s.apply(&rep(0, Report::At { pc: 2 }));
    step(
        &mut s,
        0,
        2,
        vec![Report::Started {
            child: 2,
            pid: 5001,
            daemon: false,
        }],
    );
    s.apply(&rep(
        1,
        Report::Hello {
            version: 1,
            number: 2,
            pid: 5001,
            ppid: 5000,
        },
    ));
    s.apply(&rep(
        1,
        Report::Sockets {
            servers: vec!["server".into()],
            socks: vec![sock("conn", 40001, true)],
        },
    ));
    s.apply(&rep(1, Report::At { pc: 0 }));
    s.apply(&rep(0, Report::At { pc: 3 }));
    step(
        &mut s,
        0,
        3,
        vec![Report::SockClosed {
            at: sock("conn", 40001, true),
        }],
    );
    s.apply(&rep(0, Report::At { pc: 4 }));
    step(
        &mut s,
        4,
        1,
        vec![Report::SockSent {
            at: sock("c", 40001, false),
            text: "hello 5".into(),
        }],
    );
    s.apply(&rep(4, Report::At { pc: 2 }));
    step(
        &mut s,
        4,
        2,
        vec![Report::SockWaiting {
            at: sock("c", 40001, false),
        }],
    );
    step(
        &mut s,
        5,
        0,
        vec![Report::Connected {
            server: "server".into(),
            at: sock("c", 40002, false),
        }],
    );
    s.apply(&rep(5, Report::At { pc: 1 }));
    s
}

#[test]
fn a_connection_in_flight_at_80x24() {
    let s = first_connection();
    // The reply is not sent yet: nothing wakes P5, and P2 can move.
    assert!(s.is_quiet());
    let en = screen(&stepping_app("chat", &s, Lang::En), 80, 24);
    assert!(en.contains("Server server 127.0.0.1"), "{en}");
    assert!(en.contains("1 accepted · in P1 P2"), "{en}");
    assert!(en.contains("c1 P5 ⇄ P2"), "{en}");
    assert!(
        !en.contains("open:"),
        "each side open just where the header says: {en}"
    );
    assert!(en.contains("→ 'hello 5'  recv: P5"), "{en}");
    assert!(en.contains("c2 P6 ⇄ (not accepted)"), "{en}");
    assert!(en.contains("waits: recv c1"), "{en}");
    insta::assert_snapshot!("chat_in_flight_80x24", en);
    let zh = screen(&stepping_app("chat", &s, Lang::Zh), 80, 24);
    assert!(zh.contains("服务器 server 127.0.0.1"), "{zh}");
    insta::assert_snapshot!("chat_in_flight_zh", zh);
}

#[test]
fn the_talk_process_replies_at_160x48() {
    let mut s = first_connection();
    step(
        &mut s,
        1,
        0,
        vec![Report::SockReceived {
            at: sock("conn", 40001, true),
            text: "hello 5".into(),
            bytes: 7,
        }],
    );
    s.apply(&rep(1, Report::At { pc: 1 }));
    step(
        &mut s,
        1,
        1,
        vec![Report::SockSent {
            at: sock("conn", 40001, true),
            text: "HELLO 5".into(),
        }],
    );
    // P5 is woken by the reply: a schedule must wait for it.
    assert!(!s.is_quiet());
    s.apply(&rep(1, Report::At { pc: 2 }));
    s.apply(&rep(
        4,
        Report::SockReceived {
            at: sock("c", 40001, false),
            text: "HELLO 5".into(),
            bytes: 7,
        },
    ));
    s.apply(&rep(4, Report::At { pc: 3 }));
    assert!(s.is_quiet());
    assert_eq!(s.actual(), 1);
    let wide = screen(&stepping_app("chat", &s, Lang::En), 160, 48);
    assert!(wide.contains("c1 P5 ⇄ P2"), "{wide}");
    assert!(wide.contains("1 accepted · in P1 P2"), "{wide}");
    insta::assert_snapshot!("chat_replied_160x48", wide);
}

#[test]
fn a_half_closed_connection_says_which_side_is_still_open() {
    let mut s = first_connection();
    s.apply(&rep(
        4,
        Report::SockClosed {
            at: sock("c", 40001, false),
        },
    ));
    let en = screen(&stepping_app("chat", &s, Lang::En), 80, 24);
    assert!(en.contains("c1 P5 ⇄ P2"), "{en}");
    assert!(en.contains("open: - ⇄ P2"), "{en}");
    s.apply(&ev(1, EventKind::Closed));
    let en = screen(&stepping_app("chat", &s, Lang::En), 80, 24);
    assert!(en.contains("c1 P5 ⇄ P2  closed"), "{en}");
}
