//! CPython's semantics for children that have ended, through the real
//! binary under exact schedules: `start()` reaps every child that has
//! already ended (`_cleanup()`), `is_alive()` and `exitcode` reap the child
//! they ask about (`Popen.poll()`), so a zombie lasts until its parent next
//! calls one of these or `join`; `is_alive()` right after `start()` is
//! true; and what a parent's poll sees follows the schedule, not the
//! kernel's timing, also beside a load.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

use common::Sandbox;
use serde_json::Value;

/// Run `args` with `--json`: every event line, and the summary (the last).
fn run(sb: &Sandbox, args: &[&str]) -> (Vec<Value>, Value) {
    let mut all = vec!["run"];
    all.extend_from_slice(args);
    all.push("--json");
    let (done, summary) = sb.run_json(&all);
    done.assert_no_panic();
    (done.events(), summary)
}

/// Write `text` as lesson file `name` in the sandbox; its path.
fn lesson(sb: &Sandbox, name: &str, text: &str) -> String {
    let path = sb.path().join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

/// Where the first event that has every field of `like` is.
fn at(events: &[Value], like: &Value) -> usize {
    let fits = |e: &Value| {
        like.as_object()
            .unwrap()
            .iter()
            .all(|(k, v)| e.get(k) == Some(v))
    };
    events
        .iter()
        .position(fits)
        .unwrap_or_else(|| panic!("no event like {like} in:\n{}", lines(events)))
}

fn lines(events: &[Value]) -> String {
    events
        .iter()
        .map(Value::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The `reaped` events: (parent, child, exit code), in order.
fn reaps(events: &[Value]) -> Vec<(i64, i64, i64)> {
    events
        .iter()
        .filter(|e| e["ev"] == "reaped")
        .map(|e| {
            let n = |k: &str| e[k].as_i64().unwrap();
            (n("p"), n("child"), n("exitcode"))
        })
        .collect()
}

#[test]
fn a_child_that_ended_is_reaped_when_its_parent_starts_the_next() {
    // daemon: P1 starts the watcher (P2), which prints, sleeps and prints:
    // it has ended, a zombie, until P1's next step starts the worker (P3).
    let sb = Sandbox::new();
    // Any timing: as written, the watcher cannot wake before P1 has started p2.
    let (ev, summary) = run(&sb, &["daemon", "--steps", "1,2,2,2,1", "--timing", "any"]);
    let closed = at(&ev, &serde_json::json!({"ev": "closed", "p": 2}));
    let start = at(&ev, &serde_json::json!({"ev": "run", "p": 1, "pc": 1}));
    let reaped = at(
        &ev,
        &serde_json::json!({"ev": "reaped", "p": 1, "child": 2}),
    );
    let started = at(
        &ev,
        &serde_json::json!({"ev": "started", "p": 1, "child": 3}),
    );
    assert!(
        closed < start && start < reaped && reaped < started,
        "{}",
        lines(&ev)
    );
    assert_eq!(ev[reaped]["exitcode"], 0);
    // It was a zombie (from its end to P1's start), and it ended with 0.
    assert_eq!(summary["zombies"], serde_json::json!([2]), "{summary}");
    assert_eq!(summary["processes"][1]["exit_code"], 0, "{summary}");
    assert_eq!(reaps(&ev), [(1, 2, 0), (1, 3, 0)]);
}

#[test]
fn the_zombie_lesson_still_shows_its_zombie_until_the_join() {
    // P1 prints and starts P2; P2 prints and ends; P1 sleeps (no start, no
    // is_alive): P2 stays a zombie until P1's join reaps it.
    let sb = Sandbox::new();
    let (ev, summary) = run(&sb, &["zombie", "--steps", "1,1,2,1,1"]);
    let closed = at(&ev, &serde_json::json!({"ev": "closed", "p": 2}));
    let slept = at(&ev, &serde_json::json!({"ev": "slept", "p": 1}));
    let join = at(&ev, &serde_json::json!({"ev": "run", "p": 1, "pc": 3}));
    let reaped = at(
        &ev,
        &serde_json::json!({"ev": "reaped", "p": 1, "child": 2}),
    );
    assert!(
        closed < slept && slept < join && join < reaped,
        "{}",
        lines(&ev)
    );
    assert_eq!(summary["zombies"], serde_json::json!([2]), "{summary}");
    assert_eq!(summary["ok"], true, "{summary}");
    assert_eq!(reaps(&ev), [(1, 2, 0)]);
}

/// main starts a child and asks `is_alive` at once; the child sleeps, then
/// prints (or, as `exits`, ends with code 3 at once).
const ALIVE: &str = r#"{
  "id": "alive",
  "title": { "en": "alive", "zh": "alive" },
  "summary": { "en": "x", "zh": "x" },
  "story": { "en": "x", "zh": "x" },
  "try": { "en": "x", "zh": "x" },
  "processes": [ { "role": "main" }, { "role": "kid", "started_by": "main" } ],
  "programs": {
    "main": [
      { "op": "start", "role": "kid", "as": "p", "line": 1 },
      { "op": "is_alive", "proc": "p", "into": "alive", "line": 2 },
      { "op": "join", "proc": "p", "line": 3 },
      { "op": "exitcode", "proc": "p", "into": "code", "line": 4 }
    ],
    "kid": [
      { "op": "sleep", "ms": 1000, "line": 6 },
      { "op": "print", "text": { "en": "awake", "zh": "醒了" }, "line": 7 }
    ]
  },
  "check": {
    "measure": { "final_local": { "role": "main", "name": "alive" } },
    "expect": 1, "rule": "equal",
    "quantity": { "en": "alive", "zh": "a" },
    "ok": { "en": "ok", "zh": "ok" }, "broken": { "en": "broken", "zh": "b" }, "so_far": { "en": "so far", "zh": "s" }
  }
}"#;

#[test]
fn is_alive_right_after_start_is_true() {
    let sb = Sandbox::new();
    let path = lesson(&sb, "alive.json", ALIVE);
    for args in [
        &[path.as_str(), "--schedule", "round-robin"][..],
        &[path.as_str(), "--steps", "1,1"],
    ] {
        let (ev, summary) = run(&sb, args);
        assert_eq!(summary["actual"], 1, "{args:?}: {summary}");
        // Alive: nothing reaped it before the join.
        let alive = at(
            &ev,
            &serde_json::json!({"ev": "set", "p": 1, "local": "alive"}),
        );
        let reaped = at(
            &ev,
            &serde_json::json!({"ev": "reaped", "p": 1, "child": 2}),
        );
        assert!(alive < reaped, "{args:?}: {}", lines(&ev));
    }
}

#[test]
fn is_alive_reaps_a_child_that_has_ended_with_its_exit_code() {
    let sb = Sandbox::new();
    let exits = ALIVE.replace(
        r#"{ "op": "print", "text": { "en": "awake", "zh": "醒了" }, "line": 7 }"#,
        r#"{ "op": "exit", "code": 3, "line": 7 }"#,
    );
    let path = lesson(&sb, "exits.json", &exits);
    // start, the child's sleep and exit, then is_alive.
    let (ev, summary) = run(&sb, &[&path, "--steps", "1,2,2,1"]);
    assert_eq!(summary["actual"], 0, "{summary}");
    let is_alive = at(&ev, &serde_json::json!({"ev": "run", "p": 1, "pc": 1}));
    let reaped = at(
        &ev,
        &serde_json::json!({"ev": "reaped", "p": 1, "child": 2}),
    );
    let answer = at(
        &ev,
        &serde_json::json!({"ev": "set", "p": 1, "local": "alive"}),
    );
    assert!(is_alive < reaped && reaped < answer, "{}", lines(&ev));
    assert_eq!(reaps(&ev), [(1, 2, 3)], "reaped once, by is_alive");
    // The join that follows returns at once: it does not wait.
    assert!(!ev.iter().any(|e| e["ev"] == "joining"), "{}", lines(&ev));
    assert_eq!(summary["processes"][1]["exit_code"], 3, "{summary}");
    let code = at(
        &ev,
        &serde_json::json!({"ev": "set", "p": 1, "local": "code"}),
    );
    assert_eq!(ev[code]["to"], 3);
}

/// main starts a sleeper and a quick child, terminates the sleeper, then
/// starts a second quick child.
const CLEANUP: &str = r#"{
  "id": "cleanup",
  "title": { "en": "cleanup", "zh": "cleanup" },
  "summary": { "en": "x", "zh": "x" },
  "story": { "en": "x", "zh": "x" },
  "try": { "en": "x", "zh": "x" },
  "processes": [
    { "role": "main" },
    { "role": "sleeper", "started_by": "main" },
    { "role": "quick", "count": 2, "started_by": "main" }
  ],
  "programs": {
    "main": [
      { "op": "start", "role": "sleeper", "as": "a", "line": 1 },
      { "op": "start", "role": "quick", "as": "b", "line": 2 },
      { "op": "terminate", "proc": "a", "line": 3 },
      { "op": "start", "role": "quick", "as": "c", "line": 4 },
      { "op": "join", "proc": "a", "line": 5 },
      { "op": "join", "proc": "b", "line": 6 },
      { "op": "join", "proc": "c", "line": 7 }
    ],
    "sleeper": [
      { "op": "sleep", "ms": 5000, "line": 9 },
      { "op": "print", "text": { "en": "awake", "zh": "醒了" }, "line": 10 }
    ],
    "quick": [ { "op": "print", "text": { "en": "quick", "zh": "快" }, "line": 12 } ]
  },
  "check": {
    "measure": "zombies", "expect": 3, "rule": "equal",
    "quantity": { "en": "zombies", "zh": "z" },
    "ok": { "en": "ok", "zh": "ok" }, "broken": { "en": "broken", "zh": "b" }, "so_far": { "en": "so far", "zh": "s" }
  }
}"#;

#[test]
fn start_reaps_every_child_that_has_ended_a_terminated_one_too() {
    let sb = Sandbox::new();
    let path = lesson(&sb, "cleanup.json", CLEANUP);
    // start a, start b, terminate a, b prints and ends, start c.
    let (ev, summary) = run(&sb, &[&path, "--steps", "1,1,1,3,1"]);
    let start_c = at(&ev, &serde_json::json!({"ev": "run", "p": 1, "pc": 3}));
    let started = at(
        &ev,
        &serde_json::json!({"ev": "started", "p": 1, "child": 4}),
    );
    let reaped_a = at(&ev, &serde_json::json!({"ev": "reaped", "child": 2}));
    let reaped_b = at(&ev, &serde_json::json!({"ev": "reaped", "child": 3}));
    assert!(
        start_c < reaped_a && reaped_a < reaped_b && reaped_b < started,
        "{}",
        lines(&ev)
    );
    // −15: SIGTERM, as Python's exitcode says; then b's 0; c's at its join.
    assert_eq!(reaps(&ev), [(1, 2, -15), (1, 3, 0), (1, 4, 0)]);
    assert_eq!(summary["processes"][1]["signal"], 15, "{summary}");
    // Each was a zombie for a while (c too: round-robin ends it before its join).
    assert_eq!(
        summary["zombies"],
        serde_json::json!([2, 3, 4]),
        "{summary}"
    );
}

/// Spin on every core and start short-lived processes until `stop`.
fn load(stop: Arc<AtomicBool>) -> Vec<thread::JoinHandle<()>> {
    let spinners = (0..2).map(|_| {
        let stop = stop.clone();
        thread::spawn(move || {
            let mut x = 0u64;
            while !stop.load(Ordering::Relaxed) {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
                std::hint::black_box(x);
            }
        })
    });
    let spawner = {
        let stop = stop.clone();
        thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                let _ = std::process::Command::new("true").status();
            }
        })
    };
    spinners.chain(std::iter::once(spawner)).collect()
}

#[test]
fn what_is_alive_sees_follows_the_schedule_on_a_busy_machine() {
    // The child's end reaches its parent before the step that polls it:
    // exact schedules give the same answer every time, beside a load.
    let stop = Arc::new(AtomicBool::new(false));
    let loaders = load(stop.clone());
    let sb = Sandbox::new();
    let exits = ALIVE.replace(
        r#"{ "op": "print", "text": { "en": "awake", "zh": "醒了" }, "line": 7 }"#,
        r#"{ "op": "exit", "code": 0, "line": 7 }"#,
    );
    let path = lesson(&sb, "exits.json", &exits);
    let mut failures = Vec::new();
    for _ in 0..8 {
        // Ended (sleep, exit) before is_alive; at its gate before the exit.
        for (steps, alive) in [("1,2,2,1", 0), ("1,2,1", 1)] {
            let (_, summary) = run(&sb, &[&path, "--steps", steps]);
            if summary["actual"] != alive {
                failures.push(format!("{steps}: alive {}", summary["actual"]));
            }
        }
    }
    stop.store(true, Ordering::Relaxed);
    for l in loaders {
        l.join().unwrap();
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The app's `t` (the controller's SIGTERM) on a child at its gate: the run
/// is not settled until the child's end has come, so its parent's next
/// `is_alive` sees it ended and reaps it with −15, every time.
#[test]
fn after_the_controllers_sigterm_the_parents_poll_sees_the_end() {
    use lockstep::engine::Controller;
    use lockstep::engine::controller::unwatched;
    use lockstep::engine::drive::{Options, Pace};
    use lockstep::lesson::{Lesson, Timing};
    use lockstep::schedule::Policy;
    use lockstep::wire::Ending;
    let stop = Arc::new(AtomicBool::new(false));
    let loaders = load(stop.clone());
    let lesson = Lesson::parse(ALIVE, "alive.json").unwrap();
    let opts = Options {
        off: Vec::new(),
        speed: 1.0,
        pace: Pace::Scheduled(Policy::RoundRobin),
        seed: 1,
        timing: Some(Timing::Any),
        sigterms: Vec::new(),
    };
    let exe = std::path::Path::new(common::BIN);
    let mut seen = Vec::new();
    for _ in 0..5 {
        let mut c = Controller::start(&lesson, &opts, exe).unwrap();
        c.settle(&mut unwatched).unwrap();
        c.step(0).unwrap(); // start
        c.settle(&mut unwatched).unwrap();
        c.terminate(1).unwrap();
        c.settle(&mut unwatched).unwrap();
        c.step(0).unwrap(); // is_alive
        c.settle(&mut unwatched).unwrap();
        let m = c.model();
        seen.push((m.procs[0].locals.get("alive").copied(), m.procs[1].ending));
        c.close();
    }
    stop.store(true, Ordering::Relaxed);
    for l in loaders {
        l.join().unwrap();
    }
    assert!(
        seen.iter()
            .all(|s| *s == (Some(0), Some(Ending::Signal(15)))),
        "{seen:?}"
    );
}
