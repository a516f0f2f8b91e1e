//! The timing views drawn into a test backend from a fixed, synthetic pool
//! run (pids and times chosen here, so nothing needs masking): the bars and
//! the timeline of the pool lesson at 80×24 and 160×48, in both languages,
//! and the timeline widget alone.

use std::path::PathBuf;

use lockstep::lesson::{Lang, PoolPhase, builtin, builtins};
use lockstep::model::RunState;
use lockstep::pool::{Busy, CallbackRun, PhaseRun, PoolProcess, PoolRun, Segment, TaskRun};
use lockstep::supervisor::Ending;
use lockstep::tui::app::App;
use lockstep::tui::session::{RunMode, Session};
use lockstep::tui::timing::{Activity, PhaseMark, ProcSpan, Stretch, Timeline, View};
use lockstep::tui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::CellWidth;

const PARENT: u32 = 900;
const TASKS: u32 = 100;

fn seg(from_ms: f64, to_ms: f64) -> Segment {
    Segment {
        ms: to_ms - from_ms,
        from_ms,
        to_ms,
    }
}

fn f(n: u32) -> i64 {
    i64::from(n) + 10
}

/// A pool run as the real one looks, with round numbers: start 0–6 ms,
/// apply 6–26, apply_async 26–31, map 31–34, close/join 34–36, then 100
/// processes 36–126 ms, one started every 0.9 ms.
fn synthetic() -> PoolRun {
    let worker_pid = |w: u32| 1000 + w;
    let mut pool: Vec<PoolProcess> = (0..4u32)
        .map(|w| PoolProcess {
            id: w as usize + 1,
            pid: worker_pid(w),
            ppid: PARENT,
            ending: Some(Ending::Code(0)),
            started_ms: 0.5 + f64::from(w),
            ready_ms: Some(4.0 + f64::from(w) * 0.5),
            ended_ms: 35.5 + f64::from(w) * 0.1,
            busy: Vec::new(),
        })
        .collect();
    let mut phase = |name, from: f64, to: f64, spread: bool| {
        let step = (to - from) / f64::from(TASKS);
        let tasks: Vec<TaskRun> = (0..TASKS)
            .map(|k| {
                let w = if spread { k % 4 } else { (k / 25) % 4 };
                let at = from + step * f64::from(k);
                pool[w as usize].busy.push(Busy {
                    task: k,
                    from_ms: at,
                    to_ms: at + step * 0.2,
                });
                TaskRun {
                    task: k,
                    result: f(k),
                    pid: worker_pid(w),
                }
            })
            .collect();
        PhaseRun {
            name,
            ms: to - from,
            from_ms: from,
            to_ms: to,
            tasks,
            workers: (0..4).map(worker_pid).collect(),
        }
    };
    let apply = phase(PoolPhase::Apply, 6.0, 26.0, true);
    let apply_async = phase(PoolPhase::ApplyAsync, 26.0, 31.0, true);
    let map = phase(PoolPhase::Map, 31.0, 34.0, false);
    let separate: Vec<PoolProcess> = (0..TASKS)
        .map(|k| {
            let start = 36.0 + 0.9 * f64::from(k);
            PoolProcess {
                id: k as usize + 1,
                pid: 2000 + k,
                ppid: PARENT,
                ending: Some(Ending::Code(0)),
                started_ms: start,
                ready_ms: Some(start + 2.0),
                ended_ms: start + 3.0,
                busy: vec![Busy {
                    task: k,
                    from_ms: start + 2.1,
                    to_ms: start + 2.2,
                }],
            }
        })
        .collect();
    let processes = PhaseRun {
        name: PoolPhase::Processes,
        ms: 90.0,
        from_ms: 36.0,
        to_ms: 126.0,
        tasks: (0..TASKS)
            .map(|k| TaskRun {
                task: k,
                result: f(k),
                pid: 2000 + k,
            })
            .collect(),
        workers: (0..TASKS).map(|k| 2000 + k).collect(),
    };
    let callbacks = (0..TASKS)
        .map(|k| CallbackRun {
            task: k,
            result: f(k),
            pid: PARENT,
            at_ms: 26.0 + f64::from(k) * 0.05,
        })
        .collect();
    PoolRun {
        workers: 4,
        tasks: TASKS,
        parent_pid: PARENT,
        pool: std::mem::take(&mut pool),
        start: seg(0.0, 6.0),
        close_join: seg(34.0, 36.0),
        phases: vec![apply, apply_async, map, processes],
        separate,
        callbacks,
        total_ms: 126.0,
    }
}

fn app(lang: Lang, view: View, zoom: usize) -> App {
    let mut app = App::new(builtins(), lang, PathBuf::new());
    app.color = false;
    let lesson = builtin("pool").unwrap();
    let state = RunState::new(&lesson, &[]);
    let mut s = Session::detached(lesson, Vec::new(), state, RunMode::Done);
    let run = synthetic();
    s.state_mut().speedup = Some(run.speedup());
    s.pool = Some(Ok(run));
    s.timing.view = view;
    s.timing.zoom = zoom;
    app.show_run(s);
    app
}

fn screen(app: &App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| view::draw(f, app)).unwrap();
    text(t.backend().buffer(), w, h)
}

fn text(buf: &ratatui::buffer::Buffer, w: u16, h: u16) -> String {
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
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[test]
fn bars_show_every_measured_phase_with_its_number() {
    let s = screen(&app(Lang::En, View::Bars, 0), 80, 24);
    for needle in [
        "start Pool(4)        6.0 ms",
        "Pool(4).apply       20.0 ms",
        "Pool(4).apply_async  5.0 ms",
        "Pool(4).map          3.0 ms",
        "close()+join()       2.0 ms",
        "100 processes       90.0 ms",
        "callback ×100: pid 900 = parent pid 900",
        "close() + join(): exit 0, exit 0, exit 0, exit 0",
        "v timeline/bars",
    ] {
        assert!(s.contains(needle), "no {needle:?} in:\n{s}");
    }
    // The longest bar fills its row; the others are to scale.
    let bar = |label: &str| {
        s.lines()
            .find(|l| l.contains(label))
            .map(|l| l.matches('█').count())
            .unwrap()
    };
    assert!(bar("100 processes") > 40, "{s}");
    let (apply, procs) = (bar("Pool(4).apply ") as f64, bar("100 processes") as f64);
    assert!(
        (apply / procs - 20.0 / 90.0).abs() < 0.03,
        "{apply} vs {procs}:\n{s}"
    );
    insta::assert_snapshot!("pool_bars_80x24", s);

    let zh = screen(&app(Lang::Zh, View::Bars, 0), 80, 24);
    assert!(
        zh.contains("100 个进程") && zh.contains("父进程 pid 900"),
        "{zh}"
    );
    insta::assert_snapshot!("pool_bars_zh_80x24", zh);

    // A large screen has the timeline under the bars.
    let big = screen(&app(Lang::En, View::Bars, 0), 160, 48);
    assert!(big.contains("Timeline · █ running"), "{big}");
    // The workers' shares of the headline phase only, as `lockstep run pool`
    // counts them (100 map tasks, not the 300 of every pool phase).
    assert!(
        big.contains("Tasks per pool worker in Pool(4).map: W1 1000 ×25  W2 1001 ×25"),
        "{big}"
    );
    insta::assert_snapshot!("pool_bars_160x48", big);
    let big_zh = screen(&app(Lang::Zh, View::Bars, 0), 160, 48);
    assert!(
        big_zh.contains("Pool(4).map 中各工作进程的任务： W1 1000 ×25"),
        "{big_zh}"
    );
}

#[test]
fn timeline_fits_104_processes_at_80x24() {
    let s = screen(&app(Lang::En, View::Timeline, 0), 80, 24);
    assert!(s.contains("Timeline · whole run 126 ms"), "{s}");
    // The four workers keep a row each; the 100 processes share the rest.
    for w in ["│W1 ", "│W2 ", "│W3 ", "│W4 ", "│P1–10 ", "│P91–100"] {
        assert!(s.contains(w), "no row {w:?}:\n{s}");
    }
    // Tick labels in ms under the axis.
    let ticks = s.lines().find(|l| l.starts_with("│ms")).expect("tick row");
    for t in ["0", "20", "40", "60", "80", "100", "120"] {
        assert!(ticks.split_whitespace().any(|x| x == t), "{ticks}");
    }
    // Phase names are whole or absent: never cut into each other.
    let marks = s.lines().nth(2).expect("the phase row");
    let names: Vec<&str> = marks
        .split(['│', '├', '┤', '─'])
        .filter(|w| !w.trim().is_empty())
        .collect();
    for n in &names {
        assert!(
            [
                "start",
                "apply",
                "apply_async",
                "map",
                "close+join",
                "processes"
            ]
            .contains(n),
            "a cut phase name {n:?} in {marks:?}"
        );
    }
    insta::assert_snapshot!("pool_timeline_80x24", s);

    let zh = screen(&app(Lang::Zh, View::Timeline, 0), 80, 24);
    assert!(zh.contains("时间线 · 全程 126 ms"), "{zh}");
    insta::assert_snapshot!("pool_timeline_zh_80x24", zh);

    let big = screen(&app(Lang::En, View::Timeline, 0), 160, 48);
    assert!(big.contains("│P1–3 "), "{big}");
    insta::assert_snapshot!("pool_timeline_160x48", big);
}

#[test]
fn zooming_into_apply_shows_one_task_at_a_time() {
    // Marks in time order: start, apply, apply_async, map, close, processes.
    let s = screen(&app(Lang::En, View::Timeline, 2), 80, 24);
    assert!(s.contains("Timeline · apply 20.0 ms"), "{s}");
    // The window is apply's alone: its tasks are short runs between waits,
    // in every worker; the other phases are out of view.
    let rows: Vec<&str> = s.lines().filter(|l| l.starts_with("│W")).collect();
    assert_eq!(rows.len(), 4);
    for r in &rows {
        assert!(r.matches('┃').count() > 10 && r.contains('─'), "{r}");
        assert!(!r.contains('█') && !r.contains('▒'), "{r}");
    }
    let marks = s.lines().nth(2).unwrap();
    assert!(
        marks.contains("├apply") && !marks.contains("map"),
        "{marks}"
    );
    assert!(
        s.lines()
            .filter(|l| l.starts_with("│P"))
            .all(|l| !l.contains('┃')),
        "{s}"
    );
    insta::assert_snapshot!("pool_timeline_apply_80x24", s);
}

#[test]
fn the_timeline_widget_draws_to_scale() {
    let spans = vec![
        ProcSpan {
            label: "P1".into(),
            group: 0,
            created_ms: 0.0,
            exited_ms: Some(1000.0),
            otherwise: Activity::Running,
            stretches: Vec::new(),
            note: "exit 0".into(),
        },
        ProcSpan {
            label: "P2".into(),
            group: 0,
            created_ms: 0.0,
            exited_ms: Some(3000.0),
            otherwise: Activity::Running,
            stretches: vec![Stretch {
                from_ms: 0.0,
                to_ms: 500.0,
                activity: Activity::Starting,
            }],
            note: "exit 0".into(),
        },
        ProcSpan {
            label: "main".into(),
            group: 1,
            created_ms: 0.0,
            exited_ms: None,
            otherwise: Activity::Waiting,
            stretches: Vec::new(),
            note: String::new(),
        },
    ];
    let marks = vec![PhaseMark {
        label: "join".into(),
        from_ms: 0.0,
        to_ms: 3000.0,
    }];
    let w = Timeline {
        spans: &spans,
        marks: &marks,
        from_ms: 0.0,
        to_ms: 3000.0,
        origin_ms: 0.0,
        color: false,
    };
    // Labels take 5 columns and notes 7: 30 columns for 3 s, 100 ms each.
    let mut t = Terminal::new(TestBackend::new(42, 6)).unwrap();
    t.draw(|f| f.render_widget(&w, f.area())).unwrap();
    let s = text(t.backend().buffer(), 42, 6);
    // P1 lives a third of P2's time.
    let cells = |label: &str| {
        s.lines()
            .find(|l| l.starts_with(label))
            .map(|l| l.chars().filter(|c| "█┃▒─".contains(*c)).count())
            .unwrap()
    };
    assert_eq!(cells("P1 "), 10, "{s}");
    assert_eq!(cells("P2 "), 30, "{s}");
    assert!(s.contains("▒▒▒▒▒█"), "{s}");
    assert!(
        s.lines()
            .any(|l| l.starts_with("s ") && l.contains(" 1 ") && l.contains(" 2 ")),
        "{s}"
    );
    insta::assert_snapshot!("timeline_widget_join_like", s);
}
