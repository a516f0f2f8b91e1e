//! The per-process stints folded from timed events: created, starting,
//! sleeping, joining, exit before reap, real and schedule sleeps.

use std::time::Duration;

use super::super::RunState;
use super::{Doing, Sleep, Stint};
use crate::lesson::builtin;
use crate::wire::Report;
use crate::wire::{Event, EventKind};

fn ms(t: u64) -> Duration {
    Duration::from_millis(t)
}

struct Fold(RunState);

impl Fold {
    fn join() -> Fold {
        Fold(RunState::new(&builtin("join").unwrap(), &[]))
    }
    fn ev(&mut self, t: u64, proc: usize, kind: EventKind) -> &mut Self {
        self.0.apply(&Event {
            proc,
            at: ms(t),
            kind,
        });
        self
    }
    fn rep(&mut self, t: u64, proc: usize, r: Report) -> &mut Self {
        self.ev(t, proc, EventKind::Report(r))
    }
}

fn stint(from: u64, to: u64, doing: Doing) -> Stint {
    Stint {
        from: ms(from),
        to: ms(to),
        doing,
    }
}

/// P1 starts P2 (sleeps 3000) in a free run; P2 exits at 3010, P1 joins it.
fn one_sleeper(real: bool) -> Fold {
    let mut f = Fold::join();
    f.ev(0, 0, EventKind::Spawned { pid: 10 })
        .rep(5, 0, Report::At { pc: 0 })
        .rep(5, 0, Report::Run { pc: 0 })
        .rep(6, 0, Report::At { pc: 2 })
        .rep(6, 0, Report::Run { pc: 2 })
        .rep(
            8,
            0,
            Report::Started {
                child: 2,
                pid: 11,
                daemon: false,
            },
        )
        .rep(9, 0, Report::At { pc: 5 })
        .rep(9, 0, Report::Run { pc: 5 })
        .rep(9, 0, Report::Joining { child: 2 })
        // The child: print (pc 0), then sleep_for (pc 1).
        .rep(12, 1, Report::At { pc: 0 })
        .rep(12, 1, Report::Run { pc: 0 })
        .rep(13, 1, Report::At { pc: 1 })
        .rep(13, 1, Report::Run { pc: 1 });
    let end = if real { 3013 } else { 13 };
    f.rep(end, 1, Report::Slept { ms: 3000, real })
        .rep(end + 1, 1, Report::At { pc: 2 })
        .rep(end + 1, 1, Report::Run { pc: 2 })
        .rep(end + 2, 1, Report::Done { code: 0 })
        .ev(end + 4, 1, EventKind::Closed)
        .rep(
            end + 5,
            0,
            Report::Reaped {
                child: 2,
                exitcode: 0,
            },
        );
    f
}

#[test]
fn a_sleeping_child_and_its_joining_parent() {
    let f = one_sleeper(true);
    let kid = &f.0.times[1];
    // Created when its parent said it started; exits at Done, reaped at the join.
    assert_eq!(kid.created, Some(ms(8)));
    assert_eq!(kid.exited, Some(ms(3015)));
    assert_eq!(kid.reaped, Some(ms(3018)));
    assert_eq!(f.0.procs[1].ended_at, Some(ms(3018)));
    assert_eq!(kid.current, None);
    assert_eq!(
        kid.stints,
        vec![
            stint(8, 12, Doing::Starting),
            stint(12, 12, Doing::AtGate),
            stint(12, 13, Doing::Running),
            stint(13, 13, Doing::AtGate),
            stint(13, 3013, Doing::Sleeping),
            stint(3013, 3014, Doing::Running),
            stint(3014, 3014, Doing::AtGate),
            stint(3014, 3015, Doing::Running),
        ]
    );
    assert_eq!(
        kid.sleeps,
        vec![Sleep {
            from: ms(13),
            to: ms(3013),
            ms: 3000,
            real: true
        }]
    );
    assert_eq!(kid.sleeps[0].took(), ms(3000));
    assert!(kid.slept_really());
    // The parent waited in join from 9 until it reaped the child.
    let parent = &f.0.times[0];
    assert!(parent.stints.contains(&stint(9, 3018, Doing::Joining)));
    assert_eq!(parent.current, Some((Doing::Running, ms(3018))));
    let open = parent.stints_until(ms(4000));
    assert_eq!(open.last(), Some(&stint(3018, 4000, Doing::Running)));
}

#[test]
fn a_sleep_under_a_schedule_takes_no_time_and_says_so() {
    let f = one_sleeper(false);
    let kid = &f.0.times[1];
    assert_eq!(kid.sleeps.len(), 1);
    assert!(!kid.sleeps[0].real);
    assert_eq!(kid.sleeps[0].took(), Duration::ZERO);
    assert!(!kid.slept_really());
    // No sleep at all is not "slept really" either.
    assert!(!f.0.times[0].slept_really());
}

#[test]
fn a_child_reporting_before_its_parent_says_started_keeps_its_first_time() {
    let mut f = Fold::join();
    f.ev(0, 0, EventKind::Spawned { pid: 10 })
        .rep(20, 1, Report::At { pc: 0 })
        .rep(
            25,
            0,
            Report::Started {
                child: 2,
                pid: 11,
                daemon: false,
            },
        );
    let kid = &f.0.times[1];
    assert_eq!(kid.created, Some(ms(25)));
    assert_eq!(kid.current, Some((Doing::AtGate, ms(20))));
    // A process killed by the supervisor: exit and reap at once.
    f.ev(40, 1, EventKind::Exited(crate::wire::Ending::Signal(15)));
    let kid = &f.0.times[1];
    assert_eq!((kid.exited, kid.reaped), (Some(ms(40)), Some(ms(40))));
    assert_eq!(kid.stints, vec![stint(20, 40, Doing::AtGate)]);
}

#[test]
fn a_lock_wait_is_a_stint_of_its_own() {
    let mut f = Fold(RunState::new(&builtin("bathroom").unwrap(), &[]));
    f.ev(0, 0, EventKind::Spawned { pid: 10 })
        .rep(2, 0, Report::Run { pc: 0 })
        .rep(
            3,
            0,
            Report::Waiting {
                lock: "lock".into(),
            },
        )
        .rep(
            50,
            0,
            Report::Acquired {
                lock: "lock".into(),
            },
        );
    let t = &f.0.times[0];
    assert_eq!(
        t.stints,
        vec![
            stint(0, 2, Doing::Starting),
            stint(2, 3, Doing::Running),
            stint(3, 50, Doing::Waiting),
        ]
    );
}

#[test]
fn a_child_terminated_in_its_sleep_slept_until_the_signal() {
    // P2 sleeps from 13; P1 sends SIGTERM at 600. The dead child sends
    // nothing more, so its connection's close is stamped just after its last
    // report (14): it still slept until 600, then was a zombie until reaped.
    let mut f = Fold::join();
    f.ev(0, 0, EventKind::Spawned { pid: 10 })
        .rep(
            8,
            0,
            Report::Started {
                child: 2,
                pid: 11,
                daemon: false,
            },
        )
        .rep(13, 1, Report::At { pc: 1 })
        .rep(13, 1, Report::Run { pc: 1 })
        .rep(600, 0, Report::Terminated { child: 2 })
        .ev(14, 1, EventKind::Closed)
        .rep(
            700,
            0,
            Report::Reaped {
                child: 2,
                exitcode: -15,
            },
        );
    let t = &f.0.times[1];
    assert_eq!(t.exited, Some(ms(600)));
    assert_eq!(t.reaped, Some(ms(700)));
    assert_eq!(t.stints.last(), Some(&stint(13, 600, Doing::Sleeping)));
}

#[test]
fn a_process_the_supervisor_reaps_after_a_signal_ends_when_reaped() {
    // P1 killed by `t` in its sleep: closed stamped at 14, reaped at 900.
    let mut f = Fold::join();
    f.ev(0, 0, EventKind::Spawned { pid: 10 })
        .rep(13, 0, Report::At { pc: 0 })
        .rep(13, 0, Report::Run { pc: 0 })
        .ev(14, 0, EventKind::Closed)
        .ev(900, 0, EventKind::Exited(crate::wire::Ending::Signal(15)));
    let t = &f.0.times[0];
    assert_eq!(t.exited, Some(ms(900)));
    assert_eq!(t.stints.last().map(|s| s.to), Some(ms(900)));
}

#[test]
fn a_wait_in_accept_or_recv_is_waiting_not_running() {
    let mut f = Fold(RunState::new(&builtin("chat").unwrap(), &[]));
    f.ev(0, 0, EventKind::Spawned { pid: 10 })
        .rep(5, 0, Report::At { pc: 0 })
        .rep(5, 0, Report::Run { pc: 0 })
        .rep(
            6,
            0,
            Report::AcceptWaiting {
                server: "server".into(),
            },
        )
        .rep(
            900,
            0,
            Report::Accepted {
                server: "server".into(),
                at: crate::wire::SockRef {
                    sock: "conn".into(),
                    port: 40001,
                    server_side: true,
                },
            },
        )
        .rep(901, 0, Report::At { pc: 1 });
    let t = &f.0.times[0];
    assert!(t.stints.contains(&stint(6, 900, Doing::Waiting)), "{t:?}");
    assert!(t.stints.contains(&stint(900, 901, Doing::Running)), "{t:?}");
}

#[test]
fn a_programs_sleep_gate_is_a_sleep_on_the_timeline() {
    let lesson = crate::python::lesson(std::path::Path::new("nap.py"), "").unwrap();
    let mut f = Fold(RunState::new(&lesson, &[]));
    let op = |op: &str| Report::Op {
        op: op.into(),
        name: String::new(),
        file: "nap.py".into(),
        line: 3,
    };
    f.ev(0, 0, EventKind::Spawned { pid: 10 })
        .rep(
            1,
            0,
            Report::Hello {
                version: 1,
                number: 1,
                pid: 10,
                ppid: 1,
            },
        )
        .rep(2, 0, op("sleep"))
        .rep(2, 0, Report::At { pc: 3 })
        .rep(2, 0, Report::Run { pc: 3 })
        .rep(
            502,
            0,
            Report::Slept {
                ms: 500,
                real: true,
            },
        );
    let t = &f.0.times[0];
    assert!(
        t.stints.contains(&stint(2, 502, Doing::Sleeping)),
        "{:?}",
        t.stints
    );
    assert_eq!(t.sleeps.len(), 1);
    assert_eq!(t.sleeps[0].took(), ms(500));
}
