//! `--python`: a built-in lesson runs as its real program (its listing,
//! under CPython, with the lesson's check as its expectation), and the five
//! core lessons agree with the built-in engine: locked, a free run is
//! always OK; under the same schedule (the built-in run's order of shared
//! operations, followed by the program's processes) both end with the same
//! value and the same verdict.

mod common;

use common::{Sandbox, all_ended};
use serde_json::Value;

/// Every lesson whose listing is a whole program (chat's clients are a
/// program of their own).
const PROGRAMS: [&str; 17] = [
    "ticket",
    "bathroom",
    "counter",
    "guests",
    "pool",
    "join",
    "isolation",
    "daemon",
    "event",
    "pipe",
    "queue",
    "terminate",
    "zombie",
    "alive",
    "orphan",
    "ppid",
    "rlock",
];

/// `lockstep run LESSON --python --json ARGS`: the summary; nothing left behind.
fn python_run(sb: &Sandbox, lesson: &str, args: &[&str]) -> Value {
    let mut all = vec!["run", lesson, "--python", "--json"];
    all.extend_from_slice(args);
    let done = sb.run(&all);
    done.assert_no_panic();
    let s = done.summary();
    all_ended(&s);
    assert_eq!(s["errors"], serde_json::json!([]), "{lesson}: {s}");
    s
}

/// The built-in engine's summary of the same run.
fn builtin_run(sb: &Sandbox, lesson: &str, args: &[&str]) -> Value {
    let mut all = vec!["run", lesson, "--json"];
    all.extend_from_slice(args);
    let done = sb.run(&all);
    done.assert_no_panic();
    done.summary()
}

#[test]
fn every_lesson_listing_runs_under_cpython_to_its_end() {
    let sb = Sandbox::new();
    for lesson in PROGRAMS {
        let s = python_run(
            &sb,
            lesson,
            &["--schedule", "round-robin", "--timing", "any"],
        );
        let procs = s["processes"].as_array().unwrap();
        assert!(
            procs.len() >= 2,
            "{lesson}: the program started processes: {s}"
        );
        assert!(
            !s["output"].as_array().unwrap().is_empty(),
            "{lesson} printed its lines: {s}"
        );
        let program = s["program"].as_str().unwrap();
        assert!(program.ends_with(".py"), "{lesson}: {program}");
    }
}

#[test]
fn a_listing_that_is_not_a_whole_program_is_refused_with_exit_2() {
    let sb = Sandbox::new();
    let done = sb.run(&["run", "chat", "--python"]);
    assert_eq!(done.code(), Some(2), "{}", done.stderr);
    common::assert_mentions(
        &done,
        &["chat", "cannot run under Python", "without --python"],
    );
    let procs = sb.run(&["run", "counter", "--python", "--procs", "2"]);
    assert_eq!(procs.code(), Some(2), "{}", procs.stderr);
    common::assert_mentions(&procs, &["chooses how many processes"]);
    let program = format!(
        "{}/tests/python/locked_counter.py",
        env!("CARGO_MANIFEST_DIR")
    );
    let twice = sb.run(&["run", &program, "--python"]);
    assert_eq!(twice.code(), Some(2), "{}", twice.stderr);
}

#[test]
fn the_ticket_program_keeps_its_file_in_the_run_directory() {
    let sb = Sandbox::new();
    let here = sb.path().join("here");
    std::fs::create_dir(&here).unwrap();
    let done = sb.run_in(&here, &["run", "ticket", "--python", "--json"]);
    done.assert_success().assert_no_panic();
    let s = done.summary();
    assert_eq!(s["ok"], true, "{s}");
    assert_eq!(s["expect"][0]["actual"], 1, "one ticket sold: {s}");
    let left: Vec<_> = std::fs::read_dir(&here).unwrap().collect();
    assert!(
        left.is_empty(),
        "db.json stays in the run directory: {left:?}"
    );
}

/// The core lessons (pool is measured, not checked), each locked: a free
/// run of the real program holds the lesson's check, as the built-in one.
#[test]
fn locked_free_runs_are_ok_both_ways() {
    let sb = Sandbox::new();
    for lesson in ["ticket", "bathroom", "counter", "guests"] {
        let real = python_run(&sb, lesson, &[]);
        assert_eq!(real["ok"], true, "{lesson} under CPython: {real}");
        assert_eq!(real["mode"], "free");
        let builtin = builtin_run(&sb, lesson, &["--speed", "100"]);
        assert_eq!(builtin["ok"], true, "{lesson} built in: {builtin}");
        // How many were inside at once is up to the kernel's timing, but
        // a lock's one holder, the one ticket and the 80 are not.
        if lesson != "guests" {
            assert_eq!(real["expect"][0]["actual"], builtin["actual"], "{lesson}");
        }
    }
}

/// Run a lesson both ways under one schedule: the same key quantity and
/// the same verdict; the program followed the built-in run's schedule.
fn agree(sb: &Sandbox, lesson: &str, args: &[&str]) -> (Value, Value) {
    let real = python_run(sb, lesson, args);
    let builtin = builtin_run(sb, lesson, args);
    assert_eq!(
        real["expect"][0]["actual"], builtin["actual"],
        "{lesson} {args:?}: CPython {real}\nbuilt in {builtin}"
    );
    assert_eq!(real["ok"], builtin["ok"], "{lesson} {args:?}");
    assert_eq!(real["lesson_schedule"], builtin["schedule"], "{lesson}");
    (real, builtin)
}

#[test]
fn round_robin_corrupts_every_core_lesson_unlocked_and_not_locked_both_ways() {
    let sb = Sandbox::new();
    let rr = ["--unlocked", "--schedule", "round-robin"];
    for (lesson, broken) in [
        ("ticket", 10),
        ("bathroom", 2),
        ("counter", 99),
        ("guests", 5),
    ] {
        let (real, _) = agree(&sb, lesson, &rr);
        assert_eq!(real["ok"], false, "{lesson}: {real}");
        assert_eq!(real["expect"][0]["actual"], broken, "{lesson}: {real}");
        // With the lock on, the same schedule holds the check both ways.
        let (locked, _) = agree(&sb, lesson, &["--schedule", "round-robin"]);
        assert_eq!(locked["ok"], true, "{lesson}: {locked}");
    }
}

#[test]
fn read_read_write_write_loses_one_update_both_ways() {
    let sb = Sandbox::new();
    // The lesson's try: P1 and P2 read, read, write, write (then one at a time).
    let mut steps = vec![1, 1, 2, 2, 1, 1, 2, 2, 1, 1, 2, 2];
    for p in 3..=20 {
        steps.extend([p; 6]);
    }
    let steps: Vec<String> = steps.iter().map(usize::to_string).collect();
    let steps = steps.join(",");
    let (real, builtin) = agree(&sb, "counter", &["--off", "lock", "--steps", &steps]);
    assert_eq!(real["values"]["shared['count']"], 81, "{real}");
    assert_eq!(builtin["lost_updates"], 1, "{builtin}");
    // Locked, the same steps cannot lose one: the second acquire waits.
    let (locked, _) = agree(&sb, "counter", &["--schedule", "round-robin"]);
    assert_eq!(locked["values"]["shared['count']"], 80, "{locked}");
}

#[test]
fn pool_runs_as_its_real_program_with_its_workers_as_lanes() {
    let sb = Sandbox::new();
    let done = sb.run(&["run", "pool", "--python", "--json"]);
    done.assert_success().assert_no_panic();
    let s = done.summary();
    all_ended(&s);
    let workers: Vec<u64> = s["processes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["name"].as_str().unwrap().starts_with("pool["))
        .map(|p| {
            assert_eq!(p["parent"], 1, "a worker of the main process: {p}");
            assert_eq!(p["exit_code"], 0, "closed and joined: {p}");
            p["id"].as_u64().unwrap()
        })
        .collect();
    assert_eq!(workers.len(), 4, "Pool(4)'s workers are lanes: {s}");
    // Every task was taken by a worker: 100 apply, 100 apply_async and
    // map's 15 chunks (CPython's chunk size for 100 tasks on 4 workers: 7).
    let taken = done
        .events()
        .into_iter()
        .filter(|e| e["ev"] == "queue_got" && workers.contains(&e["p"].as_u64().unwrap_or(0)))
        .filter(|e| {
            e["item"]["text"]["en"]
                .as_str()
                .is_some_and(|t| t.starts_with("f("))
        })
        .count();
    assert_eq!(taken, 215, "{s}");
    let lines = s["output"].as_array().unwrap();
    assert!(
        lines
            .iter()
            .any(|l| l["text"].as_str().unwrap().contains("faster")),
        "{s}"
    );
}

#[test]
fn explore_finds_two_in_the_bathroom_only_with_the_lock_off() {
    let sb = Sandbox::new();
    let done = sb.run(&["explore", "bathroom", "--python", "--unlocked", "--json"]);
    done.assert_success().assert_no_panic();
    let s = done.summary();
    assert!(s["broken"].as_u64().unwrap() >= 1, "{s}");
    assert_eq!(s["timing"], "any", "{s}");
    let locked = sb.run(&["explore", "bathroom", "--python", "--json"]);
    locked.assert_success();
    let s = locked.summary();
    assert_eq!(s["broken"], 0, "{s}");
    // The text says the locks are off in words, not with the marker.
    let text = sb.run(&["explore", "bathroom", "--python", "--unlocked"]);
    assert!(
        text.stdout.contains("with every lock off · "),
        "{}",
        text.stdout
    );
    assert!(!text.stdout.contains("off: *"), "{}", text.stdout);
}

/// A lesson file whose built-in program reads and writes `total` while its
/// listing (`{listing}`) is what runs under `--python`.
const FILE: &str = r#"{
  "id": "apart",
  "title": { "en": "Apart" },
  "summary": { "en": "A listing that does not do what the lesson does" },
  "story": { "en": "A tiny lesson for tests." },
  "listing": {listing},
  "values": [{ "name": "total", "initial": 0 }],
  "processes": [{ "role": "w", "count": 2 }],
  "programs": {
    "w": [
      { "op": "read", "value": "total", "into": "t", "line": 1 },
      { "op": "write", "value": "total", "expr": "t + 1", "line": 1 }
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

#[test]
fn a_lesson_file_whose_listing_goes_apart_is_told_so() {
    let sb = Sandbox::new();
    let broken = FILE.replace("{listing}", r#"["def add(:", "    pass"]"#);
    let file = common::write_lesson(&sb, &broken);
    let done = sb.run(&["run", &file, "--python"]);
    assert_eq!(done.code(), Some(2), "{}", done.stderr);
    common::assert_mentions(
        &done,
        &["apart.py:1:", "syntax error", "no process was started"],
    );
    // Each worker takes a lock where the lesson reads and writes: read,
    // read, write, write by 1,2,2,1 would have the second worker release
    // a lock the first one holds.
    let listing = r#"["from multiprocessing import Process, Lock", "def w(lock):", "    with lock:", "        pass", "if __name__ == '__main__':", "    lock = Lock()", "    ps = [Process(target=w, args=(lock,)) for _ in range(2)]", "    for p in ps: p.start()", "    for p in ps: p.join()"]"#;
    let file = common::write_lesson(&sb, &FILE.replace("{listing}", listing));
    let free = sb.run(&["run", &file, "--python"]);
    free.assert_success();
    let stepped = sb.run(&["run", &file, "--python", "--steps", "1,2,2,1"]);
    assert_eq!(stepped.code(), Some(1), "{}", stepped.stderr);
    common::assert_mentions(
        &stepped,
        &["failed to follow the lesson's schedule", "went apart"],
    );
}

#[test]
fn the_chinese_listing_runs_with_its_own_expectation() {
    let sb = Sandbox::new();
    let s = python_run(
        &sb,
        "ticket",
        &["--lang", "zh", "--unlocked", "--schedule", "round-robin"],
    );
    assert_eq!(
        s["expect"][0]["expect"], "printed(买到了一张票) <= 1",
        "{s}"
    );
    assert_eq!(s["expect"][0]["actual"], 10, "{s}");
}
