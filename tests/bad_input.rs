//! Mistakes in lesson files and on the command line end with one clear
//! message (file:line:col and the field at fault, or a usage error), never
//! a panic, and never start a process.

mod common;

use std::path::PathBuf;

use common::{Finished, Sandbox};

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

fn assert_mentions(done: &Finished, needles: &[&str]) {
    for n in needles {
        assert!(
            done.stderr.contains(n),
            "stderr lacks {n:?}:\n{}",
            done.stderr
        );
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
fn unknown_lesson_is_a_clear_error() {
    let sb = Sandbox::new();
    let done = sb.run(&["run", "nosuchlesson"]);
    done.assert_no_panic();
    assert!(!done.status.success());
    assert_mentions(&done, &["nosuchlesson", "lockstep list"]);
}

#[test]
fn off_with_an_unknown_lock_is_a_usage_error_listing_the_known_ones() {
    let sb = Sandbox::new();
    let done = sb.run(&["run", "counter", "--off", "nope"]);
    done.assert_no_panic();
    assert_eq!(done.code(), Some(2), "{}", done.stderr);
    assert_mentions(&done, &["Usage", "nope", "it has: lock"]);

    let done = sb.run(&["run", "ticket", "--off", "lock"]);
    assert_eq!(done.code(), Some(2), "{}", done.stderr);
    assert_mentions(&done, &["mutex"]);
}

#[test]
fn bad_speed_is_a_usage_error() {
    let sb = Sandbox::new();
    for args in [
        &["run", "counter", "--speed", "-1"][..],
        &["run", "counter", "--speed=-1"],
        &["run", "counter", "--speed", "0"],
        &["run", "counter", "--speed", "fast"],
    ] {
        let done = sb.run(args);
        done.assert_no_panic();
        assert_eq!(done.code(), Some(2), "{args:?}: {}", done.stderr);
        assert!(done.stdout.is_empty(), "{args:?} ran anyway");
    }
    let done = sb.run(&["run", "counter", "--speed=-1"]);
    assert_mentions(&done, &["speed must be above 0"]);
}

#[test]
fn unknown_flag_is_a_usage_error() {
    let sb = Sandbox::new();
    let done = sb.run(&["run", "counter", "--bogus"]);
    done.assert_no_panic();
    assert_eq!(done.code(), Some(2));
    assert_mentions(&done, &["--bogus", "Usage"]);
}

#[test]
fn steps_cannot_be_combined_with_a_random_schedule() {
    let sb = Sandbox::new();
    let done = sb.run(&["run", "counter", "--steps", "1,2", "--schedule", "random"]);
    done.assert_no_panic();
    assert_eq!(done.code(), Some(2));
    assert_mentions(&done, &["--steps", "random"]);
}

#[test]
fn list_shows_every_lesson() {
    let sb = Sandbox::new();
    let done = sb.run(&["list"]);
    done.assert_success().assert_no_panic();
    let ids: Vec<&str> = done
        .stdout
        .lines()
        // `{:>2}  id  title` lines; the summary under each is indented further.
        .filter(|l| !l.starts_with("    "))
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            let n = words.next()?;
            n.parse::<usize>().ok()?;
            words.next()
        })
        .collect();
    assert_eq!(
        ids,
        [
            "ticket",
            "bathroom",
            "counter",
            "guests",
            "pool",
            "join",
            "isolation",
            "daemon",
            "terminate",
            "zombie",
            "event",
            "pipe",
            "queue",
            "chat"
        ],
        "{}",
        done.stdout
    );
}

#[test]
fn the_app_without_a_terminal_points_to_the_headless_run() {
    let sb = Sandbox::new();
    for args in [&[][..], &["counter", "--unlocked"][..]] {
        let done = sb.run(args);
        done.assert_no_panic();
        assert_eq!(done.status.code(), Some(2), "{}", done.stderr);
        assert!(done.stderr.contains("lockstep run"), "{}", done.stderr);
    }
    assert!(sb.run_dirs().is_empty(), "a run directory was left");
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
