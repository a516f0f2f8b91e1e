//! Classic lessons written as learners would write them, explored whole:
//! three dining philosophers deadlock (and their ordered-forks fix does
//! not), and an unlocked bounded buffer loses an item; each bad schedule
//! found replays to the same end.

mod common;

use common::Sandbox;
use serde_json::{Value, json};

/// Philosopher `i` takes fork `first`, then fork `second`, eats (counts a
/// meal in `meals`), and puts both back.
fn philosopher(first: usize, second: usize) -> String {
    format!(
        r#"[
      {{ "op": "acquire", "lock": "fork{first}" }}, {{ "op": "acquire", "lock": "fork{second}" }},
      {{ "op": "read", "value": "meals", "into": "m" }}, {{ "op": "write", "value": "meals", "expr": "m + 1" }},
      {{ "op": "release", "lock": "fork{second}" }}, {{ "op": "release", "lock": "fork{first}" }}
    ]"#
    )
}

/// Three philosophers; the last takes its forks in `last` order.
fn philosophers(last: (usize, usize)) -> String {
    format!(
        r#"{{
  "id": "dining", "title": {{ "en": "Dining", "zh": "哲学家" }},
  "summary": {{ "en": "Forks.", "zh": "叉子。" }}, "story": {{ "en": "Three forks.", "zh": "三把叉子。" }},
  "values": [{{ "name": "meals", "initial": 0 }}],
  "locks": [{{ "name": "fork0" }}, {{ "name": "fork1" }}, {{ "name": "fork2" }}],
  "processes": [{{ "role": "a", "count": 1 }}, {{ "role": "b", "count": 1 }}, {{ "role": "c", "count": 1 }}],
  "programs": {{ "a": {}, "b": {}, "c": {} }},
  "check": {{
    "measure": {{ "final_value": "meals" }}, "expect": 3, "rule": "equal",
    "quantity": {{ "en": "meals", "zh": "饭" }},
    "ok": {{ "en": "{{actual}} meals", "zh": "{{actual}}" }}, "broken": {{ "en": "only {{actual}}", "zh": "{{actual}}" }}
  }}
}}"#,
        philosopher(0, 1),
        philosopher(1, 2),
        philosopher(last.0, last.1)
    )
}

/// Two producers put an item each into a buffer of two places, unless
/// they find it full; the lock around it can be switched off.
const BUFFER: &str = r#"{
  "id": "buffer", "title": { "en": "Buffer", "zh": "缓冲区" },
  "summary": { "en": "Two places.", "zh": "两个位置。" }, "story": { "en": "Put.", "zh": "放。" },
  "values": [{ "name": "items", "initial": 0 }],
  "locks": [{ "name": "lock" }],
  "processes": [{ "role": "producer", "count": 2 }],
  "programs": {
    "producer": [
      { "op": "acquire", "lock": "lock" },
      { "op": "read", "value": "items", "into": "k" },
      { "op": "jump_if", "cond": "k >= 2", "to": "full" },
      { "op": "write", "value": "items", "expr": "k + 1" },
      { "op": "release", "lock": "lock", "label": "full" }
    ]
  },
  "check": {
    "measure": { "final_value": "items" }, "expect": 2, "rule": "equal",
    "quantity": { "en": "items in the buffer", "zh": "缓冲区里的项" },
    "ok": { "en": "{actual} items", "zh": "{actual}" }, "broken": { "en": "only {actual} items", "zh": "{actual}" }
  }
}"#;

fn explore(sb: &Sandbox, args: &[&str]) -> (Value, String) {
    let mut all = vec!["explore"];
    all.extend_from_slice(args);
    let text = sb.run(&all);
    text.assert_success().assert_no_panic();
    all.push("--json");
    let done = sb.run(&all);
    done.assert_success();
    let v = serde_json::from_str(done.stdout.trim()).unwrap();
    (v, text.stdout)
}

/// The replay line of the text report, run: it ends as the search said.
fn replays(sb: &Sandbox, text: &str, says: &str) {
    let replay = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("replay: lockstep "))
        .unwrap_or_else(|| panic!("no replay line:\n{text}"));
    let args: Vec<&str> = replay.split_whitespace().collect();
    let again = sb.run(&args);
    assert!(again.stdout.contains(says), "{replay}: {}", again.stdout);
}

#[test]
fn three_philosophers_deadlock_and_ordered_forks_do_not() {
    let sb = Sandbox::new();
    let path = sb.path().join("dining.json");
    std::fs::write(&path, philosophers((2, 0))).unwrap();
    let (s, text) = explore(&sb, &[path.to_str().unwrap()]);
    assert!(s["deadlocked"].as_u64().unwrap() >= 1, "{s}");
    assert_eq!(s["broken"], 0, "{s}");
    // The deadlock: each takes its first fork, then waits for its second.
    assert_eq!(s["shortest_bad"], json!([1, 2, 3, 1, 2, 3]), "{s}");
    assert_eq!(s["schedules"], s["classes"]);
    replays(&sb, &text, "DEADLOCK");

    std::fs::write(&path, philosophers((0, 2))).unwrap();
    let (s, _) = explore(&sb, &[path.to_str().unwrap()]);
    assert_eq!(s["deadlocked"], 0, "{s}");
    assert_eq!(s["broken"], 0, "{s}");
    assert_eq!(s["distribution"], json!({"3": s["schedules"]}), "{s}");
}

#[test]
fn an_unlocked_bounded_buffer_loses_an_item() {
    let sb = Sandbox::new();
    let path = sb.path().join("buffer.json");
    std::fs::write(&path, BUFFER).unwrap();
    let path = path.to_str().unwrap();
    let (locked, _) = explore(&sb, &[path]);
    assert_eq!(locked["distribution"], json!({"2": 2}), "{locked}");
    let (s, text) = explore(&sb, &[path, "--unlocked"]);
    // Both read 0 before either writes: one item is lost.
    assert_eq!(s["distribution"], json!({"1": 4, "2": 2}), "{s}");
    assert_eq!(s["broken"], 4, "{s}");
    replays(&sb, &text, "BROKEN");
}
