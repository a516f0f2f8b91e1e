//! `lockstep explore` through the real binary: every schedule of a shrunk
//! lesson, each with fresh processes, counted against a hand enumeration;
//! the reduction, random search and the library API. Refusals and usage:
//! `explore_limits.rs`; process trees: `explore_trees.rs`.

mod common;

use common::{Sandbox, int};
use serde_json::{Value, json};

fn explore(sb: &Sandbox, args: &[&str]) -> Value {
    let mut all = vec!["explore"];
    all.extend_from_slice(args);
    all.push("--json");
    // Up to 924 runs of real processes: a guard against a hang, longer than
    // a single run's, so a loaded machine does not fail it.
    let done = sb
        .spawn(&all)
        .finish(std::time::Instant::now() + std::time::Duration::from_secs(150));
    sb.assert_clean(done.pid);
    done.assert_success().assert_no_panic();
    serde_json::from_str(done.stdout.trim())
        .unwrap_or_else(|e| panic!("not one JSON object ({e}): {}", done.stdout))
}

/// The hand enumeration for two processes, lock off: the steps that touch
/// the count are R1 W1 (P1) and R2 W2 (P2). Keeping each process's order,
/// they interleave in C(4,2) = 6 ways:
///   R1 W1 R2 W2 → 98    R2 W2 R1 W1 → 98
///   R1 R2 W1 W2 → 99    R1 R2 W2 W1 → 99
///   R2 R1 W1 W2 → 99    R2 R1 W2 W1 → 99
/// so 6 schedules, 4 lose an update (99) and 2 end right (98).
#[test]
fn counter_two_processes_unlocked_matches_the_hand_enumeration() {
    let sb = Sandbox::new();
    let s = explore(&sb, &["counter", "--procs", "2", "--unlocked"]);
    assert_eq!(s["mode"], "exhaustive");
    assert_eq!(s["reduced"], true);
    assert_eq!(s["procs"], 2);
    assert_eq!(s["expected"], 98, "counter expects 100 - N");
    assert_eq!(s["off"], json!(["lock"]));
    assert_eq!(s["schedules"], 6, "{s}");
    assert_eq!(s["broken"], 4, "{s}");
    assert_eq!(s["deadlocked"], 0);
    assert_eq!(s["distribution"], json!({"98": 2, "99": 4}));
    let bad = s["shortest_bad"].as_array().expect("a bad schedule");
    // Six operations per process, all taken.
    assert_eq!(bad.len(), 12, "{s}");
    assert!(s["elapsed_ms"].as_f64().unwrap() > 0.0);
    assert!(s["schedules_per_s"].as_f64().unwrap() > 0.0);
}

#[test]
fn counter_two_processes_locked_never_breaks() {
    let sb = Sandbox::new();
    let s = explore(&sb, &["counter", "--procs", "2"]);
    assert_eq!(s["off"], json!([]));
    // Who takes the lock first: the rest follows.
    assert_eq!(s["schedules"], 2, "{s}");
    assert_eq!(s["broken"], 0);
    assert_eq!(s["deadlocked"], 0);
    assert_eq!(s["distribution"], json!({"98": 2}));
    assert!(s["shortest_bad"].is_null());
}

#[test]
fn without_reduction_every_interleaving_is_run() {
    // Six operations per process, none left out: C(12, 6) = 924 orders.
    let sb = Sandbox::new();
    let s = explore(
        &sb,
        &[
            "counter",
            "--procs",
            "2",
            "--unlocked",
            "--no-reduce",
            "--timing",
            "any",
        ],
    );
    assert_eq!(s["reduced"], false);
    assert_eq!(s["schedules"], 924, "{}", s["distribution"]);
    let total: i64 = s["distribution"]
        .as_object()
        .unwrap()
        .values()
        .map(int)
        .sum();
    assert_eq!(total, 924);
    // The reduction only merges equivalent orders: the same outcomes occur.
    assert_eq!(
        s["distribution"]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        ["98", "99"]
    );
}

#[test]
fn one_thread_and_many_give_the_same_answer() {
    let sb = Sandbox::new();
    let args = ["ticket", "--procs", "2", "--unlocked"];
    let mut one = explore(&sb, &[&args[..], &["--threads", "1"]].concat());
    let mut two = explore(&sb, &[&args[..], &["--threads", "2"]].concat());
    for s in [&mut one, &mut two] {
        for k in ["elapsed_ms", "schedules_per_s"] {
            s.as_object_mut().unwrap().remove(k);
        }
    }
    assert_eq!(one, two);
    assert!(int(&one["broken"]) > 0, "{one}");
    assert_eq!(
        one["distribution"]["1"].as_i64().unwrap() + one["distribution"]["2"].as_i64().unwrap(),
        int(&one["schedules"])
    );
}

#[test]
fn random_search_compares_with_and_without_the_lock() {
    let sb = Sandbox::new();
    let s = explore(
        &sb,
        &[
            "counter", "--procs", "3", "--random", "30", "--seed", "5", "--timing", "any",
        ],
    );
    assert_eq!(s["mode"], "random");
    assert_eq!(s["seed"], 5);
    let sets = s["sets"].as_array().unwrap();
    assert_eq!(sets.len(), 2);
    assert_eq!(sets[0]["off"], json!([]));
    assert_eq!(sets[0]["schedules"], 30);
    assert_eq!(sets[0]["broken"], 0, "the lock holds in every schedule");
    assert_eq!(sets[1]["off"], json!(["lock"]));
    assert_eq!(sets[1]["schedules"], 30);
    assert!(int(&sets[1]["broken"]) > 0, "{s}");
    assert!(sets[1]["first_bad"].is_array());
    // The same seed gives the same schedules.
    let again = explore(
        &sb,
        &[
            "counter", "--procs", "3", "--random", "30", "--seed", "5", "--timing", "any",
        ],
    );
    assert_eq!(again["sets"], s["sets"]);
}

#[test]
fn random_search_with_a_chosen_setting_runs_only_that_one() {
    let sb = Sandbox::new();
    let s = explore(
        &sb,
        &[
            "counter",
            "--procs",
            "2",
            "--random",
            "10",
            "--seed",
            "1",
            "--unlocked",
            "--timing",
            "any",
        ],
    );
    assert_eq!(s["sets"].as_array().unwrap().len(), 1);
    assert_eq!(s["off"], json!(["lock"]));
    assert_eq!(s["schedules"], 10);
}

#[test]
fn the_text_report_has_a_chart_and_says_it_reduces() {
    let sb = Sandbox::new();
    let done = sb.run(&["explore", "counter", "--procs", "2", "--unlocked"]);
    done.assert_success();
    let out = &done.stdout;
    assert!(
        out.contains("6 schedules · 4 broke the check · 0 deadlocked"),
        "{out}"
    );
    assert!(out.contains("reduced:"), "{out}");
    assert!(
        out.lines()
            .any(|l| l.contains("99 │") && l.contains('█') && l.contains("BROKEN")),
        "{out}"
    );
    assert!(out.contains("shortest bad schedule (12 steps)"), "{out}");
    assert!(
        out.contains("replay: lockstep run counter --procs 2 --off lock --steps"),
        "{out}"
    );
    // Progress goes to a terminal only.
    assert!(!done.stderr.contains('\r'), "{:?}", done.stderr);
}

#[test]
fn a_deadlock_is_counted() {
    // Two processes take two locks in opposite orders.
    let sb = Sandbox::new();
    let lesson = sb.path().join("hug.json");
    std::fs::write(&lesson, r#"{
  "id": "hug",
  "title": { "en": "Two locks", "zh": "两把锁" },
  "summary": { "en": "Opposite orders.", "zh": "相反的顺序。" },
  "story": { "en": "Each takes one lock, then the other.", "zh": "各拿一把锁，再拿另一把。" },
  "values": [{ "name": "done", "initial": 0 }],
  "locks": [{ "name": "a" }, { "name": "b" }],
  "processes": [{ "role": "left", "count": 1 }, { "role": "right", "count": 1 }],
  "programs": {
    "left": [
      { "op": "acquire", "lock": "a" }, { "op": "acquire", "lock": "b" },
      { "op": "read", "value": "done", "into": "d" }, { "op": "write", "value": "done", "expr": "d + 1" },
      { "op": "release", "lock": "b" }, { "op": "release", "lock": "a" }
    ],
    "right": [
      { "op": "acquire", "lock": "b" }, { "op": "acquire", "lock": "a" },
      { "op": "read", "value": "done", "into": "d" }, { "op": "write", "value": "done", "expr": "d + 1" },
      { "op": "release", "lock": "a" }, { "op": "release", "lock": "b" }
    ]
  },
  "check": {
    "measure": { "final_value": "done" }, "expect": 2, "rule": "equal",
    "quantity": { "en": "done", "zh": "完成" },
    "ok": { "en": "{actual} done", "zh": "完成 {actual}" },
    "broken": { "en": "only {actual} done", "zh": "只完成 {actual}" }
  }
}"#).unwrap();
    let s = explore(&sb, &[lesson.to_str().unwrap()]);
    // Three classes: each takes its first lock (in either order: the two
    // locks are different things, so one class): deadlock. Or one takes
    // both locks first and goes all the way: left first, or right first.
    assert_eq!(s["schedules"], 3, "{s}");
    assert_eq!(s["classes"], 3, "{s}");
    assert_eq!(s["deadlocked"], 1, "{s}");
    assert_eq!(s["broken"], 0, "{s}");
    // A deadlocked run has no result: it is not among the values.
    assert_eq!(s["distribution"], json!({"2": 2}));
    // Every schedule, one per order: the two deadlocks are one class.
    let full = explore(&sb, &[lesson.to_str().unwrap(), "--no-reduce"]);
    assert_eq!(
        (full["classes"].clone(), full["deadlocked"].clone()),
        (json!(3), json!(2)),
        "{full}"
    );
    assert_eq!(s["shortest_bad"].as_array().unwrap().len(), 4, "{s}");
}

/// The library API the interface uses: the same counts, and a stop switch.
#[test]
fn the_library_api_explores_and_can_be_stopped() {
    use lockstep::explore::{self, ExploreError, Settings};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let exe = std::path::Path::new(common::BIN);
    let lesson = lockstep::lesson::builtin("counter")
        .unwrap()
        .with_processes(2)
        .unwrap();
    let mut seen = 0;
    let tally = explore::exhaustive(
        &lesson,
        &Settings::new(vec!["lock".into()]),
        exe,
        &mut |p| {
            seen = p.done;
        },
    )
    .unwrap();
    assert_eq!((tally.schedules, tally.broken, seen), (6, 4, 6));

    let stop = Arc::new(AtomicBool::new(false));
    let settings = Settings {
        stop: Some(stop.clone()),
        ..Settings::new(Vec::new())
    };
    let result = explore::random(&lesson, &settings, 100_000, exe, &mut |p| {
        if p.done >= 3 {
            stop.store(true, Ordering::SeqCst);
        }
    });
    assert!(matches!(result, Err(ExploreError::Stopped)), "{result:?}");
    // Every run cleaned up after itself.
    let prefix = format!("lockstep-{}-", std::process::id());
    let left: Vec<_> = std::fs::read_dir(std::env::temp_dir())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

/// The reduction finds every value the full search finds for counts the
/// check orders (`outcome_after`).
#[test]
fn reduction_keeps_every_outcome_of_ordered_counts_and_early_returns() {
    let sb = Sandbox::new();
    let name = "after.json";
    let path = sb.path().join(name);
    std::fs::write(&path, AFTER).unwrap();
    let path = path.to_str().unwrap();
    let reduced = explore(&sb, &[path]);
    let full = explore(&sb, &[path, "--no-reduce"]);
    let keys = |v: &Value| -> Vec<String> {
        v["distribution"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect()
    };
    assert_eq!(keys(&reduced), keys(&full), "{name}: {reduced} vs {full}");
    assert!(keys(&full).len() > 1, "{name}: {full}");
}

const AFTER: &str = r#"{
  "id": "after",
  "title": { "en": "after", "zh": "after" },
  "summary": { "en": "x", "zh": "x" },
  "story": { "en": "x", "zh": "x" },
  "try": { "en": "x", "zh": "x" },
  "speed": 1,
  "processes": [ { "role": "a" }, { "role": "b" } ],
  "programs": {
    "a": [ { "op": "count", "outcome": "a_done", "line": 1 }, { "op": "print", "text": { "en": "a", "zh": "a" }, "line": 2 } ],
    "b": [ { "op": "count", "outcome": "b_done", "line": 1 }, { "op": "print", "text": { "en": "b", "zh": "b" }, "line": 2 } ]
  },
  "check": {
    "measure": { "outcome_after": { "outcome": "b_done", "after": "a_done" } },
    "expect": 0, "rule": "equal",
    "quantity": { "en": "b after a", "zh": "b" },
    "ok": { "en": "ok", "zh": "ok" }, "broken": { "en": "broken", "zh": "b" }, "so_far": { "en": "so far", "zh": "s" }
  }
}"#;
