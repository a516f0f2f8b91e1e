//! The pool lesson's Pool API through the real binary: `apply` one task at a
//! time, `apply_async` + `get` with a callback that runs in the parent,
//! `map` in task order, `close`/`join`, and 100 processes; phases named in
//! the lesson file, and clear errors for bad ones.

mod common;

use std::collections::BTreeSet;

use common::{Sandbox, gone, int, pid_of};
use serde_json::Value;

const POOL_JSON: &str = include_str!("../scenarios/pool.json");

fn pids(v: &Value) -> Vec<u32> {
    v.as_array()
        .unwrap_or_else(|| panic!("not a list: {v}"))
        .iter()
        .map(pid_of)
        .collect()
}

fn f(n: i64) -> i64 {
    n + (0..5).sum::<i64>()
}

/// Every task once, in task order, each f(n) right.
fn assert_in_order(tasks: &Value, n: usize, what: &str) {
    let tasks = tasks
        .as_array()
        .unwrap_or_else(|| panic!("{what}: no tasks"));
    assert_eq!(tasks.len(), n, "{what}: expected {n} results");
    for (i, t) in tasks.iter().enumerate() {
        assert_eq!(int(&t["task"]), i as i64, "{what}: out of task order: {t}");
        assert_eq!(int(&t["result"]), f(i as i64), "{what}: wrong f({i}): {t}");
    }
}

#[test]
fn every_phase_runs_on_real_processes_and_callbacks_run_in_the_parent() {
    let sb = Sandbox::new();
    let (_, s) = sb.run_json(&["run", "pool", "--json"]);
    let parent = pid_of(&s["parent_pid"]);

    // Every phase of the built-in lesson, in order, measured.
    let phases = s["phases"].as_array().expect("phases");
    let names: Vec<&str> = phases.iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["apply", "apply_async", "map", "processes"], "{s}");
    for p in phases {
        let ms = p["ms"].as_f64().expect("ms");
        assert!(ms > 0.0, "phase {} took no time: {p}", p["name"]);
        assert_in_order(&p["tasks"], 100, p["name"].as_str().unwrap());
    }

    // The pool: 4 distinct worker processes, children of the parent, not it.
    let workers: BTreeSet<u32> = pids(&s["pool_workers"]).into_iter().collect();
    assert_eq!(workers.len(), 4, "{s}");
    assert!(!workers.contains(&parent), "the parent is a pool worker");
    let mut used = BTreeSet::new();
    for p in &phases[..3] {
        for t in p["tasks"].as_array().unwrap() {
            let pid = pid_of(&t["pid"]);
            assert!(
                workers.contains(&pid),
                "{} task ran in pid {pid}, not a pool worker {workers:?}",
                p["name"]
            );
            used.insert(pid);
        }
        let listed: BTreeSet<u32> = pids(&p["workers"]).into_iter().collect();
        assert!(listed.is_subset(&workers), "{p}");
    }
    assert_eq!(used, workers, "not every worker took a task");

    // 100 processes: 100 pids of their own, none of them a pool worker.
    let separate: BTreeSet<u32> = pids(&phases[3]["workers"]).into_iter().collect();
    assert_eq!(separate.len(), 100);
    assert!(separate.is_disjoint(&workers) && !separate.contains(&parent));

    // apply_async's callback ran once per task, in the parent.
    assert_eq!(pid_of(&s["callback_pid"]), parent, "{s}");
    let callbacks = s["callbacks"].as_array().expect("callbacks");
    let mut seen: Vec<i64> = callbacks
        .iter()
        .map(|c| {
            assert_eq!(
                pid_of(&c["pid"]),
                parent,
                "a callback outside the parent: {c}"
            );
            assert_eq!(int(&c["result"]), f(int(&c["task"])), "{c}");
            int(&c["task"])
        })
        .collect();
    seen.sort_unstable();
    assert_eq!(seen, (0..100).collect::<Vec<_>>());

    // The comparison: the pool (start + map + close/join) well below 100 processes.
    let pool_ms = s["pool_ms"].as_f64().expect("pool_ms");
    let processes_ms = s["processes_ms"].as_f64().expect("processes_ms");
    let parts = s["pool_start_ms"].as_f64().unwrap()
        + phases[2]["ms"].as_f64().unwrap()
        + s["close_join"]["ms"].as_f64().unwrap();
    assert!((pool_ms - parts).abs() < 1e-6, "{pool_ms} vs {parts}");
    assert!(
        pool_ms * 2.0 < processes_ms,
        "the pool ({pool_ms} ms) is not well below 100 processes ({processes_ms} ms)"
    );

    // close() + join(): every worker exited 0, reaped, and was the parent's child.
    let closed = s["close_join"]["workers"].as_array().expect("close_join");
    assert_eq!(closed.len(), 4);
    for w in closed {
        assert_eq!(w["exit_code"], 0, "{w}");
        assert_eq!(pid_of(&w["ppid"]), parent, "{w}");
        let pid = pid_of(&w["pid"]);
        assert!(gone(pid), "pool worker {pid} is still there");
    }
    for p in s["processes"].as_array().unwrap() {
        let pid = pid_of(&p["pid"]);
        assert!(gone(pid), "process {pid} is still there after the run");
    }
}

/// In `apply`'s phase no two tasks ran at the same time, anywhere in the
/// pool: each was sent only after the previous result came back.
#[test]
fn apply_runs_one_task_at_a_time() {
    let sb = Sandbox::new();
    let (_, s) = sb.run_json(&["run", "pool", "--json"]);
    let apply = &s["phases"][0];
    assert_eq!(apply["name"], "apply");
    let (from, to) = (
        apply["from_ms"].as_f64().unwrap(),
        apply["to_ms"].as_f64().unwrap(),
    );
    let mut busy: Vec<(f64, f64)> = s["timeline"]["pool"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|w| w["busy"].as_array().unwrap().clone())
        .map(|b| (b["from_ms"].as_f64().unwrap(), b["to_ms"].as_f64().unwrap()))
        .filter(|(a, _)| *a >= from && *a <= to)
        .collect();
    assert_eq!(busy.len(), 100, "apply's tasks on the timeline");
    busy.sort_by(|a, b| a.0.total_cmp(&b.0));
    for w in busy.windows(2) {
        assert!(
            w[1].0 >= w[0].1,
            "two apply tasks overlapped: {:?} and {:?}",
            w[0],
            w[1]
        );
    }
    // Every worker's tasks of all three pool phases are on its timeline.
    let total: usize = s["timeline"]["pool"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["busy"].as_array().unwrap().len())
        .sum();
    assert_eq!(total, 300);
}

#[test]
fn text_mode_names_each_phase_and_the_callbacks_pid() {
    let sb = Sandbox::new();
    let done = sb.run(&["run", "pool"]);
    done.assert_success().assert_no_panic();
    let out = &done.stdout;
    for needle in [
        "Pool(4).apply ",
        "Pool(4).apply_async ",
        "Pool(4).map ",
        "100 processes ",
        "close() + join() ",
        "= the parent's pid: callbacks run in the main process",
    ] {
        assert!(out.contains(needle), "no {needle:?} in:\n{out}");
    }
    let zh = sb.run(&["run", "pool", "--lang", "zh"]);
    zh.assert_success();
    assert!(zh.stdout.contains("回调在主进程里运行"), "{}", zh.stdout);
}

/// The pool lesson with `pool` edited by `edit`, written into the sandbox.
fn lesson_with(sb: &Sandbox, edit: impl FnOnce(&mut Value)) -> String {
    let mut v: Value = serde_json::from_str(POOL_JSON).unwrap();
    edit(&mut v["pool"]);
    let path = sb.path().join("lesson.json");
    std::fs::write(&path, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn the_lesson_file_chooses_the_phases() {
    let sb = Sandbox::new();
    let file = lesson_with(&sb, |p| {
        p["tasks"] = 12.into();
        p["phases"] = serde_json::json!(["processes", "map"]);
    });
    let (_, s) = sb.run_json(&["run", &file, "--json"]);
    let names: Vec<&str> = s["phases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["processes", "map"]);
    assert_in_order(&s["tasks"], 12, "map");
    assert!(s["callbacks"].as_array().unwrap().is_empty());

    // Without `phases`: map, then one process per task (as before phases existed).
    let file = lesson_with(&sb, |p| {
        p["tasks"] = 8.into();
        p.as_object_mut().unwrap().remove("phases");
    });
    let (_, s) = sb.run_json(&["run", &file, "--json"]);
    let names: Vec<&str> = s["phases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["map", "processes"]);
}

fn fails_with(edit: impl FnOnce(&mut Value), needles: &[&str]) {
    let sb = Sandbox::new();
    let file = lesson_with(&sb, edit);
    let done = sb.run(&["run", &file]);
    done.assert_no_panic();
    assert!(
        !done.status.success(),
        "a broken lesson ran: {}",
        done.stdout
    );
    assert!(
        done.stdout.is_empty(),
        "nothing should run: {}",
        done.stdout
    );
    let line_col = format!("{file}:");
    assert!(done.stderr.contains(&line_col), "{}", done.stderr);
    for n in needles {
        assert!(
            done.stderr.contains(n),
            "stderr lacks {n:?}:\n{}",
            done.stderr
        );
    }
}

#[test]
fn bad_phases_are_clear_errors_with_their_field() {
    fails_with(
        |p| p["phases"] = serde_json::json!(["map", "mapp"]),
        &[
            "field `pool.phases[1]`",
            "unknown variant `mapp`",
            "`apply`, `apply_async`, `map`, `processes`",
        ],
    );
    fails_with(
        |p| p["phases"] = serde_json::json!(["map", "processes", "map"]),
        &["field `pool.phases[2]`", "phase `map` is listed twice"],
    );
    fails_with(
        |p| p["phases"] = serde_json::json!([]),
        &["field `pool.phases`", "at least one phase"],
    );
    fails_with(
        |p| p["phases"] = serde_json::json!(["apply", "map"]),
        &["field `pool.phases`", "`speedup` compares the pool"],
    );
}
