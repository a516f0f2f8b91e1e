//! Screens of more lessons from the seed posts (issue 16, items 4, 6 and 1),
//! drawn from states folded from the events a run reports (pids fixed,
//! times zero), at 80×24 in English and Chinese.

mod screens;

use std::time::Duration;

use lockstep::lesson::{Lang, builtin};
use lockstep::model::RunState;
use lockstep::supervisor::{Ending, Event, EventKind};
use lockstep::tui::app::App;
use lockstep::tui::session::{RunMode, Session};
use lockstep::wire::Report;
use screens::fold::app;
use screens::screen;

fn ev(proc: usize, kind: EventKind) -> Event {
    Event {
        proc,
        at: Duration::ZERO,
        kind,
    }
}

fn printed(en: &str, zh: &str) -> Report {
    Report::Printed {
        en: en.into(),
        zh: Some(zh.into()),
    }
}

const ROOT_PID: u32 = 5000;

/// A lesson's state, its first processes at their first gate, stepped by
/// the reports each step would give.
struct Run {
    lesson: &'static str,
    /// The locks switched off.
    off: &'static [&'static str],
    state: RunState,
}

impl Run {
    /// `roots` processes started with the run, pids 5000, 5001, …
    fn new(lesson: &'static str, roots: usize, off: &'static [&'static str]) -> Run {
        let owned: Vec<String> = off.iter().map(|s| s.to_string()).collect();
        let state = RunState::new(&builtin(lesson).unwrap(), &owned);
        let mut r = Run { lesson, off, state };
        for p in 0..roots {
            r.hello(p, ROOT_PID + p as u32, 4999);
        }
        r
    }

    fn rep(&mut self, p: usize, r: Report) {
        self.state.apply(&ev(p, EventKind::Report(r)));
    }

    fn hello(&mut self, p: usize, pid: u32, ppid: u32) {
        self.state.apply(&ev(p, EventKind::Spawned { pid }));
        let number = p + 1;
        self.rep(
            p,
            Report::Hello {
                version: 1,
                number,
                pid,
                ppid,
            },
        );
        self.rep(p, Report::At { pc: 0 });
    }

    /// Process `p` takes the step at its gate, reporting `reports`, and
    /// comes to the gate before `next` (none: it ends there).
    fn op(&mut self, p: usize, next: Option<usize>, reports: Vec<Report>) -> &mut Self {
        let pc = self.state.procs[p].pc.unwrap_or(0);
        self.state.apply(&ev(p, EventKind::Granted));
        self.rep(p, Report::Run { pc });
        for r in reports {
            self.rep(p, r);
        }
        if let Some(next) = next {
            self.rep(p, Report::At { pc: next });
        }
        self
    }

    /// The next step of `p`, in order.
    fn step(&mut self, p: usize, reports: Vec<Report>) -> &mut Self {
        let next = self.state.procs[p].pc.unwrap_or(0) + 1;
        self.op(p, Some(next), reports)
    }

    /// `parent` starts process `c` (0-based) with pid `pid`.
    fn start(&mut self, parent: usize, c: usize, pid: u32, daemon: bool) -> &mut Self {
        let parent_pid = self.state.procs[parent].pid.unwrap();
        self.step(
            parent,
            vec![Report::Started {
                child: c + 1,
                pid,
                daemon,
            }],
        );
        self.hello(c, pid, parent_pid);
        self
    }

    /// Process `p` has ended with `code` (its connection closed, then its exit).
    fn ended(&mut self, p: usize, code: i32) -> &mut Self {
        self.rep(p, Report::Done { code });
        self.state.apply(&ev(p, EventKind::Closed));
        self.state
            .apply(&ev(p, EventKind::Exited(Ending::Code(code))));
        self
    }

    /// The app stepping this state; every process started and not ended
    /// reads `S` in the state column.
    fn app(&self, lang: Lang) -> App {
        let mut a = app(lang);
        let off = self.off.iter().map(|s| s.to_string()).collect();
        let lesson = builtin(self.lesson).unwrap();
        let mut s = Session::detached(lesson, off, self.state.clone(), RunMode::Step);
        s.os_state = (self.state.procs.iter())
            .map(|p| (p.pid.is_some() && p.ending.is_none()).then_some('S'))
            .collect();
        a.show_run(s);
        a
    }

    /// The screen at 80×24 in both languages, recorded as `NAME_en`, `NAME_zh`.
    fn snapshots(&self, name: &str, en_has: &[&str], zh_has: &[&str]) {
        for (lang, has) in [(Lang::En, en_has), (Lang::Zh, zh_has)] {
            let s = screen(&self.app(lang), 80, 24);
            for needle in has {
                assert!(s.contains(needle), "{needle:?} not on screen:\n{s}");
            }
            let tag = if lang == Lang::En { "en" } else { "zh" };
            insta::assert_snapshot!(format!("{name}_{tag}"), s);
        }
    }
}

#[test]
fn daemon_child_the_daemons_start_failed_and_p_started_its_child() {
    let mut r = Run::new("daemon_child", 1, &[]);
    r.start(0, 1, 5010, true).start(0, 2, 5011, false);
    // d: daemon True, so no jump; it prints, jumps to its start, and fails.
    r.step(1, vec![Report::Branch { taken: false }]);
    r.step(
        1,
        vec![printed(
            "d daemon True starts a child",
            "d 守护进程 True 启动一个子进程",
        )],
    );
    r.op(1, Some(4), vec![]);
    r.op(
        1,
        None,
        vec![Report::Failed {
            message: "AssertionError: daemonic processes are not allowed to have children".into(),
        }],
    );
    r.ended(1, 1);
    r.step(
        0,
        vec![Report::Reaped {
            child: 2,
            exitcode: 1,
        }],
    );
    // p: not a daemon, it jumps to its own print and starts its child.
    r.op(2, Some(3), vec![Report::Branch { taken: true }]);
    r.step(
        2,
        vec![printed(
            "p daemon False starts a child",
            "p 守护进程 False 启动一个子进程",
        )],
    );
    r.start(2, 4, 5020, false);
    r.step(
        4,
        vec![
            printed("a grandchild runs", "孙进程在运行"),
            Report::Outcome {
                name: "grandchild_ran".into(),
            },
        ],
    );
    r.op(0, None, vec![Report::Joining { child: 3 }]);
    r.snapshots(
        "daemon_child",
        &[
            "OK so far: P2 stopped with an error: AssertionError: daemonic processes",
            "exit 1",
            "g of d        not started",
            "P5 a grandchild runs",
        ],
        &["AssertionError: daemonic", "孙进程在运行"],
    );
}

fn read(value: &str, got: i64) -> Report {
    Report::Read {
        value: value.into(),
        got,
    }
}

fn wrote(value: &str, put: i64) -> Report {
    Report::Wrote {
        value: value.into(),
        put,
    }
}

#[test]
fn value_array_without_get_lock_both_workers_count_to_1() {
    let mut r = Run::new("value_array", 1, &["v_lock"]);
    r.start(0, 1, 5010, false).start(0, 2, 5011, false);
    let skipped = || Report::Skipped {
        lock: "v_lock".into(),
        release: false,
    };
    let set = |to| Report::Set {
        local: "x".into(),
        to,
    };
    for p in [1, 2] {
        r.step(p, vec![skipped()]);
    }
    for p in [1, 2] {
        r.step(p, vec![read("v", 0)]);
    }
    for p in [1, 2] {
        r.step(p, vec![set(1)]);
    }
    for p in [1, 2] {
        r.step(p, vec![wrote("v", 1)]);
    }
    for (p, slot) in [(1, "a[0]"), (2, "a[1]")] {
        r.step(p, vec![read("v", 1)]).step(p, vec![wrote(slot, 1)]);
    }
    assert_eq!(r.state.lost_updates.len(), 1);
    r.snapshots(
        "value_array",
        &["v_lock", "a[0]", "a[1]", "1 update lost"],
        &["v_lock", "a[1]"],
    );
}
