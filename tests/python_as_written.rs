//! Real programs stepped *as written*, as the built-in engine steps them:
//! a process whose last statement is a sleep is alive until the clock
//! reaches its wake-up, a `join(timeout)` gives up when the clock passes
//! its timeout, and a join of a terminated child waits for the child's
//! end, not for its pipe, which a grandchild may hold (the orphan lesson).

mod common;

use common::python::{program, texts};
use common::{Sandbox, all_ended};
use serde_json::Value;

/// `lockstep run ARGS --json`: its summary; every process has ended.
fn summary(sb: &Sandbox, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.push("--json");
    let done = sb.run(&all);
    done.assert_no_panic();
    let s = done.summary();
    all_ended(&s);
    assert_eq!(s["errors"], serde_json::json!([]), "{s}");
    s
}

#[test]
fn the_orphan_lesson_program_ends_as_written_like_the_built_in_one() {
    let sb = Sandbox::new();
    let rr = ["--schedule", "round-robin"];
    let real = summary(&sb, &[&["run", "orphan", "--python"][..], &rr].concat());
    assert_eq!(real["timing"], "as_written", "{real}");
    assert_eq!(real["ok"], true, "{real}");
    let lines = texts(&real);
    assert!(lines.contains(&"p exit code -15".to_string()), "{lines:?}");
    assert!(
        lines.contains(&"adopted: still running, not a zombie".to_string()),
        "{lines:?}"
    );
    let builtin = summary(&sb, &[&["run", "orphan"][..], &rr].concat());
    assert_eq!(real["ok"], builtin["ok"], "{builtin}");
    assert_eq!(real["expect"][0]["actual"], builtin["actual"], "{builtin}");
}

#[test]
fn a_child_that_ends_in_a_sleep_is_alive_until_its_wake_up() {
    let sb = Sandbox::new();
    let path = program("ends_asleep.py");
    let stepped = |timing: &str| {
        let s = summary(&sb, &["run", &path, "--steps", "1,2", "--timing", timing]);
        texts(&s)
    };
    assert_eq!(stepped("as-written"), ["alive True", "ended False"]);
    // Main starts the child, the child is let through its sleep: under
    // any timing it ends at once, before the parent asks.
    assert_eq!(stepped("any"), ["alive False", "ended False"]);
}

#[test]
fn the_alive_lesson_program_gives_up_its_timed_join_as_written() {
    let sb = Sandbox::new();
    let rr = ["run", "alive", "--python", "--schedule", "round-robin"];
    let lines = texts(&summary(&sb, &rr));
    let asked: Vec<&String> = lines.iter().filter(|l| l.starts_with("is_alive")).collect();
    assert_eq!(
        asked,
        ["is_alive True exitcode None", "is_alive False exitcode 0"],
        "{lines:?}"
    );
    assert!(
        lines.contains(&"after start: is_alive True".to_string()),
        "{lines:?}"
    );
    // The child wakes after the parent's join(1) has given up.
    let woke = lines.iter().position(|l| l == "child: awake, ending");
    let gave_up = lines.iter().position(|l| l.starts_with("join(1) returned"));
    assert!(woke > gave_up, "{lines:?}");
}
