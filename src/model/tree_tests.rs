//! The reducer on process trees: start, join, zombies, orphans, join deadlocks.

use crate::lesson::Lang;
use crate::wire::Ending;
use std::time::Duration;

use super::*;
use crate::lesson::builtin;

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

/// The supervisor's own process P1 at its first gate; children not started.
fn root_ready(lesson: &str) -> RunState {
    let mut s = RunState::new(&builtin(lesson).unwrap(), &[]);
    s.apply(&ev(0, EventKind::Spawned { pid: 100 }));
    hello(&mut s, 0, 100, 1);
    s
}

fn hello(s: &mut RunState, p: usize, pid: u32, ppid: u32) {
    s.apply(&rep(
        p,
        Report::Hello {
            version: 1,
            number: p + 1,
            pid,
            ppid,
        },
    ));
    s.apply(&rep(p, Report::Ready));
    s.apply(&rep(p, Report::At { pc: 0 }));
}

/// P1 runs its `start` at `pc`; the child `c` (0-based) connects and reaches its gate.
fn start_child(s: &mut RunState, pc: usize, c: usize) {
    s.apply(&ev(0, EventKind::Granted));
    s.apply(&rep(0, Report::Run { pc }));
    s.apply(&rep(
        0,
        Report::Started {
            child: c + 1,
            pid: 200 + c as u32,
            daemon: false,
        },
    ));
    s.apply(&rep(0, Report::At { pc: pc + 1 }));
    assert!(!s.is_quiet(), "a started child must reach its gate first");
    hello(s, c, 200 + c as u32, 100);
    assert!(s.is_quiet());
}

#[test]
fn children_wait_unstarted_and_a_start_makes_them_real() {
    let s = root_ready("join");
    assert_eq!(s.procs[1].phase, Phase::NotStarted);
    assert_eq!(s.procs[1].parent, Some(0));
    assert!(s.is_quiet(), "unstarted slots do not hold a schedule up");
    assert!(!s.runnable()[1]);
    assert_eq!(s.why_blocked(1).unwrap(), "P2 has not been started yet");
    let mut s = root_ready("join");
    // P1: print, clock, then `start` at pc 2.
    start_child(&mut s, 2, 1);
    assert_eq!(
        s.procs[0].locals.get("a"),
        Some(&2),
        "the handle holds the P-number"
    );
    assert_eq!(s.procs[1].ppid, Some(100));
    assert!(s.runnable()[1]);
}

#[test]
fn an_unjoined_child_is_a_zombie_until_its_parent_reaps_it() {
    let mut s = root_ready("zombie");
    s.apply(&ev(0, EventKind::Granted));
    s.apply(&rep(0, Report::Run { pc: 0 }));
    s.apply(&rep(0, Report::At { pc: 1 }));
    start_child(&mut s, 1, 1);
    s.apply(&ev(1, EventKind::Granted));
    s.apply(&rep(1, Report::Run { pc: 0 }));
    s.apply(&rep(1, Report::Done { code: 0 }));
    assert!(!s.is_zombie(1), "still connected: not exited yet");
    s.apply(&ev(1, EventKind::Closed));
    assert!(s.is_zombie(1));
    assert!(s.is_quiet(), "a zombie waits for its parent, not for us");
    assert!(!s.all_gone());
    assert_eq!(s.actual(), 1, "one zombie seen");
    // P1 joins: waitpid returns at once and reaps it.
    s.apply(&ev(0, EventKind::Granted));
    s.apply(&rep(0, Report::Run { pc: 3 }));
    s.apply(&rep(
        0,
        Report::Reaped {
            child: 2,
            exitcode: 0,
        },
    ));
    assert!(!s.is_zombie(1));
    assert_eq!(s.procs[1].ending, Some(Ending::Code(0)));
    assert!(s.procs[1].is_gone());
}

/// As CPython's `start()` (`_cleanup()`): the watcher has ended, a zombie;
/// P1's next `start` reaps it first (its `Reaped` comes before `Started`),
/// and it leaves Z right then, with its exit code, still counted as seen.
#[test]
fn a_start_reaps_a_child_that_has_ended_before_it_starts_the_next() {
    let mut s = root_ready("daemon");
    start_child(&mut s, 0, 1);
    s.apply(&ev(1, EventKind::Granted));
    s.apply(&rep(1, Report::Run { pc: 0 }));
    s.apply(&rep(1, Report::Done { code: 0 }));
    s.apply(&ev(1, EventKind::Closed));
    assert!(s.is_zombie(1));
    let at = Duration::from_millis(40);
    s.apply(&ev(0, EventKind::Granted));
    s.apply(&rep(0, Report::Run { pc: 1 }));
    s.apply(&Event {
        proc: 0,
        at,
        kind: EventKind::Report(Report::Reaped {
            child: 2,
            exitcode: 0,
        }),
    });
    assert!(!s.is_zombie(1), "reaped by the start");
    assert_eq!(s.procs[1].ending, Some(Ending::Code(0)));
    assert_eq!(s.times[1].reaped, Some(at));
    assert_eq!(s.procs[0].phase, Phase::Running, "still in its start");
    s.apply(&rep(
        0,
        Report::Started {
            child: 3,
            pid: 202,
            daemon: false,
        },
    ));
    assert_eq!(s.procs[0].locals.get("p2"), Some(&3));
    assert_eq!(s.zombies, [1], "it was a zombie until then");
}

#[test]
fn a_child_ending_while_its_parent_joins_it_is_no_zombie_to_count() {
    let mut s = root_ready("isolation");
    start_child(&mut s, 1, 1);
    s.apply(&ev(0, EventKind::Granted));
    s.apply(&rep(0, Report::Run { pc: 2 }));
    s.apply(&rep(0, Report::Joining { child: 2 }));
    assert_eq!(s.procs[0].phase, Phase::Joining { child: 1 });
    assert!(!s.runnable()[0]);
    assert_eq!(s.why_blocked(0).unwrap(), "P1 waits for P2 to end (join)");
    assert_eq!(s.deadlock_told(Lang::En), None, "P2 can still move");
    s.apply(&ev(1, EventKind::Granted));
    s.apply(&rep(1, Report::Run { pc: 0 }));
    s.apply(&rep(
        1,
        Report::Set {
            local: "x".into(),
            to: 10,
        },
    ));
    s.apply(&rep(1, Report::Done { code: 0 }));
    s.apply(&ev(1, EventKind::Closed));
    assert!(
        !s.is_quiet(),
        "the kernel is about to wake the joining parent"
    );
    s.apply(&rep(
        0,
        Report::Reaped {
            child: 2,
            exitcode: 0,
        },
    ));
    assert!(s.zombies.is_empty());
    assert_eq!(
        s.procs[0].locals.get("x"),
        Some(&100),
        "the child's x was its own"
    );
    assert_eq!(s.actual(), 100);
}

#[test]
fn a_join_on_a_waiter_of_a_dead_holder_is_a_named_deadlock() {
    let mut s = root_ready("terminate");
    start_child(&mut s, 0, 1);
    s.apply(&ev(1, EventKind::Granted));
    s.apply(&rep(1, Report::Run { pc: 0 }));
    s.apply(&rep(
        1,
        Report::Acquired {
            lock: "lock".into(),
        },
    ));
    s.apply(&rep(1, Report::At { pc: 1 }));
    start_child(&mut s, 2, 2);
    s.apply(&ev(2, EventKind::Granted));
    s.apply(&rep(2, Report::Run { pc: 0 }));
    s.apply(&rep(
        2,
        Report::Waiting {
            lock: "lock".into(),
        },
    ));
    s.apply(&rep(0, Report::Terminated { child: 2 }));
    s.apply(&ev(1, EventKind::Closed));
    s.apply(&rep(
        0,
        Report::Reaped {
            child: 2,
            exitcode: -15,
        },
    ));
    assert_eq!(s.procs[1].ending, Some(Ending::Signal(15)));
    assert_eq!(s.locks[0].holders, vec![1], "a dead holder keeps the lock");
    s.apply(&rep(0, Report::Joining { child: 3 }));
    let d = s.deadlock_told(Lang::En).unwrap();
    assert_eq!(
        d,
        "P1 waits for P3 to end (join); P3 waits for lock, held by P2 (killed by SIGTERM, exit code -15)"
    );
}

#[test]
fn children_of_a_killed_parent_are_orphans_and_count_as_gone_once_closed() {
    let mut s = root_ready("isolation");
    start_child(&mut s, 1, 1);
    s.apply(&ev(0, EventKind::Closed));
    s.apply(&ev(0, EventKind::Exited(Ending::Signal(9))));
    assert!(s.procs[1].orphaned);
    assert!(!s.all_gone());
    s.apply(&ev(1, EventKind::Closed));
    assert!(s.all_gone());
}

#[test]
fn a_child_forked_just_before_its_parent_was_killed_is_an_orphan() {
    // Killed from outside between its fork and its report of the start.
    let mut s = root_ready("isolation");
    s.apply(&ev(0, EventKind::Closed));
    s.apply(&ev(0, EventKind::Exited(Ending::Signal(9))));
    hello(&mut s, 1, 201, 1);
    assert!(s.procs[1].orphaned, "nobody will report its end");
    s.apply(&ev(1, EventKind::Closed));
    assert!(s.all_gone(), "the run can end");
}

#[test]
fn an_open_measure_is_not_broken_before_the_end() {
    let s = root_ready("join");
    let v = s.verdict(Lang::En);
    assert!(v.ok && !v.finished);
    assert!(v.sentence.ends_with("not measured yet"), "{}", v.sentence);
    let s = root_ready("zombie");
    let v = s.verdict(Lang::En);
    assert!(v.ok, "no zombie yet is not a failure while running");
}

#[test]
fn a_terminated_child_cannot_be_chosen_while_it_dies() {
    let mut s = root_ready("terminate");
    start_child(&mut s, 0, 1);
    assert!(s.runnable()[1], "the child is at its gate");
    s.apply(&ev(0, EventKind::Granted));
    s.apply(&rep(0, Report::Run { pc: 1 }));
    s.apply(&rep(0, Report::Terminated { child: 2 }));
    s.apply(&rep(0, Report::At { pc: 2 }));
    assert!(!s.runnable()[1], "SIGTERM is on its way: no step for it");
    assert!(!s.is_quiet(), "wait until it is gone");
    s.apply(&ev(1, EventKind::Closed));
    assert!(s.is_quiet());
}
