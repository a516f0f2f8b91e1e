//! The listings of the lessons from the rest of the seed posts (issue 16)
//! are real programs: under CPython (`--python`, stepped round-robin) they
//! do what the lessons model, Python's own errors and shared memory included.

mod common;

use common::{Sandbox, all_ended, int};
use serde_json::Value;

/// `lockstep run LESSON --python --json`, stepped round-robin: the summary.
fn python_run(sb: &Sandbox, lesson: &str) -> Value {
    let done = sb.run(&[
        "run",
        lesson,
        "--python",
        "--json",
        "--schedule",
        "round-robin",
        "--timing",
        "any",
    ]);
    done.assert_no_panic();
    let s = done.summary();
    all_ended(&s);
    s
}

/// The lines the program printed, in order.
fn output(s: &Value) -> Vec<&str> {
    (s["output"].as_array().unwrap().iter())
        .map(|o| o["text"].as_str().unwrap())
        .collect()
}

#[test]
fn daemon_child_cpython_itself_refuses_the_daemons_child() {
    let sb = Sandbox::new();
    let s = python_run(&sb, "daemon_child");
    let errors = s["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{s}");
    let error = errors[0].as_str().unwrap();
    assert!(
        error.starts_with("P2: ")
            && error
                .ends_with("AssertionError: daemonic processes are not allowed to have children"),
        "{error}"
    );
    let lines = output(&s);
    assert!(lines.contains(&"a grandchild runs"), "{lines:?}");
    assert_eq!(lines.last(), Some(&"exit codes: d 1 p 0"), "{lines:?}");
}

#[test]
fn value_array_cpython_shares_the_value_and_the_arrays_slots() {
    let sb = Sandbox::new();
    let s = python_run(&sb, "value_array");
    assert_eq!(s["errors"], serde_json::json!([]), "{s}");
    let values = &s["values"];
    assert_eq!(int(&values["v.value"]), 2, "{values}");
    let mut slots = [int(&values["a[0]"]), int(&values["a[1]"])];
    slots.sort_unstable();
    assert_eq!(slots, [1, 2], "{values}");
    let last = format!(
        "v.value = 2 a[:] = [{}, {}]",
        int(&values["a[0]"]),
        int(&values["a[1]"])
    );
    assert_eq!(output(&s).last(), Some(&last.as_str()), "{s}");
}
