//! The reduced search over real CPython programs (one schedule per class,
//! the lessons' dynamic partial-order reduction over what each gate
//! touches) against the reference, every schedule (`--no-reduce`): on the
//! programs of tests/python/ whose every schedule runs in seconds, the same
//! classes, the same values, broken or deadlocked alike, with no more runs.
//! And what the reduction is for: the unlocked counter in no more runs
//! than the built-in lesson's, the philosophers' deadlock found and replayed.

mod common;

use common::Sandbox;
use common::python_explore::{explore, num, run_search, same_as_every_schedule};
use serde_json::Value;

#[test]
fn counters_match_every_schedule() {
    same_as_every_schedule("unlocked_counter.py", &[]);
    same_as_every_schedule("locked_pair.py", &[]);
    same_as_every_schedule("array_sum.py", &[]);
}

#[test]
fn ends_kills_and_failures_match_every_schedule() {
    // A terminate while the child holds the lock, a daemon killed at the
    // main program's end, a zombie, a child that raises.
    for name in [
        "seed_terminate_lock.py",
        "seed_daemon.py",
        "seed_zombie.py",
        "child_fails.py",
    ] {
        same_as_every_schedule(name, &[]);
    }
}

#[test]
fn events_barriers_pipes_and_sleeps_match_every_schedule() {
    for name in ["seed_event.py", "seed_pipe.py"] {
        same_as_every_schedule(name, &[]);
    }
    same_as_every_schedule("timed_pair.py", &["--timing", "as-written"]);
}

#[test]
fn either_worker_can_come_first_to_a_barrier() {
    // Arrivals at a barrier meet: whoever comes first gets place 0 (what
    // wait() returns) and writes its number; both orders are searched.
    same_as_every_schedule("barrier_first.py", &[]);
    let sb = Sandbox::new();
    let s = explore(&sb, "barrier_first.py", &[]);
    assert_eq!(s["classes"], 2, "{s}");
    assert_eq!(
        s["distribution"],
        serde_json::json!({"1": 1, "2": 1}),
        "{s}"
    );
    assert_eq!(s["broken"], 1, "first.value == 2 breaks the check: {s}");
    // Three at a barrier: every order of their arrivals (3! classes, too
    // many interleavings with their prints for every schedule), each run
    // as the same schedule's earlier runs went, none deadlocked.
    let s = explore(&sb, "barrier_phases.py", &[]);
    assert_eq!(
        (s["classes"].clone(), s["runs"].clone()),
        (6.into(), 6.into()),
        "{s}"
    );
    assert_eq!(
        (s["broken"].clone(), s["deadlocked"].clone()),
        (0.into(), 0.into()),
        "{s}"
    );
}

#[test]
fn the_unlocked_counter_needs_no_more_runs_than_the_built_in_lesson() {
    let sb = Sandbox::new();
    let program = explore(&sb, "unlocked_counter.py", &[]);
    let args = ["explore", "counter", "--procs", "2", "--unlocked", "--json"];
    let lesson: Value = serde_json::from_str(run_search(&sb, &args).stdout.trim()).unwrap();
    // Its first set: any timing, as the program's.
    let set = &lesson["sets"][0];
    assert_eq!(set["timing"], program["timing"]);
    assert_eq!(program["classes"], set["classes"], "{program} vs {set}");
    assert!(
        num(&program["runs"]) <= num(&set["runs"]),
        "{program} vs {set}"
    );
    // Four of the six orders of the reads and writes lose an update.
    assert_eq!(num(&program["broken"]), 4, "{program}");
    assert_eq!(program["distribution"], serde_json::json!({"1": 4, "2": 2}));
    let text = run_search(
        &sb,
        &["explore", &common::python::program("unlocked_counter.py")],
    );
    // With no preemption, one process at a time: no update is lost.
    let bounded = explore(&sb, "unlocked_counter.py", &["--preemptions", "0"]);
    assert_eq!(bounded["preemption_bound"], 0, "{bounded}");
    assert_eq!(num(&bounded["broken"]), 0, "{bounded}");
    for line in [
        "reduced: one schedule is run per class",
        "a class: the schedules that do the steps on each shared thing",
        "6 classes, one schedule run for each (6 runs)",
    ] {
        assert!(text.stdout.contains(line), "{line}: {}", text.stdout);
    }
}

#[test]
fn the_reduced_search_finds_the_philosophers_deadlock_and_it_replays() {
    let sb = Sandbox::new();
    let saved = sb.path().join("dinner.json");
    let saved_arg = saved.to_str().unwrap();
    let s = explore(&sb, "philosophers.py", &["--save", saved_arg]);
    assert_eq!(s["reduction"], "dpor", "{s}");
    // Every philosopher holding the left fork: one order of the acquires.
    assert!(num(&s["deadlocked"]) >= 1, "{s}");
    assert!(num(&s["classes"]) > 1, "{s}");
    let replay = sb.run(&["run", saved_arg, "--json"]);
    replay.assert_no_panic();
    let r = replay.summary();
    assert_eq!(r["ok"], false, "{r}");
    let deadlock = r["deadlock"].as_str().expect("the deadlock again");
    for fork in ["forks[0]", "forks[1]", "forks[2]"] {
        assert!(deadlock.contains(fork), "{deadlock}");
    }
    assert_eq!(r["schedule"], s["shortest_bad"]);
}
