//! Python's own failures under `lockstep run PROGRAM.py`: a syntax error is
//! told with its line before any process starts, a traceback belongs to the
//! process that raised it, and a missing or too old interpreter is a clear
//! message with exit status 2. Nothing is left behind in any case.

mod common;

use common::python::program;

use std::os::unix::fs::PermissionsExt;

use common::{Sandbox, all_ended};

#[test]
fn a_syntax_error_is_told_with_its_line_before_anything_starts() {
    let sb = Sandbox::new();
    let path = program("syntax_error.py");
    for json in [false, true] {
        let mut args = vec!["run", path.as_str(), "--schedule", "round-robin"];
        if json {
            args.push("--json");
        }
        let done = sb.run(&args);
        done.assert_no_panic();
        assert_eq!(done.code(), Some(2), "{}", done.stderr);
        assert!(
            done.stderr
                .contains("syntax_error.py:5:10: syntax error: '(' was never closed"),
            "{}",
            done.stderr
        );
        assert!(
            done.stdout.is_empty(),
            "no process was started: {}",
            done.stdout
        );
    }
}

#[test]
fn a_childs_traceback_shows_in_its_output_and_the_summary() {
    let sb = Sandbox::new();
    let path = program("child_fails.py");
    let done = sb.run(&["run", &path, "--json", "--schedule", "round-robin"]);
    done.assert_no_panic();
    assert_eq!(done.code(), Some(1), "a process failed: exit 1");
    let summary = done.summary();
    all_ended(&summary);
    let errors = summary["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{summary}");
    let error = errors[0].as_str().unwrap();
    assert!(
        error.starts_with("P2: Traceback (most recent call last):"),
        "{error}"
    );
    assert!(
        error.contains("child_fails.py\", line 7, in work"),
        "{error}"
    );
    assert!(error.ends_with("ValueError: bad input 7"), "{error}");
    assert!(
        !error.contains("_lockstep"),
        "the shim's frames are not the program's: {error}"
    );
    assert_eq!(summary["processes"][1]["exit_code"], 1);
    assert_eq!(summary["processes"][0]["exit_code"], 0);
    let failed: Vec<_> = done
        .events()
        .into_iter()
        .filter(|e| e["ev"] == "failed")
        .collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["p"], 2, "the traceback is the child's");
    let output: Vec<&str> = summary["output"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["text"].as_str().unwrap())
        .collect();
    assert_eq!(output, ["working on 7", "child exit code 1"]);
}

#[test]
fn the_main_programs_traceback_is_shown_as_the_run_goes() {
    let sb = Sandbox::new();
    let path = program("main_fails.py");
    let done = sb.run(&["run", &path, "--schedule", "round-robin"]);
    assert_eq!(done.code(), Some(1));
    assert!(
        done.stdout.contains("P1 error: Traceback"),
        "{}",
        done.stdout
    );
    assert!(
        done.stdout.contains("KeyError: 'missing'"),
        "{}",
        done.stdout
    );
    assert!(done.stdout.contains("about to fail"), "{}", done.stdout);
}

#[test]
fn no_interpreter_or_a_too_old_one_is_a_clear_error() {
    let sb = Sandbox::new();
    let path = program("locked_counter.py");
    let done = sb.run(&["run", &path, "--interpreter", "/nonexistent/python3"]);
    assert_eq!(done.code(), Some(2));
    assert!(
        done.stderr
            .contains("failed to find a Python interpreter: `/nonexistent/python3`"),
        "{}",
        done.stderr
    );
    // An interpreter that says it is Python 3.6.
    let old = sb.path().join("python3.6");
    std::fs::write(&old, "#!/bin/sh\necho 'version 3 6 15'\necho ok\n").unwrap();
    std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o755)).unwrap();
    let done = sb.run(&["run", &path, "--interpreter", old.to_str().unwrap()]);
    assert_eq!(done.code(), Some(2));
    assert!(
        done.stderr
            .contains("it is Python 3.6.15, lockstep needs 3.8 or newer"),
        "{}",
        done.stderr
    );
}

#[test]
fn a_bad_expectation_is_told_with_its_line() {
    let sb = Sandbox::new();
    let path = program("locked_counter.py");
    let done = sb.run(&["run", &path, "--expect", "counter.value == lots"]);
    assert_eq!(done.code(), Some(2));
    assert!(
        done.stderr
            .contains("failed to read the expectation `counter.value == lots` (--expect)"),
        "{}",
        done.stderr
    );
}
