//! Scheduled runs step one operation at a time in a fixed order, so their
//! outcome is certain: the same schedule always gives the same result.

mod common;

use common::{Sandbox, int};
use serde_json::Value;

fn round_robin(lesson: &str, unlocked: bool) -> Value {
    let sb = Sandbox::new();
    let mut args = vec!["run", lesson, "--json", "--schedule", "round-robin"];
    if unlocked {
        args.push("--unlocked");
    }
    let (_, summary) = sb.run_json(&args);
    assert_eq!(summary["lesson"], lesson);
    assert_eq!(summary["mode"], "round-robin");
    assert!(
        summary["deadlock"].is_null(),
        "unexpected deadlock: {summary}"
    );
    // A scheduled run records every step it granted.
    let schedule = summary["schedule"].as_array().expect("schedule");
    assert_eq!(schedule.len() as i64, int(&summary["steps"]), "{summary}");
    for p in summary["processes"].as_array().unwrap() {
        assert_eq!(p["exit_code"], 0, "a process did not exit cleanly: {p}");
    }
    summary
}

#[test]
fn counter_locked_round_robin_ends_at_80() {
    let s = round_robin("counter", false);
    assert_eq!(s["actual"], 80);
    assert_eq!(s["expected"], 80);
    assert_eq!(s["ok"], true);
    assert_eq!(s["lost_updates"], 0);
    assert_eq!(s["values"]["count"], 80);
    assert!(s["broken_at_step"].is_null(), "{s}");
}

#[test]
fn counter_unlocked_round_robin_loses_all_but_one_update() {
    // Every process reads 100 before anyone writes: all write 99.
    // Corruption is the lesson's point, not an error: exit status 0.
    let s = round_robin("counter", true);
    assert_eq!(s["actual"], 99);
    assert_eq!(s["ok"], false);
    assert_eq!(s["lost_updates"], 19);
    assert_eq!(s["values"]["count"], 99);
    assert_eq!(s["unlocked"], serde_json::json!(["lock"]));
    assert!(s["broken_at_step"].is_u64(), "{s}");
}

#[test]
fn ticket_round_robin_sells_one_locked_and_ten_unlocked() {
    let locked = round_robin("ticket", false);
    assert_eq!(locked["actual"], 1);
    assert_eq!(locked["ok"], true);
    assert_eq!(locked["outcomes"]["bought"], 1);
    let unlocked = round_robin("ticket", true);
    assert_eq!(unlocked["actual"], 10);
    assert_eq!(unlocked["ok"], false);
    assert_eq!(unlocked["outcomes"]["bought"], 10);
}

#[test]
fn bathroom_round_robin_lock_keeps_one_inside() {
    let unlocked = round_robin("bathroom", true);
    assert_eq!(unlocked["actual"], 2);
    assert_eq!(unlocked["ok"], false);
    let locked = round_robin("bathroom", false);
    assert_eq!(locked["actual"], 1);
    assert_eq!(locked["ok"], true);
}

#[test]
fn guests_round_robin_semaphore_keeps_two_inside() {
    let unlocked = round_robin("guests", true);
    assert_eq!(unlocked["actual"], 5);
    assert_eq!(unlocked["ok"], false);
    let locked = round_robin("guests", false);
    assert!(int(&locked["actual"]) <= 2, "{locked}");
    assert_eq!(locked["ok"], true);
}

/// counter's program is 6 operations per process: acquire, read, sleep,
/// write, print, release. P1 and P2 both read before either writes (one
/// lost update); everyone after runs alone.
fn one_lost_update_steps() -> Vec<usize> {
    let mut steps = vec![1, 1, 2, 2, 1, 1, 2, 2, 1, 1, 2, 2];
    for p in 3..=20 {
        steps.extend([p; 6]);
    }
    steps
}

#[test]
fn explicit_steps_lose_exactly_one_update() {
    let steps = one_lost_update_steps();
    let list: Vec<String> = steps.iter().map(usize::to_string).collect();
    let list = list.join(",");
    let sb = Sandbox::new();
    let (done, s) = sb.run_json(&["run", "counter", "--unlocked", "--json", "--steps", &list]);
    assert_eq!(s["mode"], "steps");
    assert_eq!(s["actual"], 81);
    assert_eq!(s["values"]["count"], 81);
    assert_eq!(s["lost_updates"], 1);
    assert_eq!(s["ok"], false);
    let taken: Vec<usize> = s["schedule"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap() as usize)
        .collect();
    assert_eq!(
        taken, steps,
        "the run did not follow the given steps exactly"
    );
    // Both P1 and P2 read 100 before either wrote.
    let saw: Vec<(i64, String)> = done
        .events()
        .into_iter()
        .filter(|e| e["ev"] == "printed")
        .map(|e| (int(&e["p"]), e["en"].as_str().unwrap().to_string()))
        // `4242 saw 100`: the listing prints its pid first.
        .map(|(p, text)| (p, text.split_once(' ').unwrap().1.to_string()))
        .collect();
    assert!(saw.contains(&(1, "saw 100".into())), "{saw:?}");
    assert!(saw.contains(&(2, "saw 100".into())), "{saw:?}");
    assert!(saw.contains(&(3, "saw 99".into())), "{saw:?}");
}

#[test]
fn random_schedule_is_reproducible_from_its_seed() {
    let sb = Sandbox::new();
    let run = |seed: &str| {
        let args = [
            "run",
            "counter",
            "--unlocked",
            "--json",
            "--schedule",
            "random",
            "--seed",
            seed,
        ];
        sb.run_json(&args).1
    };
    let a = run("42");
    let b = run("42");
    assert_eq!(a["mode"], "random");
    assert!(!a["schedule"].as_array().unwrap().is_empty());
    for field in [
        "schedule",
        "actual",
        "values",
        "lost_updates",
        "steps",
        "broken_at_step",
        "ok",
    ] {
        assert_eq!(a[field], b[field], "seed 42 gave two different `{field}`");
    }
    let c = run("43");
    assert_ne!(
        a["schedule"], c["schedule"],
        "seeds 42 and 43 gave the same schedule"
    );
}

#[test]
fn stepping_a_blocked_process_is_refused_and_names_the_holder() {
    // P1 acquires, P1 reads, P2 tries to acquire and waits; P2 cannot move again.
    let sb = Sandbox::new();
    let done = sb.run(&["run", "counter", "--json", "--steps", "1,1,2,2"]);
    done.assert_no_panic();
    assert!(!done.status.success(), "a refused step must fail the run");
    assert!(
        done.stderr.contains("P2 waits for lock, held by P1"),
        "stderr does not say who blocks P2:\n{}",
        done.stderr
    );
    assert!(
        done.stderr.contains("step 4"),
        "stderr does not name the step:\n{}",
        done.stderr
    );
}

#[test]
fn stepping_a_process_that_does_not_exist_is_a_usage_error() {
    let sb = Sandbox::new();
    for steps in ["1,25", "0"] {
        let done = sb.run(&["run", "counter", "--steps", steps]);
        done.assert_no_panic();
        assert_eq!(done.status.code(), Some(2), "{}", done.stderr);
        let named = if steps == "0" { "P0" } else { "P25" };
        assert!(done.stderr.contains(named), "{}", done.stderr);
        assert!(done.stderr.contains("P1 to P20"), "{}", done.stderr);
        assert!(
            done.stderr.contains("Usage: lockstep run"),
            "{}",
            done.stderr
        );
    }
}
