//! `lockstep bench`: the step round trip (gate → operation → next gate), the
//! pool lesson's two phases next to Python's, and a worker's peak memory.
//! Prints a Markdown table for `BENCHMARKS.md`.

use std::os::unix::process::CommandExt;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::drive::Options;
use crate::engine::controller::{Controller, unwatched};
use crate::lesson::{Lesson, builtin};

/// One process stepping `x = x + 1` in a loop: each step is one round trip.
const STEP_LESSON: &str = r#"{
  "id": "bench", "title": {"en": "bench"}, "summary": {"en": "bench"}, "story": {"en": "bench"},
  "processes": [{"role": "w"}],
  "programs": {"w": [
    {"op": "set", "local": "x", "expr": "0"},
    {"op": "set", "local": "x", "expr": "x + 1", "label": "again"},
    {"op": "jump", "to": "again"},
    {"op": "count", "outcome": "never"}
  ]},
  "check": {"measure": {"outcome": "never"}, "expect": 0, "rule": "equal",
            "quantity": {"en": "-"}, "ok": {"en": "-"}, "broken": {"en": "-"}}
}"#;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i]
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    percentile(v, 0.5)
}

/// Microseconds per step round trip (sorted), and the worker's peak RSS in KiB.
fn step_round_trips(steps: usize, exe: &Path) -> anyhow::Result<(Vec<f64>, Option<u64>)> {
    let lesson = Lesson::parse(STEP_LESSON, "bench")?;
    let opts = Options {
        timing: None,
        sigterms: Vec::new(),
        off: Vec::new(),
        speed: 1.0,
        pace: crate::drive::Pace::Free,
        seed: 0,
    };
    let mut run = Controller::start(&lesson, &opts, exe)?;
    run.settle(&mut unwatched)?;
    let mut times = Vec::with_capacity(steps);
    for _ in 0..steps {
        let t = Instant::now();
        run.step(0)
            .map_err(|e| anyhow::anyhow!("the bench process did not step: {e:?}"))?;
        run.settle(&mut unwatched)?;
        times.push(t.elapsed().as_secs_f64() * 1e6);
    }
    let rss = run.pid(0).and_then(|pid| {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        line.split_whitespace().nth(1)?.parse().ok()
    });
    times.sort_by(f64::total_cmp);
    Ok((times, rss))
}

struct PoolTimes {
    pool_ms: f64,
    processes_ms: f64,
}

fn pool_rounds(rounds: usize, exe: &Path) -> anyhow::Result<PoolTimes> {
    let lesson = builtin("pool").ok_or_else(|| anyhow::anyhow!("no pool lesson"))?;
    let decl = lesson
        .pool
        .clone()
        .ok_or_else(|| anyhow::anyhow!("pool lesson has no pool section"))?;
    let opts = Options {
        timing: None,
        sigterms: Vec::new(),
        off: Vec::new(),
        speed: lesson.speed,
        pace: crate::drive::Pace::Free,
        seed: 0,
    };
    let mut pools = Vec::new();
    let mut procs = Vec::new();
    for _ in 0..rounds {
        let r = crate::pool::run_phases(&lesson, &decl, &opts, exe, &mut |_, _| {})?;
        pools.push(r.pool_ms().unwrap_or(0.0));
        procs.push(r.processes_ms().unwrap_or(0.0));
    }
    Ok(PoolTimes {
        pool_ms: median(&mut pools),
        processes_ms: median(&mut procs),
    })
}

/// How long Python's side of the benchmark may take: its own `Pool` has
/// been seen to hang, and a benchmark must end.
const PYTHON_LIMIT: std::time::Duration = std::time::Duration::from_secs(120);

fn python_pool(rounds: usize) -> Option<(String, PoolTimes)> {
    use std::io::Read;
    let script = include_str!("../../assets/bench/pool_bench.py");
    let mut child = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(rounds.to_string())
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        // Its own group, so a hung Pool's workers go with it.
        .process_group(0)
        .spawn()
        .ok()?;
    let mut stdout = child.stdout.take()?;
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stdout.read_to_end(&mut buf);
        buf
    });
    let started = std::time::Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() < PYTHON_LIMIT => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            _ => {
                eprintln!("python3 took over {} s: stopped", PYTHON_LIMIT.as_secs());
                let _ = crate::platform::kill_group(child.id());
                let _ = child.wait();
                return None;
            }
        }
    };
    let out = reader.join().ok()?;
    if !status.success() {
        return None;
    }
    let v: serde_json::Value = serde_json::from_slice(&out).ok()?;
    Some((
        v["python"].as_str().unwrap_or("?").to_string(),
        PoolTimes {
            pool_ms: v["pool_ms"].as_f64()?,
            processes_ms: v["processes_ms"].as_f64()?,
        },
    ))
}

/// Microseconds to draw the run screen of 100 processes at 200×60 (sorted).
fn frame_times(frames: usize) -> anyhow::Result<Vec<f64>> {
    use crate::supervisor::{Event, EventKind};
    use crate::tui::{app::App, session::RunMode, session::Session, view};
    use crate::wire::Report;
    let mut lesson = builtin("counter").ok_or_else(|| anyhow::anyhow!("no counter lesson"))?;
    lesson.processes[0].count = 100;
    let mut state = crate::model::RunState::new(&lesson, &[]);
    let ev = |proc, kind| Event {
        proc,
        at: Duration::ZERO,
        kind,
    };
    for p in 0..100 {
        state.apply(&ev(
            p,
            EventKind::Spawned {
                pid: 10_000 + p as u32,
            },
        ));
        state.apply(&ev(p, EventKind::Report(Report::At { pc: p % 4 })));
        state.apply(&ev(
            p,
            EventKind::Report(Report::Printed {
                en: format!("saw {p}"),
                zh: None,
            }),
        ));
    }
    let mut app = App::new(
        vec![lesson.clone()],
        crate::lesson::Lang::En,
        Default::default(),
    );
    app.show_run(Session::detached(
        lesson,
        Vec::new(),
        state,
        RunMode::Running,
    ));
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(200, 60))?;
    let mut times = Vec::with_capacity(frames);
    for i in 0..frames {
        app.selected = i % 100;
        let t = Instant::now();
        term.draw(|f| view::draw(f, &app))?;
        times.push(t.elapsed().as_secs_f64() * 1e6);
    }
    times.sort_by(f64::total_cmp);
    Ok(times)
}

/// Milliseconds to run `counter` (20 fresh processes, lock off) through all
/// 120 steps round-robin: what an undo at the end of that run re-does.
fn rerun_times(rounds: usize, exe: &Path) -> anyhow::Result<f64> {
    let lesson = builtin("counter").ok_or_else(|| anyhow::anyhow!("no counter lesson"))?;
    let opts = Options {
        timing: None,
        sigterms: Vec::new(),
        off: vec!["lock".into()],
        speed: 1.0,
        pace: crate::drive::Pace::Scheduled(crate::schedule::Policy::RoundRobin),
        seed: 0,
    };
    let mut times = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let t0 = Instant::now();
        crate::drive::run_to_end(&lesson, &opts, exe, &mut |_, _| {})?;
        times.push(t0.elapsed().as_secs_f64() * 1e3);
    }
    Ok(median(&mut times))
}

/// Measure everything and print the table.
pub fn measure_all(steps: usize, rounds: usize, exe: &Path) -> anyhow::Result<()> {
    let frames = frame_times(500)?;
    let rerun = rerun_times(rounds, exe)?;
    let (times, rss) = step_round_trips(steps, exe)?;
    let ours = pool_rounds(rounds, exe)?;
    let python = python_pool(rounds);
    println!("| measure | lockstep | target | Python |");
    println!("| --- | --- | --- | --- |");
    println!(
        "| step round trip, median ({steps} steps) | {:.1} µs | ≤ 60 µs | |",
        percentile(&times, 0.5)
    );
    println!(
        "| step round trip, p99 | {:.1} µs | | |",
        percentile(&times, 0.99)
    );
    let (py_pool, py_procs, py_version) = match &python {
        Some((v, t)) => (
            format!("{:.1} ms", t.pool_ms),
            format!("{:.1} ms", t.processes_ms),
            v.clone(),
        ),
        None => ("not run (no python3)".into(), String::new(), String::new()),
    };
    let half = |t: Option<f64>| {
        t.map_or("½ of Python".to_string(), |t| {
            format!("≤ {:.1} ms", t / 2.0)
        })
    };
    println!(
        "| pool lesson: Pool(4), 100 tasks, median of {rounds} | {:.1} ms | {} | {py_pool} |",
        ours.pool_ms,
        half(python.as_ref().map(|p| p.1.pool_ms))
    );
    println!(
        "| pool lesson: 100 processes, median of {rounds} | {:.1} ms | {} | {py_procs} |",
        ours.processes_ms,
        half(python.as_ref().map(|p| p.1.processes_ms))
    );
    match rss {
        Some(kib) => println!(
            "| worker peak memory (VmHWM) | {:.2} MB | ≤ 3 MB | |",
            kib as f64 / 1024.0
        ),
        None => println!("| worker peak memory (VmHWM) | unreadable | ≤ 3 MB | |"),
    }
    println!(
        "| run screen frame, 100 processes at 200×60, median of 500 | {:.0} µs | ≤ 1000 µs | |",
        percentile(&frames, 0.5)
    );
    println!(
        "| re-run of counter's 120 steps on 20 fresh processes (an undo), median of {rounds} | {rerun:.1} ms | | |"
    );
    if !py_version.is_empty() {
        println!("\nPython {py_version}, fork start method.");
    }
    Ok(())
}
