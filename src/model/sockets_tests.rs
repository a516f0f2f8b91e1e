//! The reducer on servers and connections: an accept that waits until a
//! client connects (so a schedule waits for its wake-up), one connection
//! whichever side reports first, an empty read due once every copy of the
//! other side is closed, and replies judged against what the client sent.

use std::time::Duration;

use crate::lesson::{Op, builtin};
use crate::model::ipc::Wait;
use crate::model::{Phase, RunState};
use crate::wire::{Event, EventKind};
use crate::wire::{Report, SockRef};

fn rep(proc: usize, r: Report) -> Event {
    Event {
        proc,
        at: Duration::ZERO,
        kind: EventKind::Report(r),
    }
}

/// The chat lesson's server (P1) and clients (P5–P7) at their first gate.
fn chat() -> RunState {
    let mut s = RunState::new(&builtin("chat").unwrap(), &[]);
    for p in [0, 4, 5, 6] {
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
    s.apply(&rep(
        0,
        Report::Sockets {
            servers: vec!["server".into()],
            socks: vec![],
        },
    ));
    s
}

fn at(sock: &str, port: u16, server_side: bool) -> SockRef {
    SockRef {
        sock: sock.into(),
        port,
        server_side,
    }
}

fn connected(port: u16) -> Report {
    Report::Connected {
        server: "server".into(),
        at: at("c", port, false),
    }
}

fn accepted(port: u16) -> Report {
    Report::Accepted {
        server: "server".into(),
        at: at("conn", port, true),
    }
}

fn accept_op() -> Op {
    Op::Accept {
        server: "server".into(),
        sock: "conn".into(),
    }
}

#[test]
fn accept_waits_until_a_client_connects() {
    let mut s = chat();
    assert!(s.ipc.would_block_for(0, &accept_op()));
    s.apply(&rep(
        0,
        Report::AcceptWaiting {
            server: "server".into(),
        },
    ));
    assert_eq!(
        s.procs[0].phase,
        Phase::Blocked {
            on: Wait::Accept(0)
        }
    );
    assert!(s.is_quiet(), "nobody has connected: nothing to wait for");
    s.apply(&rep(4, connected(40001)));
    assert!(!s.ipc.would_block_for(0, &accept_op()));
    assert!(!s.is_quiet(), "the accept is about to return");
    s.apply(&rep(0, accepted(40001)));
    assert_eq!(s.procs[0].phase, Phase::Running);
    assert_eq!(s.ipc.sockets.conns.len(), 1);
    assert_eq!(s.ipc.sockets.servers[0].accepted, 1);
    let why = s.why_blocked(0);
    assert!(why.is_some_and(|w| w.contains("still running")));
}

#[test]
fn one_connection_whichever_side_reports_first() {
    let mut s = chat();
    s.apply(&rep(0, accepted(40002)));
    s.apply(&rep(5, connected(40002)));
    let c = &s.ipc.sockets.conns;
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].client, Some(5));
    assert_eq!(c[0].accepted_by, Some(0));
}

#[test]
fn an_empty_read_is_due_once_every_copy_of_the_other_side_is_closed() {
    let mut s = chat();
    s.apply(&rep(4, connected(40001)));
    s.apply(&rep(0, accepted(40001)));
    // A started child's copy of the accepted socket.
    s.apply(&rep(
        1,
        Report::Sockets {
            servers: vec!["server".into()],
            socks: vec![at("conn", 40001, true)],
        },
    ));
    s.apply(&rep(
        4,
        Report::SockWaiting {
            at: at("c", 40001, false),
        },
    ));
    assert_eq!(
        s.procs[4].phase,
        Phase::Blocked {
            on: Wait::SockRecv(0, 0)
        }
    );
    assert!(!s.ipc.sockets.wake_pending());
    s.apply(&rep(
        0,
        Report::SockClosed {
            at: at("conn", 40001, true),
        },
    ));
    assert!(!s.ipc.sockets.wake_pending(), "P2 still holds it");
    s.ipc.forget(1);
    assert!(
        s.ipc.sockets.wake_pending(),
        "the kernel closed the last copy"
    );
    s.apply(&rep(
        4,
        Report::SockEof {
            at: at("c", 40001, false),
        },
    ));
    assert_eq!(s.ipc.sockets.conns[0].sides[0].eof, vec![4]);
    assert!(!s.ipc.sockets.wake_pending());
}

#[test]
fn a_reply_counts_when_it_is_the_text_sent_upper_cased() {
    let mut s = chat();
    s.apply(&rep(4, connected(40001)));
    s.apply(&rep(0, accepted(40001)));
    let send = |s: &mut RunState, p: usize, server_side: bool, text: &str| {
        let sock = if server_side { "conn" } else { "c" };
        s.apply(&rep(
            p,
            Report::SockSent {
                at: at(sock, 40001, server_side),
                text: text.into(),
            },
        ));
    };
    let recv = |s: &mut RunState, p: usize, server_side: bool, text: &str| {
        let sock = if server_side { "conn" } else { "c" };
        s.apply(&rep(
            p,
            Report::SockReceived {
                at: at(sock, 40001, server_side),
                text: text.into(),
                bytes: text.len(),
            },
        ));
    };
    send(&mut s, 4, false, "hello 2");
    assert_eq!(s.ipc.sockets.conns[0].sides[1].inbox, b"hello 2");
    recv(&mut s, 0, true, "hello 2");
    assert!(s.ipc.sockets.conns[0].sides[1].inbox.is_empty());
    send(&mut s, 0, true, "HELLO 2");
    recv(&mut s, 4, false, "HELLO 2");
    assert_eq!(s.actual(), 1);
    send(&mut s, 4, false, "bye 2");
    send(&mut s, 0, true, "bye 2");
    recv(&mut s, 4, false, "bye 2");
    assert_eq!(s.actual(), 1, "not upper-cased: not counted");
    let conn = &s.ipc.sockets.conns[0];
    assert_eq!(conn.client, Some(4));
    assert_eq!(conn.sides[1].users, vec![0]);
    assert_eq!(conn.sides[0].received, 2);
    assert_eq!(conn.upper_replies, 1);
}
