//! Puts and sends that would block in a real CPython program: a `put` on a
//! full bounded `Queue(maxsize)` and a `send` on a full pipe say what they
//! wait on first, so a stepped run never hangs silently, the same schedule
//! gives the same run, and a deadlock on them is named.

mod common;

use common::python::{comparable_without, program, run_program, texts};

use common::Sandbox;
use serde_json::Value;

/// The producer puts three items before the consumer runs: its third put
/// finds Queue(2) full.
const FILL_FIRST: [&str; 2] = ["--steps", "1,1,2,2,2,3,3"];

#[test]
fn a_put_on_a_full_bounded_queue_waits_for_a_get_then_goes_on() {
    let sb = Sandbox::new();
    let done = run_program(&sb, "bounded_buffer.py", &FILL_FIRST);
    done.assert_success();
    let s = done.summary();
    assert_eq!(texts(&s), ["consumed 15"], "{s}");
    let events = done.events();
    let at = |pick: &dyn Fn(&Value) -> bool| events.iter().position(pick).unwrap();
    let queued = at(&|e| e["ev"] == "put_queued" && e["p"] == 2 && e["queue"] == "buf");
    let first_get = at(&|e| e["ev"] == "queue_got" && e["p"] == 3);
    let third_put = at(&|e| e["ev"] == "queue_put" && e["item"]["value"] == 2);
    assert!(
        queued < first_get && first_get < third_put,
        "the third put waits for the first get"
    );
    // Every item got once, in the order put.
    let got: Vec<Value> = events
        .iter()
        .filter(|e| e["ev"] == "queue_got")
        .map(|e| e["item"]["value"].clone())
        .collect();
    let want: Vec<Value> = (0..6).map(Value::from).chain([Value::Null]).collect();
    assert_eq!(got, want);
}

#[test]
fn a_deadlock_on_a_full_queue_is_named() {
    let sb = Sandbox::new();
    let done = run_program(&sb, "bounded_deadlock.py", &["--schedule", "round-robin"]);
    let s = done.summary();
    assert!(!s["deadlock"].is_null(), "{s}");
    let plain = sb.run(&[
        "run",
        &program("bounded_deadlock.py"),
        "--schedule",
        "round-robin",
    ]);
    let want = "P1 (main) waits for P2 (p) to end (join); P2 (p) waits to put into queue q (full: 1 of 1 items)";
    assert!(plain.stdout.contains(want), "{}", plain.stdout);
}

#[test]
fn a_deadlock_on_a_full_pipe_is_named() {
    let sb = Sandbox::new();
    let done = run_program(&sb, "pipe_full.py", &["--schedule", "round-robin"]);
    let s = done.summary();
    assert!(!s["deadlock"].is_null(), "{s}");
    assert!(
        done.events()
            .iter()
            .any(|e| e["ev"] == "write_waiting" && e["p"] == 2 && e["on"] == "w"),
        "the send said it waits"
    );
    let plain = sb.run(&["run", &program("pipe_full.py"), "--schedule", "round-robin"]);
    assert!(
        plain.stdout.contains(
            "P2 (p) waits to send on w (the pipe is full; r still open in P1 (main), P2 (p))"
        ),
        "{}",
        plain.stdout
    );
}

#[test]
fn a_sender_ahead_of_its_reader_runs_the_same_twenty_times() {
    let sb = Sandbox::new();
    // The sender sends 17 steps ahead (68 KB): its pipe fills and it waits; it
    // moves again when the reader has read the message it waited on.
    let steps = format!("1,{}", vec!["2"; 17].join(","));
    let args = ["--steps", steps.as_str()];
    let first = run_program(&sb, "pipe_stream.py", &args);
    first.assert_success();
    assert_eq!(texts(&first.summary()), ["received 60"]);
    assert!(first.events().iter().any(|e| e["ev"] == "write_waiting"));
    let want = comparable_without(&first, &["processes"]);
    let schedule = first.summary()["schedule"].clone();
    for i in 1..20 {
        let again = run_program(&sb, "pipe_stream.py", &args);
        assert_eq!(again.summary()["schedule"], schedule, "run {}", i + 1);
        assert_eq!(
            comparable_without(&again, &["processes"]),
            want,
            "run {} differs",
            i + 1
        );
    }
}

#[test]
fn a_bounded_buffer_runs_the_same_twenty_times() {
    let sb = Sandbox::new();
    let want = comparable_without(
        &run_program(&sb, "bounded_buffer.py", &FILL_FIRST),
        &["processes"],
    );
    for i in 1..20 {
        let again = run_program(&sb, "bounded_buffer.py", &FILL_FIRST);
        assert_eq!(
            comparable_without(&again, &["processes"]),
            want,
            "run {} differs",
            i + 1
        );
    }
}

#[test]
fn free_runs_of_the_bounded_buffer_and_the_stream_end_well() {
    let sb = Sandbox::new();
    let done = run_program(&sb, "bounded_buffer.py", &[]);
    done.assert_success();
    assert_eq!(texts(&done.summary()), ["consumed 15"]);
    let done = run_program(&sb, "pipe_stream.py", &[]);
    done.assert_success();
    assert_eq!(texts(&done.summary()), ["received 60"]);
}

/// A buffer kept by two semaphores, one of them `Semaphore(0)`, written
/// the way a learner would (objects made in tuple assignments): every
/// object carries its own target's name, and all four items get through.
#[test]
fn a_semaphore_buffer_made_in_tuple_assignments_names_each_object() {
    let sb = Sandbox::new();
    let done = run_program(&sb, "semaphore_buffer.py", &["--schedule", "round-robin"]);
    done.assert_success();
    let s = done.summary();
    for name in ["head.value", "tail.value", "taken.value"] {
        assert_eq!(s["values"][name], 4, "{name}: {}", s["values"]);
    }
    assert_eq!(s["expect"][0]["actual"], 4, "{s}");
    assert_eq!(s["ok"], true, "{s}");
    let texts = texts(&s);
    assert_eq!(
        texts.last().map(String::as_str),
        Some("done 4"),
        "{texts:?}"
    );
}
