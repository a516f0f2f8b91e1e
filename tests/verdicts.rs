//! Verdicts follow what happened, in every timing model: a lesson's story
//! that this run did not reach is said in words (terminate under any timing,
//! zombie joined before it exited), a lock the story needs switched off
//! leaves nothing to see (terminate), a lost update is red at the write that
//! loses it (ticket), a process waiting on a lock it holds itself is a
//! deadlock on itself, and a lesson can declare a deadlock or an error as
//! the end its story leads to.

mod common;

use common::{Sandbox, write_lesson};

fn text_run(sb: &Sandbox, args: &[&str]) -> String {
    let done = sb.run(args);
    done.assert_success().assert_no_panic();
    done.stdout
}

fn verdict_line(out: &str) -> String {
    let prefixes = ["verdict: ", "结论："];
    out.lines()
        .find(|l| prefixes.iter().any(|p| l.starts_with(p)))
        .unwrap_or_else(|| panic!("no verdict line:\n{out}"))
        .to_string()
}

#[test]
fn terminate_under_any_timing_says_the_holder_was_not_holding_it() {
    let sb = Sandbox::new();
    let args = [
        "run",
        "terminate",
        "--schedule",
        "round-robin",
        "--seed",
        "7",
    ];
    let any = text_run(&sb, &[&args[..], &["--timing", "any"]].concat());
    let v = verdict_line(&any);
    assert!(
        v.starts_with("verdict: OK: this time p1 did not hold the lock when it was terminated")
            && v.contains("no deadlock")
            && v.contains("(3 workers released the lock)"),
        "{v}"
    );
    // As written (its own model), the story's deadlock, told as before.
    let written = text_run(&sb, &args);
    let v = verdict_line(&written);
    assert!(
        v.starts_with("verdict: BROKEN: DEADLOCK:") && !v.contains("this time"),
        "{v}"
    );
    // In Chinese too.
    let zh = text_run(
        &sb,
        &[&args[..], &["--timing", "any", "--lang", "zh"]].concat(),
    );
    assert!(
        verdict_line(&zh).contains("这一次 p1 被终止时并没有持有锁"),
        "{zh}"
    );
}

#[test]
fn terminate_with_the_lock_off_has_nothing_to_see_and_is_not_red() {
    let sb = Sandbox::new();
    for timing in ["any", "as-written"] {
        let args = [
            "run",
            "terminate",
            "--off",
            "lock",
            "--schedule",
            "round-robin",
            "--seed",
            "7",
            "--timing",
            timing,
            "--json",
        ];
        let (_, s) = sb.run_json(&args);
        assert_eq!(s["ok"], true, "{timing}: {s}");
        let said = s["verdict"].as_str().unwrap();
        assert!(
            said.starts_with("with the lock off there is nothing to see"),
            "{said}"
        );
        if timing == "as-written" {
            // p1 was terminated in its sleep, before its release: the count
            // is still measured as before, and not held against the run.
            assert_eq!(s["actual"], 2, "{s}");
        }
    }
}

#[test]
fn zombie_joined_before_it_exited_says_why_under_any_timing() {
    let sb = Sandbox::new();
    let out = text_run(
        &sb,
        &[
            "run",
            "zombie",
            "--timing",
            "any",
            "--steps",
            "1,1,1,1,2,1,1",
        ],
    );
    let v = verdict_line(&out);
    assert!(
        v.starts_with("verdict: BROKEN: this time the parent joined the child before it exited")
            && v.contains("under any timing its 3 s sleep takes no time"),
        "{v}"
    );
}

#[test]
fn daemon_waking_before_main_ended_says_why_under_any_timing() {
    let sb = Sandbox::new();
    // The daemon is let through its sleep before main has printed its last
    // line: it prints what the listing says is never printed.
    let out = text_run(
        &sb,
        &["run", "daemon", "--timing", "any", "--steps", "1,2,2,2"],
    );
    assert!(out.contains("p1 (daemon) woke up"), "{out}");
    let v = verdict_line(&out);
    assert!(
        v.starts_with("verdict: OK: this time the daemon woke up before the main code ended"),
        "{v}"
    );
    // As written it cannot: the story holds, told as before.
    let out = text_run(&sb, &["run", "daemon", "--schedule", "round-robin"]);
    assert!(!out.contains("woke up"), "{out}");
    assert!(!verdict_line(&out).contains("this time"), "{out}");
}

#[test]
fn ticket_unlocked_is_red_at_the_write_that_loses_the_update() {
    let sb = Sandbox::new();
    // Two buyers, mutex off: each runs up to its write (9 operations), then
    // P1 writes 0 (step 19) and P2 writes 0 over it (step 20): the lost
    // update. Their prints come after (steps 21 and 22).
    let steps = "1,1,1,1,1,1,1,1,1,2,2,2,2,2,2,2,2,2,1,2";
    let args = [
        "run",
        "ticket",
        "--unlocked",
        "--procs",
        "2",
        "--timing",
        "any",
        "--steps",
        steps,
        "--json",
    ];
    let (done, s) = sb.run_json(&args);
    let events = done.events();
    // The step of the second write of the count: the lost update.
    let mut steps_so_far = 0;
    let mut writes = Vec::new();
    for e in &events {
        match e["ev"].as_str() {
            Some("run") => steps_so_far += 1,
            Some("wrote") => writes.push(steps_so_far),
            _ => {}
        }
    }
    assert_eq!(writes, vec![19, 20], "{events:?}");
    assert_eq!(s["broken_at_step"], 20, "{s}");
    assert_eq!(s["ok"], false, "{s}");
    assert_eq!(s["actual"], 2, "{s}");
}

const RELOCK: &str = r#"{
  "id": "relock",
  "title": { "en": "acquire twice" },
  "summary": { "en": "A lock taken twice by its holder." },
  "story": { "en": "Each worker takes the lock, then takes it again." },
  "values": [{ "name": "count", "initial": 0 }],
  "locks": [{ "name": "lock" }],
  "processes": [{ "role": "w", "count": 2 }],
  "programs": {
    "w": [
      { "op": "acquire", "lock": "lock" },
      { "op": "acquire", "lock": "lock" },
      { "op": "write", "value": "count", "expr": "1" },
      { "op": "release", "lock": "lock" }
    ]
  },
  "check": {
    "measure": { "final_value": "count" },
    "expect": 1,
    "rule": "equal",
    "quantity": { "en": "count" },
    "ok": { "en": "count is {actual}" },
    "broken": { "en": "count is {actual}, not {expected}" }
    OUTCOME
  }
}"#;

#[test]
fn a_process_waiting_on_a_lock_it_holds_is_a_deadlock_on_itself() {
    let sb = Sandbox::new();
    let file = write_lesson(&sb, &RELOCK.replace("OUTCOME", ""));
    for steps in ["1,1,2", "1,2,1"] {
        let out = text_run(&sb, &["run", &file, "--steps", steps]);
        let v = verdict_line(&out);
        assert!(
            v.contains(
                "DEADLOCK: P1 waits for lock, which it holds itself; P2 waits for lock, held by P1"
            ),
            "{steps}: {v}"
        );
        // Lockstep ended them because they were stuck: not a killing to blame.
        assert!(!v.contains("killed"), "{v}");
    }
    let zh = text_run(&sb, &["run", &file, "--steps", "1,1,2", "--lang", "zh"]);
    assert!(
        verdict_line(&zh).contains("P1 在等 lock，而这把锁正由它自己持有"),
        "{zh}"
    );
}

#[test]
fn a_lesson_can_declare_a_deadlock_as_its_expected_end() {
    let sb = Sandbox::new();
    let outcome = r#", "outcome": { "ends_in": "deadlock",
        "missed": { "en": "nobody took it twice this time" } }"#;
    let file = write_lesson(&sb, &RELOCK.replace("OUTCOME", outcome));
    let (_, s) = sb.run_json(&["run", &file, "--steps", "1,1,2", "--json"]);
    assert_eq!(s["ok"], true, "the expected deadlock happened: {s}");
    assert!(!s["deadlock"].is_null(), "{s}");
    // With the lock off nobody waits: the story's end is missed, and said.
    let (_, s) = sb.run_json(&["run", &file, "--unlocked", "--steps", "1,1,1,1", "--json"]);
    let said = s["verdict"].as_str().unwrap();
    assert!(
        said.starts_with("nobody took it twice this time ("),
        "{said}"
    );
}

#[test]
fn a_lesson_can_declare_an_error_as_its_expected_end() {
    let sb = Sandbox::new();
    let text = RELOCK
        .replace(
            r#"{ "op": "write", "value": "count", "expr": "1" },"#,
            r#"{ "op": "read", "value": "count", "into": "c" },
      { "op": "write", "value": "count", "expr": "1 / c" },"#,
        )
        .replace(r#""count": 2"#, r#""count": 1"#)
        .replace(
            r#"{ "op": "acquire", "lock": "lock" },
      { "op": "acquire", "lock": "lock" },"#,
            r#"{ "op": "acquire", "lock": "lock" },"#,
        );
    let plain = write_lesson(&sb, &text.replace("OUTCOME", ""));
    let done = sb.run(&["run", &plain, "--schedule", "round-robin", "--json"]);
    let s = done.summary();
    assert_eq!(
        s["ok"], false,
        "an error breaks a lesson that does not expect it: {s}"
    );
    assert_eq!(done.code(), Some(1));
    let expected = text.replace("OUTCOME", r#", "outcome": { "ends_in": "error" }"#);
    let file = write_lesson(&sb, &expected);
    let (_, s) = sb.run_json(&["run", &file, "--schedule", "round-robin", "--json"]);
    // OK, and the run went through (exit status 0).
    assert_eq!(s["ok"], true, "the expected error happened: {s}");
    assert!(!s["errors"].as_array().unwrap().is_empty(), "{s}");
}

#[test]
fn an_outcome_that_names_no_lock_is_refused_at_load() {
    let sb = Sandbox::new();
    let cases = [
        (
            r#", "outcome": { "ends_in": "deadlock", "needs": ["door"], "off": { "en": "x" } }"#,
            "check.outcome.needs[0]",
        ),
        (
            r#", "outcome": { "ends_in": "deadlock", "needs": ["lock"] }"#,
            "`needs` comes with `off`",
        ),
        (
            r#", "breaks_at_lost_update": "total""#,
            "no shared value named `total`",
        ),
    ];
    for (outcome, why) in cases {
        let file = write_lesson(&sb, &RELOCK.replace("OUTCOME", outcome));
        let done = sb.run(&["run", &file, "--schedule", "round-robin"]);
        assert_ne!(done.code(), Some(0), "{outcome}");
        assert!(done.stderr.contains(why), "{outcome}: {}", done.stderr);
    }
}
