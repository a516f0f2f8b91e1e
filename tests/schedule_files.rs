//! Schedules as files: `--save` writes one, `lockstep run FILE` replays it
//! exactly (then round-robin), and a broken file gets a clear error.

mod common;

use common::Sandbox;
use serde_json::{Value, json};

fn json_of(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

#[test]
fn the_shortest_bad_schedule_corrupts_again_every_time_it_is_replayed() {
    let sb = Sandbox::new();
    let file = sb.path().join("bad.schedule.json");
    let f = file.to_str().unwrap();
    let done = sb.run(&[
        "explore",
        "counter",
        "--procs",
        "2",
        "--unlocked",
        "--save",
        f,
        "--json",
    ]);
    done.assert_success().assert_no_panic();
    let found = json_of(done.stdout.trim());
    let saved = json_of(&std::fs::read_to_string(&file).unwrap());
    assert_eq!(saved["lockstep_schedule"], 2);
    assert_eq!(saved["timing"], "any");
    assert_eq!(saved["lesson"], "counter");
    assert_eq!(saved["off"], json!(["lock"]));
    assert_eq!(saved["procs"], 2);
    assert!(saved["seed"].is_u64());
    assert_eq!(saved["steps"], found["shortest_bad"]);
    for _ in 0..3 {
        let (_, s) = sb.run_json(&["run", f, "--json"]);
        assert_eq!(s["ok"], false, "{s}");
        assert_eq!(s["actual"], 99, "{s}");
        assert_eq!(s["expected"], 98);
        assert_eq!(s["lost_updates"], 1);
        assert_eq!(s["mode"], "steps");
        assert_eq!(s["schedule"], saved["steps"]);
        assert_eq!(s["processes"].as_array().unwrap().len(), 2);
    }
}

#[test]
fn every_bad_schedule_of_two_counters_corrupts_again_when_replayed() {
    // The hand enumeration: 4 of the 6 interleavings lose an update.
    let sb = Sandbox::new();
    let done = sb.run(&["explore", "counter", "--procs", "2", "--unlocked", "--json"]);
    done.assert_success();
    let found = json_of(done.stdout.trim());
    let bad = found["bad_schedules"].as_array().expect("bad_schedules");
    assert_eq!(bad.len(), 4, "{found}");
    let mut seen = std::collections::BTreeSet::new();
    for steps in bad {
        let steps: Vec<String> = steps
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.to_string())
            .collect();
        let steps = steps.join(",");
        assert!(seen.insert(steps.clone()), "{steps} listed twice");
        for _ in 0..2 {
            let (_, s) = sb.run_json(&[
                "run",
                "counter",
                "--procs",
                "2",
                "--unlocked",
                "--steps",
                &steps,
                "--json",
            ]);
            assert_eq!(s["ok"], false, "{steps}: {s}");
            assert_eq!(s["actual"], 99, "{steps}: {s}");
            let taken: Vec<String> = s["schedule"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p.to_string())
                .collect();
            assert_eq!(taken.join(","), steps, "replayed exactly");
        }
    }
}

#[test]
fn a_saved_run_replays_to_the_same_end_and_goes_on_round_robin() {
    let sb = Sandbox::new();
    let file = sb.path().join("run.json");
    let f = file.to_str().unwrap();
    let (_, first) = sb.run_json(&[
        "run",
        "ticket",
        "--unlocked",
        "--procs",
        "3",
        "--schedule",
        "random",
        "--seed",
        "11",
        "--save",
        f,
        "--json",
    ]);
    let saved = json_of(&std::fs::read_to_string(&file).unwrap());
    assert_eq!(saved["steps"], first["schedule"]);
    assert_eq!(saved["procs"], 3);
    assert_eq!(saved["seed"], 11);
    let (_, again) = sb.run_json(&["run", f, "--json"]);
    for k in [
        "ok",
        "actual",
        "outcomes",
        "values",
        "lost_updates",
        "schedule",
    ] {
        assert_eq!(again[k], first[k], "{k}");
    }
    // Only the first steps given: the rest goes round-robin.
    let short = sb.path().join("short.json");
    std::fs::write(
        &short,
        r#"{"lockstep_schedule": 1, "lesson": "counter", "off": ["lock"], "procs": 2, "steps": [2, 2]}"#,
    )
    .unwrap();
    let (_, s) = sb.run_json(&["run", short.to_str().unwrap(), "--json"]);
    let schedule: Vec<i64> = s["schedule"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect();
    assert_eq!(&schedule[..4], &[2, 2, 1, 2]);
    assert_eq!(schedule.len(), 12);
}

#[test]
fn a_schedule_file_is_told_by_its_content_and_finds_its_lesson_beside_it() {
    let sb = Sandbox::new();
    let dir = sb.path().join("shared");
    std::fs::create_dir(&dir).unwrap();
    let counter = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/counter.json"
    ))
    .unwrap();
    std::fs::write(
        dir.join("mine.json"),
        counter.replace("\"id\": \"counter\"", "\"id\": \"mine\""),
    )
    .unwrap();
    // No `.schedule.json` name; the lesson path is relative to the file.
    let file = dir.join("race.txt");
    std::fs::write(
        &file,
        r#"{"lockstep_schedule": 1, "lesson": "mine.json", "off": ["lock"], "procs": 2, "steps": [1,1,2,2,1,1,1,2,2,2,1,2]}"#,
    )
    .unwrap();
    let (_, s) = sb.run_json(&["run", file.to_str().unwrap(), "--json"]);
    assert_eq!(s["lesson"], "mine");
    assert_eq!(s["actual"], 99);
    // Saving a file lesson names it by an absolute path.
    let again = sb.path().join("again.json");
    let lesson = dir.join("mine.json");
    let (done, first) = sb.run_json(&[
        "run",
        lesson.to_str().unwrap(),
        "--procs",
        "2",
        "--steps",
        "1,2",
        "--save",
        again.to_str().unwrap(),
        "--json",
    ]);
    // Two processes: at most one waits for the lock, so the schedule says it all.
    assert!(!done.stderr.contains("note:"), "{}", done.stderr);
    let saved = json_of(&std::fs::read_to_string(&again).unwrap());
    assert!(
        std::path::Path::new(saved["lesson"].as_str().unwrap()).is_absolute(),
        "{saved}"
    );
    assert_eq!(saved["procs"], 2);
    let (_, replayed) = sb.run_json(&["run", again.to_str().unwrap(), "--json"]);
    assert_eq!(replayed["schedule"], first["schedule"]);
    assert_eq!(replayed["actual"], 98);
}

#[test]
fn a_run_where_many_wait_for_one_lock_replays_the_same_way() {
    // Twenty processes round-robin with the lock on: many wait for it at
    // once. Under a schedule they queue in arrival order, so which one a
    // release lets in is the schedule's doing: the replay takes the same
    // steps, and no note says otherwise.
    let sb = Sandbox::new();
    let file = sb.path().join("rr.json");
    let (done, first) = sb.run_json(&[
        "run",
        "counter",
        "--schedule",
        "round-robin",
        "--save",
        file.to_str().unwrap(),
        "--json",
    ]);
    assert!(!done.stderr.contains("note:"), "{}", done.stderr);
    let (again, replayed) = sb.run_json(&["run", file.to_str().unwrap(), "--json"]);
    assert!(!again.stderr.contains("note:"), "{}", again.stderr);
    assert_eq!(replayed["schedule"], first["schedule"]);
    assert_eq!(replayed["actual"], 80);
}

#[test]
fn broken_schedule_files_say_where_and_what() {
    let sb = Sandbox::new();
    let cases = [
        (
            "{\"lockstep_schedule\": 1,\n \"lesson\": \"counter\",\n \"steps\": [1, 2,]}",
            "bad.json:3:17: trailing comma",
        ),
        (
            "{\"lockstep_schedule\": 1,\n \"lesson\": \"counter\",\n \"steps\": [1, 0]}",
            "bad.json:3:15: field `steps[1]`: process numbers start at 1",
        ),
        (
            "{\"lockstep_schedule\": 1,\n \"lesson\": \"counter\",\n \"steps\": [1, 21]}",
            "bad.json:3:15: field `steps[1]`: P21 does not exist: lesson `counter` has P1 to P20",
        ),
        (
            "{\"lockstep_schedule\": 1, \"lesson\": \"counter\", \"procs\": 2,\n \"off\": [\"mutex\"], \"steps\": []}",
            "bad.json:2:10: field `off[0]`: lesson `counter` has no lock or semaphore named `mutex`",
        ),
        (
            "{\"lockstep_schedule\": 1, \"lesson\": \"counter\", \"procs\": 0, \"steps\": []}",
            "field `procs`: lesson `counter` has 1 role:",
        ),
        (
            "{\"lockstep_schedule\": 9, \"lesson\": \"counter\", \"steps\": []}",
            "field `lockstep_schedule`: format 9 is not known",
        ),
        (
            "{\"lockstep_schedule\": 1, \"lesson\": \"counter\", \"steps\": [], \"speed\": 2}",
            "unknown field `speed`",
        ),
        (
            "{\"lockstep_schedule\": 1, \"lesson\": \"nowhere\", \"steps\": []}",
            "bad.json: field `lesson`: failed to find lesson `",
        ),
        (
            "{\"lockstep_schedule\": 1, \"steps\": []}",
            "missing field `lesson`",
        ),
    ];
    for (text, says) in cases {
        let file = sb.path().join("bad.json");
        std::fs::write(&file, text).unwrap();
        let done = sb.run(&["run", file.to_str().unwrap()]);
        done.assert_no_panic();
        assert_eq!(done.code(), Some(1), "{text}: {}", done.stderr);
        assert!(
            done.stderr.contains(says),
            "{text}\nwanted: {says}\ngot: {}",
            done.stderr
        );
        assert!(done.stdout.is_empty(), "{}", done.stdout);
        // Said once, not again by the error's chain.
        assert_eq!(
            done.stderr.matches("failed to find lesson").count(),
            usize::from(says.contains("failed to find lesson")),
            "{}",
            done.stderr
        );
    }

    // explore takes lessons: a schedule file is pointed at `run`.
    let file = sb.path().join("race.json");
    std::fs::write(
        &file,
        "{\"lockstep_schedule\": 1, \"lesson\": \"counter\", \"steps\": [1]}",
    )
    .unwrap();
    let done = sb.run(&["explore", file.to_str().unwrap()]);
    assert_eq!(done.code(), Some(2), "{}", done.stderr);
    assert!(
        done.stderr.contains("is a schedule file") && done.stderr.contains("lockstep run"),
        "{}",
        done.stderr
    );
}

#[test]
fn a_schedule_file_sets_its_own_options() {
    let sb = Sandbox::new();
    let file = sb.path().join("s.json");
    std::fs::write(
        &file,
        r#"{"lockstep_schedule": 1, "lesson": "counter", "procs": 2, "steps": [1]}"#,
    )
    .unwrap();
    let f = file.to_str().unwrap();
    for extra in [
        ["--unlocked"].as_slice(),
        &["--steps", "1"],
        &["--procs", "3"],
        &["--schedule", "round-robin"],
    ] {
        let mut args = vec!["run", f];
        args.extend_from_slice(extra);
        let done = sb.run(&args);
        assert_eq!(done.code(), Some(2), "{extra:?}: {}", done.stderr);
        assert!(
            done.stderr.contains("is a schedule file"),
            "{}",
            done.stderr
        );
    }
    // A free run has no schedule to save.
    let out = sb.path().join("free.json");
    let done = sb.run(&["run", "counter", "--save", out.to_str().unwrap()]);
    assert_eq!(done.code(), Some(2), "{}", done.stderr);
    assert!(
        done.stderr.contains("--save needs a schedule"),
        "{}",
        done.stderr
    );
    assert!(!out.exists());
}
