//! Goals are won live, once per run, and hints come one at a time.

use super::*;
use crate::lesson::{Lang, Rule, Text, builtin};
use crate::wire::Report;
use crate::wire::{Ending, Event, EventKind};
use std::time::Duration;

fn ev(proc: usize, kind: EventKind) -> Event {
    Event {
        proc,
        at: Duration::ZERO,
        kind,
    }
}

fn report(proc: usize, r: Report) -> Event {
    ev(proc, EventKind::Report(r))
}

fn goal(win: Win) -> Vec<Goal> {
    vec![Goal {
        id: "g".into(),
        text: Text {
            en: "do it".into(),
            zh: None,
        },
        win,
        hints: vec![
            Text {
                en: "first".into(),
                zh: None,
            },
            Text {
                en: "second".into(),
                zh: Some("第二".into()),
            },
        ],
    }]
}

#[test]
fn a_quantity_goal_is_won_live_once() {
    let lesson = builtin("ticket").unwrap();
    let mut st = RunState::new(&lesson, &[]);
    let goals = goal(Win {
        quantity: Some(Target {
            rule: Rule::AtLeast,
            value: 2,
        }),
        lost_updates: None,
        waiting: None,
        waiting_role: None,
        deadlock: None,
        at_end: false,
    });
    let mut p = Pursuit::new(&goals, |_| false);
    let bought = || Report::Outcome {
        name: "bought".into(),
    };
    st.apply(&report(0, bought()));
    assert!(
        p.check(&goals, &st).is_empty(),
        "one ticket sold is not two"
    );
    st.apply(&report(1, bought()));
    assert_eq!(p.check(&goals, &st), vec![0], "two sold wins");
    assert!(p.won_now);
    assert!(p.check(&goals, &st).is_empty(), "a win is announced once");
    p.restarted();
    assert!(!p.won_now);
    assert_eq!(p.check(&goals, &st), vec![0]);
}

#[test]
fn a_waiting_goal_for_one_role_is_not_won_by_another() {
    // pipe: "make the child wait in recv()"; the parent waiting does not count.
    let lesson = builtin("pipe").unwrap();
    let goals = lesson.goals.clone();
    assert_eq!(goals[0].win.waiting_role.as_deref(), Some("child"));
    let mut st = RunState::new(&lesson, &[]);
    let mut p = Pursuit::new(&goals, |_| false);
    let waits = || Report::PipeWaiting {
        end: "conn2".into(),
    };
    st.apply(&report(0, waits()));
    assert!(
        p.check(&goals, &st).is_empty(),
        "the parent (P1, role main) waits: not the goal"
    );
    st.apply(&report(
        1,
        Report::PipeWaiting {
            end: "conn1".into(),
        },
    ));
    assert_eq!(p.check(&goals, &st), vec![0], "the child waits: won");
}

#[test]
fn an_end_goal_waits_for_the_end() {
    let lesson = builtin("counter").unwrap();
    let mut st = RunState::new(&lesson, &[]);
    let goals = goal(Win {
        quantity: Some(Target {
            rule: Rule::Equal,
            value: 99,
        }),
        lost_updates: None,
        waiting: None,
        waiting_role: None,
        deadlock: None,
        at_end: true,
    });
    let mut p = Pursuit::new(&goals, |_| false);
    st.apply(&report(
        0,
        Report::Wrote {
            value: "count".into(),
            put: 99,
        },
    ));
    assert_eq!(st.actual(), 99);
    assert!(
        p.check(&goals, &st).is_empty(),
        "99 on the way down is not the end"
    );
    for i in 0..st.procs.len() {
        st.apply(&ev(i, EventKind::Exited(Ending::Code(0))));
    }
    assert!(st.all_gone());
    assert_eq!(p.check(&goals, &st), vec![0], "99 at the end wins");
}

#[test]
fn deadlock_and_lost_update_goals() {
    let lesson = builtin("counter").unwrap();
    let mut st = RunState::new(&lesson, &[]);
    let dl = Win {
        quantity: None,
        lost_updates: None,
        waiting: None,
        waiting_role: None,
        deadlock: Some(true),
        at_end: false,
    };
    assert!(!dl.holds(&st));
    st.deadlock = Some(crate::model::facts::Deadlock { waits: Vec::new() });
    assert!(dl.holds(&st));
    let lost = Win {
        quantity: None,
        lost_updates: Some(Target {
            rule: Rule::AtLeast,
            value: 1,
        }),
        waiting: None,
        waiting_role: None,
        deadlock: None,
        at_end: false,
    };
    assert!(!lost.holds(&st));
    assert!(
        Win {
            quantity: None,
            lost_updates: None,
            waiting: None,
            waiting_role: None,
            deadlock: None,
            at_end: true
        }
        .is_empty()
    );
}

#[test]
fn hints_come_one_at_a_time_and_reset_on_the_next_goal() {
    let goals = goal(Win {
        quantity: None,
        lost_updates: None,
        waiting: None,
        waiting_role: None,
        deadlock: Some(true),
        at_end: false,
    });
    let mut p = Pursuit::new(&goals, |_| false);
    assert!(p.shown_hints(&goals, Lang::En).is_empty());
    assert!(p.hint(&goals));
    assert_eq!(p.shown_hints(&goals, Lang::En), vec!["first"]);
    assert!(p.hint(&goals));
    assert!(!p.hint(&goals), "only two hints");
    assert_eq!(p.shown_hints(&goals, Lang::Zh), vec!["first", "第二"]);
    p.next(&goals);
    assert_eq!(p.goal, 0);
    assert!(p.shown_hints(&goals, Lang::En).is_empty());
}

#[test]
fn the_first_unwon_goal_comes_first() {
    let mut goals = goal(Win {
        quantity: None,
        lost_updates: None,
        waiting: None,
        waiting_role: None,
        deadlock: Some(true),
        at_end: false,
    });
    let mut second = goals[0].clone();
    second.id = "h".into();
    goals.push(second);
    assert_eq!(Pursuit::new(&goals, |id| id == "g").goal, 1);
    assert_eq!(Pursuit::new(&goals, |_| true).goal, 0);
}

#[test]
fn a_goal_reached_on_the_way_to_another_counts() {
    let lesson = builtin("counter").unwrap();
    let mut st = RunState::new(&lesson, &[]);
    let mut goals = goal(Win {
        quantity: None,
        lost_updates: None,
        waiting: None,
        waiting_role: None,
        deadlock: Some(true),
        at_end: false,
    });
    let mut lost = goals[0].clone();
    lost.id = "lost".into();
    lost.win = Win {
        quantity: None,
        lost_updates: Some(Target {
            rule: Rule::AtLeast,
            value: 1,
        }),
        waiting: None,
        waiting_role: None,
        deadlock: None,
        at_end: false,
    };
    goals.push(lost);
    let mut p = Pursuit::new(&goals, |_| false);
    assert!(p.hint(&goals));
    assert_eq!(p.goal, 0);
    st.apply(&report(
        0,
        Report::Read {
            value: "count".into(),
            got: 100,
        },
    ));
    st.apply(&report(
        1,
        Report::Read {
            value: "count".into(),
            got: 100,
        },
    ));
    st.apply(&report(
        0,
        Report::Wrote {
            value: "count".into(),
            put: 99,
        },
    ));
    st.apply(&report(
        1,
        Report::Wrote {
            value: "count".into(),
            put: 99,
        },
    ));
    assert_eq!(p.check(&goals, &st), vec![1], "the second goal is won");
    assert_eq!((p.goal, p.won_now, p.hints), (1, true, 0), "and shown");
    p.next(&goals);
    assert!(!p.won_now, "goal 1 is not won in this run");
    p.next(&goals);
    assert!(p.won_now, "goal 2 still is");
}
