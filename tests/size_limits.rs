//! Lesson texts have a size limit: every process of a run gets the whole
//! lesson and every print is kept, so a huge text (8 MiB × 128 processes
//! took gigabytes) is refused when the lesson loads, with file, line,
//! column and field. (The limit on the file itself: `error_messages`.)

mod common;

use common::Sandbox;

fn lesson(op: &str) -> String {
    format!(
        r#"{{
  "id": "big",
  "title": {{ "en": "Big" }},
  "summary": {{ "en": "A big text" }},
  "story": {{ "en": "A lesson for tests." }},
  "values": [{{ "name": "v", "initial": 0 }}],
  "processes": [{{ "role": "w", "count": 2 }}],
  "programs": {{
    "w": [
      {op}
    ]
  }},
  "check": {{
    "measure": {{ "final_value": "v" }},
    "expect": 0,
    "rule": "equal",
    "quantity": {{ "en": "v" }},
    "ok": {{ "en": "ok" }},
    "broken": {{ "en": "broken" }}
  }}
}}
"#
    )
}

#[test]
fn a_printed_text_over_the_limit_is_refused_at_load() {
    let sb = Sandbox::new();
    let big = "x".repeat(5000);
    let file = sb.path().join("big.json");
    let op = format!(r#"{{ "op": "print", "text": {{ "en": "{big}" }} }}"#);
    std::fs::write(&file, lesson(&op)).unwrap();
    let path = file.to_str().unwrap();
    let done = sb.run(&["run", path]);
    done.assert_no_panic();
    assert!(!done.status.success(), "{}", done.stdout);
    assert!(done.stdout.is_empty(), "nothing runs");
    assert!(
        done.stderr.contains(&format!("{path}:10:"))
            && done.stderr.contains("field `programs.w[0].text.en`")
            && done
                .stderr
                .contains("at most 4096 bytes; this one has 5000"),
        "{}",
        done.stderr
    );
    // At the limit it runs.
    let ok = "x".repeat(4096);
    let op = format!(r#"{{ "op": "print", "text": {{ "en": "{ok}" }} }}"#);
    std::fs::write(&file, lesson(&op)).unwrap();
    sb.run_json(&["run", path, "--json"]);
}
