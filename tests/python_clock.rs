//! A program's own clocks as written: `time.time()`, `time.perf_counter()`
//! and `time.monotonic_ns()` read lesson time, the same in every process,
//! so a program that measures a sleep or a `join(timeout)` prints the
//! lesson's figures, under any schedule. Under any timing they are real.

mod common;

use common::Sandbox;
use common::python::{run_program, texts};

#[test]
fn a_measured_sleep_and_joins_print_lesson_time_as_written() {
    let sb = Sandbox::new();
    let want = [
        "slept 1.5 1.5",
        "join(1) gave up after 1.0 alive True",
        "child woke at 4.5",
        "slow ended at 4.5",
        "child woke at 5.0",
        "join(2) came back after 500000000 ns",
    ];
    let round_robin = ["--schedule", "round-robin"];
    let seeds = ["1", "2", "3"].map(|s| ["--schedule", "random", "--seed", s]);
    for schedule in [&round_robin[..], &seeds[0], &seeds[1], &seeds[2]] {
        let args = [schedule, &["--timing", "as-written"][..]].concat();
        let done = run_program(&sb, "measured_sleep.py", &args);
        done.assert_success();
        let s = done.summary();
        assert_eq!(s["timing"], "as_written", "{s}");
        assert_eq!(texts(&s), want, "{schedule:?}: {s}");
    }
}

#[test]
fn under_any_timing_the_clocks_are_real() {
    let sb = Sandbox::new();
    let args = ["--schedule", "round-robin", "--timing", "any"];
    let done = run_program(&sb, "measured_sleep.py", &args);
    done.assert_success();
    let s = done.summary();
    let out = texts(&s);
    // A sleep takes no time under a schedule: real clocks show far less,
    // but some (the gates between the readings take real time).
    let slept: Vec<f64> = out[0]
        .strip_prefix("slept ")
        .unwrap()
        .split(' ')
        .map(|x| x.parse().unwrap())
        .collect();
    assert!(slept.iter().all(|t| *t > 0.0 && *t < 1.5), "{out:?}");
    assert_ne!(out[0], "slept 1.5 1.5");
}
