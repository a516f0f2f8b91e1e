//! Challenges: goals a lesson declares ("make two buyers both get the
//! ticket"), each with an explicit win condition checked live against the
//! run's state, and progressive hints. Pure: no I/O here (progress is kept
//! by `progress`).

use serde::{Deserialize, Serialize};

use crate::lesson::{Lang, Rule, Text};
use crate::state::{Phase, RunState};

/// One challenge of a lesson.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Goal {
    /// Stable name, used to remember that it was won.
    pub id: String,
    /// What to make happen, one sentence.
    pub text: Text,
    pub win: Win,
    /// Shown one at a time, each more telling than the last.
    #[serde(default)]
    pub hints: Vec<Text>,
}

/// Every condition given must hold at the same moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Win {
    /// The lesson's key quantity (its check's measure) against a number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<Target>,
    /// Lost updates so far against a number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lost_updates: Option<Target>,
    /// Processes blocked in the kernel on a lock, semaphore, event, pipe or queue right now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiting: Option<Target>,
    /// Count only processes of this role for `waiting` (the child, not its parent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiting_role: Option<String>,
    /// The run ended in a deadlock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadlock: Option<bool>,
    /// Judge only once the run is over (a count passes 99 on its way to 80).
    #[serde(default)]
    pub at_end: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    pub rule: Rule,
    pub value: i64,
}

impl Target {
    fn holds(self, actual: i64) -> bool {
        self.rule.holds(actual, self.value)
    }
}

impl Win {
    /// Whether the run, as it stands, wins this goal.
    pub fn holds(&self, state: &RunState) -> bool {
        let finished = state.all_gone() || state.deadlock.is_some();
        if self.at_end && !finished {
            return false;
        }
        self.quantity.is_none_or(|t| t.holds(state.actual()))
            && self
                .lost_updates
                .is_none_or(|t| t.holds(state.lost_updates.len() as i64))
            && self.waiting.is_none_or(|t| {
                let waiting = state
                    .procs
                    .iter()
                    .filter(|p| self.waiting_role.as_ref().is_none_or(|r| *r == p.role))
                    .filter(|p| matches!(p.phase, Phase::Waiting { .. } | Phase::Blocked { .. }))
                    .count();
                t.holds(waiting as i64)
            })
            && self.deadlock.is_none_or(|d| d == state.deadlock.is_some())
    }

    /// At least one condition: an empty `win` would be won by doing nothing.
    pub fn is_empty(&self) -> bool {
        self.quantity.is_none()
            && self.lost_updates.is_none()
            && self.waiting.is_none()
            && self.deadlock.is_none()
    }
}

/// Which goal the learner works on in one lesson, and how far the hints go.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pursuit {
    pub goal: usize,
    /// Hints shown so far for this goal.
    pub hints: usize,
    /// The current goal was won in this run (celebrate until the next run).
    pub won_now: bool,
    /// Goals won in this run, by index: each is announced once per run.
    won_run: Vec<usize>,
}

impl Pursuit {
    /// Start on the first goal not yet won (or the first, if all are).
    pub fn new(goals: &[Goal], won: impl Fn(&str) -> bool) -> Pursuit {
        let goal = goals.iter().position(|g| !won(&g.id)).unwrap_or(0);
        Pursuit {
            goal,
            ..Pursuit::default()
        }
    }

    /// Check every goal, not only the current one: a goal reached on the
    /// way to another still counts. Returns the goals just won; the last of
    /// them becomes the current goal, celebrated.
    pub fn check(&mut self, goals: &[Goal], state: &RunState) -> Vec<usize> {
        let won: Vec<usize> = (0..goals.len())
            .filter(|i| !self.won_run.contains(i) && goals[*i].win.holds(state))
            .collect();
        if let Some(&last) = won.last() {
            let current = if won.contains(&self.goal) {
                self.goal
            } else {
                last
            };
            if current != self.goal {
                self.hints = 0;
            }
            self.goal = current;
            self.won_now = true;
            self.won_run.extend(&won);
        }
        won
    }

    /// Show one more hint; false when there are none left.
    pub fn hint(&mut self, goals: &[Goal]) -> bool {
        let n = goals.get(self.goal).map_or(0, |g| g.hints.len());
        if self.hints < n {
            self.hints += 1;
            true
        } else {
            false
        }
    }

    /// Move to the next goal (wrapping), hints hidden again.
    pub fn next(&mut self, goals: &[Goal]) {
        if !goals.is_empty() {
            self.goal = (self.goal + 1) % goals.len();
        }
        self.hints = 0;
        self.won_now = self.won_run.contains(&self.goal);
    }

    /// A fresh run: every goal is judged again.
    pub fn restarted(&mut self) {
        self.won_now = false;
        self.won_run.clear();
    }

    /// The hints shown so far, in `lang`.
    pub fn shown_hints<'g>(&self, goals: &'g [Goal], lang: Lang) -> Vec<&'g str> {
        goals
            .get(self.goal)
            .map(|g| {
                g.hints
                    .iter()
                    .take(self.hints)
                    .map(|h| h.get(lang))
                    .collect()
            })
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::builtin;
    use crate::supervisor::{Ending, Event, EventKind};
    use crate::wire::Report;
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
        st.deadlock = Some(crate::state::facts::Deadlock { waits: Vec::new() });
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
}
