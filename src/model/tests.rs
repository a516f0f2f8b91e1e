use crate::wire::Ending;
use std::time::Duration;

use super::*;
use crate::lesson::{Lang, builtin};

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

/// Bring every process to its first gate, as a real run does.
fn started(lesson: &str, off: &[&str]) -> RunState {
    let lesson = builtin(lesson).unwrap();
    let off: Vec<String> = off.iter().map(|s| s.to_string()).collect();
    let mut s = RunState::new(&lesson, &off);
    for p in 0..s.procs.len() {
        s.apply(&ev(
            p,
            EventKind::Spawned {
                pid: 100 + p as u32,
            },
        ));
        s.apply(&rep(
            p,
            Report::Hello {
                version: 1,
                number: p + 1,
                pid: 100 + p as u32,
                ppid: 1,
            },
        ));
        s.apply(&rep(p, Report::Ready));
        s.apply(&rep(p, Report::At { pc: 0 }));
    }
    s
}

fn step(s: &mut RunState, p: usize, pc: usize, reports: Vec<Report>) {
    s.apply(&ev(p, EventKind::Granted));
    s.apply(&rep(p, Report::Run { pc }));
    for r in reports {
        s.apply(&rep(p, r));
    }
    s.apply(&rep(p, Report::At { pc: pc + 1 }));
}

fn finish(s: &mut RunState, p: usize) {
    s.apply(&rep(p, Report::Done { code: 0 }));
    s.apply(&ev(p, EventKind::Closed));
    s.apply(&ev(p, EventKind::Exited(Ending::Code(0))));
}

fn read(v: i64) -> Report {
    Report::Read {
        value: "count".into(),
        got: v,
    }
}

fn wrote(v: i64) -> Report {
    Report::Wrote {
        value: "count".into(),
        put: v,
    }
}

#[test]
fn read_read_write_write_loses_one_update() {
    let mut s = started("counter", &["lock"]);
    assert!(s.is_quiet());
    // counter: acquire, read, sleep, write, print, release.
    let skip = || Report::Skipped {
        lock: "lock".into(),
        release: false,
    };
    step(&mut s, 0, 0, vec![skip()]);
    step(&mut s, 0, 1, vec![read(100)]);
    step(&mut s, 1, 0, vec![skip()]);
    step(&mut s, 1, 1, vec![read(100)]);
    step(&mut s, 0, 2, vec![]);
    step(&mut s, 0, 3, vec![wrote(99)]);
    assert!(s.lost_updates.is_empty(), "the first write loses nothing");
    step(&mut s, 1, 2, vec![]);
    step(&mut s, 1, 3, vec![wrote(99)]);
    assert_eq!(s.lost_updates.len(), 1);
    assert_eq!(s.lost_updates[0].proc, 1);
    assert_eq!(s.broken_at, Some(8), "broken at the 8th step: P2's write");
    assert_eq!(s.values[0].current, 99);
    assert_eq!(s.procs[1].locals.get("count"), Some(&100));
    let last = s.values[0].history.last().unwrap();
    assert!(last.stale && last.kind == AccessKind::Write);
    let v = s.verdict(Lang::En);
    assert!(!v.ok && !v.finished);
    assert_eq!(v.sentence, "1 update lost so far");
}

#[test]
fn final_value_verdict_fills_the_template() {
    let mut s = started("counter", &[]);
    for p in 0..s.procs.len() {
        s.apply(&rep(p, read(100 - p as i64)));
        s.apply(&rep(p, wrote(99 - p as i64)));
        finish(&mut s, p);
    }
    assert!(s.all_gone());
    let v = s.verdict(Lang::En);
    assert!(v.ok, "{v:?}");
    assert_eq!((v.actual, v.expected), (80, 80));
    assert_eq!(v.sentence, "count is 80, as expected: no update was lost");

    let mut s = started("counter", &[]);
    for p in 0..s.procs.len() {
        s.apply(&rep(p, wrote(99)));
        finish(&mut s, p);
    }
    let v = s.verdict(Lang::En);
    assert!(!v.ok);
    assert_eq!(v.sentence, "count is 99, expected 80: 19 updates lost");
    assert!(s.verdict(Lang::Zh).sentence.contains("19"));
}

#[test]
fn rooms_track_the_peak_and_break_live() {
    let mut s = started("bathroom", &["lock"]);
    let enter = || Report::Entered {
        room: "bathroom".into(),
    };
    step(&mut s, 0, 1, vec![enter()]);
    assert_eq!(s.broken_at, None);
    step(&mut s, 1, 1, vec![enter()]);
    assert_eq!(s.rooms[0].inside, vec![0, 1]);
    assert_eq!(s.broken_at, Some(2));
    step(
        &mut s,
        0,
        4,
        vec![Report::Left {
            room: "bathroom".into(),
        }],
    );
    assert_eq!(s.rooms[0].inside, vec![1]);
    assert_eq!(s.rooms[0].peak, 2);
    assert_eq!(s.actual(), 2);
}

#[test]
fn outcomes_count_and_break_when_oversold() {
    let mut s = started("ticket", &["mutex"]);
    let bought = || Report::Outcome {
        name: "bought".into(),
    };
    step(&mut s, 0, 0, vec![bought()]);
    assert!(s.verdict(Lang::En).ok);
    step(&mut s, 1, 0, vec![bought()]);
    assert_eq!(s.actual(), 2);
    assert_eq!(s.broken_at, Some(2));
    assert!(!s.verdict(Lang::En).ok);
}

#[test]
fn printed_lines_keep_both_languages() {
    let mut s = started("counter", &[]);
    s.apply(&rep(
        3,
        Report::Printed {
            en: "saw 7".into(),
            zh: Some("读到 7".into()),
        },
    ));
    assert_eq!(s.output[0].proc, 3);
    assert_eq!(s.output[0].text(Lang::Zh), "读到 7");
    assert_eq!(s.output[0].text(Lang::En), "saw 7");
}

#[test]
fn while_under_way_the_verdict_says_so_far_not_as_expected() {
    let mut s = started("counter", &[]);
    let lock = || "lock".to_string();
    step(&mut s, 0, 0, vec![Report::Acquired { lock: lock() }]);
    step(&mut s, 0, 1, vec![read(100)]);
    step(&mut s, 0, 2, vec![]);
    step(&mut s, 0, 3, vec![wrote(99)]);
    let v = s.verdict(Lang::En);
    assert!(v.ok && !v.finished, "{v:?}");
    assert_eq!(
        v.sentence,
        "count is 99, on its way to 80: no update lost yet"
    );
    assert!(
        s.verdict(Lang::Zh)
            .sentence
            .starts_with("计数为 99，正朝 80 走")
    );

    // Before anybody entered the bathroom.
    let s = started("bathroom", &[]);
    let v = s.verdict(Lang::En);
    assert!(v.ok && !v.finished);
    assert!(!v.sentence.contains("at most 0"), "{}", v.sentence);
    assert!(
        v.sentence
            .starts_with("nobody walked in on anybody (peak inside: 0)")
    );

    // A lesson without `so_far` gets a generic sentence.
    let mut lesson = builtin("counter").unwrap();
    lesson.check.so_far = None;
    let s = RunState::new(&lesson, &[]);
    assert_eq!(s.verdict(Lang::En).sentence, "final count: 100");
    assert_eq!(s.verdict(Lang::Zh).sentence, "最终计数：100");
}

#[test]
fn one_lost_update_is_singular_at_the_end() {
    let mut s = started("counter", &[]);
    for p in 0..s.procs.len() {
        // Everyone reads what the one before wrote, but P20 overwrites P19.
        let got = if p == 19 { 82 } else { 100 - p as i64 };
        s.apply(&rep(p, read(got)));
        s.apply(&rep(p, wrote(got - 1)));
        finish(&mut s, p);
    }
    let v = s.verdict(Lang::En);
    assert_eq!(v.sentence, "count is 81, expected 80: 1 update lost");
}

#[test]
fn a_process_that_failed_breaks_the_verdict_and_is_named() {
    let mut s = started("counter", &[]);
    s.apply(&ev(2, EventKind::Granted));
    s.apply(&rep(2, Report::Run { pc: 0 }));
    s.apply(&rep(
        2,
        Report::Failed {
            message: "1/0: division by zero".into(),
        },
    ));
    let v = s.verdict(Lang::En);
    assert!(!v.ok);
    assert!(
        v.sentence
            .starts_with("P3 stopped with an error: 1/0: division by zero (the check: "),
        "{}",
        v.sentence
    );
    assert!(s.verdict(Lang::Zh).sentence.starts_with("P3 出错停止"));
}

#[test]
fn an_outcome_after_another_counts_only_what_came_after() {
    // daemon: the daemon's second line counts only after the main code ended.
    let lesson = builtin("daemon").unwrap();
    let mut s = RunState::new(&lesson, &[]);
    let outcome = |name: &str| Report::Outcome { name: name.into() };
    s.apply(&rep(1, outcome("daemon_woke")));
    assert_eq!(s.actual(), 0, "before the main code ended it is no fault");
    s.apply(&rep(0, outcome("main_ended")));
    assert_eq!(s.actual(), 0);
    assert!(s.broken_at.is_none());
    s.apply(&rep(1, outcome("daemon_woke")));
    assert_eq!(s.actual(), 1, "after it, the daemon outlived the main code");
    assert!(s.broken_at.is_some());
}

#[test]
fn a_final_value_verdict_names_a_process_killed_before_it_finished() {
    let mut s = started("counter", &["lock"]);
    for p in 0..s.procs.len() {
        let ending = if p == 1 {
            crate::wire::Ending::Signal(15)
        } else {
            crate::wire::Ending::Code(0)
        };
        s.apply(&ev(p, EventKind::Closed));
        s.apply(&ev(p, EventKind::Exited(ending)));
    }
    let v = s.verdict(Lang::En);
    assert!(v.finished, "{v:?}");
    assert!(
        v.sentence.contains("but P2 was killed before it finished"),
        "{}",
        v.sentence
    );
    assert!(s.verdict(Lang::Zh).sentence.contains("P2 在完成前被终止"));
}

mod locks;
