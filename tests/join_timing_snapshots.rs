//! The `join` lesson's timing view (key `v`) drawn into a test backend from
//! a free run folded out of synthetic events, pids and times fixed here:
//! three children sleep 3, 1 and 2 s at speed 2× (1.5, 0.5 and 1 s of real
//! time) and are joined after about 1.5 s; then ten mail senders. At 80×24
//! and 160×48, in English and Chinese; and a stepped run, whose sleeps take
//! no time, which the view says instead of measuring.

use std::path::PathBuf;
use std::time::Duration;

use lockstep::lesson::{Lang, builtin, builtins};
use lockstep::model::RunState;
use lockstep::supervisor::{Ending, Event, EventKind};
use lockstep::tui::app::App;
use lockstep::tui::run_timing::{self, Clocked};
use lockstep::tui::session::{RunMode, Session};
use lockstep::tui::timing::Activity;
use lockstep::tui::view;
use lockstep::wire::Report;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::CellWidth;

const MAIN_PID: u32 = 5000;

/// Folds events at fixed times (ms) into the join lesson's state.
struct Run {
    state: RunState,
    /// Sleeps really sleep (a free run) or take no time (stepped).
    real: bool,
}

impl Run {
    fn new(real: bool) -> Run {
        Run {
            state: RunState::new(&builtin("join").unwrap(), &[]),
            real,
        }
    }

    fn ev(&mut self, t: u64, proc: usize, kind: EventKind) {
        self.state.apply(&Event {
            proc,
            at: Duration::from_millis(t),
            kind,
        });
    }

    fn rep(&mut self, t: u64, proc: usize, r: Report) {
        self.ev(t, proc, EventKind::Report(r));
    }

    /// Process `p` passes its gate at `pc` at time `t` and reports `reports`.
    fn op(&mut self, t: u64, p: usize, pc: usize, reports: Vec<Report>) {
        self.rep(t, p, Report::At { pc });
        self.rep(t, p, Report::Run { pc });
        for r in reports {
            self.rep(t, p, r);
        }
    }

    fn hello(&mut self, t: u64, p: usize, pid: u32, ppid: u32) {
        self.rep(
            t,
            p,
            Report::Hello {
                version: 1,
                number: p + 1,
                pid,
                ppid,
            },
        );
    }

    /// P1 starts child `c` (0-based) at `t`.
    fn start(&mut self, t: u64, pc: usize, c: usize) {
        self.op(
            t,
            0,
            pc,
            vec![Report::Started {
                child: c + 1,
                pid: MAIN_PID + 1 + c as u32,
                daemon: false,
            }],
        );
    }

    /// Child `c` sleeps `ms` lesson ms at `pc` from `t` (half that in real
    /// time at speed 2, none when stepped) and ends; returns when it closed.
    fn sleeper(&mut self, t: u64, c: usize, pc: usize, ms: u64) -> u64 {
        self.hello(t + 2, c, MAIN_PID + 1 + c as u32, MAIN_PID);
        if pc > 0 {
            self.op(t + 3, c, 0, Vec::new());
        }
        self.op(t + 3, c, pc, Vec::new());
        let woke = t + 3 + if self.real { ms / 2 } else { 0 };
        let real = self.real;
        self.rep(woke, c, Report::Slept { ms, real });
        self.op(woke, c, pc + 1, Vec::new());
        self.rep(woke + 1, c, Report::Done { code: 0 });
        self.ev(woke + 2, c, EventKind::Closed);
        woke + 2
    }

    /// P1 joins child `c` at `pc`, from `t`, until it ended at `ended`.
    fn join(&mut self, t: u64, pc: usize, c: usize, ended: u64) -> u64 {
        self.op(t, 0, pc, vec![Report::Joining { child: c + 1 }]);
        let back = ended.max(t) + 1;
        self.rep(
            back,
            0,
            Report::Reaped {
                child: c + 1,
                exitcode: 0,
            },
        );
        back
    }

    /// The whole lesson: P1 starts three sleepers, joins them, then ten senders.
    fn lesson(real: bool) -> RunState {
        let mut r = Run::new(real);
        r.ev(0, 0, EventKind::Spawned { pid: MAIN_PID });
        r.hello(3, 0, MAIN_PID, 1);
        r.op(4, 0, 0, Vec::new());
        r.op(5, 0, 1, vec![set("start", 0)]);
        let mut ends = Vec::new();
        for (k, secs) in [3u64, 1, 2].into_iter().enumerate() {
            let t = 7 + 2 * k as u64;
            r.start(t, 2 + k, 1 + k);
            ends.push(r.sleeper(t, 1 + k, 1, secs * 1000));
        }
        let mut t = 13;
        for (k, end) in ends.iter().enumerate() {
            t = r.join(t, 5 + k, 1 + k, *end);
        }
        let took = if real { (t - 5) * 2 } else { 3000 };
        r.op(t, 0, 8, vec![set("now", took as i64)]);
        r.op(t, 0, 9, vec![set("took", took as i64)]);
        let mut ends = Vec::new();
        for k in 0..10u64 {
            let s = t + 2 + 2 * k;
            r.start(s, 13, 4 + k as usize);
            ends.push(r.sleeper(s, 4 + k as usize, 0, 100 + 50 * k));
        }
        let mut t = t + 25;
        for (k, end) in ends.iter().enumerate() {
            t = r.join(t, 18, 4 + k, *end);
        }
        r.op(t, 0, 21, Vec::new());
        r.rep(t + 1, 0, Report::Done { code: 0 });
        r.ev(t + 2, 0, EventKind::Closed);
        r.ev(t + 3, 0, EventKind::Exited(Ending::Code(0)));
        r.state
    }
}

fn set(local: &str, to: i64) -> Report {
    Report::Set {
        local: local.into(),
        to,
    }
}

fn app(state: RunState, lang: Lang) -> App {
    let mut a = App::new(builtins(), lang, PathBuf::new());
    a.color = false;
    let mut s = Session::detached(builtin("join").unwrap(), Vec::new(), state, RunMode::Done);
    s.timing.shown = true;
    // The learner pressed `+` once: the times below are of a run at 2×.
    s.speed = 2.0;
    a.show_run(s);
    a
}

fn screen(app: &App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| view::draw(f, app)).unwrap();
    let buf = t.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..h {
        let mut line = String::new();
        let mut skip = 0u16;
        for x in 0..w {
            let cell = &buf[(x, y)];
            if skip == 0 {
                line.push_str(cell.symbol());
            }
            skip = skip.max(cell.cell_width()).saturating_sub(1);
        }
        // Numbers keep their unit with a no-break space.
        out.push_str(line.replace('\u{a0}', " ").trim_end());
        out.push('\n');
    }
    out
}

#[test]
fn the_measured_total_is_the_longest_sleep_not_the_sum() {
    let state = Run::lesson(true);
    assert!(state.all_gone());
    assert_eq!(run_timing::clocked(&state), Clocked::Real);
    let cs = run_timing::comparisons(&state, Duration::ZERO);
    // The sleepers, then the senders; P1 never sleeps.
    assert_eq!(cs.len(), 2);
    let sleepers = &cs[0];
    assert_eq!(sleepers.group.label(), "P2–4");
    assert_eq!(sleepers.each, vec![(1, 1500.0), (2, 500.0), (3, 1000.0)]);
    assert_eq!(sleepers.sum_ms, 3000.0);
    // First start (7 ms) to last join (1515 ms).
    let took = sleepers.took_ms.unwrap();
    assert!((took - 1508.0).abs() < 1e-6, "{took}");
    assert_eq!(sleepers.overlapped(), Some(true));
    assert_eq!(cs[1].group.label(), "P5–14");
    assert_eq!(cs[1].overlapped(), Some(true));
    let marks = run_timing::marks(&state);
    assert_eq!(marks.len(), 2);
    assert_eq!(marks[0].from_ms, 7.0);
    assert!((marks[0].to_ms - 1515.0).abs() < 1e-6);
}

#[test]
fn a_joined_child_that_ended_first_is_a_zombie_until_its_join() {
    let state = Run::lesson(true);
    let spans = run_timing::spans(&state, Duration::ZERO);
    assert_eq!(spans.len(), 14);
    // P3 slept 0.5 s and ended, but P1 was still joining P2: Z until 1.5 s.
    let p3 = &spans[2];
    assert_eq!(p3.label, "P3");
    assert_eq!(p3.note, "exit 0");
    assert_eq!(p3.exited_ms, Some(1514.0));
    assert_eq!(p3.activity_in(600.0, 1400.0), Some(Activity::Zombie));
    assert_eq!(p3.activity_in(100.0, 400.0), Some(Activity::Sleeping));
    // P1 waits in join while its children sleep.
    assert_eq!(spans[0].activity_in(100.0, 1400.0), Some(Activity::Waiting));
    // P2 is never a zombie: P1 was already waiting for it.
    assert_eq!(
        spans[1].activity_in(1300.0, 1490.0),
        Some(Activity::Sleeping)
    );
}

#[test]
fn join_timing_at_80x24_and_160x48() {
    let s = screen(&app(Run::lesson(true), Lang::En), 80, 24);
    for needle in [
        "Timeline · whole run",
        "Measured time",
        "P2–4 sum",
        "3.00 s",
        "P2–4 took",
        "1.51 s",
        "v lanes · ←→ zoom",
    ] {
        assert!(s.contains(needle), "no {needle:?} in:\n{s}");
    }
    let bar = |s: &str, label: &str| {
        s.lines()
            .find(|l| l.contains(label))
            .map(|l| l.matches('█').count())
            .unwrap_or_else(|| panic!("no {label:?} in:\n{s}"))
    };
    // The total is about half the sum, to scale.
    let (sum, took) = (bar(&s, "P2–4 sum"), bar(&s, "P2–4 took"));
    assert!(
        took * 2 <= sum + 1 && took * 2 + 1 >= sum,
        "{took} vs {sum}:\n{s}"
    );
    // The zombie's glyph is its own, not the legend's separator `·`.
    assert!(s.contains('░') && s.contains('┄'), "{s}");
    assert!(s.contains("▒ start ┄ zombie · ←→"), "{s}");
    insta::assert_snapshot!("join_timing_80x24", s);

    let big = screen(&app(Run::lesson(true), Lang::En), 160, 48);
    for needle in [
        "P2 sleep",
        "1.50 s",
        "P2–4 took 1.51 s < sum 3.00 s: the sleeps overlapped",
        "real time, speed 2×: a 1 s sleep lasts 500 ms",
        "├P2–4",
    ] {
        assert!(big.contains(needle), "no {needle:?} in:\n{big}");
    }
    insta::assert_snapshot!("join_timing_160x48", big);
}

#[test]
fn join_timing_in_chinese() {
    let s = screen(&app(Run::lesson(true), Lang::Zh), 80, 24);
    assert!(s.contains("P2–4 之和") && s.contains("P2–4 实耗"), "{s}");
    assert!(s.contains("▒ 启动 ┄ 僵尸 · ←→"), "{s}");
    insta::assert_snapshot!("join_timing_zh_80x24", s);
    let big = screen(&app(Run::lesson(true), Lang::Zh), 160, 48);
    assert!(big.contains("睡眠是重叠的"), "{big}");
    insta::assert_snapshot!("join_timing_zh_160x48", big);
}

#[test]
fn a_stepped_run_says_its_sleeps_took_no_time() {
    let state = Run::lesson(false);
    assert_eq!(run_timing::clocked(&state), Clocked::Stepped);
    let s = screen(&app(state, Lang::En), 160, 48);
    assert!(
        s.contains("stepped: sleeps took no real time"),
        "no stepped note in:\n{s}"
    );
    assert!(!s.contains("P2–4 took"), "{s}");
    insta::assert_snapshot!("join_timing_stepped_160x48", s);
}

#[test]
fn processes_the_supervisor_starts_count_from_play_not_from_their_gates() {
    // Bathroom: two tasks wait at their gates for 1 s, then take the lock
    // one after the other and sleep 0.5 s each inside.
    let mut r = Run {
        state: RunState::new(&builtin("bathroom").unwrap(), &[]),
        real: true,
    };
    for p in 0..2 {
        r.ev(
            0,
            p,
            EventKind::Spawned {
                pid: 7000 + p as u32,
            },
        );
        r.rep(5, p, Report::At { pc: 0 });
    }
    let lock = || "lock".to_string();
    r.op(1000, 0, 0, vec![Report::Acquired { lock: lock() }]);
    r.op(1000, 1, 0, vec![Report::Waiting { lock: lock() }]);
    for (p, at) in [(0usize, 1001u64), (1, 1502)] {
        if p == 1 {
            r.rep(at, 1, Report::Acquired { lock: lock() });
        }
        r.op(at, p, 3, Vec::new());
        r.rep(
            at + 500,
            p,
            Report::Slept {
                ms: 1000,
                real: true,
            },
        );
        r.op(at + 500, p, 6, vec![Report::Released { lock: lock() }]);
        r.rep(at + 500, p, Report::Done { code: 0 });
        r.ev(at + 501, p, EventKind::Closed);
        r.ev(at + 501, p, EventKind::Exited(Ending::Code(0)));
    }
    assert_eq!(run_timing::begin_ms(&r.state), 1000.0);
    let cs = run_timing::comparisons(&r.state, Duration::ZERO);
    assert_eq!(cs.len(), 1);
    assert_eq!(cs[0].sum_ms, 1000.0);
    // From play (1000) to the last exit (2003): about the sum, not less.
    assert_eq!(cs[0].took_ms, Some(1003.0));
    assert_eq!(cs[0].overlapped(), Some(false));
    // No phase marks: nobody here was started by a parent.
    assert!(run_timing::marks(&r.state).is_empty());
}

#[test]
fn one_process_alone_is_not_compared_with_its_own_sleeps() {
    // daemon's main sleeps 100 ms, then waits at exit for its other child:
    // its "took" holds that wait, so sum against took would say nothing true.
    let mut state = RunState::new(&builtin("daemon").unwrap(), &[]);
    let at = |ms: u64| Duration::from_millis(ms);
    let mut apply = |t: u64, kind: EventKind| {
        state.apply(&Event {
            proc: 0,
            at: at(t),
            kind,
        })
    };
    apply(0, EventKind::Spawned { pid: MAIN_PID });
    apply(10, EventKind::Report(Report::At { pc: 2 }));
    apply(10, EventKind::Report(Report::Run { pc: 2 }));
    apply(
        110,
        EventKind::Report(Report::Slept {
            ms: 200,
            real: true,
        }),
    );
    apply(1500, EventKind::Report(Report::Done { code: 0 }));
    apply(1501, EventKind::Closed);
    apply(1502, EventKind::Exited(Ending::Code(0)));
    assert_eq!(run_timing::clocked(&state), Clocked::Real);
    assert!(run_timing::comparisons(&state, Duration::ZERO).is_empty());
}
