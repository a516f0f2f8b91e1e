//! The reduced search (one schedule per class) against the reference, the
//! search of every schedule (`--no-reduce`), on built-in lessons small
//! enough for the reference: the same classes, the same values, broken or
//! deadlocked alike, with no more runs. And lessons only the reduced search
//! can explore whole, with a bad schedule that replays.

mod common;

use common::Sandbox;
use serde_json::Value;

fn explore(sb: &Sandbox, args: &[&str]) -> Value {
    let mut all = vec!["explore"];
    all.extend_from_slice(args);
    all.push("--json");
    let done = sb.run(&all);
    done.assert_success().assert_no_panic();
    serde_json::from_str(done.stdout.trim())
        .unwrap_or_else(|e| panic!("not one JSON object ({e}): {}", done.stdout))
}

fn keys(set: &Value) -> Vec<String> {
    set["distribution"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect()
}

fn num(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not a count: {v}"))
}

/// Every set (lock setting × timing model) found the same outcomes.
fn same_as_reference(args: &[&str], reference: &str) {
    let sb = Sandbox::new();
    let reduced = explore(&sb, args);
    let full = explore(&sb, &[args, &[reference]].concat());
    assert_eq!(reduced["reduction"], "dpor");
    let (mine, theirs) = (
        reduced["sets"].as_array().unwrap(),
        full["sets"].as_array().unwrap(),
    );
    assert_eq!(mine.len(), theirs.len(), "{args:?}");
    for (a, b) in mine.iter().zip(theirs) {
        let what = format!("{args:?} {} off {}", a["timing"], a["off"]);
        assert_eq!(
            (&a["timing"], &a["off"]),
            (&b["timing"], &b["off"]),
            "{what}"
        );
        assert_eq!(a["classes"], b["classes"], "{what}: {a} vs {b}");
        assert_eq!(keys(a), keys(b), "{what}: {a} vs {b}");
        for k in ["broken", "deadlocked"] {
            assert_eq!(num(&a[k]) > 0, num(&b[k]) > 0, "{what} {k}: {a} vs {b}");
        }
        // One schedule per class, each class once.
        assert_eq!(a["schedules"], a["classes"], "{what}");
        assert!(num(&a["runs"]) <= num(&b["runs"]), "{what}: {a} vs {b}");
    }
}

#[test]
fn counter_and_bathroom_match_every_schedule() {
    same_as_reference(&["counter", "--procs", "2"], "--no-reduce");
    same_as_reference(&["counter", "--procs", "2", "--unlocked"], "--no-reduce");
    same_as_reference(&["bathroom"], "--no-reduce");
}

#[test]
fn process_trees_and_events_match_every_schedule() {
    for lesson in ["zombie", "event", "isolation", "daemon"] {
        same_as_reference(&[lesson], "--no-reduce");
    }
}

/// (As written: under any timing their thousands of schedules take long.)
#[test]
fn guests_match_every_schedule() {
    let as_written = ["--timing", "as-written"];
    same_as_reference(
        &[&["guests", "--procs", "2"][..], &as_written].concat(),
        "--no-reduce",
    );
    let unlocked = ["guests", "--procs", "2", "--unlocked"];
    same_as_reference(&[&unlocked[..], &as_written].concat(), "--no-reduce");
    same_as_reference(
        &[&["bathroom", "--unlocked"][..], &as_written].concat(),
        "--no-reduce",
    );
}

/// Where every schedule is too many, the search before the reduction
/// (steps that touch nothing shared at once) is the reference.
#[test]
fn ticket_and_pipe_match_the_local_reduction() {
    same_as_reference(&["ticket", "--procs", "2"], "--no-dpor");
    same_as_reference(&["ticket", "--procs", "2", "--unlocked"], "--no-dpor");
    same_as_reference(&["pipe", "--timing", "as-written"], "--no-dpor");
}

/// Refused before as too large, explored whole now: the smallest size of
/// every lesson but chat's and the queue's (explored whole too, in 140 and
/// 5040 classes: too long for a test run).
#[test]
fn lessons_refused_before_are_explored_whole() {
    let sb = Sandbox::new();
    for args in [
        &["counter", "--procs", "3"][..],
        &["counter", "--procs", "3", "--unlocked"],
        &["guests", "--procs", "3"],
        &["ticket", "--procs", "3"],
        &["join"],
        &["terminate"],
        &["pipe"],
    ] {
        let s = explore(&sb, args);
        for set in s["sets"].as_array().unwrap() {
            assert_eq!(set["schedules"], set["classes"], "{args:?}: {set}");
            assert!(num(&set["classes"]) >= 1, "{args:?}: {set}");
        }
    }
}

/// terminate: a worker killed while it holds the lock leaves the others
/// waiting forever. The search finds that deadlock, and its shortest bad
/// schedule replays it.
#[test]
fn the_terminate_deadlock_is_found_and_replays() {
    let sb = Sandbox::new();
    let done = sb.run(&["explore", "terminate", "--timing", "any"]);
    done.assert_success();
    let out = &done.stdout;
    assert!(out.contains("deadlock │"), "{out}");
    let replay = out
        .lines()
        .find_map(|l| l.trim().strip_prefix("replay: lockstep "))
        .unwrap_or_else(|| panic!("no replay line:\n{out}"));
    let args: Vec<&str> = replay.split_whitespace().collect();
    let again = sb.run(&args);
    assert!(
        again.stdout.contains("deadlock") || again.stdout.contains("BROKEN"),
        "{replay}: {}",
        again.stdout
    );
}

/// A bounded search (`--preemptions N`) runs the classes whose schedules
/// switch away from a process that could go on at most N times, and says
/// so: none loses an update without a switch, all of them are reached by
/// three.
#[test]
fn a_bounded_search_shows_its_bound_and_grows_to_the_whole() {
    let sb = Sandbox::new();
    let args = ["counter", "--procs", "3", "--unlocked", "--timing", "any"];
    let whole = explore(&sb, &args);
    let none = explore(&sb, &[&args[..], &["--preemptions", "0"]].concat());
    assert_eq!(none["preemption_bound"], 0, "{none}");
    assert_eq!(
        none["classes"], 6,
        "3! orders, one process after another: {none}"
    );
    assert_eq!(keys(&none), ["97"], "{none}");
    let one = explore(&sb, &[&args[..], &["--preemptions", "1"]].concat());
    assert!(
        num(&one["broken"]) > 0 && num(&one["classes"]) < num(&whole["classes"]),
        "{one}"
    );
    let three = explore(&sb, &[&args[..], &["--preemptions", "3"]].concat());
    assert_eq!(three["classes"], whole["classes"], "{three} vs {whole}");
    assert_eq!(keys(&three), keys(&whole));
    assert!(whole.get("preemption_bound").is_none(), "{whole}");
    let text = sb.run(&[
        "explore",
        "counter",
        "--procs",
        "3",
        "--unlocked",
        "--preemptions",
        "1",
    ]);
    text.assert_success();
    assert!(
        text.stdout.contains("at most 1 time (preemptions)"),
        "{}",
        text.stdout
    );
}
