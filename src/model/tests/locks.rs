//! Locks in the model: holders and waiters in arrival order, turns at a
//! freed lock, deadlocks on a lock.

use super::*;

#[test]
fn lock_holders_and_waiters_in_arrival_order() {
    let mut s = started("counter", &[]);
    let lock = |n: &str| n.to_string();
    step(&mut s, 0, 0, vec![Report::Acquired { lock: lock("lock") }]);
    for p in [2, 1] {
        s.apply(&ev(p, EventKind::Granted));
        s.apply(&rep(p, Report::Run { pc: 0 }));
        s.apply(&rep(p, Report::Waiting { lock: lock("lock") }));
    }
    assert_eq!(s.locks[0].holders, vec![0]);
    assert_eq!(s.locks[0].waiters, vec![2, 1]);
    assert!(s.is_quiet());
    assert_eq!(s.why_blocked(2).unwrap(), "P3 waits for lock, held by P1");
    assert_eq!(s.runnable()[..3], [true, false, false]);
    // P1 releases: a wake-up is due, so the system is not quiet until it comes.
    s.apply(&ev(0, EventKind::Granted));
    s.apply(&rep(0, Report::Run { pc: 5 }));
    s.apply(&rep(0, Report::Released { lock: lock("lock") }));
    s.apply(&rep(0, Report::Done { code: 0 }));
    assert!(!s.is_quiet());
    s.apply(&rep(2, Report::Acquired { lock: lock("lock") }));
    s.apply(&rep(2, Report::At { pc: 1 }));
    assert!(s.is_quiet());
    assert_eq!(s.locks[0].holders, vec![2]);
    assert_eq!(s.locks[0].waiters, vec![1]);
}

#[test]
fn queued_waiters_take_a_released_lock_in_arrival_order() {
    let mut s = started("counter", &[]);
    let lock = || "lock".to_string();
    step(&mut s, 0, 0, vec![Report::Acquired { lock: lock() }]);
    for p in [2, 1] {
        s.apply(&ev(p, EventKind::Granted));
        s.apply(&rep(p, Report::Run { pc: 0 }));
        s.apply(&rep(p, Report::Queued { lock: lock() }));
    }
    assert_eq!(s.locks[0].queued, vec![2, 1]);
    assert_eq!(s.turn_due(), None, "the lock is held");
    assert!(s.is_quiet());
    s.apply(&ev(0, EventKind::Granted));
    s.apply(&rep(0, Report::Released { lock: lock() }));
    // The first to queue is next, and nothing moves until it is let in.
    assert_eq!(s.turn_due(), Some(2));
    assert!(!s.is_quiet());
    s.apply(&ev(2, EventKind::TurnGiven));
    assert_eq!(s.locks[0].queued, vec![1]);
    assert_eq!(s.turn_due(), None, "P3 is on its way in");
    s.apply(&rep(2, Report::Waiting { lock: lock() }));
    s.apply(&rep(2, Report::Acquired { lock: lock() }));
    assert_eq!(s.locks[0].holders, vec![2]);
    assert_eq!(s.locks[0].waiters, vec![1]);
    assert_eq!(s.turn_due(), None);
}

#[test]
fn a_queued_waiter_that_dies_gives_its_turn_to_the_next() {
    let mut s = started("counter", &[]);
    let lock = || "lock".to_string();
    step(&mut s, 0, 0, vec![Report::Acquired { lock: lock() }]);
    for p in [1, 2] {
        s.apply(&ev(p, EventKind::Granted));
        s.apply(&rep(p, Report::Run { pc: 0 }));
        s.apply(&rep(p, Report::Queued { lock: lock() }));
    }
    // P2, first in line, is killed (its parent has not reaped it yet).
    s.apply(&ev(1, EventKind::Closed));
    s.apply(&ev(0, EventKind::Granted));
    s.apply(&rep(0, Report::Released { lock: lock() }));
    assert_eq!(s.turn_due(), Some(2), "the next live waiter");
}

#[test]
fn a_dead_holder_leaves_its_waiters_in_a_named_deadlock() {
    let mut s = started("bathroom", &[]);
    step(
        &mut s,
        0,
        0,
        vec![Report::Acquired {
            lock: "lock".into(),
        }],
    );
    s.apply(&ev(1, EventKind::Granted));
    s.apply(&rep(1, Report::Run { pc: 0 }));
    s.apply(&rep(
        1,
        Report::Waiting {
            lock: "lock".into(),
        },
    ));
    assert_eq!(s.deadlock_told(Lang::En), None, "P1 can still move");
    s.apply(&ev(0, EventKind::Closed));
    s.apply(&ev(0, EventKind::Exited(Ending::Signal(15))));
    assert_eq!(s.procs[0].ending.map(Ending::exitcode), Some(-15));
    let d = s.deadlock_told(Lang::En).unwrap();
    assert_eq!(
        d,
        "P2 waits for lock, held by P1 (killed by SIGTERM, exit code -15)"
    );
    // The model noticed by itself that the run is stuck.
    assert!(s.deadlock.is_some());
    let v = s.verdict(Lang::En);
    assert!(!v.ok);
    assert!(v.sentence.starts_with("DEADLOCK: P2 waits for lock"));
}

#[test]
fn waiters_of_one_lock_are_grouped_in_a_deadlock() {
    let mut s = started("counter", &[]);
    let lock = || "lock".to_string();
    step(&mut s, 0, 0, vec![Report::Acquired { lock: lock() }]);
    for p in 1..20 {
        s.apply(&ev(p, EventKind::Granted));
        s.apply(&rep(p, Report::Run { pc: 0 }));
        s.apply(&rep(p, Report::Waiting { lock: lock() }));
    }
    s.apply(&ev(0, EventKind::Closed));
    s.apply(&ev(0, EventKind::Exited(Ending::Signal(15))));
    assert_eq!(
        s.deadlock_told(Lang::En).unwrap(),
        "P2–P20 wait for lock, held by P1 (killed by SIGTERM, exit code -15)"
    );
    assert_eq!(
        s.deadlock_told(Lang::Zh).unwrap(),
        "P2–P20 在等 lock，持有者：P1（已被 SIGTERM 终止，退出码 -15）"
    );
}
