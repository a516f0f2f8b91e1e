//! A long program is not an endless loop: three processes of 7,000
//! straight-line operations each (21,003 steps, over the 20,000-step cap for
//! loops) run to their end under round-robin, with no error.

mod common;

use common::{Sandbox, int};

fn long_lesson(procs: usize, ops: usize) -> String {
    let mut program: Vec<serde_json::Value> = (0..ops)
        .map(|i| {
            let expr = if i == 0 { "0" } else { "x + 1" };
            serde_json::json!({ "op": "set", "local": "x", "expr": expr })
        })
        .collect();
    program.push(serde_json::json!({ "op": "write", "value": "v", "expr": "x" }));
    serde_json::json!({
        "id": "long",
        "title": { "en": "Long" },
        "summary": { "en": "Long straight-line programs" },
        "story": { "en": "A lesson for tests." },
        "values": [{ "name": "v", "initial": 0 }],
        "processes": [{ "role": "w", "count": procs }],
        "programs": { "w": program },
        "check": {
            "measure": { "final_value": "v" },
            "expect": ops - 1,
            "rule": "equal",
            "quantity": { "en": "v" },
            "ok": { "en": "v is {actual}" },
            "broken": { "en": "v is {actual}" }
        }
    })
    .to_string()
}

#[test]
fn a_long_straight_line_program_runs_to_its_end() {
    let sb = Sandbox::new();
    let file = sb.path().join("long.json");
    std::fs::write(&file, long_lesson(3, 7000)).unwrap();
    let (_, s) = sb.run_json(&[
        "run",
        file.to_str().unwrap(),
        "--schedule",
        "round-robin",
        "--json",
    ]);
    assert_eq!(s["ok"], true, "{}", s["verdict"]);
    assert_eq!(int(&s["steps"]), 21_003);
    assert!(
        s["errors"].as_array().is_none_or(Vec::is_empty),
        "stopped as an endless loop? {}",
        s["errors"]
    );
}
