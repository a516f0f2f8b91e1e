//! The lanes as a process tree (htop's tree view) drawn from folded events:
//! children under their parent, not started, waiting for a join, zombies.
//! Pids are fixed and times are zero, so the screens are stable.

mod screens;

use std::path::PathBuf;
use std::time::Duration;

use lockstep::lesson::{Lang, builtin, builtins};
use lockstep::model::RunState;
use lockstep::supervisor::{Event, EventKind};
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

fn rep(proc: usize, r: Report) -> Event {
    ev(proc, EventKind::Report(r))
}

const ROOT_PID: u32 = 5000;

/// A tree lesson's state: P1 at its first gate, its children not started.
struct Tree {
    lesson: &'static str,
    state: RunState,
}

impl Tree {
    fn new(lesson: &'static str) -> Tree {
        let mut state = RunState::new(&builtin(lesson).unwrap(), &[]);
        state.apply(&ev(0, EventKind::Spawned { pid: ROOT_PID }));
        let mut t = Tree { lesson, state };
        t.hello(0, ROOT_PID, 1);
        t
    }

    fn hello(&mut self, p: usize, pid: u32, ppid: u32) {
        self.state.apply(&rep(
            p,
            Report::Hello {
                version: 1,
                number: p + 1,
                pid,
                ppid,
            },
        ));
        self.state.apply(&rep(p, Report::At { pc: 0 }));
    }

    /// Process `p` takes one step, reporting `reports` on the way.
    fn step(&mut self, p: usize, reports: Vec<Report>) -> &mut Self {
        let pc = self.state.procs[p].pc.unwrap_or(0);
        self.state.apply(&ev(p, EventKind::Granted));
        self.state.apply(&rep(p, Report::Run { pc }));
        for r in reports {
            self.state.apply(&rep(p, r));
        }
        self.state.apply(&rep(p, Report::At { pc: pc + 1 }));
        self
    }

    /// P1 starts child `c` (0-based), which comes to its first gate.
    fn start(&mut self, c: usize) -> &mut Self {
        let pid = ROOT_PID + 10 + c as u32;
        self.step(
            0,
            vec![Report::Started {
                child: c + 1,
                pid,
                daemon: false,
            }],
        );
        self.hello(c, pid, ROOT_PID);
        self
    }

    /// Child `c` runs to its end and exits (not yet reaped).
    fn exit(&mut self, c: usize) -> &mut Self {
        self.state.apply(&rep(c, Report::Done { code: 0 }));
        self.state.apply(&ev(c, EventKind::Closed));
        self
    }

    fn app(&self, lang: Lang, mode: RunMode) -> App {
        let mut a = App::new(builtins(), lang, PathBuf::new());
        a.color = false;
        let mut s = Session::detached(
            builtin(self.lesson).unwrap(),
            Vec::new(),
            self.state.clone(),
            mode,
        );
        // What /proc would say: Z for a zombie, S for the living.
        s.os_state = (0..s.state().procs.len())
            .map(|i| {
                let p = &s.state().procs[i];
                if s.state().is_zombie(i) {
                    Some('Z')
                } else {
                    (p.pid.is_some() && p.ending.is_none()).then_some('S')
                }
            })
            .collect();
        a.show_run(s);
        a
    }
}

#[test]
fn join_tree_with_a_parent_waiting_and_zombies_at_80x24() {
    let mut t = Tree::new("join");
    t.step(0, vec![]).step(0, vec![]);
    t.start(1).start(2).start(3);
    // P3 (1 s) and P4 (2 s) end while P1 waits for P2 (3 s).
    t.state.apply(&rep(0, Report::Joining { child: 2 }));
    t.exit(2).exit(3);
    let s = screen(&t.app(Lang::En, RunMode::Running), 80, 24);
    assert!(s.contains("│P1 "), "{s}");
    assert!(s.contains("├─P2"), "{s}");
    assert!(s.contains("waits: join P2"), "{s}");
    // Narrow beside the listing's names (`├─P5 sen…[0]`): the short words.
    assert!(s.contains("Z zombie "), "{s}");
    assert!(s.contains("├─P2 a "), "{s}");
    assert!(s.contains("not started"), "{s}");
    // The children told in words, those alike together (no bare glyphs).
    assert!(s.contains("P1 children: P2 alive,"), "{s}");
    assert!(
        s.contains("P3 P4 zombie,") && s.contains("P5–P14 not started"),
        "{s}"
    );
    insta::assert_snapshot!("join_tree_80x24", s);
}

#[test]
fn zombie_tree_in_chinese_and_at_160x48() {
    let mut t = Tree::new("zombie");
    t.step(0, vec![]);
    t.start(1);
    t.step(1, vec![]);
    t.exit(1);
    let zh = screen(&t.app(Lang::Zh, RunMode::Step), 80, 24);
    assert!(
        zh.contains("└─P2") && zh.contains("僵尸：未被 join"),
        "{zh}"
    );
    assert!(zh.contains("P1 的子进程: P2 僵尸"), "{zh}");
    insta::assert_snapshot!("zombie_tree_zh", zh);
    let wide = screen(&t.app(Lang::En, RunMode::Step), 160, 48);
    assert!(
        wide.contains("└─P2") && wide.contains("Z zombie: not joined"),
        "{wide}"
    );
    insta::assert_snapshot!("zombie_tree_160x48", wide);
}
