//! A free run whose processes loop for ever is stopped for the whole run
//! (not only per process after a million operations each), so it ends in
//! seconds and its JSON stays small.

mod common;

use common::Sandbox;

const LOOPERS: &str = r#"{
  "id": "loopers", "title": { "en": "l", "zh": "l" },
  "summary": { "en": "x", "zh": "x" }, "story": { "en": "x", "zh": "x" },
  "speed": 1,
  "processes": [ { "role": "w", "count": 8 } ],
  "programs": { "w": [
    { "op": "set", "local": "i", "expr": "0", "line": 1 },
    { "op": "set", "local": "i", "expr": "i + 1", "line": 2, "label": "top" },
    { "op": "jump", "to": "top", "line": 3 } ] },
  "check": { "measure": { "final_local": { "role": "w", "name": "i" } }, "expect": 0,
    "rule": "at_least", "quantity": { "en": "i", "zh": "i" }, "ok": { "en": "ok", "zh": "ok" },
    "broken": { "en": "b", "zh": "b" }, "so_far": { "en": "s", "zh": "s" } }
}"#;

#[test]
fn endless_loops_in_a_free_run_are_stopped_for_the_whole_run() {
    let sb = Sandbox::new();
    let path = sb.path().join("loopers.json");
    std::fs::write(&path, LOOPERS).unwrap();
    let done = sb.run(&["run", path.to_str().unwrap(), "--json"]);
    done.assert_no_panic();
    assert!(!done.status.success());
    let summary = done.summary();
    let steps = summary["steps"].as_u64().unwrap();
    // 5 × the scheduled cap of 20000 operations, and what was under way
    // (the loopers run ahead of the reports read so far): far below the
    // 8 million the processes' own caps would allow.
    assert!((100_000..500_000).contains(&steps), "{steps}");
    assert!(
        summary["verdict"]
            .as_str()
            .unwrap_or("")
            .contains("is there an endless loop?"),
        "{summary}"
    );
    assert!(
        done.stdout.len() < 100_000_000,
        "{} bytes",
        done.stdout.len()
    );
}
