//! More lessons from the seed posts (issue 16, items 4, 6 and 1), through
//! the real binary, free and stepped: each lesson's key quantity and
//! verdict, and the real processes behind them.

mod common;

use serde_json::Value;

use common::{Sandbox, all_ended, free_and_stepped, int, printed, proc_of};

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

#[test]
fn value_array_with_get_lock_no_update_is_lost_and_each_slot_holds_its_count() {
    let sb = Sandbox::new();
    for (all, s) in free_and_stepped(&sb, "value_array", &[]) {
        assert_eq!(int(&s["actual"]), 2, "v.value: {s}");
        assert!(s["ok"].as_bool().unwrap(), "{s}");
        assert_eq!(int(&s["lost_updates"]), 0, "{s}");
        let values = &s["values"];
        // Each worker counted to a different number: 1 and 2, in lock order.
        let mut slots = [int(&values["a[0]"]), int(&values["a[1]"])];
        slots.sort_unstable();
        assert_eq!(slots, [1, 2], "{values}");
        // The parent sees what its children wrote (shared memory, not a copy).
        let lines = printed(&all);
        let line = format!(
            "v.value = 2 a[:] = [{}, {}]",
            int(&values["a[0]"]),
            int(&values["a[1]"])
        );
        assert!(lines.contains(&line), "{line:?} not in {lines:?}");
        all_ended(&s);
    }
}

#[test]
fn value_array_without_the_lock_a_listed_schedule_loses_the_same_update_every_time() {
    let sb = Sandbox::new();
    // main starts both; then both read v = 0 before either writes.
    let args = [
        "run",
        "value_array",
        "--json",
        "--off",
        "v_lock",
        "--steps",
        "1,1,2,3,2,3,2,3,2,3",
    ];
    for _ in 0..2 {
        let done = sb.run(&args);
        done.assert_no_panic();
        let s = done.summary();
        assert_eq!(int(&s["actual"]), 1, "{s}");
        assert!(!s["ok"].as_bool().unwrap(), "{s}");
        assert_eq!(int(&s["lost_updates"]), 1, "{s}");
        // Both wrote the same count into their slots.
        let values = &s["values"];
        assert_eq!(
            (
                int(&values["a[0]"]),
                int(&values["a[1]"]),
                int(&values["v"])
            ),
            (1, 1, 1),
            "{values}"
        );
        let lines = printed(&done.events());
        assert!(
            lines.contains(&"v.value = 1 a[:] = [1, 1]".to_string()),
            "{lines:?}"
        );
    }
}

/// A one-process lesson with values `v` and an Array `a` of 3, running `ops`.
fn array_lesson(sb: &Sandbox, ops: &str, measure: &str) -> String {
    common::write_lesson(
        sb,
        &format!(
            r#"{{
  "id": "arrays", "title": {{"en": "t"}}, "summary": {{"en": "s"}}, "story": {{"en": "s"}},
  "values": [{{ "name": "v", "initial": 0 }}, {{ "name": "a", "initial": 7, "len": 3 }}],
  "processes": [{{ "role": "main" }}],
  "programs": {{ "main": [{ops}] }},
  "check": {{ "measure": {{ "final_value": "{measure}" }}, "expect": 0, "rule": "at_least",
    "quantity": {{"en": "q"}}, "ok": {{"en": "o"}}, "broken": {{"en": "b"}} }}
}}"#
        ),
    )
}

#[test]
fn array_slots_are_named_by_an_index_and_checked_like_python() {
    let sb = Sandbox::new();
    // a[-1] is the last slot, as in Python; every slot starts at `initial`.
    let ops = r#"{ "op": "set", "local": "i", "expr": "-1" },
        { "op": "read", "value": "a[i]", "into": "x" },
        { "op": "write", "value": "a[0]", "expr": "x + 1" },
        { "op": "write", "value": "v", "expr": "x" }"#;
    let (_, s) = sb.run_json(&["run", &array_lesson(&sb, ops, "v"), "--json"]);
    let values = &s["values"];
    assert_eq!(
        [
            &values["a[0]"],
            &values["a[1]"],
            &values["a[2]"],
            &values["v"]
        ]
        .map(int),
        [8, 7, 7, 7],
        "{s}"
    );
    let past = r#"{ "op": "write", "value": "a[3]", "expr": "1" }"#;
    let done = sb.run(&["run", &array_lesson(&sb, past, "v")]);
    assert!(
        done.stdout.contains("P1 error: IndexError: invalid index"),
        "{}",
        done.stdout
    );
}

#[test]
fn an_array_used_as_a_value_or_a_value_indexed_is_refused_at_load() {
    let sb = Sandbox::new();
    let read = |value: &str| format!(r#"{{ "op": "read", "value": "{value}", "into": "x" }}"#);
    let cases = [
        (read("a"), "v", "`a` is an Array: name a slot, `a[i]`"),
        (read("v[0]"), "v", "`v` is a single Value, not an Array"),
        (read("a[j]"), "v", "local `j` is never given a value"),
        (read("a[0"), "v", "is neither a value's name nor a slot"),
        (read("b[0]"), "v", "no shared value named `b`"),
        (
            read("a[0]"),
            "a",
            "`a` is an Array: `final_value` measures a single Value",
        ),
    ];
    for (op, measure, why) in cases {
        let done = sb.run(&["run", &array_lesson(&sb, &op, measure)]);
        assert_eq!(done.code(), Some(1), "{op}: {}", done.stderr);
        assert!(done.stderr.contains(why), "{op}: {}", done.stderr);
    }
}

/// A phase of a pool summary by name: (real ms, from_ms).
fn phase(s: &Value, name: &str) -> (f64, f64) {
    let p = s["phases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("no phase {name} in {s}"));
    (p["ms"].as_f64().unwrap(), p["from_ms"].as_f64().unwrap())
}

#[test]
fn pool_apply_waits_five_rounds_and_apply_async_three_in_lesson_time() {
    let sb = Sandbox::new();
    // Speed 2: a 2 s sleep lasts 1 s; lesson time is real time × 2.
    let speed = 2.0;
    let (_, s) = sb.run_json(&["run", "pool_apply", "--json", "--speed", "2"]);
    let lesson_ms = |name| phase(&s, name).0 * speed;
    let (apply, apply_async) = (lesson_ms("apply"), lesson_ms("apply_async"));
    // Sleeps only ever last longer: five rounds of 2 s, then three.
    assert!(apply >= 10_000.0, "apply took {apply} ms");
    assert!(apply_async >= 6_000.0, "apply_async took {apply_async} ms");
    assert!(
        apply_async < apply,
        "apply {apply} ms, apply_async {apply_async}"
    );
    // The key quantity is apply_async's time scaled by the speed.
    assert!((int(&s["actual"]) as f64 - apply_async).abs() <= 1.0, "{s}");
    assert!(s["ok"].as_bool().unwrap(), "{s}");
    // Results come back two at a time: with two workers, the k-th
    // callback (0-based) cannot come before round k / 2 + 1 has slept.
    let (_, from) = phase(&s, "apply_async");
    let mut at: Vec<f64> = s["callbacks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["at_ms"].as_f64().unwrap())
        .collect();
    at.sort_by(f64::total_cmp);
    assert_eq!(at.len(), 5, "{s}");
    for (k, t) in at.iter().enumerate() {
        let round = (k / 2 + 1) as f64;
        assert!(
            (t - from) * speed >= 2000.0 * round,
            "callback {k} came {} lesson ms into the phase",
            (t - from) * speed
        );
    }
    // Each callback ran in the parent; every result is n * 2.
    let parent = int(&s["parent_pid"]);
    let mut results: Vec<i64> = s["callbacks"]
        .as_array()
        .unwrap()
        .iter()
        .inspect(|c| assert_eq!(int(&c["pid"]), parent, "{c}"))
        .map(|c| int(&c["result"]))
        .collect();
    results.sort_unstable();
    assert_eq!(results, [0, 2, 4, 6, 8]);
    assert_eq!(s["pool_workers"].as_array().unwrap().len(), 2, "{s}");
}

#[test]
fn pool_apply_refuses_a_schedule_and_phase_ms_must_name_a_timed_phase() {
    let sb = Sandbox::new();
    let done = sb.run(&["run", "pool_apply", "--schedule", "round-robin"]);
    assert_ne!(done.code(), Some(0), "{}", done.stdout);
    let lesson = |phases: &str, pool: bool| {
        let pool = if pool {
            format!(
                r#""processes": [], "pool": {{ "workers": 2, "tasks": 2, "program": "f", "phases": {phases} }},"#
            )
        } else {
            r#""processes": [{ "role": "f" }],"#.to_string()
        };
        common::write_lesson(
            &sb,
            &format!(
                r#"{{
  "id": "timed", "title": {{"en": "t"}}, "summary": {{"en": "s"}}, "story": {{"en": "s"}},
  {pool}
  "programs": {{ "f": [{{ "op": "return", "expr": "0" }}] }},
  "check": {{ "measure": {{ "phase_ms": "apply_async" }}, "expect": 1, "rule": "at_most",
    "quantity": {{"en": "q"}}, "ok": {{"en": "o"}}, "broken": {{"en": "b"}} }}
}}"#
            ),
        )
    };
    // One lesson file at a time: each is written to the same path.
    for (phases, pool, why) in [
        (
            r#"["apply"]"#,
            true,
            "`phase_ms` times phase `apply_async`: list it",
        ),
        ("", false, "`phase_ms` needs a `pool` section"),
    ] {
        let done = sb.run(&["run", &lesson(phases, pool)]);
        assert_eq!(done.code(), Some(1), "{}", done.stderr);
        assert!(done.stderr.contains(why), "{}", done.stderr);
    }
}

#[test]
fn pool_apply_prints_both_totals_in_lesson_time_side_by_side() {
    let sb = Sandbox::new();
    let done = sb.run(&["run", "pool_apply", "--speed", "4"]);
    done.assert_success();
    let line = (done.stdout.lines())
        .find_map(|l| l.strip_prefix("in lesson time (real × speed 4): "))
        .unwrap_or_else(|| panic!("no lesson time line:\n{}", done.stdout));
    // "Pool(2).apply 10016 ms · Pool(2).apply_async 6006 ms"
    let ms: Vec<i64> = line
        .split(" · ")
        .map(|p| p.trim_end_matches(" ms").rsplit(' ').next().unwrap())
        .map(|n| n.parse().unwrap())
        .collect();
    assert!(line.starts_with("Pool(2).apply "), "{line}");
    assert!(ms[0] >= 10_000 && ms[1] >= 6_000 && ms[1] < ms[0], "{line}");
}
