//! Known states for the screens' tests: a lesson's processes started with
//! fixed pids and stepped by recorded events, and an app showing them.

use std::path::PathBuf;
use std::time::Duration;

use lockstep::lesson::{Lang, builtin, builtins};
use lockstep::model::RunState;
use lockstep::supervisor::{Ending, Event, EventKind};
use lockstep::tui::app::App;
use lockstep::tui::session::{RunMode, Session};
use lockstep::wire::Report;

pub fn ev(proc: usize, kind: EventKind) -> Event {
    Event {
        proc,
        at: Duration::ZERO,
        kind,
    }
}

pub fn rep(proc: usize, r: Report) -> Event {
    ev(proc, EventKind::Report(r))
}

pub struct Fold {
    pub state: RunState,
}

impl Fold {
    pub fn new(lesson: &str, off: &[&str]) -> Fold {
        let lesson = builtin(lesson).unwrap();
        let off: Vec<String> = off.iter().map(|s| s.to_string()).collect();
        let mut state = RunState::new(&lesson, &off);
        for p in 0..state.procs.len() {
            let pid = 4000 + p as u32;
            state.apply(&ev(p, EventKind::Spawned { pid }));
            state.apply(&rep(
                p,
                Report::Hello {
                    version: 1,
                    number: p + 1,
                    pid,
                    ppid: 1,
                },
            ));
            state.apply(&rep(p, Report::At { pc: 0 }));
        }
        Fold { state }
    }

    pub fn step(&mut self, p: usize, reports: Vec<Report>) -> &mut Self {
        let pc = self.state.procs[p].pc.unwrap_or(0);
        self.state.apply(&ev(p, EventKind::Granted));
        self.state.apply(&rep(p, Report::Run { pc }));
        for r in reports {
            self.state.apply(&rep(p, r));
        }
        self.state.apply(&rep(p, Report::At { pc: pc + 1 }));
        self
    }

    pub fn block(&mut self, p: usize, lock: &str) -> &mut Self {
        let pc = self.state.procs[p].pc.unwrap_or(0);
        self.state.apply(&ev(p, EventKind::Granted));
        self.state.apply(&rep(p, Report::Run { pc }));
        self.state
            .apply(&rep(p, Report::Waiting { lock: lock.into() }));
        self
    }

    pub fn end(&mut self, p: usize, ending: Ending) -> &mut Self {
        if ending == Ending::Code(0) {
            self.state.apply(&rep(p, Report::Done { code: 0 }));
        }
        self.state.apply(&ev(p, EventKind::Closed));
        self.state.apply(&ev(p, EventKind::Exited(ending)));
        self
    }
}

pub fn app(lang: Lang) -> App {
    let mut app = App::new(builtins(), lang, PathBuf::new());
    app.color = false;
    app
}

pub fn with_session(lang: Lang, lesson: &str, off: &[&str], state: RunState, mode: RunMode) -> App {
    let mut a = app(lang);
    let off: Vec<String> = off.iter().map(|s| s.to_string()).collect();
    let mut s = Session::detached(builtin(lesson).unwrap(), off, state, mode);
    s.os_state = s
        .state()
        .procs
        .iter()
        .map(|p| p.ending.is_none().then_some('S'))
        .collect();
    a.show_run(s);
    a
}

pub fn read(v: i64) -> Report {
    Report::Read {
        value: "count".into(),
        got: v,
    }
}

pub fn wrote(v: i64) -> Report {
    Report::Wrote {
        value: "count".into(),
        put: v,
    }
}

pub fn skip() -> Report {
    Report::Skipped {
        lock: "lock".into(),
        release: false,
    }
}
