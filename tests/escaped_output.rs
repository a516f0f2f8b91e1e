//! Lesson text never reaches the terminal raw from the headless commands:
//! a title, a printed line or a bad field holding `ESC ] 0 ; … BEL`
//! (window title), `ESC [ 2 J` (clear screen) or OSC 52 (clipboard) is
//! shown escaped (`\u{1b}`), in text, JSON and error output alike.

mod common;

use common::Sandbox;

/// Window title, clear screen, clipboard, carriage return, and a C1 CSI.
const TITLE: &str = r"Evil\u001b]0;pwned\u0007 title";
const PRINTED: &str = r"clear\u001b[2J clip\u001b]52;c;cHduZWQ=\u0007 back\r over\u009b2J";

fn lesson(title: &str, printed: &str, op: &str) -> String {
    format!(
        r#"{{
  "id": "evil",
  "title": {{ "en": "{title}" }},
  "summary": {{ "en": "{title}" }},
  "story": {{ "en": "{title}" }},
  "values": [{{ "name": "v", "initial": 0 }}],
  "processes": [{{ "role": "w", "count": 2 }}],
  "programs": {{
    "w": [
      {{ "op": "{op}", "text": {{ "en": "{printed}" }} }},
      {{ "op": "read", "value": "v", "into": "x" }},
      {{ "op": "write", "value": "v", "expr": "x + 1" }}
    ]
  }},
  "check": {{
    "measure": {{ "final_value": "v" }},
    "expect": 2,
    "rule": "equal",
    "quantity": {{ "en": "final v {title}" }},
    "ok": {{ "en": "v is {{actual}} {title}" }},
    "broken": {{ "en": "v is {{actual}}, expected {{expected}} {title}" }}
  }}
}}
"#
    )
}

/// No byte the terminal would act on: C0 controls but newline and tab, DEL, C1.
fn assert_inert(what: &str, text: &str) {
    let bad: Vec<char> = text
        .chars()
        .filter(|c| c.is_control() && *c != '\n' && *c != '\t')
        .collect();
    assert!(
        bad.is_empty(),
        "{what} holds raw control characters {bad:?}:\n{text}"
    );
}

fn write_lesson(sb: &Sandbox, text: &str) -> String {
    let file = sb.path().join("evil.json");
    std::fs::write(&file, text).unwrap();
    file.to_str().unwrap().to_string()
}

#[test]
fn a_runs_text_output_shows_control_characters_escaped() {
    let sb = Sandbox::new();
    let file = write_lesson(&sb, &lesson(TITLE, PRINTED, "print"));
    for args in [
        vec!["run", &file],
        vec!["run", &file, "--schedule", "round-robin"],
    ] {
        let done = sb.run(&args);
        done.assert_success().assert_no_panic();
        assert_inert("stdout", &done.stdout);
        assert_inert("stderr", &done.stderr);
        assert!(
            done.stdout
                .contains(r"clear\u{1b}[2J clip\u{1b}]52;c;cHduZWQ=\u{7} back\r over\u{9b}2J"),
            "the printed line is shown escaped:\n{}",
            done.stdout
        );
        assert!(
            done.stdout.contains(r"Evil\u{1b}]0;pwned\u{7} title"),
            "the title is shown escaped:\n{}",
            done.stdout
        );
    }
}

#[test]
fn json_and_explore_output_hold_no_raw_control_characters() {
    let sb = Sandbox::new();
    let file = write_lesson(&sb, &lesson(TITLE, PRINTED, "print"));
    let (done, _) = sb.run_json(&["run", &file, "--json"]);
    assert_inert("JSON stdout", &done.stdout);
    let done = sb.run(&["explore", &file]);
    done.assert_success().assert_no_panic();
    assert_inert("explore stdout", &done.stdout);
    assert_inert("explore stderr", &done.stderr);
}

#[test]
fn an_error_quoting_the_lesson_shows_control_characters_escaped() {
    let sb = Sandbox::new();
    let file = write_lesson(&sb, &lesson(TITLE, PRINTED, r"pr\u001b[2Jint"));
    let done = sb.run(&["run", &file]);
    done.assert_no_panic();
    assert!(!done.status.success());
    assert_inert("stderr", &done.stderr);
    assert!(
        done.stderr.contains(r"pr\u{1b}[2Jint"),
        "the bad op is named, escaped:\n{}",
        done.stderr
    );
}
