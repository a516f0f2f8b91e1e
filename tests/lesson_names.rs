//! What the listing calls each process (`names`) and the Chinese listing
//! (`listing_zh`) in lesson files: the headless report and the JSON summary
//! name the processes in both languages, and a bad name or a Chinese
//! listing that is not line for line is refused with its field.

mod common;

use common::{Sandbox, assert_mentions, write_lesson};

/// Two adders, named as a listing would; `{names}` and `{zh}` are filled in.
const LESSON: &str = r#"{
  "id": "named",
  "title": { "en": "Named" },
  "summary": { "en": "Two named processes" },
  "story": { "en": "A tiny lesson for tests." },
  "listing": ["def add():", "    total.value += 1"],
  {zh}
  "values": [{ "name": "total", "initial": 0 }],
  "processes": [{ "role": "w", "count": 2, {names} }],
  "programs": {
    "w": [
      { "op": "read", "value": "total", "into": "t", "line": 2 },
      { "op": "write", "value": "total", "expr": "t + 1", "line": 2 }
    ]
  },
  "check": {
    "measure": { "final_value": "total" },
    "expect": 2,
    "rule": "equal",
    "quantity": { "en": "final total" },
    "ok": { "en": "total is {actual}" },
    "broken": { "en": "total is {actual}, expected {expected}" }
  }
}
"#;

fn lesson(names: &str, zh: &str) -> String {
    LESSON.replace("{names}", names).replace("{zh}", zh)
}

#[test]
fn the_report_and_the_summary_name_each_process_as_the_listing_does() {
    let sb = Sandbox::new();
    let file = write_lesson(&sb, &lesson(r#""names": ["adders[0]", "adders[1]"]"#, ""));
    let args = ["run", file.as_str(), "--schedule", "round-robin"];
    let done = sb.run(&args);
    done.assert_success();
    assert!(
        done.stdout
            .contains("names in the listing: P1 adders[0], P2 adders[1]"),
        "{}",
        done.stdout
    );
    let done = sb.run(&[&args[..], &["--lang", "zh"]].concat());
    assert!(
        done.stdout
            .contains("代码里的名字：P1 adders[0]，P2 adders[1]"),
        "{}",
        done.stdout
    );
    let (_, summary) = sb.run_json(&[&args[..], &["--json"]].concat());
    assert_eq!(summary["processes"][0]["name"], "adders[0]", "{summary}");
    assert_eq!(summary["processes"][1]["name"], "adders[1]", "{summary}");
    // A lesson that names nobody has no such line and no such field.
    let file = write_lesson(&sb, &lesson(r#""names": []"#, ""));
    let done = sb.run(&["run", file.as_str(), "--schedule", "round-robin"]);
    assert!(
        !done.stdout.contains("names in the listing"),
        "{}",
        done.stdout
    );
}

#[test]
fn a_bad_name_is_refused_with_its_field() {
    let sb = Sandbox::new();
    let cases = [
        (
            r#""names": ["a", "b", "c"]"#,
            "processes[0].names",
            "3 names for 2",
        ),
        (
            r#""names": ["a name far too long"]"#,
            "processes[0].names[0]",
            "1–16 printable ASCII",
        ),
        (
            r#""names": [" p1"]"#,
            "processes[0].names[0]",
            "no space at either end",
        ),
        (
            r#""names": ["p\u0007"]"#,
            "processes[0].names[0]",
            "not a process name",
        ),
    ];
    for (names, field, says) in cases {
        let file = write_lesson(&sb, &lesson(names, ""));
        let done = sb.run(&["run", file.as_str()]);
        done.assert_no_panic();
        assert!(!done.status.success(), "{names}");
        assert_mentions(&done, &[field, says]);
    }
}

#[test]
fn a_chinese_listing_must_match_the_listing_line_for_line() {
    let sb = Sandbox::new();
    let zh = r#""listing_zh": ["def add():"],"#;
    let file = write_lesson(&sb, &lesson(r#""names": []"#, zh));
    let done = sb.run(&["run", file.as_str()]);
    done.assert_no_panic();
    assert!(!done.status.success());
    assert_mentions(&done, &["listing_zh", "1 lines, the listing 2"]);
    let zh = r#""listing_zh": ["def add():", "    total.value += 1  # 加一"],"#;
    let file = write_lesson(&sb, &lesson(r#""names": []"#, zh));
    let done = sb.run(&["run", file.as_str(), "--schedule", "round-robin"]);
    done.assert_success();
}
