//! The pool_apply lesson's screens (issue 16, item 1) from a fixed,
//! synthetic run as the real one looks at speed 1 (pids and times chosen
//! here): five 2 s tasks on Pool(2), apply then apply_async, the bars and
//! the timeline at 80×24 in English and Chinese.

mod screens;

use lockstep::lesson::{Lang, PoolPhase, builtin};
use lockstep::model::RunState;
use lockstep::pool::{Busy, CallbackRun, PhaseRun, PoolProcess, PoolRun, Segment, TaskRun};
use lockstep::supervisor::Ending;
use lockstep::tui::app::App;
use lockstep::tui::session::{RunMode, Session};
use lockstep::tui::timing::View;
use screens::fold::app;
use screens::screen;

const PARENT: u32 = 900;
const TASK_MS: f64 = 2000.0;

fn seg(from_ms: f64, to_ms: f64) -> Segment {
    Segment {
        ms: to_ms - from_ms,
        from_ms,
        to_ms,
    }
}

/// Which worker ran each task when: apply hands task k to worker k % 2,
/// one at a time from 5 ms; apply_async from 10 015 ms gives each worker
/// two ahead (tasks 0 and 1 to W1, 2 and 3 to W2), and task 4 to W1.
fn schedule() -> Vec<(PoolPhase, u32, usize, f64)> {
    let mut out: Vec<(PoolPhase, u32, usize, f64)> = (0..5u32)
        .map(|k| {
            (
                PoolPhase::Apply,
                k,
                k as usize % 2,
                5.0 + 2003.0 * f64::from(k),
            )
        })
        .collect();
    let at = |round: f64| 10_015.0 + TASK_MS * round;
    for (k, w, round) in [
        (0, 0, 0.0),
        (1, 0, 1.0),
        (2, 1, 0.0),
        (3, 1, 1.0),
        (4, 0, 2.0),
    ] {
        out.push((PoolPhase::ApplyAsync, k, w, at(round)));
    }
    out
}

fn synthetic() -> PoolRun {
    let mut pool: Vec<PoolProcess> = (0..2u32)
        .map(|w| PoolProcess {
            id: w as usize + 1,
            pid: 1001 + w,
            ppid: PARENT,
            ending: Some(Ending::Code(0)),
            started_ms: 0.5 + f64::from(w) * 0.5,
            ready_ms: Some(4.0 + f64::from(w) * 0.5),
            ended_ms: 16_022.0,
            busy: Vec::new(),
        })
        .collect();
    let mut phases: Vec<PhaseRun> = Vec::new();
    for (name, from, to) in [
        (PoolPhase::Apply, 5.0, 10_015.0),
        (PoolPhase::ApplyAsync, 10_015.0, 16_016.0),
    ] {
        let mut tasks = Vec::new();
        for (_, k, w, at) in schedule().into_iter().filter(|t| t.0 == name) {
            pool[w].busy.push(Busy {
                task: k,
                from_ms: at,
                to_ms: at + TASK_MS,
            });
            tasks.push(TaskRun {
                task: k,
                result: i64::from(k) * 2,
                pid: 1001 + w as u32,
            });
        }
        tasks.sort_by_key(|t| t.task);
        phases.push(PhaseRun {
            name,
            ms: to - from,
            from_ms: from,
            to_ms: to,
            tasks,
            workers: vec![1001, 1002],
        });
    }
    let mut callbacks: Vec<CallbackRun> = schedule()
        .into_iter()
        .filter(|t| t.0 == PoolPhase::ApplyAsync)
        .map(|(_, k, _, at)| CallbackRun {
            task: k,
            result: i64::from(k) * 2,
            pid: PARENT,
            at_ms: at + TASK_MS + 0.5,
        })
        .collect();
    callbacks.sort_by(|a, b| a.at_ms.total_cmp(&b.at_ms));
    PoolRun {
        workers: 2,
        tasks: 5,
        parent_pid: PARENT,
        pool,
        start: seg(0.0, 5.0),
        close_join: seg(16_016.0, 16_022.0),
        phases,
        separate: Vec::new(),
        callbacks,
        total_ms: 16_022.0,
    }
}

fn pool_app(lang: Lang, view: View) -> App {
    let mut a = app(lang);
    let lesson = builtin("pool_apply").unwrap();
    let state = RunState::new(&lesson, &[]);
    let measure = lesson.check.measure.clone();
    let mut s = Session::detached(lesson, Vec::new(), state, RunMode::Done);
    let run = synthetic();
    s.state_mut().speedup = Some(run.actual(&measure, 1.0));
    s.pool = Some(Ok(run));
    s.timing.view = view;
    a.show_run(s);
    a
}

#[test]
fn pool_apply_bars_show_apply_and_apply_async_side_by_side() {
    let s = screen(&pool_app(Lang::En, View::Bars), 80, 24);
    for needle in [
        "Pool(2).apply       10.0 s",
        "Pool(2).apply_async 6.00 s",
        "callback ×5: pid 900 = parent pid 900",
        "apply_async took 6001 ms of lesson time",
    ] {
        assert!(s.contains(needle), "no {needle:?} in:\n{s}");
    }
    // To scale: apply's bar is as long as five rounds, apply_async's three.
    let bar = |label: &str| {
        let row = s.lines().find(|l| l.contains(label)).unwrap();
        row.matches('█').count() as f64
    };
    let ratio = bar("Pool(2).apply_async") / bar("Pool(2).apply ");
    assert!((ratio - 0.6).abs() < 0.03, "{ratio}:\n{s}");
    insta::assert_snapshot!("pool_apply_bars_en", s);
    let zh = screen(&pool_app(Lang::Zh, View::Bars), 80, 24);
    assert!(zh.contains("apply_async 用了 6001"), "{zh}");
    insta::assert_snapshot!("pool_apply_bars_zh", zh);
}

#[test]
fn pool_apply_timeline_shows_one_worker_at_a_time_then_both() {
    let s = screen(&pool_app(Lang::En, View::Timeline), 80, 24);
    for row in ["│W1 ", "│W2 "] {
        assert!(s.contains(row), "no row {row:?}:\n{s}");
    }
    insta::assert_snapshot!("pool_apply_timeline_en", s);
    let zh = screen(&pool_app(Lang::Zh, View::Timeline), 80, 24);
    insta::assert_snapshot!("pool_apply_timeline_zh", zh);
}
