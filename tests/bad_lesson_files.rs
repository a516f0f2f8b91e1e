//! Mistakes in lesson files end with one clear message (file:line:col and
//! the field at fault), never a panic, and never start a process.

mod common;

use std::path::PathBuf;

use common::{Finished, Sandbox, assert_mentions};

/// A small valid lesson: two processes add one to `v` under lock `m`.
const MINI: &str = r#"{
  "id": "mini",
  "title": { "en": "Mini" },
  "summary": { "en": "Two processes add one each" },
  "story": { "en": "A tiny lesson for tests." },
  "values": [{ "name": "v", "initial": 0 }],
  "locks": [{ "name": "m" }],
  "processes": [{ "role": "w", "count": 2 }],
  "programs": {
    "w": [
      { "op": "acquire", "lock": "m" },
      { "op": "read", "value": "v", "into": "x" },
      { "op": "write", "value": "v", "expr": "x + 1" },
      { "op": "release", "lock": "m" }
    ]
  },
  "check": {
    "measure": { "final_value": "v" },
    "expect": 2,
    "rule": "equal",
    "quantity": { "en": "final v" },
    "ok": { "en": "v is {actual}" },
    "broken": { "en": "v is {actual}, expected {expected}" }
  }
}
"#;

/// MINI with `from` replaced by `to` (which must occur exactly once).
fn mini_with(from: &str, to: &str) -> String {
    assert_eq!(
        MINI.matches(from).count(),
        1,
        "fixture edit {from:?} is ambiguous"
    );
    MINI.replace(from, to)
}

/// 1-based number of the first line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} not in the lesson"))
        + 1
}

struct Bad {
    sb: Sandbox,
    file: PathBuf,
}

impl Bad {
    fn write(text: &str) -> Bad {
        let sb = Sandbox::new();
        let file = sb.path().join("lesson.json");
        std::fs::write(&file, text).unwrap();
        Bad { sb, file }
    }

    fn path(&self) -> String {
        self.file.to_str().unwrap().to_string()
    }

    /// `lockstep run FILE`, which must fail without a panic.
    fn run_fails(&self) -> Finished {
        let done = self.sb.run(&["run", &self.path()]);
        done.assert_no_panic();
        assert!(
            !done.status.success(),
            "a broken lesson ran: {}",
            done.stdout
        );
        assert!(
            done.stdout.is_empty(),
            "nothing should run: {}",
            done.stdout
        );
        done
    }

    /// The `LINE:COL` that stderr gives right after the file's path.
    fn position(&self, done: &Finished) -> (usize, usize) {
        let after = format!("{}:", self.path());
        let rest = done
            .stderr
            .split_once(&after)
            .unwrap_or_else(|| panic!("stderr does not name {after}\n{}", done.stderr))
            .1;
        let mut parts = rest.splitn(3, ':');
        let mut num = || -> usize {
            parts
                .next()
                .and_then(|s| s.parse().ok())
                .unwrap_or_else(|| panic!("no FILE:LINE:COL: in stderr:\n{}", done.stderr))
        };
        let line = num();
        let col = num();
        assert!(
            parts.next().is_some(),
            "no `:` after LINE:COL:\n{}",
            done.stderr
        );
        (line, col)
    }
}

#[test]
fn the_fixture_lesson_itself_is_valid() {
    let bad = Bad::write(MINI);
    let (_, s) = bad
        .sb
        .run_json(&["run", &bad.path(), "--json", "--schedule", "round-robin"]);
    assert_eq!(s["lesson"], "mini");
    assert_eq!(s["actual"], 2);
    assert_eq!(s["ok"], true);
}

#[test]
fn json_syntax_error_names_file_line_and_column() {
    // A missing comma after the summary: the parser stops at the next key.
    let text = mini_with(
        r#""summary": { "en": "Two processes add one each" },"#,
        r#""summary": { "en": "Two processes add one each" }"#,
    );
    let bad = Bad::write(&text);
    let done = bad.run_fails();
    let (line, col) = bad.position(&done);
    assert_eq!(
        (line, col),
        (line_of(&text, r#""story""#), 3),
        "{}",
        done.stderr
    );
}

#[test]
fn unknown_op_names_the_step_and_lists_the_ops() {
    let text = mini_with(
        r#"{ "op": "read", "value": "v", "into": "x" }"#,
        r#"{ "op": "aquire", "lock": "m" }"#,
    );
    let bad = Bad::write(&text);
    let done = bad.run_fails();
    let (line, _) = bad.position(&done);
    assert!(line >= 1 && line <= text.lines().count(), "{}", done.stderr);
    assert_mentions(
        &done,
        &[
            "programs.w[1]",
            "aquire",
            "expected one of",
            "`acquire`",
            "`release`",
            "`sleep`",
        ],
    );
}

#[test]
fn undefined_lock_names_the_field_and_its_line() {
    let text = mini_with(
        r#"{ "op": "release", "lock": "m" }"#,
        r#"{ "op": "release", "lock": "nolock" }"#,
    );
    let bad = Bad::write(&text);
    let done = bad.run_fails();
    assert_mentions(&done, &["programs.w[3].lock", "nolock"]);
    assert_eq!(
        bad.position(&done).0,
        line_of(&text, "nolock"),
        "{}",
        done.stderr
    );
}

#[test]
fn jump_to_a_missing_label_names_the_to_field() {
    let text = mini_with(
        r#"{ "op": "release", "lock": "m" }"#,
        r#"{ "op": "release", "lock": "m" },
      { "op": "jump", "to": "nowhere" }"#,
    );
    let bad = Bad::write(&text);
    let done = bad.run_fails();
    assert_mentions(&done, &["programs.w[4].to", "nowhere"]);
    assert_eq!(
        bad.position(&done).0,
        line_of(&text, "nowhere"),
        "{}",
        done.stderr
    );
}

#[test]
fn reading_an_undefined_value_names_the_value_field() {
    let text = mini_with(r#""value": "v", "into""#, r#""value": "nosuch", "into""#);
    let bad = Bad::write(&text);
    let done = bad.run_fails();
    assert_mentions(&done, &["programs.w[1].value", "nosuch"]);
    assert_eq!(
        bad.position(&done).0,
        line_of(&text, "nosuch"),
        "{}",
        done.stderr
    );
}

#[test]
fn a_local_never_assigned_names_the_expr_field() {
    let text = mini_with(r#""expr": "x + 1""#, r#""expr": "y + 1""#);
    let bad = Bad::write(&text);
    let done = bad.run_fails();
    assert_mentions(&done, &["programs.w[2].expr", "`y`"]);
    assert_eq!(
        bad.position(&done).0,
        line_of(&text, "y + 1"),
        "{}",
        done.stderr
    );
}

#[test]
fn too_many_processes_says_the_limit() {
    let text = mini_with(r#""count": 2"#, r#""count": 300"#);
    let bad = Bad::write(&text);
    let done = bad.run_fails();
    assert_mentions(&done, &["processes[0].count", "at most 256"]);
}

#[test]
fn a_goal_without_a_condition_names_its_win_field() {
    let text = mini_with(
        r#"    "broken": { "en": "v is {actual}, expected {expected}" }
  }"#,
        r#"    "broken": { "en": "v is {actual}, expected {expected}" }
  },
  "goals": [
    { "id": "lose", "text": { "en": "Lose one" }, "win": { "quantity": { "rule": "equal", "value": 1 }, "at_end": true } },
    { "id": "nothing", "text": { "en": "Do nothing" }, "win": { "at_end": true } }
  ]"#,
    );
    let bad = Bad::write(&text);
    let done = bad.run_fails();
    assert_mentions(&done, &["goals[1].win", "at least one condition"]);
    assert_eq!(
        bad.position(&done).0,
        line_of(&text, "Do nothing"),
        "{}",
        done.stderr
    );
}

#[test]
fn a_goal_with_an_unknown_rule_names_the_field() {
    let text = mini_with(
        r#"    "broken": { "en": "v is {actual}, expected {expected}" }
  }"#,
        r#"    "broken": { "en": "v is {actual}, expected {expected}" }
  },
  "goals": [
    { "id": "lose", "text": { "en": "Lose one" }, "win": { "quantity": { "rule": "roughly", "value": 1 } } }
  ]"#,
    );
    let bad = Bad::write(&text);
    let done = bad.run_fails();
    assert_mentions(&done, &["goals[0].win.quantity.rule", "roughly"]);
}

#[test]
fn a_goal_waiting_role_must_be_a_role() {
    let text = mini_with(
        r#"    "broken": { "en": "v is {actual}, expected {expected}" }
  }"#,
        r#"    "broken": { "en": "v is {actual}, expected {expected}" }
  },
  "goals": [
    { "id": "wait", "text": { "en": "Wait" }, "win": { "waiting": { "rule": "at_least", "value": 1 }, "waiting_role": "ghost" } }
  ]"#,
    );
    let bad = Bad::write(&text);
    let done = bad.run_fails();
    assert_mentions(
        &done,
        &[
            "goals[0].win.waiting_role",
            "no role `ghost` in `processes`",
        ],
    );
}

#[test]
fn so_far_takes_the_check_placeholders_and_no_others() {
    let good = Bad::write(&mini_with(
        r#""ok": { "en": "v is {actual}" },"#,
        r#""ok": { "en": "v is {actual}" }, "so_far": { "en": "{diff} step{s} to go" },"#,
    ));
    let (_, s) = good
        .sb
        .run_json(&["run", &good.path(), "--json", "--schedule", "round-robin"]);
    assert_eq!(s["ok"], true, "{s}");

    let bad = Bad::write(&mini_with(
        r#""ok": { "en": "v is {actual}" },"#,
        r#""ok": { "en": "v is {actual}" }, "so_far": { "en": "{left} to go" },"#,
    ));
    let done = bad.run_fails();
    assert_mentions(
        &done,
        &["check.so_far.en", "unknown placeholder `{left}`", "{s}"],
    );
}
