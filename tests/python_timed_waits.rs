//! Timed waits in a free run (`q.get(timeout=…)`, `e.wait(timeout)`, an
//! acquire with a timeout) end by themselves: a process in one is no part
//! of a deadlock, so the run goes on to the program's own end.

mod common;

use common::Sandbox;
use common::python::{run_program, texts};

#[test]
fn a_consumer_with_a_timed_get_is_no_deadlock_in_a_free_run() {
    let sb = Sandbox::new();
    // Free: the consumer gets the three items, then waits 3 s for more
    // while the main process joins it, and stops.
    let done = run_program(&sb, "timed_get.py", &[]);
    let s = done.summary();
    assert!(s["deadlock"].is_null(), "no deadlock: {s}");
    assert_eq!(s["values"]["got.value"], 3, "{s}");
    assert_eq!(s["ok"], true, "{s}");
    assert_eq!(texts(&s), ["got 3"], "{s}");
}

#[test]
fn a_timed_event_wait_nobody_ends_gives_up_in_a_free_run() {
    let sb = Sandbox::new();
    let done = run_program(&sb, "timed_event_wait.py", &[]);
    let s = done.summary();
    assert!(s["deadlock"].is_null(), "no deadlock: {s}");
    assert_eq!(s["ok"], true, "{s}");
    assert_eq!(texts(&s), ["set: False"], "{s}");
}
