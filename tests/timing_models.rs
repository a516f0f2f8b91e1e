//! The two timing models of a schedule, on the real binary: *as written*
//! (a virtual clock: a sleeper cannot move before its sleep ends) keeps
//! each lesson's story true under every schedule; *any timing* gives every
//! order, as before; saved schedules keep the model and the SIGTERMs sent.

mod common;

use common::{Sandbox, int};
use serde_json::{Value, json};

/// `lockstep explore ARGS --json`: its one summary line.
fn explore(sb: &Sandbox, args: &[&str]) -> Value {
    let done = sb.run(&[&["explore"], args, &["--json"]].concat());
    done.assert_success().assert_no_panic();
    serde_json::from_str(done.stdout.lines().last().unwrap_or("")).expect("explore JSON")
}

/// The `explore --json` summary's sets, as (timing, schedules, broken, deadlocked).
fn sets(s: &Value) -> Vec<(String, i64, i64, i64)> {
    s["sets"]
        .as_array()
        .expect("sets")
        .iter()
        .map(|t| {
            (
                t["timing"].as_str().unwrap_or("").to_string(),
                int(&t["schedules"]),
                int(&t["broken"]),
                int(&t["deadlocked"]),
            )
        })
        .collect()
}

#[test]
fn terminate_as_written_always_deadlocks_on_the_dead_holder() {
    let sb = Sandbox::new();
    let named = "P3, P4 wait for lock, held by P2 (killed by SIGTERM, exit code -15)";
    let (_, s) = sb.run_json(&["run", "terminate", "--schedule", "round-robin", "--json"]);
    assert_eq!(s["timing"], "as_written", "{s}");
    assert!(s["deadlock"].as_str().unwrap_or("").contains(named), "{s}");
    for seed in 1..=20 {
        let seed = seed.to_string();
        let args = ["run", "terminate", "--schedule", "random", "--seed", &seed];
        let (_, s) = sb.run_json(&[&args[..], &["--json"]].concat());
        let deadlock = s["deadlock"].as_str().unwrap_or("");
        assert!(deadlock.contains(named), "seed {seed}: {s}");
    }
}

#[test]
fn under_any_timing_the_holder_may_finish_first() {
    let sb = Sandbox::new();
    let (_, s) = sb.run_json(&[
        "run",
        "terminate",
        "--schedule",
        "round-robin",
        "--timing",
        "any",
        "--json",
    ]);
    assert_eq!(s["timing"], "any");
    assert_eq!(s["deadlock"], Value::Null, "{s}");
}

#[test]
fn the_zombie_is_seen_under_every_schedule_as_written() {
    let sb = Sandbox::new();
    let s = explore(&sb, &["zombie", "--timing", "as-written"]);
    assert_eq!(s["broken"], 0, "{s}");
    assert!(int(&s["schedules"]) >= 1, "{s}");
    // The step that lets the child end before the parent's sleep is refused,
    // and says why.
    let done = sb.run(&["run", "zombie", "--steps", "1,1,1,1,2,1,1"]);
    assert_eq!(done.code(), Some(1), "{}", done.stderr);
    assert!(
        done.stderr.contains(
            "step 4: P1 cannot move (P1 sleeps until 3.00 s; now 0.00 s; P2 can move now)"
        ),
        "{}",
        done.stderr
    );
}

#[test]
fn the_daemon_never_prints_after_the_main_code_as_written() {
    let sb = Sandbox::new();
    let s = explore(&sb, &["daemon", "--timing", "as-written"]);
    assert_eq!(s["broken"], 0, "{s}");
    assert_eq!(s["deadlocked"], 0, "{s}");
}

#[test]
fn explore_tells_both_models_apart_where_they_differ() {
    let sb = Sandbox::new();
    let s = explore(&sb, &["zombie"]);
    let found = sets(&s);
    assert_eq!(found.len(), 2, "{s}");
    assert_eq!(found[0].0, "as_written", "the lesson's own model first");
    assert_eq!(found[0].2, 0, "{s}");
    assert_eq!(found[1].0, "any");
    assert!(
        found[1].2 > 0,
        "any timing lets the child be joined first: {s}"
    );
    let text = sb.run(&["explore", "zombie"]);
    text.assert_success();
    assert!(text.stdout.contains("── as written ("), "{}", text.stdout);
    assert!(text.stdout.contains("── any timing ("), "{}", text.stdout);
    assert!(
        text.stdout
            .contains("replay: lockstep run zombie --timing any --steps "),
        "a replay of the other model asks for it: {}",
        text.stdout
    );
    // A lesson without sleeps has one model to explore.
    let s = explore(&sb, &["isolation"]);
    assert_eq!(sets(&s).len(), 1, "{s}");
}

/// A child whose whole program is a sleep is alive right after `start`,
/// as in CPython: its end waits for the clock.
#[test]
fn a_sleeping_child_is_alive_right_after_start_as_written() {
    let sb = Sandbox::new();
    let path = sb.path().join("alive.json");
    std::fs::write(&path, ALIVE).unwrap();
    let path = path.to_str().unwrap();
    let (_, s) = sb.run_json(&["run", path, "--schedule", "round-robin", "--json"]);
    assert_eq!(s["actual"], 1, "{s}");
    assert_eq!(s["ok"], true, "{s}");
    let (_, any) = sb.run_json(&[
        "run",
        path,
        "--schedule",
        "round-robin",
        "--timing",
        "any",
        "--json",
    ]);
    assert_eq!(any["actual"], 0, "sleeps take no time: {any}");
}

/// `template` with its child sleeping `child_ms`, run round-robin three
/// times: every run prints `line`.
fn prints_every_time(sb: &Sandbox, template: &str, child_ms: u64, line: &str) {
    let path = sb.path().join(format!("timed{child_ms}.json"));
    std::fs::write(&path, template.replace("CHILD_MS", &child_ms.to_string())).unwrap();
    let path = path.to_str().unwrap();
    for _ in 0..3 {
        let done = sb.run(&["run", path, "--schedule", "round-robin"]);
        done.assert_success();
        assert!(done.stdout.contains(line), "{child_ms} ms: {}", done.stdout);
    }
}

/// `join(1)` as written: it returns when the child ends or when the clock
/// has moved on its timeout, whichever comes first (CPython's `join(1)`
/// on a child that sleeps 2 s returns after 1 s, the child still alive).
#[test]
fn a_join_with_a_timeout_waits_on_the_clock_as_written() {
    let sb = Sandbox::new();
    for (child_ms, alive, at) in [(2000, 1, 1000), (500, 0, 500)] {
        let line = format!("alive {alive} at {at}");
        prints_every_time(&sb, JOIN_TIMEOUT, child_ms, &line);
    }
}

/// `event.wait(1)` as written: it returns True when the event is set
/// first, False once the clock has moved on its timeout.
#[test]
fn an_event_wait_with_a_timeout_waits_on_the_clock_as_written() {
    let sb = Sandbox::new();
    for (child_ms, got, at) in [(2000, 0, 1000), (500, 1, 500)] {
        let line = format!("got {got} at {at}");
        prints_every_time(&sb, EVENT_TIMEOUT, child_ms, &line);
    }
}

/// `q.get(timeout=1)` as written: the item when it is put first, `Empty`
/// once the clock has moved on the timeout.
#[test]
fn a_queue_get_with_a_timeout_waits_on_the_clock_as_written() {
    let sb = Sandbox::new();
    for (child_ms, got, at) in [(2000, 0, 1000), (500, 7, 500)] {
        let line = format!("got {got} at {at}");
        prints_every_time(&sb, QUEUE_TIMEOUT, child_ms, &line);
    }
}

#[test]
fn a_schedule_file_keeps_the_timing_model_and_its_sigterms() {
    let sb = Sandbox::new();
    // The counter lesson of two (count starts at 50, each adds 49): a
    // SIGTERM to P2 after its first step, P1 then counts to the end alone.
    let file = sb.path().join("t.schedule.json");
    std::fs::write(
        &file,
        r#"{"lockstep_schedule": 2, "lesson": "counter", "procs": 2, "seed": 1,
            "timing": "any", "steps": [1, 2], "sigterms": [{"after_step": 2, "proc": 2}]}"#,
    )
    .unwrap();
    let f = file.to_str().unwrap();
    for _ in 0..3 {
        let (_, s) = sb.run_json(&["run", f, "--json"]);
        assert_eq!(s["timing"], "any", "{s}");
        assert_eq!(s["processes"][1]["signal"], 15, "{s}");
        assert_eq!(s["actual"], 99, "{s}");
        assert_eq!(s["schedule"], json!([1, 2, 1, 1, 1, 1, 1]), "{s}");
    }
    // Saved again, the SIGTERM and the model are still there.
    let again = sb.path().join("again.schedule.json");
    let (_, _) = sb.run_json(&["run", f, "--save", again.to_str().unwrap(), "--json"]);
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&again).unwrap()).unwrap();
    assert_eq!(saved["lockstep_schedule"], 2);
    assert_eq!(saved["timing"], "any");
    assert_eq!(saved["sigterms"], json!([{"after_step": 2, "proc": 2}]));
}

#[test]
fn a_format_1_file_still_loads_as_any_timing() {
    let sb = Sandbox::new();
    let file = sb.path().join("old.schedule.json");
    std::fs::write(
        &file,
        r#"{"lockstep_schedule": 1, "lesson": "zombie", "steps": [1,1,1,1,2,1,1]}"#,
    )
    .unwrap();
    let (_, s) = sb.run_json(&["run", file.to_str().unwrap(), "--json"]);
    assert_eq!(s["timing"], "any", "{s}");
    assert_eq!(
        s["ok"], false,
        "the order as written forbids, taken as recorded: {s}"
    );
}

#[test]
fn timing_needs_a_schedule() {
    let sb = Sandbox::new();
    let done = sb.run(&["run", "zombie", "--timing", "any"]);
    assert_eq!(done.code(), Some(2));
    assert!(
        done.stderr.contains("--timing applies to a schedule"),
        "{}",
        done.stderr
    );
}

const JOIN_TIMEOUT: &str = r#"{
  "id": "jointimeout", "title": { "en": "j", "zh": "j" },
  "summary": { "en": "x", "zh": "x" }, "story": { "en": "x", "zh": "x" },
  "speed": 1, "timing": "as_written",
  "processes": [ { "role": "main" }, { "role": "kid", "started_by": "main" } ],
  "programs": {
    "main": [ { "op": "start", "role": "kid", "as": "p", "line": 1 },
              { "op": "join", "proc": "p", "timeout_ms": 1000, "line": 2 },
              { "op": "is_alive", "proc": "p", "into": "alive", "line": 3 },
              { "op": "clock", "into": "t", "line": 4 },
              { "op": "print", "text": { "en": "alive {alive} at {t}", "zh": "a" }, "line": 5 },
              { "op": "join", "proc": "p", "line": 6 } ],
    "kid": [ { "op": "sleep", "ms": CHILD_MS, "line": 8 } ]
  },
  "check": {
    "measure": { "final_local": { "role": "main", "name": "alive" } },
    "expect": 1, "rule": "equal",
    "quantity": { "en": "alive", "zh": "a" },
    "ok": { "en": "ok", "zh": "ok" }, "broken": { "en": "broken", "zh": "b" },
    "so_far": { "en": "so far", "zh": "s" }
  }
}"#;

const EVENT_TIMEOUT: &str = r#"{
  "id": "waittimeout", "title": { "en": "w", "zh": "w" },
  "summary": { "en": "x", "zh": "x" }, "story": { "en": "x", "zh": "x" },
  "speed": 1, "timing": "as_written", "events": [{ "name": "e" }],
  "processes": [ { "role": "main" }, { "role": "kid", "started_by": "main" } ],
  "programs": {
    "main": [ { "op": "start", "role": "kid", "as": "p", "line": 1 },
              { "op": "event_wait", "event": "e", "timeout_ms": 1000, "into": "got", "line": 2 },
              { "op": "clock", "into": "t", "line": 3 },
              { "op": "print", "text": { "en": "got {got} at {t}", "zh": "g" }, "line": 4 },
              { "op": "join", "proc": "p", "line": 5 } ],
    "kid": [ { "op": "sleep", "ms": CHILD_MS, "line": 7 },
             { "op": "event_set", "event": "e", "line": 8 } ]
  },
  "check": {
    "measure": { "final_local": { "role": "main", "name": "got" } },
    "expect": 1, "rule": "equal",
    "quantity": { "en": "got", "zh": "g" },
    "ok": { "en": "ok", "zh": "ok" }, "broken": { "en": "broken", "zh": "b" },
    "so_far": { "en": "so far", "zh": "s" }
  }
}"#;

const QUEUE_TIMEOUT: &str = r#"{
  "id": "gettimeout", "title": { "en": "g", "zh": "g" },
  "summary": { "en": "x", "zh": "x" }, "story": { "en": "x", "zh": "x" },
  "speed": 1, "timing": "as_written", "queues": [{ "name": "q" }],
  "processes": [ { "role": "main" }, { "role": "kid", "started_by": "main" } ],
  "programs": {
    "main": [ { "op": "set", "local": "got", "expr": "0", "line": 1 },
              { "op": "start", "role": "kid", "as": "p", "line": 1 },
              { "op": "queue_get", "queue": "q", "into": "got", "timeout_ms": 1000, "empty": "out", "line": 2 },
              { "op": "clock", "into": "t", "line": 3, "label": "out" },
              { "op": "print", "text": { "en": "got {got} at {t}", "zh": "g" }, "line": 4 },
              { "op": "join", "proc": "p", "line": 5 } ],
    "kid": [ { "op": "sleep", "ms": CHILD_MS, "line": 7 },
             { "op": "queue_put", "queue": "q", "expr": "7", "line": 8 } ]
  },
  "check": {
    "measure": { "final_local": { "role": "main", "name": "got" } },
    "expect": 7, "rule": "equal",
    "quantity": { "en": "got", "zh": "g" },
    "ok": { "en": "ok", "zh": "ok" }, "broken": { "en": "broken", "zh": "b" },
    "so_far": { "en": "so far", "zh": "s" }
  }
}"#;

const ALIVE: &str = r#"{
  "id": "alive", "title": { "en": "alive", "zh": "alive" },
  "summary": { "en": "x", "zh": "x" }, "story": { "en": "x", "zh": "x" },
  "speed": 1, "timing": "as_written",
  "processes": [ { "role": "main" }, { "role": "kid", "started_by": "main" } ],
  "programs": {
    "main": [ { "op": "start", "role": "kid", "as": "p", "line": 1 },
              { "op": "is_alive", "proc": "p", "into": "alive", "line": 2 },
              { "op": "join", "proc": "p", "line": 3 } ],
    "kid": [ { "op": "sleep", "ms": 1000, "line": 5 } ]
  },
  "check": {
    "measure": { "final_local": { "role": "main", "name": "alive" } },
    "expect": 1, "rule": "equal",
    "quantity": { "en": "alive", "zh": "a" },
    "ok": { "en": "ok", "zh": "ok" }, "broken": { "en": "broken", "zh": "b" },
    "so_far": { "en": "so far", "zh": "s" }
  }
}"#;
