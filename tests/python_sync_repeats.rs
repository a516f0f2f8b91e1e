//! A barrier, an event and a condition in real CPython programs: the same
//! schedule gives the same run twenty times out of twenty. Who arrives
//! last at a barrier is decided in the order of the gates, a sleeper says
//! so only once it is counted in, and whoever a step wakes runs on to its
//! next gate before anybody else moves (tests/python/*.py).

mod common;

use common::python::{same_twenty_times, texts};
use serde_json::Value;

#[test]
fn barrier_phases_give_the_same_run_twenty_times() {
    // The three waits back to back: each arrival comes just as the one
    // before says it sleeps. And a random order.
    let steps = ["--steps", "1,1,1,2,3,4,2,3,4"];
    let random = ["--schedule", "random", "--seed", "7"];
    for args in [&steps[..], &random[..]] {
        let s = same_twenty_times("barrier_phases.py", args, &[]);
        assert_eq!(s["ok"], true, "{s}");
        assert_eq!(s["deadlock"], Value::Null, "{s}");
        let out = texts(&s);
        assert_eq!(out.len(), 6, "{out:?}");
        assert!(out[..3].iter().all(|l| l.starts_with("phase 1")), "{out:?}");
        assert!(out[3..].iter().all(|l| l.starts_with("phase 2")), "{out:?}");
    }
}

#[test]
fn an_event_cleared_at_once_and_a_condition_give_the_same_run_twenty_times() {
    // Seed 2: the clear comes before either worker waits on the event;
    // seed 1: both get through and notify the main process.
    let args = ["--schedule", "random", "--seed", "2"];
    let stuck = same_twenty_times("event_condition_rounds.py", &args, &[]);
    assert_eq!(stuck["ok"], false, "{stuck}");
    let deadlock = stuck["deadlock"].as_str().expect("a deadlock");
    assert!(deadlock.contains("event go (not set)"), "{deadlock}");
    assert!(deadlock.contains("cond"), "{deadlock}");
    let args = ["--schedule", "random", "--seed", "1"];
    let through = same_twenty_times("event_condition_rounds.py", &args, &[]);
    assert_eq!(through["ok"], true, "{through}");
    assert_eq!(through["values"]["came.value"], 2, "{through}");
    assert_eq!(texts(&through).last().unwrap(), "came 2");
}

#[test]
fn a_barrier_met_twice_gives_places_in_the_order_of_the_gates() {
    let args = ["--schedule", "random", "--seed", "2"];
    let s = same_twenty_times("barrier_rounds.py", &args, &[]);
    assert_eq!(s["ok"], true, "{s}");
    let out = texts(&s);
    for round in ["round 0", "round 1"] {
        let mut places: Vec<&str> = out
            .iter()
            .filter(|l| l.contains(round))
            .map(|l| l.rsplit(' ').next().unwrap())
            .collect();
        places.sort();
        assert_eq!(places, ["0", "1", "2"], "{round}: {out:?}");
    }
}
