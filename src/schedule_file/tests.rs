//! Tests of schedule files: writing, reading back, and the errors of a bad one.

use super::*;

fn err(text: &str) -> String {
    ScheduleFile::parse(text, "s.json").unwrap_err().to_string()
}

#[test]
fn round_trips_through_its_text() {
    let s = ScheduleFile::new(
        "counter",
        &["lock".into()],
        Some(2),
        Some(7),
        vec![1, 2, 2, 1],
    );
    let text = s.to_text();
    assert!(text.contains("\"steps\": [1,2,2,1]"), "{text}");
    assert_eq!(ScheduleFile::parse(&text, "s.json").unwrap(), s);
    assert!(looks_like_schedule(&text));
    assert!(!looks_like_schedule(r#"{"id": "counter"}"#));
}

#[test]
fn bad_files_name_the_place_and_field() {
    let e = err("{\"lockstep_schedule\": 1,\n \"lesson\": \"counter\",\n \"steps\": [1, 0]}");
    assert_eq!(
        e,
        "failed to load schedule: s.json:3:15: field `steps[1]`: process numbers start at 1 (P1)"
    );
    let e = err("{\"lockstep_schedule\": 3, \"lesson\": \"counter\", \"steps\": []}");
    assert!(
        e.contains("s.json:1:23: field `lockstep_schedule`: format 3 is not known"),
        "{e}"
    );
    let e = err("{\"lockstep_schedule\": 1, \"lesson\": \"counter\", \"steps\": [1, \"x\"]}");
    assert!(e.contains("field `steps[1]`"), "{e}");
    let e = err("{\"lockstep_schedule\": 1, \"lesson\": \"counter\", \"step\": []}");
    assert!(e.contains("unknown field `step`"), "{e}");
    let e = err("{\"lockstep_schedule\": 1, \"lesson\": \"counter\",}");
    assert!(e.starts_with("failed to load schedule: s.json:1:"), "{e}");
    let e = err("{\"lockstep_schedule\": 1, \"lesson\": \"counter\"}");
    assert!(e.contains("missing field `steps`"), "{e}");
}

#[test]
fn resolving_checks_against_the_lesson() {
    let text = "{\"lockstep_schedule\": 1, \"lesson\": \"counter\", \"procs\": 2,\n \"off\": [\"mutex\"], \"steps\": [1]}";
    let e = ScheduleFile::parse(text, "s.json")
        .unwrap()
        .resolve(Path::new("s.json"), text)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains(
            "s.json:2:10: field `off[0]`: lesson `counter` has no lock or semaphore named `mutex`"
        ),
        "{e}"
    );
    let text =
        "{\"lockstep_schedule\": 1, \"lesson\": \"counter\", \"procs\": 2, \"steps\": [1, 3]}";
    let e = ScheduleFile::parse(text, "s.json")
        .unwrap()
        .resolve(Path::new("s.json"), text)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("field `steps[1]`: P3 does not exist: lesson `counter` has P1 to P2"),
        "{e}"
    );
    let text = "{\"lockstep_schedule\": 1, \"lesson\": \"counter\", \"procs\": 2, \"off\": [\"lock\"], \"steps\": [2, 1]}";
    let r = ScheduleFile::parse(text, "s.json")
        .unwrap()
        .resolve(Path::new("s.json"), text)
        .unwrap();
    assert_eq!(r.lesson.process_count(), 2);
    assert_eq!(r.lesson.check.expect, 98);
}

#[test]
fn a_lesson_run_under_cpython_names_its_listing() {
    let s = ScheduleFile::new(
        "counter --python",
        &["*".into()],
        None,
        Some(0),
        vec![1, 1, 3],
    )
    .on_python("counter", Lang::Zh);
    let text = s.to_text();
    assert!(text.contains("\"lesson\": \"counter\","), "{text}");
    assert!(text.contains("\"python\": {\"listing\":\"zh\"}"), "{text}");
    assert_eq!(ScheduleFile::parse(&text, "s.json").unwrap(), s);
    // Its steps are the program's processes': P3 is not checked against
    // the lesson's P-numbers, and `*` is every lock.
    let r = s.resolve(Path::new("s.json"), &text).unwrap();
    assert_eq!(r.lesson.id, "counter");
    // A file of the built-in engine says nothing of Python.
    let builtin = ScheduleFile::new("counter", &[], None, None, vec![1]).to_text();
    assert!(!builtin.contains("python"), "{builtin}");
}
