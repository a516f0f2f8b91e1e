//! The lessons from the rest of the seed posts (issue 16), through the real
//! binary, free and stepped: each lesson's key quantity and verdict, and the
//! real pids and parent pids behind them.

mod common;

use serde_json::Value;

use common::{Sandbox, all_ended, free_and_stepped, int, printed, proc_of};

#[test]
fn alive_join_with_a_timeout_returns_while_the_child_still_runs() {
    let sb = Sandbox::new();
    for (all, s) in free_and_stepped(&sb, "alive", &[]) {
        assert_eq!(int(&s["actual"]), 1, "is_alive after join(1): {s}");
        assert!(s["ok"].as_bool().unwrap(), "{s}");
        let lines = printed(&all);
        let at = |text: &str| {
            lines
                .iter()
                .position(|l| l == text)
                .unwrap_or_else(|| panic!("{text:?} not printed: {lines:?}"))
        };
        let started = at("after start: is_alive True");
        let running = at("is_alive True exitcode None");
        let awake = at("child: awake, ending");
        let ended = at("is_alive False exitcode 0");
        assert!(
            started < running && running < awake && awake < ended,
            "{lines:?}"
        );
        // join(1) waited its second, on the clock or for real.
        let waited: i64 = lines
            .iter()
            .find_map(|l| l.strip_prefix("join(1) returned after "))
            .and_then(|l| l.strip_suffix(" ms"))
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no join(1) line: {lines:?}"));
        assert!((1000..2500).contains(&waited), "join(1) waited {waited} ms");
        assert_eq!(int(&proc_of(&s, 2)["exit_code"]), 0);
        all_ended(&s);
    }
}

#[test]
fn alive_under_any_timing_the_child_may_end_before_join_gives_up() {
    let sb = Sandbox::new();
    // P1 starts P2; P2 runs to its end; then P1 goes on: join(1) finds it ended.
    let (done, s) = sb.run_json(&[
        "run", "alive", "--json", "--timing", "any", "--steps", "1,2,2,2",
    ]);
    assert_eq!(int(&s["actual"]), 0, "{s}");
    assert!(!s["ok"].as_bool().unwrap(), "{s}");
    let lines = printed(&done.events());
    assert!(
        lines.iter().any(|l| l == "is_alive False exitcode 0"),
        "{lines:?}"
    );
    assert!(
        !lines.iter().any(|l| l.contains("None")),
        "an ended child's exitcode is not None: {lines:?}"
    );
    all_ended(&s);
}

#[test]
fn ppid_each_child_names_main_as_its_parent() {
    let sb = Sandbox::new();
    for (all, s) in free_and_stepped(&sb, "ppid", &[]) {
        assert_eq!(int(&s["actual"]), 2, "{s}");
        assert!(s["ok"].as_bool().unwrap(), "{s}");
        let main = proc_of(&s, 1);
        let (main_pid, main_ppid) = (int(&main["pid"]), int(&main["ppid"]));
        let lines = printed(&all);
        assert!(
            lines.contains(&format!("main: pid {main_pid} parent {main_ppid}")),
            "{lines:?}"
        );
        for n in [2, 3] {
            let p = proc_of(&s, n);
            assert_eq!(int(&p["ppid"]), main_pid, "{p}");
            let line = format!("child: pid {} parent {main_pid}", int(&p["pid"]));
            assert!(lines.contains(&line), "{line:?} not in {lines:?}");
        }
        assert_eq!(
            lines
                .iter()
                .filter(|l| **l == format!("my parent is main, pid {main_pid}"))
                .count(),
            2
        );
        all_ended(&s);
    }
}

#[test]
fn orphan_runs_on_under_a_new_parent_and_is_no_zombie() {
    let sb = Sandbox::new();
    for (all, s) in free_and_stepped(&sb, "orphan", &[]) {
        assert_eq!(int(&s["actual"]), 1, "{s}");
        assert!(s["ok"].as_bool().unwrap(), "{s}");
        // p itself is a zombie until main's join; its orphan never is.
        let zombies: Vec<i64> = s["zombies"].as_array().unwrap().iter().map(int).collect();
        assert!(!zombies.contains(&3), "the orphan was a zombie: {s}");
        let (child, grandchild) = (proc_of(&s, 2), proc_of(&s, 3));
        assert_eq!(int(&child["signal"]), 15, "{child}");
        assert_eq!(grandchild["orphaned"], true, "{grandchild}");
        // The summary follows the real parent: not P2 any more.
        let (child_pid, new_ppid) = (int(&child["pid"]), int(&grandchild["ppid"]));
        assert_ne!(new_ppid, child_pid, "{grandchild}");
        let pid = int(&grandchild["pid"]);
        let lines = printed(&all);
        assert!(
            lines.contains(&format!("grandchild {pid} parent {child_pid}")),
            "{lines:?}"
        );
        assert!(
            lines.contains(&format!("grandchild {pid} parent now {new_ppid}")),
            "{lines:?}"
        );
        let reparented: Vec<&Value> = all.iter().filter(|e| e["ev"] == "reparented").collect();
        assert_eq!(reparented.len(), 1, "{reparented:?}");
        assert_eq!(int(&reparented[0]["ppid"]), new_ppid);
        all_ended(&s);
    }
}

#[test]
fn ppid_is_a_built_in_local_that_cannot_be_assigned() {
    let sb = Sandbox::new();
    let file = common::write_lesson(
        &sb,
        r#"{
  "id": "bad_ppid", "title": {"en": "t"}, "summary": {"en": "s"}, "story": {"en": "s"},
  "processes": [{ "role": "main" }],
  "programs": { "main": [{ "op": "set", "local": "ppid", "expr": "1" }] },
  "check": { "measure": { "outcome": "x" }, "expect": 0, "rule": "at_least",
    "quantity": {"en": "q"}, "ok": {"en": "o"}, "broken": {"en": "b"} }
}"#,
    );
    let done = sb.run(&["run", &file]);
    assert!(
        done.stderr.contains("`ppid` is a built-in local"),
        "{}",
        done.stderr
    );
}

#[test]
fn rlock_the_owner_gets_in_again_and_the_other_waits_outside() {
    let sb = Sandbox::new();
    for (all, s) in free_and_stepped(&sb, "rlock", &[]) {
        assert_eq!(int(&s["actual"]), 1, "peak inside: {s}");
        assert_eq!(int(&s["outcomes"]["reentered"]), 2, "{s}");
        assert!(s["ok"].as_bool().unwrap(), "{s}");
        // The three lines each worker prints while it holds the lock come
        // together: nobody else is inside. "released it" is printed after
        // the release, so the other worker may get in before it.
        let lines = printed(&all);
        assert_eq!(lines.len(), 8, "{lines:?}");
        let inside: Vec<&String> = lines
            .iter()
            .filter(|l| !l.ends_with("released it"))
            .collect();
        assert_eq!(inside.len(), 6, "{lines:?}");
        for chunk in inside.chunks(3) {
            let who = chunk[0].split(' ').nth(1).unwrap();
            assert!(
                chunk.iter().all(|l| l.split(' ').nth(1) == Some(who)),
                "another worker got in: {lines:?}"
            );
        }
        let depths: Vec<i64> = all
            .iter()
            .filter(|e| e["ev"] == "reentered")
            .map(|e| int(&e["depth"]))
            .collect();
        assert_eq!(depths, [2, 1, 2, 1], "{depths:?}");
        all_ended(&s);
    }
}

/// A one-process lesson on `lock` (a Lock, or an RLock if `reentrant`)
/// running `ops`.
fn lock_lesson(sb: &Sandbox, reentrant: bool, ops: &str) -> String {
    common::write_lesson(
        sb,
        &format!(
            r#"{{
  "id": "twice", "title": {{"en": "t"}}, "summary": {{"en": "s"}}, "story": {{"en": "s"}},
  "locks": [{{ "name": "lock", "reentrant": {reentrant} }}],
  "processes": [{{ "role": "main" }}],
  "programs": {{ "main": [{ops}, {{ "op": "count", "outcome": "x" }}] }},
  "check": {{ "measure": {{ "outcome": "x" }}, "expect": 1, "rule": "at_least",
    "quantity": {{"en": "q"}}, "ok": {{"en": "o"}}, "broken": {{"en": "b"}} }}
}}"#
        ),
    )
}

#[test]
fn a_lock_taken_twice_by_its_holder_deadlocks_on_itself_an_rlock_does_not() {
    let sb = Sandbox::new();
    let twice = r#"{ "op": "acquire", "lock": "lock" }, { "op": "acquire", "lock": "lock" },
        { "op": "release", "lock": "lock" }, { "op": "release", "lock": "lock" }"#;
    let lock = lock_lesson(&sb, false, twice);
    let done = sb.run(&["run", &lock, "--schedule", "round-robin"]);
    assert!(
        done.stdout
            .contains("DEADLOCK: P1 waits for lock, which it holds itself"),
        "{}",
        done.stdout
    );
    let rlock = lock_lesson(&sb, true, twice);
    let (_, s) = sb.run_json(&["run", &rlock, "--json"]);
    assert!(s["ok"].as_bool().unwrap(), "{s}");
}

#[test]
fn an_rlock_released_more_than_taken_is_pythons_assertion_error() {
    let sb = Sandbox::new();
    let once_too_many = r#"{ "op": "acquire", "lock": "lock" }, { "op": "release", "lock": "lock" },
        { "op": "release", "lock": "lock" }"#;
    let rlock = lock_lesson(&sb, true, once_too_many);
    let done = sb.run(&["run", &rlock]);
    assert!(
        done.stdout
            .contains("AssertionError: attempt to release recursive lock not owned by thread"),
        "{}",
        done.stdout
    );
}
