//! `lockstep explore LESSON --python --save FILE`: the shortest bad schedule
//! of a lesson's real program is saved as a schedule file that names the
//! listing, and `lockstep run FILE` replays it under CPython, bad again.

mod common;

use common::Sandbox;
use serde_json::{Value, json};

#[test]
fn the_shortest_bad_schedule_of_a_lessons_program_is_saved_and_replays_bad() {
    let sb = Sandbox::new();
    let file = sb.path().join("bathroom.schedule.json");
    let f = file.to_str().unwrap();
    let explored = sb.run(&[
        "explore",
        "bathroom",
        "--python",
        "--unlocked",
        "--save",
        f,
        "--json",
    ]);
    explored.assert_success().assert_no_panic();
    let found: Value = serde_json::from_str(explored.stdout.trim()).expect("one JSON summary");
    let shortest = found["shortest_bad"].clone();
    assert!(shortest.is_array(), "a bad schedule is found: {found}");

    let text = std::fs::read_to_string(&file).expect("the saved file");
    let written: Value = serde_json::from_str(&text).expect("a JSON schedule file");
    assert_eq!(written["lesson"], "bathroom", "{written}");
    assert_eq!(written["python"], json!({"listing": "en"}), "{written}");
    assert_eq!(written["steps"], shortest, "{written}");

    let replayed = sb.run(&["run", f, "--json"]);
    replayed.assert_no_panic();
    assert_eq!(
        replayed.code(),
        Some(1),
        "the check fails: {}",
        replayed.stderr
    );
    let summary = replayed.summary();
    assert!(
        summary["python"].is_string(),
        "run under CPython: {summary}"
    );
    assert_eq!(summary["ok"], false, "{summary}");
    let expect = &summary["expect"][0];
    assert_eq!(expect["actual"], 2, "two inside at once again: {summary}");
}
