//! More lessons from the seed posts (issue 16, items 4, 6 and 1), through
//! the real binary, free and stepped: each lesson's key quantity and
//! verdict, and the real processes behind them.

mod common;

use serde_json::Value;

use common::{Sandbox, all_ended, int, printed};

/// The process entry of P`n` in a summary.
fn proc_of(summary: &Value, n: i64) -> &Value {
    summary["processes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| int(&p["id"]) == n)
        .unwrap_or_else(|| panic!("no P{n} in {summary}"))
}

/// `run LESSON --json ARGS` free, then round-robin: each (events, summary).
fn free_and_stepped(sb: &Sandbox, lesson: &str, args: &[&str]) -> Vec<(Vec<Value>, Value)> {
    [&[][..], &["--schedule", "round-robin"]]
        .iter()
        .map(|extra| {
            let mut all = vec!["run", lesson, "--json"];
            all.extend_from_slice(args);
            all.extend_from_slice(extra);
            let (done, s) = sb.run_json(&all);
            (done.events(), s)
        })
        .collect()
}

#[test]
fn daemon_child_the_daemons_start_fails_and_that_is_the_lessons_ok() {
    let sb = Sandbox::new();
    for (all, s) in free_and_stepped(&sb, "daemon_child", &[]) {
        // run_json asserted exit status 0: the expected error is no failure.
        assert_eq!(int(&s["actual"]), 1, "d's exit code: {s}");
        assert!(s["ok"].as_bool().unwrap(), "{s}");
        let errors = s["errors"].as_array().unwrap();
        assert_eq!(
            errors,
            &[Value::from(
                "P2: AssertionError: daemonic processes are not allowed to have children"
            )],
            "{s}"
        );
        let (d, p) = (proc_of(&s, 2), proc_of(&s, 3));
        assert_eq!(
            (d["daemon"].clone(), int(&d["exit_code"])),
            (true.into(), 1)
        );
        assert_eq!(
            (p["daemon"].clone(), int(&p["exit_code"])),
            (false.into(), 0)
        );
        // d's grandchild was never forked; p's ran, a child of p.
        assert!(proc_of(&s, 4)["pid"].is_null(), "{s}");
        let g = proc_of(&s, 5);
        assert_eq!(int(&g["ppid"]), int(&p["pid"]), "{g}");
        assert_eq!(int(&s["outcomes"]["grandchild_ran"]), 1, "{s}");
        let lines = printed(&all);
        for line in [
            "d daemon True starts a child",
            "p daemon False starts a child",
            "a grandchild runs",
            "p joined its child",
            "exit codes: d 1 p 0",
        ] {
            assert_eq!(
                lines.iter().filter(|l| *l == line).count(),
                1,
                "{line:?} in {lines:?}"
            );
        }
        assert_eq!(
            lines.len(),
            5,
            "d printed nothing after its start: {lines:?}"
        );
        all_ended(&s);
    }
}

#[test]
fn daemon_child_stepped_the_error_comes_at_ds_start_and_main_goes_on() {
    let sb = Sandbox::new();
    // main starts d and p; d prints, then its start() fails; main joins d.
    let (done, s) = sb.run_json(&["run", "daemon_child", "--json", "--steps", "1,1,2,2,2,2,1"]);
    let all = done.events();
    let at = |what: &str, pred: &dyn Fn(&Value) -> bool| {
        all.iter()
            .position(|e| e["ev"] == what && pred(e))
            .unwrap_or_else(|| panic!("no {what} event: {all:?}"))
    };
    let printed_by_d = at("printed", &|e| e["en"] == "d daemon True starts a child");
    let failed = at("failed", &|e| int(&e["p"]) == 2);
    let reaped = at("reaped", &|e| {
        int(&e["child"]) == 2 && int(&e["exitcode"]) == 1
    });
    assert!(printed_by_d < failed && failed < reaped, "{all:?}");
    assert!(
        !all.iter()
            .any(|e| e["ev"] == "started" && int(&e["p"]) == 2),
        "d started nothing: {all:?}"
    );
    assert!(s["ok"].as_bool().unwrap(), "{s}");
}

#[test]
fn daemon_child_an_error_the_lesson_expects_still_prints_as_an_error() {
    let sb = Sandbox::new();
    let done = sb.run(&["run", "daemon_child", "--schedule", "round-robin"]);
    assert_eq!(done.code(), Some(0), "{}", done.stderr);
    for needle in [
        "P2 error: AssertionError: daemonic processes are not allowed to have children",
        "verdict: OK: P2 stopped with an error",
        "P4 never started",
    ] {
        assert!(done.stdout.contains(needle), "{needle:?}:\n{}", done.stdout);
    }
}
