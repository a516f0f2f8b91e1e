//! Screens of the lessons from the rest of the seed posts (issue 16), drawn
//! from states folded from recorded events (pids fixed, times zero), at
//! 80×24 in English and Chinese.

mod screens;

use std::path::PathBuf;
use std::time::Duration;

use lockstep::lesson::{Lang, builtin, builtins};
use lockstep::model::RunState;
use lockstep::supervisor::{Ending, Event, EventKind};
use lockstep::tui::app::App;
use lockstep::tui::session::{RunMode, Session};
use lockstep::wire::Report;
use screens::screen;

fn ev(proc: usize, kind: EventKind) -> Event {
    Event {
        proc,
        at: Duration::ZERO,
        kind,
    }
}

const ROOT_PID: u32 = 5000;

/// A tree lesson's state, P1 at its first gate, stepped by hand.
struct Run {
    lesson: &'static str,
    state: RunState,
}

fn printed(en: &str, zh: &str) -> Report {
    Report::Printed {
        en: en.into(),
        zh: Some(zh.into()),
    }
}

fn set(local: &str, to: i64) -> Report {
    Report::Set {
        local: local.into(),
        to,
    }
}

impl Run {
    fn new(lesson: &'static str) -> Run {
        let mut state = RunState::new(&builtin(lesson).unwrap(), &[]);
        state.apply(&ev(0, EventKind::Spawned { pid: ROOT_PID }));
        let mut r = Run { lesson, state };
        r.hello(0, ROOT_PID, 4999);
        r
    }

    fn rep(&mut self, p: usize, r: Report) {
        self.state.apply(&ev(p, EventKind::Report(r)));
    }

    fn hello(&mut self, p: usize, pid: u32, ppid: u32) {
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
    /// comes to the gate before `next`.
    fn op(&mut self, p: usize, next: usize, reports: Vec<Report>) -> &mut Self {
        let pc = self.state.procs[p].pc.unwrap_or(0);
        self.state.apply(&ev(p, EventKind::Granted));
        self.rep(p, Report::Run { pc });
        for r in reports {
            self.rep(p, r);
        }
        self.rep(p, Report::At { pc: next });
        self
    }

    /// The next step of `p`, in order.
    fn step(&mut self, p: usize, reports: Vec<Report>) -> &mut Self {
        let next = self.state.procs[p].pc.unwrap_or(0) + 1;
        self.op(p, next, reports)
    }

    /// `parent` starts process `c` (0-based) with pid `pid`.
    fn start(&mut self, parent: usize, c: usize, pid: u32) -> &mut Self {
        let parent_pid = self.state.procs[parent].pid.unwrap();
        self.step(
            parent,
            vec![Report::Started {
                child: c + 1,
                pid,
                daemon: false,
            }],
        );
        self.hello(c, pid, parent_pid);
        self
    }

    fn app(&self, lang: Lang) -> App {
        let mut a = App::new(builtins(), lang, PathBuf::new());
        a.color = false;
        let mut s = Session::detached(
            builtin(self.lesson).unwrap(),
            Vec::new(),
            self.state.clone(),
            RunMode::Step,
        );
        // What /proc would say: Z for a zombie, S for the living.
        s.os_state = (0..s.state().procs.len())
            .map(|i| {
                let p = &s.state().procs[i];
                if s.state().is_zombie(i) {
                    Some('Z')
                } else {
                    (p.pid.is_some() && p.ending.is_none() && !p.closed).then_some('S')
                }
            })
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
fn alive_after_join_1_the_child_still_runs_and_has_no_exit_code() {
    let mut r = Run::new("alive");
    r.start(0, 1, 5010);
    r.step(1, vec![printed("child: sleeping 3 s", "子进程：睡 3 秒")]);
    r.step(
        1,
        vec![Report::Slept {
            ms: 3000,
            real: false,
        }],
    );
    r.step(0, vec![set("alive", 1)])
        .step(0, vec![Report::Branch { taken: false }]);
    r.step(
        0,
        vec![printed(
            "after start: is_alive True",
            "start 之后：is_alive True",
        )],
    );
    r.op(0, 6, vec![]);
    r.step(0, vec![set("t0", 0)]);
    r.step(0, vec![Report::JoinTimedOut { child: 2 }]);
    r.step(0, vec![set("t1", 1000)])
        .step(0, vec![set("waited", 1000)]);
    r.step(
        0,
        vec![printed(
            "join(1) returned after 1000 ms",
            "join(1) 在 1000 毫秒后返回",
        )],
    );
    r.step(0, vec![set("alive_after", 1)]).step(0, vec![]);
    r.step(0, vec![Report::Branch { taken: false }]);
    r.step(
        0,
        vec![printed(
            "is_alive True exitcode None",
            "is_alive True，exitcode None",
        )],
    );
    r.snapshots(
        "alive",
        &[
            "is_alive True exitcode None",
            "join(1) returned after 1000 ms",
        ],
        &["is_alive True，exitcode None"],
    );
}

#[test]
fn ppid_both_children_name_main_as_their_parent() {
    let mut r = Run::new("ppid");
    r.step(
        0,
        vec![printed(
            "main: pid 5000 parent 4999",
            "主进程：pid 5000，父进程 4999",
        )],
    );
    r.start(0, 1, 5010).start(0, 2, 5011);
    for (c, pid) in [(1, 5010), (2, 5011)] {
        r.step(
            c,
            vec![printed(
                &format!("child: pid {pid} parent 5000"),
                &format!("子进程：pid {pid}，父进程 5000"),
            )],
        );
        r.step(c, vec![Report::Branch { taken: false }]);
        r.step(
            c,
            vec![
                printed(
                    "my parent is main, pid 5000",
                    "我的父进程是主进程，pid 5000",
                ),
                Report::Outcome {
                    name: "parent_is_main".into(),
                },
            ],
        );
    }
    r.snapshots(
        "ppid",
        &["child: pid 5011 parent 5000", "2 of 2 children"],
        &["子进程：pid 5011，父进程 5000"],
    );
}

#[test]
fn orphan_after_the_terminate_the_grandchild_has_a_new_parent() {
    let mut r = Run::new("orphan");
    r.start(0, 1, 5010);
    r.step(
        1,
        vec![printed(
            "child 5010 starts a grandchild",
            "子进程 5010 启动一个孙进程",
        )],
    );
    r.start(1, 2, 5020);
    r.step(
        2,
        vec![printed(
            "grandchild 5020 parent 5010",
            "孙进程 5020，父进程 5010",
        )],
    );
    r.step(
        2,
        vec![Report::Slept {
            ms: 2000,
            real: false,
        }],
    );
    r.step(
        1,
        vec![Report::Slept {
            ms: 10000,
            real: false,
        }],
    );
    r.step(
        0,
        vec![Report::Slept {
            ms: 1000,
            real: false,
        }],
    );
    r.step(0, vec![Report::Terminated { child: 2 }]);
    r.state.apply(&ev(1, EventKind::Closed));
    r.step(
        0,
        vec![Report::Reaped {
            child: 2,
            exitcode: -15,
        }],
    );
    r.step(0, vec![set("code", -15)]);
    r.step(0, vec![printed("p exit code -15", "p 的退出码 -15")]);
    r.rep(2, Report::Reparented { ppid: 1 });
    r.step(
        2,
        vec![printed(
            "grandchild 5020 parent now 1",
            "孙进程 5020，现在的父进程 1",
        )],
    );
    r.step(2, vec![Report::Branch { taken: false }]);
    r.step(
        2,
        vec![
            printed(
                "adopted: still running, not a zombie",
                "被收养了：仍在运行，不是僵尸",
            ),
            Report::Outcome {
                name: "adopted".into(),
            },
        ],
    );
    assert_eq!(r.state.procs[1].ending, Some(Ending::Signal(15)));
    assert!(r.state.procs[2].orphaned);
    r.snapshots(
        "orphan",
        &["orphan: ppid now 1", "parent now 1", "1 orphan ran on"],
        &["孤儿：现在 ppid 1"],
    );
}

#[test]
fn rlock_the_owner_holds_it_twice_and_the_other_waits() {
    let mut r = Run::new("rlock");
    r.state.apply(&ev(1, EventKind::Spawned { pid: 5001 }));
    r.hello(1, 5001, 4999);
    let lock = || "lock".to_string();
    r.step(0, vec![Report::Acquired { lock: lock() }]);
    r.step(
        0,
        vec![Report::Entered {
            room: "inside".into(),
        }],
    );
    r.step(
        0,
        vec![printed("worker 0 has the lock", "工作进程 0 拿到了锁")],
    );
    r.step(
        0,
        vec![Report::Reentered {
            lock: lock(),
            depth: 2,
        }],
    );
    r.step(
        0,
        vec![
            printed(
                "worker 0 logs inside, count 2",
                "工作进程 0 在锁里记日志，计数 2",
            ),
            Report::Outcome {
                name: "reentered".into(),
            },
        ],
    );
    // P2 tries: the lock is P1's, whatever its count.
    r.state.apply(&ev(1, EventKind::Granted));
    r.rep(1, Report::Run { pc: 0 });
    r.rep(1, Report::Waiting { lock: lock() });
    assert_eq!(r.state.locks[0].depth, 2);
    r.snapshots(
        "rlock",
        &[
            "RLock lock",
            "P1 (count 2)",
            "waits lock (P1)",
            "at most 1 inside",
        ],
        &["可重入锁 lock", "P1 (计数 2)"],
    );
}
