//! More of `Pool` in real CPython programs: `imap` yields each result as
//! it comes (a print in the loop comes between the workers' returns, as
//! the schedule has them); a task's exception comes back with CPython's
//! `RemoteTraceback` as its cause; a pool left open is terminated at a
//! gate of its own when the main program ends.

mod common;

use common::Sandbox;
use common::python::run_program;
use serde_json::Value;

const ROUND_ROBIN: [&str; 2] = ["--schedule", "round-robin"];

/// The main process's printed lines.
fn printed(s: &Value) -> Vec<String> {
    s["output"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["p"] == 1)
        .map(|l| l["text"].as_str().unwrap().to_string())
        .filter(|t| !t.starts_with("[terminate(): "))
        .collect()
}

fn position(events: &[Value], what: &str, pick: impl Fn(&Value) -> bool) -> usize {
    events
        .iter()
        .position(pick)
        .unwrap_or_else(|| panic!("no {what} among the events"))
}

#[test]
fn imap_yields_the_first_result_before_the_last_task_returns() {
    let sb = Sandbox::new();
    let done = run_program(&sb, "pool_imap.py", &ROUND_ROBIN);
    done.assert_success();
    let s = done.summary();
    assert_eq!(printed(&s), ["got 1", "got 4", "got 9"], "{s}");
    let events = done.events();
    let got_1 = position(&events, "got 1", |e| {
        e["ev"] == "printed" && e["en"] == "got 1"
    });
    let last_return = position(&events, "square(3)'s return", |e| {
        e["ev"] == "op" && e["op"] == "return" && e["name"] == "square(3)"
    });
    assert!(
        got_1 < last_return,
        "the loop saw square(1) before square(3) returned: {s}"
    );
    // Each result is waited for at a gate of its own, in order.
    let waits: Vec<&str> = (events.iter())
        .filter(|e| e["ev"] == "op" && e["p"] == 1 && e["op"] == "get")
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(waits, ["result[0]", "result[1]", "result[2]"], "{s}");
}

#[test]
fn a_tasks_exception_has_the_workers_traceback_as_its_cause() {
    let sb = Sandbox::new();
    let done = run_program(&sb, "pool_error.py", &ROUND_ROBIN);
    done.assert_success();
    let s = done.summary();
    let lines = printed(&s);
    assert_eq!(
        lines[..2],
        ["error negative: -1", "cause RemoteTraceback"],
        "{s}"
    );
    let cause = &lines[2];
    for part in [
        "\"\"\"\nTraceback (most recent call last):",
        "pool_error.py\", line 9, in check",
        "raise ValueError('negative: %d' % n)",
        "ValueError: negative: -1\n\"\"\"",
    ] {
        assert!(cause.contains(part), "{part:?} in {cause:?}");
    }
    assert!(
        !cause.contains("_lockstep"),
        "no frame of the shim: {cause}"
    );
}

#[test]
fn an_uncaught_tasks_exception_shows_the_workers_traceback_first() {
    let sb = Sandbox::new();
    let done = run_program(&sb, "pool_uncaught.py", &ROUND_ROBIN);
    let s = done.summary();
    let errors = s["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 1, "{s}");
    let error = errors[0].as_str().unwrap();
    let order = [
        "P1: ",
        "multiprocessing.pool.RemoteTraceback",
        "pool_uncaught.py\", line 7, in check",
        "The above exception was the direct cause of the following exception:",
        "pool_uncaught.py\", line 12, in <module>",
        "ValueError: negative: -1",
    ];
    let mut from = 0;
    for part in order {
        let at = error[from..]
            .find(part)
            .unwrap_or_else(|| panic!("{part:?} after {from} in {error}"));
        from += at + part.len();
    }
}

#[test]
fn a_pool_left_open_is_terminated_at_a_gate_when_the_program_ends() {
    let sb = Sandbox::new();
    let done = run_program(&sb, "pool_pair.py", &ROUND_ROBIN);
    done.assert_success();
    let events = done.events();
    let end = position(&events, "the pool's end", |e| {
        e["ev"] == "op" && e["op"] == "terminate" && e["p"] == 1
    });
    assert_eq!(events[end]["name"], "pool");
    assert_eq!(events[end]["line"], 0, "CPython's own, at exit");
    // Both workers are ended after that gate, none before.
    let kills: Vec<usize> = (0..events.len())
        .filter(|&i| events[i]["ev"] == "terminated")
        .collect();
    assert_eq!(kills.len(), 2, "{:?}", done.summary());
    assert!(kills.iter().all(|&k| k > end));
    assert_eq!(printed(&done.summary()), ["6"]);
}

#[test]
fn maxtasksperchild_replaces_a_worker_with_a_new_lane_and_process() {
    let sb = Sandbox::new();
    let done = run_program(&sb, "pool_maxtasks.py", &ROUND_ROBIN);
    done.assert_success();
    let s = done.summary();
    assert_eq!(
        printed(&s),
        ["workers 3", "pairs True True True"],
        "five tasks, two per worker: {s}"
    );
    let procs = s["processes"].as_array().unwrap();
    let lanes: Vec<(&str, u64)> = procs[1..]
        .iter()
        .map(|p| (p["name"].as_str().unwrap(), p["parent"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        lanes,
        [("pool[0]", 1), ("pool[1]", 1), ("pool[2]", 1)],
        "{s}"
    );
    let pids: std::collections::BTreeSet<u32> =
        procs.iter().map(|p| common::pid_of(&p["pid"])).collect();
    assert_eq!(pids.len(), 4, "each worker a process of its own: {s}");
    // Each new worker is started at a gate of the main process's own.
    let starts = (done.events().iter())
        .filter(|e| e["ev"] == "op" && e["op"] == "pool" && e["p"] == 1)
        .count();
    assert_eq!(starts, 3, "the pool, then one per worker that left");
    // The same schedule gives the same run.
    let want = common::python::comparable_without(&done, &["processes"]);
    for _ in 0..5 {
        let again = run_program(&sb, "pool_maxtasks.py", &ROUND_ROBIN);
        assert_eq!(
            common::python::comparable_without(&again, &["processes"]),
            want
        );
    }
}

#[test]
fn workers_that_leave_are_replaced_under_every_schedule_the_same_way_twice() {
    let sb = Sandbox::new();
    for seed in ["1", "2", "3", "4"] {
        let args = ["--schedule", "random", "--seed", seed];
        let first = run_program(&sb, "pool_maxtasks_more.py", &args);
        first.assert_success();
        let s = first.summary();
        assert_eq!(
            printed(&s),
            ["workers 5", "[1, 2, 3]", "[4, 5]"],
            "seed {seed}: {s}"
        );
        let again = run_program(&sb, "pool_maxtasks_more.py", &args).summary();
        assert_eq!(again["schedule"], s["schedule"], "seed {seed}");
    }
}
