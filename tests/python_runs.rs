//! Real CPython programs under `lockstep run PROGRAM.py`: every process
//! real, each operation another process can observe gated, and the same
//! schedule giving the same run every time (tests/python/*.py).

mod common;

use common::python::{comparable, run_program};

use common::{Sandbox, int};
use serde_json::Value;

#[test]
fn a_locked_counter_gives_the_same_run_twenty_times() {
    let sb = Sandbox::new();
    let first = run_program(&sb, "locked_counter.py", &["--schedule", "round-robin"]);
    first.assert_success();
    let summary = first.summary();
    assert_eq!(summary["values"]["counter.value"], 6, "{summary}");
    assert_eq!(summary["ok"], true, "{summary}");
    assert_eq!(summary["deadlock"], Value::Null);
    let procs = summary["processes"].as_array().unwrap();
    assert_eq!(
        procs.len(),
        4,
        "the main process and three workers: {summary}"
    );
    let main_pid = int(&procs[0]["pid"]);
    for (i, p) in procs.iter().enumerate().skip(1) {
        assert_eq!(p["name"], format!("workers[{}]", i - 1));
        assert_eq!(p["parent"], 1);
        assert_eq!(
            int(&p["ppid"]),
            main_pid,
            "a worker's parent is the main process"
        );
        assert_eq!(p["exit_code"], 0);
    }
    assert_eq!(summary["output"][0]["text"], "final 6");
    let expected = comparable(&first);
    for i in 1..20 {
        let again = run_program(&sb, "locked_counter.py", &["--schedule", "round-robin"]);
        assert!(
            comparable(&again) == expected,
            "run {} differs from the first:\n{}\nfirst:\n{}",
            i + 1,
            again.stdout,
            first.stdout
        );
    }
}

#[test]
fn gates_carry_the_program_line_and_the_python_name() {
    let sb = Sandbox::new();
    let done = run_program(&sb, "locked_counter.py", &["--schedule", "round-robin"]);
    let ops: Vec<(String, String, i64)> = done
        .events()
        .iter()
        .filter(|e| e["ev"] == "op")
        .map(|e| {
            let file = e["file"].as_str().unwrap();
            assert!(file.ends_with("locked_counter.py"), "{e}");
            (
                e["op"].as_str().unwrap().to_string(),
                e["name"].as_str().unwrap().to_string(),
                int(&e["line"]),
            )
        })
        .collect();
    let has = |op: &str, name: &str, line: i64| {
        ops.iter()
            .any(|(o, n, l)| o == op && n == name && *l == line)
    };
    assert!(has("start", "workers[0]", 18), "{ops:?}");
    assert!(has("acquire", "lock", 9), "{ops:?}");
    assert!(has("read", "counter.value", 10), "{ops:?}");
    assert!(has("write", "counter.value", 10), "{ops:?}");
    assert!(has("release", "lock", 9), "{ops:?}");
    assert!(has("join", "workers[2]", 20), "{ops:?}");
    assert!(has("print", "", 21), "{ops:?}");
    // A worker that finds the lock taken queues for it, and takes it when
    // the run gives it its turn: the kernel never picks who gets it.
    let count = |ev: &str| done.events().iter().filter(|e| e["ev"] == ev).count();
    assert!(
        count("queued") > 0,
        "round-robin makes the workers meet at the lock"
    );
    assert_eq!(count("queued"), count("waiting"));
    assert_eq!(count("acquired"), 6);
}

#[test]
fn steps_that_lose_an_update_give_the_lost_value_every_time() {
    let sb = Sandbox::new();
    // P1 starts both workers; both read 0, then both write 1.
    let lost = ["--steps", "1,1,2,3,2,3"];
    let first = run_program(&sb, "unlocked_counter.py", &lost);
    assert_eq!(first.code(), Some(1), "an expectation failed: exit 1");
    let summary = first.summary();
    assert_eq!(summary["values"]["counter.value"], 1, "{summary}");
    assert_eq!(summary["ok"], false);
    assert_eq!(summary["expect"][0]["actual"], 1);
    assert_eq!(summary["output"][0]["text"], "counter: 1");
    for _ in 0..2 {
        let again = run_program(&sb, "unlocked_counter.py", &lost);
        assert_eq!(comparable(&again), comparable(&first));
    }
    // One worker's read and write before the other's: nothing is lost.
    let whole = run_program(&sb, "unlocked_counter.py", &["--steps", "1,1,2,2,3,3"]);
    whole.assert_success();
    assert_eq!(whole.summary()["values"]["counter.value"], 2);
    assert_eq!(whole.summary()["ok"], true);
}

#[test]
fn a_random_schedule_repeats_with_its_seed() {
    let sb = Sandbox::new();
    let args = ["--schedule", "random", "--seed", "7"];
    let first = run_program(&sb, "locked_counter.py", &args);
    first.assert_success();
    let again = run_program(&sb, "locked_counter.py", &args);
    assert_eq!(comparable(&again), comparable(&first));
    assert_eq!(first.summary()["values"]["counter.value"], 6);
}

#[test]
fn opposite_lock_orders_deadlock_and_the_run_says_where() {
    let sb = Sandbox::new();
    // Each worker takes its first lock, then wants the other's.
    let done = run_program(&sb, "two_locks.py", &["--steps", "1,1,2,3"]);
    assert_eq!(done.code(), Some(1));
    let summary = done.summary();
    let deadlock = summary["deadlock"].as_str().unwrap_or_default();
    assert!(deadlock.contains("P2 waits for b, held by P3"), "{summary}");
    assert!(deadlock.contains("P3 waits for a, held by P2"), "{summary}");
    assert_eq!(summary["expect"][0]["ok"], false);
    let at = summary["processes"][1]["at"].as_str().unwrap();
    assert!(at.ends_with("two_locks.py:10 acquire b"), "{at}");
}

#[test]
fn spawn_and_forkserver_children_load_the_shim_themselves() {
    let sb = Sandbox::new();
    for name in ["spawn_counter.py", "forkserver_counter.py"] {
        let first = run_program(&sb, name, &["--schedule", "round-robin"]);
        first.assert_success();
        let summary = first.summary();
        assert_eq!(summary["values"]["counter.value"], 4, "{name}: {summary}");
        assert_eq!(
            summary["processes"].as_array().unwrap().len(),
            3,
            "{summary}"
        );
        assert_eq!(summary["processes"][1]["name"], "children[0]");
        let acquires = first
            .events()
            .iter()
            .filter(|e| e["ev"] == "op" && e["op"] == "acquire" && e["name"] == "lock")
            .count();
        assert_eq!(
            acquires, 4,
            "{name}: the lock keeps its name in the children"
        );
        let again = run_program(&sb, name, &["--schedule", "round-robin"]);
        assert_eq!(comparable(&again), comparable(&first), "{name}");
    }
}

#[test]
fn at_exit_cpython_ends_the_daemon_and_joins_the_rest() {
    let sb = Sandbox::new();
    let first = run_program(&sb, "exit_joins.py", &["--schedule", "round-robin"]);
    first.assert_success();
    let summary = first.summary();
    let procs = summary["processes"].as_array().unwrap();
    assert_eq!(procs[1]["name"], "daemon");
    assert_eq!(procs[1]["signal"], 15, "terminated at exit: {summary}");
    assert_eq!(procs[2]["exit_code"], 0);
    let terminated: Vec<_> = first
        .events()
        .into_iter()
        .filter(|e| e["ev"] == "terminated")
        .collect();
    assert_eq!(terminated.len(), 1);
    assert_eq!(
        (&terminated[0]["p"], &terminated[0]["child"]),
        (&1.into(), &2.into())
    );
    let again = run_program(&sb, "exit_joins.py", &["--schedule", "round-robin"]);
    assert_eq!(comparable(&again), comparable(&first));
}
