//! `lockstep explore PROGRAM.py` (every distinct schedule of a real CPython
//! program with the reduction, or random ones), lock toggles, and schedule
//! files of programs: `--save FILE`, then `lockstep run FILE` replays it.

mod common;

use common::python::program;

use common::{Sandbox, all_ended};
use serde_json::Value;

fn explore(sb: &Sandbox, name: &str, args: &[&str]) -> Value {
    let path = program(name);
    let mut all = vec!["explore", path.as_str(), "--json"];
    all.extend_from_slice(args);
    let done = sb.run(&all);
    done.assert_success().assert_no_panic();
    done.summary()
}

fn count(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not a count: {v}"))
}

#[test]
fn exploring_the_unlocked_counter_finds_the_lost_update_and_replays_it() {
    let sb = Sandbox::new();
    let saved = sb.path().join("lost.json");
    let saved_arg = saved.to_str().unwrap();
    let s = explore(&sb, "unlocked_counter.py", &["--save", saved_arg]);
    assert_eq!(s["search"], "exhaustive");
    let (all, broken) = (count(&s["schedules"]), count(&s["broken"]));
    assert!(all > 2 && broken > 0 && broken < all, "{s}");
    assert_eq!(count(&s["deadlocked"]), 0);
    assert_eq!(count(&s["distribution"]["1"]), broken, "{s}");
    let shortest = s["shortest_bad"].clone();
    let file: Value = serde_json::from_str(&std::fs::read_to_string(&saved).unwrap()).unwrap();
    assert_eq!(file["steps"], shortest);
    assert!(
        file["lesson"]
            .as_str()
            .unwrap()
            .ends_with("unlocked_counter.py")
    );
    // The saved schedule runs again to the same lost update.
    let replay = sb.run(&["run", saved_arg, "--json"]);
    replay.assert_no_panic();
    let r = replay.summary();
    all_ended(&r);
    assert_eq!(r["values"]["counter.value"], 1, "{r}");
    assert_eq!(r["ok"], false);
    assert_eq!(r["schedule"], shortest);
    // The same search, the same tally.
    let again = explore(&sb, "unlocked_counter.py", &[]);
    assert_eq!(again["schedules"], s["schedules"]);
    assert_eq!(again["distribution"], s["distribution"]);
}

#[test]
fn a_locked_pair_never_loses_an_update_unless_the_lock_is_off() {
    let sb = Sandbox::new();
    let on = explore(&sb, "locked_pair.py", &[]);
    assert_eq!(count(&on["broken"]), 0, "{on}");
    assert!(count(&on["schedules"]) > 1, "{on}");
    let off = explore(&sb, "locked_pair.py", &["--off", "lock"]);
    assert_eq!(off["off"], serde_json::json!(["lock"]));
    assert!(count(&off["broken"]) > 0, "{off}");
}

#[test]
fn random_exploration_of_the_manager_counter_finds_it_corrupted() {
    let sb = Sandbox::new();
    let s = explore(
        &sb,
        "seed_manager_counter.py",
        &["--random", "2", "--seed", "1"],
    );
    assert_eq!(s["search"], "random");
    assert_eq!(count(&s["schedules"]), 2);
    assert!(count(&s["broken"]) >= 1, "{s}");
    let text = sb.run(&[
        "explore",
        &program("unlocked_counter.py"),
        "--random",
        "3",
        "--seed",
        "4",
    ]);
    text.assert_success();
    assert!(
        text.stdout.contains("random search: 3 schedules (seed 4)"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains("counter.value at the end:"),
        "{}",
        text.stdout
    );
}

#[test]
fn a_saved_run_of_a_program_replays_to_the_same_output_and_values() {
    let sb = Sandbox::new();
    let saved = sb.path().join("guests.json");
    let saved_arg = saved.to_str().unwrap();
    let path = program("seed_guests.py");
    let args = [
        "run",
        &path,
        "--json",
        "--schedule",
        "random",
        "--seed",
        "9",
        "--save",
        saved_arg,
    ];
    let first = sb.run(&args);
    first.assert_success();
    let s = first.summary();
    let replay = sb.run(&["run", saved_arg, "--json"]);
    replay.assert_success();
    let r = replay.summary();
    assert_eq!(r["schedule"], s["schedule"]);
    let texts = |v: &Value| -> Vec<Value> {
        v["output"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["text"].clone())
            .collect()
    };
    assert_eq!(texts(&r), texts(&s));
    let refused = sb.run(&["run", saved_arg, "--schedule", "round-robin"]);
    assert_eq!(
        refused.status.code(),
        Some(2),
        "a schedule file decides the steps"
    );
}

#[test]
fn the_explorer_finds_the_philosophers_deadlock_and_the_schedule_replays_it() {
    let sb = Sandbox::new();
    let saved = sb.path().join("dinner.json");
    let saved_arg = saved.to_str().unwrap();
    let args = ["--random", "10", "--seed", "1", "--save", saved_arg];
    let s = explore(&sb, "philosophers.py", &args);
    assert!(count(&s["deadlocked"]) >= 1, "{s}");
    let replay = sb.run(&["run", saved_arg, "--json"]);
    replay.assert_no_panic();
    let r = replay.summary();
    let deadlock = r["deadlock"].as_str().expect("the deadlock again");
    for fork in ["forks[0]", "forks[1]", "forks[2]"] {
        assert!(deadlock.contains(fork), "{deadlock}");
    }
    assert_eq!(r["schedule"], s["first_bad"]);
}
