//! The reducer on a real program's run: processes that appear as they
//! start, objects that appear as they are made, the op each process is at.

use std::time::Duration;

use super::*;
use crate::lesson::Lesson;
use crate::wire::Object;

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

/// A program's lesson: one main process with no program of ours.
fn program() -> RunState {
    let lesson: Lesson = serde_json::from_value(serde_json::json!({
        "id": "prog", "title": {"en": "prog"}, "summary": {"en": ""}, "story": {"en": ""},
        "processes": [{"role": "main"}], "programs": {"main": []},
        "check": {"measure": {"final_value": ""}, "expect": 0, "rule": "equal",
                  "quantity": {"en": ""}, "ok": {"en": ""}, "broken": {"en": ""}}
    }))
    .unwrap();
    RunState::new(&lesson, &[])
}

fn hello(p: usize, pid: u32) -> Event {
    rep(
        p,
        Report::Hello {
            version: 1,
            number: p + 1,
            pid,
            ppid: 1,
        },
    )
}

fn at(s: &mut RunState, p: usize, op: &str, name: &str, line: u32) {
    s.apply(&rep(
        p,
        Report::Op {
            op: op.into(),
            name: name.into(),
            file: "prog.py".into(),
            line,
        },
    ));
    s.apply(&rep(p, Report::At { pc: line as usize }));
}

#[test]
fn objects_appear_under_their_python_names() {
    let mut s = program();
    s.apply(&hello(0, 100));
    for (object, name, value) in [
        (Object::Value, "counter.value", 5),
        (Object::Lock, "lock", 1),
        (Object::Semaphore, "room", 0),
        (Object::Lock, "lock", 1),
    ] {
        s.apply(&rep(
            0,
            Report::Created {
                object,
                name: name.into(),
                value,
            },
        ));
    }
    assert_eq!(s.values.len(), 1);
    assert_eq!(
        (s.values[0].name.as_str(), s.values[0].current),
        ("counter.value", 5)
    );
    let locks: Vec<(&str, i64, bool)> = s
        .locks
        .iter()
        .map(|l| (l.name.as_str(), l.available, l.is_lock))
        .collect();
    assert_eq!(
        locks,
        [("lock", 1, true), ("room", 0, false)],
        "made once each"
    );
    s.apply(&rep(
        0,
        Report::Wrote {
            value: "counter.value".into(),
            put: 6,
        },
    ));
    assert_eq!(s.values[0].current, 6);
}

#[test]
fn processes_appear_as_they_start_in_either_order() {
    let mut s = program();
    s.apply(&ev(0, EventKind::Spawned { pid: 100 }));
    s.apply(&hello(0, 100));
    at(&mut s, 0, "start", "worker", 7);
    assert_eq!(s.procs[0].site.as_ref().unwrap().line, 7);
    assert!(s.is_quiet());
    s.apply(&ev(0, EventKind::Granted));
    s.apply(&rep(0, Report::Run { pc: 7 }));
    // The parent's report first: the child is starting, the run not quiet.
    s.apply(&rep(
        0,
        Report::Started {
            child: 2,
            pid: 200,
            daemon: false,
        },
    ));
    at(&mut s, 0, "start", "other", 8);
    assert_eq!(s.procs.len(), 2);
    assert_eq!(s.procs[1].role, "worker");
    assert_eq!(
        s.procs[1].name.as_deref(),
        Some("worker"),
        "the lane's label"
    );
    assert_eq!(s.procs[1].parent, Some(0));
    assert_eq!(s.procs[1].phase, Phase::Starting);
    assert!(!s.is_quiet(), "a child that has not come to its first gate");
    s.apply(&hello(1, 200));
    at(&mut s, 1, "acquire", "lock", 3);
    assert!(s.is_quiet());
    // The child's hello first: it is known before its parent says so.
    s.apply(&ev(0, EventKind::Granted));
    s.apply(&hello(2, 300));
    assert_eq!(s.procs.len(), 3);
    assert_eq!(s.procs[2].phase, Phase::Starting);
    s.apply(&rep(
        0,
        Report::Started {
            child: 3,
            pid: 300,
            daemon: false,
        },
    ));
    assert_eq!(s.procs[2].parent, Some(0));
    assert_eq!(s.procs[2].role, "other");
    assert_eq!(s.runnable(), [false, true, false]);
}

#[test]
fn reports_of_processes_nobody_started_are_ignored() {
    let mut s = program();
    s.apply(&rep(5, Report::At { pc: 1 }));
    s.apply(&ev(4, EventKind::Closed));
    assert_eq!(s.procs.len(), 1);
}

#[test]
fn a_managers_server_is_the_process_it_starts() {
    let mut s = program();
    s.apply(&hello(0, 100));
    at(&mut s, 0, "manager", "m", 4);
    s.apply(&rep(
        0,
        Report::Created {
            object: Object::Manager,
            name: "m".into(),
            value: 0,
        },
    ));
    s.apply(&rep(
        0,
        Report::Started {
            child: 2,
            pid: 200,
            daemon: true,
        },
    ));
    assert_eq!(s.procs[1].name.as_deref(), Some("m (Manager)"));
    let server = &s.ipc.sockets.servers[0];
    assert_eq!((server.name.as_str(), server.manager), ("m", Some(1)));
}

#[test]
fn a_count_below_an_equal_check_is_no_failure_before_the_end() {
    use crate::lesson::{Measure, Rule};
    use crate::model::facts::Says;
    let mut lesson = crate::python::lesson(std::path::Path::new("p.py"), "").unwrap();
    lesson.check.measure = Measure::Outcome("sum 30".into());
    (lesson.check.rule, lesson.check.expect) = (Rule::Equal, 1);
    let mut s = RunState::new(&lesson, &[]);
    s.apply(&hello(0, 100));
    let v = s.verdict_facts();
    assert!(v.ok && !v.finished, "nothing printed yet: {v:?}");
    assert_eq!(v.says, Says::SoFar);
    // Printed twice: more than one, and a count never goes down.
    s.outcomes.insert("sum 30".into(), 2);
    assert!(!s.verdict_facts().ok);
}

#[test]
fn a_process_in_a_conditions_wait_is_said_to_wait_in_it() {
    let mut s = program();
    s.apply(&hello(0, 100));
    s.apply(&rep(
        0,
        Report::Created {
            object: Object::Condition,
            name: "cond".into(),
            value: 0,
        },
    ));
    at(&mut s, 0, "wait", "cond", 5);
    s.apply(&ev(0, EventKind::Granted));
    s.apply(&rep(
        0,
        Report::QueueWaiting {
            queue: "cond".into(),
        },
    ));
    assert!(s.ipc.queues[0].condition);
    let why = s.why_blocked_in(0, crate::lesson::Lang::En);
    assert_eq!(
        why.as_deref(),
        Some("P1 waits in cond.wait() (not notified)")
    );
}

#[test]
fn a_daemon_ended_at_exit_is_not_said_to_be_killed_before_it_finished() {
    use crate::lesson::Measure;
    use crate::wire::Ending;
    let mut lesson = crate::python::lesson(std::path::Path::new("p.py"), "").unwrap();
    lesson.check.measure = Measure::FinalValue("total.value".into());
    let mut s = RunState::new(&lesson, &[]);
    s.apply(&hello(0, 100));
    s.apply(&rep(
        0,
        Report::Started {
            child: 2,
            pid: 200,
            daemon: true,
        },
    ));
    for (p, ending) in [(0, Ending::Code(0)), (1, Ending::Signal(15))] {
        s.procs[p].ending = Some(ending);
        s.procs[p].closed = true;
    }
    assert!(s.all_gone());
    assert!(
        s.verdict_facts().killed.is_empty(),
        "the daemon's usual end"
    );
    s.procs[1].daemon = false;
    assert_eq!(s.verdict_facts().killed, [ProcId(1)]);
}
