//! Real CPython programs passing things between processes: queues, pipes,
//! events and a Manager's shared objects, gated so that the same schedule
//! gives the same run (tests/python/*.py), and locks switched off by name.

mod common;

use common::python::{run_program, same_twenty_times};

use common::Sandbox;
use serde_json::Value;

#[test]
fn a_manager_counter_gives_the_same_run_twenty_times() {
    let args = ["--schedule", "random", "--seed", "5"];
    let s = same_twenty_times("seed_manager_counter.py", &args, &[]);
    assert!(s["values"]["dic['count']"].as_i64().unwrap() > 80, "{s}");
}

#[test]
fn queue_workers_give_the_same_run_twenty_times() {
    let args = ["--schedule", "random", "--seed", "3"];
    let s = same_twenty_times("queue_workers.py", &args, &[]);
    let lines: Vec<&str> = s["output"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["text"].as_str().unwrap())
        .collect();
    assert_eq!(lines.len(), 7, "{lines:?}");
    assert!(
        lines[6].contains("SIGTERM to P3"),
        "the daemon ends at exit: {lines:?}"
    );
    assert_eq!(lines[4], "all done [0, 1, 10, 11]");
    assert_eq!(lines[5], "consumer alive: True");
    assert_eq!(s["ok"], true, "{s}");
}

#[test]
fn who_gets_a_queue_item_is_the_schedules_choice() {
    let sb = Sandbox::new();
    let order = |seed: &str| -> Vec<String> {
        let s = run_program(
            &sb,
            "queue_workers.py",
            &["--schedule", "random", "--seed", seed],
        )
        .summary();
        s["output"].as_array().unwrap()[..4]
            .iter()
            .map(|l| l["text"].as_str().unwrap().to_string())
            .collect()
    };
    let orders: std::collections::BTreeSet<Vec<String>> =
        ["1", "2", "3", "4"].into_iter().map(order).collect();
    assert!(
        orders.len() > 1,
        "the items come in different orders under different schedules: {orders:?}"
    );
}

#[test]
fn a_lock_switched_off_passes_straight_through() {
    let sb = Sandbox::new();
    let done = run_program(
        &sb,
        "locked_counter.py",
        &["--schedule", "random", "--seed", "1", "--off", "lock"],
    );
    let s = done.summary();
    assert_eq!(s["off"], serde_json::json!(["lock"]), "{s}");
    assert!(s["values"]["counter.value"].as_i64().unwrap() < 6, "{s}");
    let skipped = done
        .events()
        .iter()
        .filter(|e| e["ev"] == "skipped")
        .count();
    assert_eq!(
        skipped, 12,
        "each acquire and release of three workers, twice"
    );
    let all = run_program(
        &sb,
        "seed_manager_counter_locked.py",
        &["--schedule", "random", "--seed", "1", "--unlocked"],
    );
    let s = all.summary();
    assert_eq!(s["off"], serde_json::json!(["lock"]), "{s}");
    assert!(s["values"]["dic['count']"].as_i64().unwrap() > 80, "{s}");
    assert_eq!(s["ok"], false);
}

#[test]
fn consumers_wait_on_a_condition_until_notified_the_same_way_every_time() {
    let s = same_twenty_times(
        "condition_buffer.py",
        &["--schedule", "random", "--seed", "3"],
        &[],
    );
    assert_eq!(s["values"]["taken.value"], 4, "{s}");
    assert_eq!(s["ok"], true, "{s}");
    let sb = Sandbox::new();
    for seed in ["1", "2", "4"] {
        let s = run_program(
            &sb,
            "condition_buffer.py",
            &["--schedule", "random", "--seed", seed],
        )
        .summary();
        assert_eq!(s["ok"], true, "seed {seed}: {s}");
    }
}

#[test]
fn array_items_are_shared_values_under_their_python_names() {
    let sb = Sandbox::new();
    let done = run_program(&sb, "array_sum.py", &["--schedule", "round-robin"]);
    done.assert_success();
    let s = done.summary();
    assert_eq!(s["values"]["totals[0]"], 1, "{s}");
    assert_eq!(s["values"]["totals[1]"], 2, "{s}");
    assert_eq!(s["output"][0]["text"], "sum 3", "{s}");
    let reads = done
        .events()
        .iter()
        .filter(|e| e["ev"] == "op" && e["op"] == "read")
        .count();
    assert_eq!(reads, 2 + 2, "each worker's read, the main's two");
}

#[test]
fn no_process_passes_the_barrier_before_every_one_has_come() {
    let sb = Sandbox::new();
    for seed in ["1", "2", "3"] {
        let done = run_program(
            &sb,
            "barrier_phases.py",
            &["--schedule", "random", "--seed", seed],
        );
        done.assert_success();
        let s = done.summary();
        let lines: Vec<&str> = s["output"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["text"].as_str().unwrap())
            .collect();
        assert_eq!(lines.len(), 6, "{lines:?}");
        assert!(
            lines[..3].iter().all(|l| l.starts_with("phase 1")),
            "seed {seed}: {lines:?}"
        );
        assert!(
            lines[3..].iter().all(|l| l.starts_with("phase 2")),
            "seed {seed}: {lines:?}"
        );
    }
}

#[test]
fn a_process_tree_adds_to_one_value_and_each_parent_reaps_its_own() {
    let s = same_twenty_times(
        "tree_counter.py",
        &["--schedule", "random", "--seed", "2"],
        &[],
    );
    assert_eq!(s["values"]["counter.value"], 7, "{s}");
    assert_eq!(s["ok"], true, "{s}");
    let parents: Vec<Value> = s["processes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["parent"].clone())
        .collect();
    assert_eq!(parents[..3], [Value::Null, 1.into(), 1.into()], "{s}");
    for branch in [2, 3] {
        let kids = parents[3..].iter().filter(|p| **p == branch).count();
        assert_eq!(kids, 2, "P{branch} started two: {s}");
    }
}

#[test]
fn a_manager_opened_with_as_is_named_after_its_name() {
    let sb = Sandbox::new();
    let done = run_program(&sb, "with_manager.py", &["--schedule", "round-robin"]);
    let s = done.summary();
    let names: Vec<&str> = s["processes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["main", "m (Manager)", "ps[0]", "ps[1]", "ps[2]"],
        "{s}"
    );
    assert_eq!(s["ok"], true, "{s}");
    // Each item appended to the Manager's list is a shared value shown.
    assert_eq!(
        s["values"],
        serde_json::json!({"items[0]": 0, "items[1]": 1, "items[2]": 4}),
        "{s}"
    );
}
