//! One vocabulary with the listing (issue 12): lanes carry the listing's
//! names beside the P-number, the op column shows the listing's statement,
//! what is printed is what the listing's prints print, and in Chinese the
//! listing's comments and strings are Chinese too. Drawn from folded
//! events with fixed pids, at 80×24 and 160×48, in English and Chinese.

mod screens;

use std::time::Duration;

use lockstep::lesson::{Lang, builtin};
use lockstep::model::RunState;
use lockstep::supervisor::{Ending, Event, EventKind};
use lockstep::wire::Report;
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

/// Every process of `lesson` started (P1 the parent of the others when it
/// is a tree) and at its first gate.
fn started(lesson: &str) -> RunState {
    let mut s = RunState::new(&builtin(lesson).unwrap(), &[]);
    for p in 0..s.procs.len() {
        let pid = 5000 + p as u32;
        if s.procs[p].parent.is_some() {
            let started = Report::Started {
                child: p + 1,
                pid,
                daemon: false,
            };
            s.apply(&rep(0, started));
        } else {
            s.apply(&ev(p, EventKind::Spawned { pid }));
        }
        let hello = Report::Hello {
            version: 1,
            number: p + 1,
            pid,
            ppid: 1,
        };
        s.apply(&rep(p, hello));
        s.apply(&rep(p, Report::At { pc: 0 }));
    }
    s
}

/// Process `p` runs the operation it is at, reporting `reports`, and
/// comes to the gate of operation `next`.
fn step(s: &mut RunState, p: usize, reports: Vec<Report>, next: usize) {
    let pc = s.procs[p].pc.unwrap_or(0);
    s.apply(&ev(p, EventKind::Granted));
    s.apply(&rep(p, Report::Run { pc }));
    for r in reports {
        s.apply(&rep(p, r));
    }
    s.apply(&rep(p, Report::At { pc: next }));
}

fn printed(en: &str, zh: &str) -> Report {
    Report::Printed {
        en: en.into(),
        zh: Some(zh.into()),
    }
}

/// `terminate` after p1 (P2) was killed holding the lock: P1 waits in
/// `p2.join()` for P3, P3 and P4 wait for the lock.
fn terminate_stuck() -> RunState {
    let mut s = started("terminate");
    let lock = || "lock".to_string();
    step(&mut s, 1, vec![Report::Acquired { lock: lock() }], 1);
    step(
        &mut s,
        1,
        vec![printed("5001 has the lock", "5001 拿到了锁")],
        2,
    );
    for p in [2, 3] {
        s.apply(&ev(p, EventKind::Granted));
        s.apply(&rep(p, Report::Run { pc: 0 }));
        s.apply(&rep(p, Report::Waiting { lock: lock() }));
    }
    s.apply(&rep(0, Report::At { pc: 5 }));
    step(&mut s, 0, vec![Report::Terminated { child: 2 }], 6);
    s.apply(&ev(1, EventKind::Closed));
    s.apply(&ev(1, EventKind::Exited(Ending::Signal(libc::SIGTERM))));
    let reaped = Report::Reaped {
        child: 2,
        exitcode: -15,
    };
    step(&mut s, 0, vec![reaped], 9);
    s.apply(&ev(0, EventKind::Granted));
    s.apply(&rep(0, Report::Run { pc: 9 }));
    s.apply(&rep(0, Report::Joining { child: 3 }));
    s
}

#[test]
fn terminate_lanes_name_p1_p2_p3_beside_their_p_numbers() {
    let s = terminate_stuck();
    let en = screen(&stepping_app("terminate", &s, Lang::En), 80, 24);
    for name in ["│P1 main", "├─P2 p1", "├─P3 p2", "└─P4 p3"] {
        assert!(en.contains(name), "{name}:\n{en}");
    }
    assert!(en.contains("waits: join P3 (p2)"), "{en}");
    // The lock's one holder is named as the listing does: the killed p1.
    assert!(en.contains("held by: P2† (p1)"), "{en}");
    insta::assert_snapshot!("terminate_names_80x24", en);
    let wide = screen(&stepping_app("terminate", &s, Lang::En), 160, 48);
    assert!(
        wide.contains("waits: join P3 (p2)  p2.join()  :21"),
        "{wide}"
    );
    insta::assert_snapshot!("terminate_names_160x48", wide);
    let zh = screen(&stepping_app("terminate", &s, Lang::Zh), 160, 48);
    assert!(zh.contains("├─P3 p2") && zh.contains("P3 (p2)"), "{zh}");
    insta::assert_snapshot!("terminate_names_zh_160x48", zh);
}

#[test]
fn the_op_column_shows_the_listing_statement_not_the_engine_op() {
    let mut s = started("ticket");
    step(&mut s, 0, vec![], 1);
    step(&mut s, 0, vec![], 2);
    step(&mut s, 1, vec![], 1);
    let en = screen(&stepping_app("ticket", &s, Lang::En), 80, 24);
    assert!(en.contains("print(os.getpid(),…"), "{en}");
    assert!(en.contains("left = load()  :10"), "{en}");
    assert!(en.contains("time.sleep(1)  :9"), "{en}");
    assert!(!en.contains("read count"), "{en}");
    insta::assert_snapshot!("ticket_statements_80x24", en);
    let wide = screen(&stepping_app("ticket", &s, Lang::En), 160, 48);
    assert!(
        wide.contains("print(os.getpid(), 'sees', left, 'tickets left')  :11"),
        "{wide}"
    );
    insta::assert_snapshot!("ticket_statements_160x48", wide);
    // In Chinese the statement is the Chinese listing's, strings and all.
    let zh = screen(&stepping_app("ticket", &s, Lang::Zh), 160, 48);
    assert!(
        zh.contains("print(os.getpid(), '查到还剩', left, '张票')  :11"),
        "{zh}"
    );
    insta::assert_snapshot!("ticket_statements_zh_160x48", zh);
}

#[test]
fn chat_statements_are_the_listing_lines_not_jumps_or_sets() {
    let mut s = started("chat");
    // main: `i = 0` (line 19) then at its accept; after three rounds, the
    // join loop's `k = p - 2` stands for `for p in kids:`.
    step(&mut s, 0, vec![], 6);
    let en = screen(&stepping_app("chat", &s, Lang::En), 160, 48);
    assert!(en.contains("for p in kids:  :25"), "{en}");
    assert!(!en.contains("k = p - 2"), "{en}");
    assert!(en.contains("c.connect(('127.0.0.1', PORT))  :31"), "{en}");
    assert!(en.contains("P5 client(5)"), "{en}");
}

#[test]
fn printed_lines_are_what_the_listing_prints_in_both_languages() {
    let mut s = started("ticket");
    step(&mut s, 0, vec![], 1);
    step(&mut s, 0, vec![], 2);
    let sees = printed("5000 sees 1 tickets left", "5000 查到还剩 1 张票");
    step(&mut s, 0, vec![sees], 3);
    let en = screen(&stepping_app("ticket", &s, Lang::En), 80, 24);
    // One space after the P-number (P10 sets the width), the pid as printed.
    assert!(en.contains("│ P1 5000 sees 1 tickets left"), "{en}");
    insta::assert_snapshot!("ticket_printed_80x24", en);
    let zh = screen(&stepping_app("ticket", &s, Lang::Zh), 80, 24);
    assert!(zh.contains("P1 5000 查到还剩 1 张票"), "{zh}");
    // The listing beside it is the Chinese one: comments and strings.
    assert!(zh.contains("print(os.getpid(), '查到还"), "{zh}");
    insta::assert_snapshot!("ticket_printed_zh_80x24", zh);
}

#[test]
fn the_event_is_called_e_as_in_its_listing() {
    let mut s = started("event");
    let waiting = Report::EventWaiting { event: "e".into() };
    s.apply(&ev(0, EventKind::Granted));
    s.apply(&rep(0, Report::Run { pc: 5 }));
    s.apply(&rep(0, waiting));
    let en = screen(&stepping_app("event", &s, Lang::En), 80, 24);
    assert!(en.contains("Event e"), "{en}");
    assert!(!en.contains("done"), "{en}");
    let zh = screen(&stepping_app("event", &s, Lang::Zh), 80, 24);
    assert!(zh.contains("事件 e") || zh.contains("Event e"), "{zh}");
    insta::assert_snapshot!("event_e_zh_80x24", zh);
}

#[test]
fn a_narrow_chinese_lane_drops_the_joined_name_rather_than_cut_it() {
    let mut s = started("join");
    for next in 1..=5 {
        step(&mut s, 0, vec![], next);
    }
    s.apply(&ev(0, EventKind::Granted));
    s.apply(&rep(0, Report::Run { pc: 5 }));
    s.apply(&rep(0, Report::Joining { child: 2 }));
    let zh = screen(&stepping_app("join", &s, Lang::Zh), 80, 24);
    let p1 = zh.lines().find(|l| l.starts_with("│P1 main")).unwrap();
    assert!(p1.contains("等待 join P2 "), "{p1}");
    assert!(!p1.contains("(a a"), "{p1}");
    insta::assert_snapshot!("join_zh_joining_80x24", zh);
    let wide = screen(&stepping_app("join", &s, Lang::Zh), 160, 48);
    assert!(wide.contains("等待 join P2 (a)"), "{wide}");
}
