//! `lockstep explore` through the real binary on process trees: a child's
//! end and its termination are interleaved, and a parent's `is_alive` sees
//! the same thing in every run of a schedule.

mod common;

use common::{Sandbox, int};
use serde_json::{Value, json};

fn explore(sb: &Sandbox, args: &[&str]) -> Value {
    let mut all = vec!["explore"];
    all.extend_from_slice(args);
    all.push("--json");
    let done = sb.run(&all);
    done.assert_success().assert_no_panic();
    serde_json::from_str(done.stdout.trim())
        .unwrap_or_else(|e| panic!("not one JSON object ({e}): {}", done.stdout))
}

#[test]
fn ends_and_terminations_in_a_process_tree_are_interleaved() {
    // zombie: whether the child ends before its parent starts to join
    // decides the result, so the child's last step is a choice: both
    // outcomes are found (reducing it away found only one).
    let sb = Sandbox::new();
    let s = explore(&sb, &["zombie", "--timing", "any"]);
    assert_eq!(s["schedules"], 2, "{s}");
    assert_eq!(s["broken"], 1, "{s}");

    // terminate: a child may be terminated before or after it releases the
    // lock; random search with reduction finds both, as without it.
    let s = explore(
        &sb,
        &[
            "terminate",
            "--unlocked",
            "--random",
            "60",
            "--seed",
            "1",
            "--timing",
            "any",
        ],
    );
    // With the lock off the lesson has nothing to see (every run is OK):
    // both ends show in how many workers released it.
    let released = &s["distribution"];
    assert!(int(&released["2"]) > 0 && int(&released["3"]) > 0, "{s}");
}

/// A child that ends with `return` while its parent asks `is_alive`: the
/// explorer interleaves the end, and every run of a schedule sees the same
/// thing. The child's connection closes a moment before `waitpid` can see
/// its end; the parent is told of the close before the close is passed on,
/// so its `is_alive` waits for a child that has ended instead of racing the
/// kernel (`tests/reaping.rs` runs it beside a load).
#[test]
fn is_alive_after_a_childs_return_is_the_same_in_every_run() {
    let sb = Sandbox::new();
    let path = sb.path().join("ret.json");
    std::fs::write(&path, RET).unwrap();
    let path = path.to_str().unwrap();
    // The join goes once the child has ended: is_alive before the end (1)
    // or after it (0), and the set and the return interleaved with it.
    let full = explore(&sb, &[path, "--no-reduce"]);
    assert_eq!(full["distribution"], json!({"0": 1, "1": 2}), "{full}");
    assert_eq!(full["classes"], 2, "{full}");
    for _ in 0..3 {
        let reduced = explore(&sb, &[path]);
        assert_eq!(
            reduced["distribution"],
            json!({"0": 1, "1": 1}),
            "{reduced}"
        );
    }
}

const RET: &str = r#"{
  "id": "ret",
  "title": { "en": "ret", "zh": "ret" },
  "summary": { "en": "x", "zh": "x" },
  "story": { "en": "x", "zh": "x" },
  "try": { "en": "x", "zh": "x" },
  "speed": 1,
  "processes": [ { "role": "main" }, { "role": "kid", "started_by": "main" } ],
  "programs": {
    "main": [ { "op": "start", "role": "kid", "as": "p", "line": 1 }, { "op": "is_alive", "proc": "p", "into": "alive", "line": 2 }, { "op": "join", "proc": "p", "line": 3 } ],
    "kid": [ { "op": "set", "local": "y", "expr": "1", "line": 5 }, { "op": "return", "expr": "0", "line": 6 }, { "op": "print", "text": { "en": "never", "zh": "n" }, "line": 7 } ]
  },
  "check": {
    "measure": { "final_local": { "role": "main", "name": "alive" } },
    "expect": 0, "rule": "equal",
    "quantity": { "en": "alive", "zh": "a" },
    "ok": { "en": "ok", "zh": "ok" }, "broken": { "en": "broken", "zh": "b" }, "so_far": { "en": "so far", "zh": "s" }
  }
}"#;
