//! `--timing` for real Python programs: as written, the virtual clock of
//! the built-in engine applies to a program's `time.sleep` gates, so a
//! schedule cannot reach an order the program's sleeps rule out; the
//! summary and the explorer say which timing model they followed.
//! `--procs` is refused with its reason.

mod common;

use common::python::{program, texts};

use common::Sandbox;
use serde_json::Value;

/// Main starts both, then `slow` is stepped through its sleep and on to
/// its print while `quick` still waits at its own.
const SLOW_FIRST: &str = "1,1,2,2";

#[test]
fn any_timing_lets_the_sleeper_print_first() {
    let sb = Sandbox::new();
    let path = program("timed_pair.py");
    let args = [
        "run", &path, "--steps", SLOW_FIRST, "--timing", "any", "--json",
    ];
    let (_, s) = sb.run_json(&args);
    assert_eq!(texts(&s), ["slow", "quick"], "{s}");
    assert_eq!(s["timing"], "any", "{s}");
}

#[test]
fn as_written_refuses_the_step_the_sleep_rules_out() {
    let sb = Sandbox::new();
    let path = program("timed_pair.py");
    let done = sb.run(&[
        "run",
        &path,
        "--steps",
        SLOW_FIRST,
        "--timing",
        "as-written",
    ]);
    assert_eq!(done.code(), Some(1), "{}", done.stderr);
    common::assert_mentions(
        &done,
        &["step 4", "P2", "sleeps until 1.00 s", "can move now"],
    );
}

#[test]
fn as_written_round_robin_prints_the_quick_one_first_and_says_so() {
    let sb = Sandbox::new();
    let path = program("timed_pair.py");
    let args = [
        "run",
        &path,
        "--schedule",
        "round-robin",
        "--timing",
        "as-written",
    ];
    let mut json = args.to_vec();
    json.push("--json");
    let (_, s) = sb.run_json(&json);
    assert_eq!(texts(&s), ["quick", "slow"], "{s}");
    assert_eq!(s["timing"], "as_written", "{s}");
    let text = sb.run(&args);
    text.assert_success();
    assert!(text.stdout.contains("· as written"), "{}", text.stdout);
    // A free run has no timing model: its sleeps are real.
    let (_, free) = sb.run_json(&["run", &path, "--json", "--speed", "100"]);
    assert_eq!(free["timing"], Value::Null, "{free}");
}

#[test]
fn timing_needs_a_schedule_and_procs_is_refused_with_its_reason() {
    let sb = Sandbox::new();
    let path = program("timed_pair.py");
    let timing = sb.run(&["run", &path, "--timing", "as-written"]);
    assert_eq!(timing.code(), Some(2), "{}", timing.stderr);
    let procs = sb.run(&["run", &path, "--procs", "2"]);
    assert_eq!(procs.code(), Some(2), "{}", procs.stderr);
    common::assert_mentions(&procs, &["--procs", "chooses how many processes"]);
    let explore = sb.run(&["explore", &path, "--procs", "2"]);
    assert_eq!(explore.code(), Some(2), "{}", explore.stderr);
    common::assert_mentions(&explore, &["chooses how many processes"]);
}

#[test]
fn explore_follows_and_tells_the_timing_model() {
    let sb = Sandbox::new();
    let path = program("timed_pair.py");
    // Without the reduction every step is a branch: as written, the
    // sleeper's print can never come first, so fewer schedules exist.
    let count = |timing: &str| {
        let args = [
            "explore",
            &path,
            "--no-reduce",
            "--timing",
            timing,
            "--json",
        ];
        let (_, s) = sb.run_json(&args);
        assert_eq!(s["timing"], timing.replace('-', "_"), "{s}");
        s["schedules"].as_u64().unwrap()
    };
    let (written, any) = (count("as-written"), count("any"));
    assert!(written < any, "as written {written}, any {any}");
}

#[test]
fn a_lesson_program_follows_the_lessons_timing_model() {
    let sb = Sandbox::new();
    let (_, s) = sb.run_json(&[
        "run",
        "join",
        "--python",
        "--schedule",
        "round-robin",
        "--json",
    ]);
    assert_eq!(s["timing"], "as_written", "the join lesson's own: {s}");
    let lines = texts(&s);
    // As written, the sleepers wake in the order of their sleeps.
    let slept: Vec<&String> = lines.iter().filter(|l| l.starts_with("slept")).collect();
    assert_eq!(slept, ["slept 1 s", "slept 2 s", "slept 3 s"], "{lines:?}");
}

#[test]
fn a_saved_schedule_replays_under_its_timing_model() {
    let sb = Sandbox::new();
    let path = program("timed_pair.py");
    let file = sb.path().join("pair.json");
    let file = file.to_str().unwrap();
    let args = [
        "run",
        &path,
        "--schedule",
        "round-robin",
        "--timing",
        "as-written",
        "--save",
        file,
        "--json",
    ];
    let (_, first) = sb.run_json(&args);
    let (_, again) = sb.run_json(&["run", file, "--json"]);
    assert_eq!(again["timing"], "as_written", "{again}");
    assert_eq!(again["output"], first["output"]);
    assert_eq!(again["schedule"], first["schedule"]);
}
