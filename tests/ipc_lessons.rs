//! The event, pipe and queue lessons through the real binary: main really
//! blocks on the event until the child sets it; the pipe's messages arrive
//! in order and the reader's loop ends at EOF once every writer closed;
//! q.join() returns only after every item is marked done; a scheduled run
//! repeats exactly; a get nobody will satisfy ends as a named deadlock in
//! seconds; and nothing is left behind.

mod common;

use std::time::Instant;

use serde_json::Value;

use common::{Sandbox, all_ended, int, printed};

fn position(all: &[Value], pred: impl Fn(&Value) -> bool) -> Option<usize> {
    all.iter().position(pred)
}

fn printed_at(all: &[Value], text: &str) -> Option<usize> {
    position(all, |e| e["ev"] == "printed" && e["en"] == text)
}

#[test]
fn event_main_blocks_until_the_child_sets_it() {
    let sb = Sandbox::new();
    let (done, s) = sb.run_json(&["run", "event", "--json"]);
    let all = done.events();
    assert!(s["ok"].as_bool().unwrap(), "{s}");
    let waited = int(&s["actual"]);
    assert!((1900..4000).contains(&waited), "main waited {waited} ms");
    let waiting = position(&all, |e| e["ev"] == "event_waiting" && int(&e["p"]) == 1)
        .expect("main reported that it blocked on the event");
    let set = position(&all, |e| e["ev"] == "event_set" && int(&e["p"]) == 2)
        .expect("the child set the event");
    let woke = position(&all, |e| e["ev"] == "event_woke" && int(&e["p"]) == 1).unwrap();
    assert!(waiting < set && set < woke, "wait, set, wake out of order");
    let result = printed_at(&all, "child: the result is 100").unwrap();
    let after = position(&all, |e| {
        e["ev"] == "printed" && e["en"].as_str().unwrap().starts_with("main: woke after")
    })
    .unwrap();
    assert!(result < after, "main went on before the child's result");
    assert!(printed_at(&all, "is_set before: 0 (0 = False)").is_some());
    assert!(printed_at(&all, "after clear: 0").is_some());
    assert_eq!(s["ipc"]["events"][0]["set"], false, "cleared at the end");
    all_ended(&s);
}

#[test]
fn pipe_messages_arrive_in_order_and_the_loop_ends_at_eof() {
    let sb = Sandbox::new();
    let started = Instant::now();
    let (done, s) = sb.run_json(&["run", "pipe", "--json", "--speed", "4"]);
    assert!(started.elapsed().as_secs() < 20, "the pipe lesson hung");
    let all = done.events();
    assert!(s["ok"].as_bool().unwrap(), "{s}");
    assert_eq!(int(&s["actual"]), 15);
    let got: Vec<String> = printed(&all)
        .into_iter()
        .filter(|t| t.starts_with("child got"))
        .collect();
    assert_eq!(
        got,
        [
            "child got 1",
            "child got 2",
            "child got 3",
            "child got 4",
            "child got 5"
        ]
    );
    assert!(
        printed_at(&all, "parent got got hello").is_some(),
        "duplex reply"
    );
    // EOF only after P1 closed the last copy of conn2 (P2 closed its own first).
    let p1_closed = position(&all, |e| {
        e["ev"] == "pipe_closed" && e["end"] == "conn2" && int(&e["p"]) == 1
    })
    .expect("P1 closed conn2");
    let p2_closed = position(&all, |e| {
        e["ev"] == "pipe_closed" && e["end"] == "conn2" && int(&e["p"]) == 2
    })
    .expect("P2 closed its copy of conn2");
    let eof = position(&all, |e| e["ev"] == "pipe_eof" && int(&e["p"]) == 2)
        .expect("P2's recv ended with EOF");
    assert!(
        p1_closed < eof && p2_closed < eof,
        "EOF before every writer closed"
    );
    let last = printed_at(&all, "EOF: the loop is over; total 15").unwrap();
    assert!(last > eof);
    let conn1 = &s["ipc"]["pipe_ends"][0];
    assert_eq!(conn1["received"], 6, "hello and five numbers: {conn1}");
    assert_eq!(conn1["in_flight"], 0);
    all_ended(&s);
}

#[test]
fn queue_join_returns_only_after_every_task_done() {
    let sb = Sandbox::new();
    let (done, s) = sb.run_json(&["run", "queue", "--json", "--speed", "3"]);
    let all = done.events();
    assert!(s["ok"].as_bool().unwrap(), "{s}");
    assert_eq!(int(&s["actual"]), 6);
    let q = &s["ipc"]["queues"][0];
    for k in ["puts", "gets", "done", "done_at_join"] {
        assert_eq!(int(&q[k]), 6, "{k}: {q}");
    }
    assert_eq!(int(&q["unfinished"]), 0);
    let all_done = printed_at(&all, "all items done").unwrap();
    let dones: Vec<usize> = all
        .iter()
        .enumerate()
        .filter(|(_, e)| e["ev"] == "task_done")
        .map(|(i, _)| i)
        .collect();
    assert_eq!(dones.len(), 6);
    assert!(dones.iter().all(|d| *d < all_done), "join returned early");
    // Every item made was used, each once.
    let mut made: Vec<String> = printed(&all)
        .iter()
        .filter_map(|t| t.strip_prefix("made ").map(str::to_string))
        .collect();
    let mut used: Vec<String> = printed(&all)
        .iter()
        .filter_map(|t| t.split(" used ").nth(1).map(str::to_string))
        .collect();
    made.sort();
    used.sort();
    assert_eq!(made, ["10", "11", "12", "20", "21", "22"]);
    assert_eq!(made, used);
    // The consumers were daemons blocked in get: ended with the main code.
    for n in [4, 5] {
        let p = &s["processes"][n - 1];
        assert_eq!(int(&p["signal"]), 15, "{p}");
        assert_eq!(p["daemon"], true, "{p}");
    }
    all_ended(&s);
}

#[test]
fn a_scheduled_run_of_each_lesson_repeats_exactly() {
    let sb = Sandbox::new();
    for lesson in ["event", "pipe", "queue"] {
        let runs: Vec<(Vec<String>, Value)> = (0..2)
            .map(|_| {
                let (done, s) =
                    sb.run_json(&["run", lesson, "--json", "--schedule", "round-robin"]);
                assert!(s["ok"].as_bool().unwrap(), "{lesson}: {s}");
                assert!(s["deadlock"].is_null(), "{lesson}: {s}");
                all_ended(&s);
                // Pids differ from run to run.
                let pids: Vec<String> = s["processes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| p["pid"].to_string())
                    .collect();
                let out = printed(&done.events())
                    .into_iter()
                    .map(|t| {
                        t.split_whitespace()
                            .map(|w| {
                                if pids.iter().any(|p| p == w) {
                                    "PID"
                                } else {
                                    w
                                }
                            })
                            .collect::<Vec<_>>()
                            .join(" ")
                    })
                    .collect();
                (out, s)
            })
            .collect();
        assert_eq!(runs[0].0, runs[1].0, "{lesson}: printed lines differ");
        assert_eq!(runs[0].1["schedule"], runs[1].1["schedule"], "{lesson}");
        assert_eq!(runs[0].1["actual"], runs[1].1["actual"], "{lesson}");
        assert_eq!(runs[0].1["ipc"], runs[1].1["ipc"], "{lesson}");
    }
}

const STARVED: &str = r#"{
  "id": "starved",
  "title": { "en": "Nobody puts", "zh": "没有人 put" },
  "summary": { "en": "A consumer gets from a queue nobody fills.", "zh": "消费者从一个没人放数据的队列里取。" },
  "story": { "en": "get() blocks forever.", "zh": "get() 永远阻塞。" },
  "queues": [{ "name": "q" }],
  "processes": [{ "role": "main" }, { "role": "consumer", "started_by": "main" }],
  "programs": {
    "main": [
      { "op": "start", "role": "consumer", "as": "c" },
      { "op": "join", "proc": "c" }
    ],
    "consumer": [
      { "op": "queue_get", "queue": "q", "into": "item" },
      { "op": "count", "outcome": "got" }
    ]
  },
  "check": {
    "measure": { "outcome": "got" }, "expect": 1, "rule": "equal",
    "quantity": { "en": "items got" },
    "ok": { "en": "got {actual}" }, "broken": { "en": "got {actual}" }
  }
}"#;

#[test]
fn a_get_nobody_will_satisfy_is_a_named_deadlock_within_seconds() {
    let sb = Sandbox::new();
    let file = sb.path().join("starved.json");
    std::fs::write(&file, STARVED).unwrap();
    let file = file.to_str().unwrap();
    for extra in [&[][..], &["--schedule", "round-robin"]] {
        let started = Instant::now();
        let mut args = vec!["run", file, "--json"];
        args.extend_from_slice(extra);
        let (_, s) = sb.run_json(&args);
        assert!(
            started.elapsed().as_secs() < 10,
            "the deadlock took {:?} to be named",
            started.elapsed()
        );
        let d = s["deadlock"]
            .as_str()
            .unwrap_or_else(|| panic!("no deadlock: {s}"));
        assert!(
            d.contains("P2 waits to get from queue q (empty)") && d.contains("P1 waits for P2"),
            "{d}"
        );
        assert!(!s["ok"].as_bool().unwrap());
        all_ended(&s);
    }
}

/// A two-process pipe lesson: `main` and `child` programs given as JSON.
fn pipe_lesson(main: &str, child: &str) -> String {
    format!(
        r#"{{
  "id": "pipe_case",
  "title": {{ "en": "Pipe case", "zh": "管道用例" }},
  "summary": {{ "en": "s", "zh": "s" }},
  "story": {{ "en": "s", "zh": "s" }},
  "pipes": [{{ "name": "pipe", "ends": ["conn1", "conn2"] }}],
  "processes": [{{ "role": "main" }}, {{ "role": "child", "started_by": "main" }}],
  "programs": {{ "main": [{main}], "child": [{child}] }},
  "check": {{
    "measure": {{ "outcome": "got" }}, "expect": 1, "rule": "at_least",
    "quantity": {{ "en": "got" }}, "ok": {{ "en": "ok" }}, "broken": {{ "en": "broken" }}
  }}
}}"#
    )
}

#[test]
fn a_reader_that_keeps_its_copy_of_the_writing_end_never_sees_eof() {
    let sb = Sandbox::new();
    let file = sb.path().join("keeps.json");
    std::fs::write(
        &file,
        pipe_lesson(
            r#"{ "op": "start", "role": "child", "as": "p" },
               { "op": "pipe_close", "end": "conn1" },
               { "op": "pipe_send", "end": "conn2", "expr": "1" },
               { "op": "pipe_close", "end": "conn2" },
               { "op": "join", "proc": "p" }"#,
            r#"{ "op": "pipe_recv", "end": "conn1", "into": "x", "eof": "out", "label": "loop" },
               { "op": "count", "outcome": "got" },
               { "op": "jump", "to": "loop" },
               { "op": "exit", "label": "out" }"#,
        ),
    )
    .unwrap();
    let file = file.to_str().unwrap();
    for extra in [&[][..], &["--schedule", "round-robin"]] {
        let mut args = vec!["run", file, "--json"];
        args.extend_from_slice(extra);
        let started = Instant::now();
        let (_, s) = sb.run_json(&args);
        assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
        let d = s["deadlock"]
            .as_str()
            .unwrap_or_else(|| panic!("no deadlock: {s}"));
        assert!(
            d.contains("P2 waits to receive on conn1 (nothing sent; conn2 still open in P2)"),
            "{d}"
        );
        assert_eq!(
            int(&s["outcomes"]["got"]),
            1,
            "the one message arrived: {s}"
        );
        all_ended(&s);
    }
}

#[test]
fn a_child_gets_copies_only_of_the_ends_its_parent_still_holds() {
    let sb = Sandbox::new();
    let file = sb.path().join("copies.json");
    std::fs::write(
        &file,
        pipe_lesson(
            r#"{ "op": "pipe_close", "end": "conn1" },
               { "op": "start", "role": "child", "as": "p" },
               { "op": "join", "proc": "p" }"#,
            r#"{ "op": "count", "outcome": "got" },
               { "op": "pipe_recv", "end": "conn1", "into": "x", "eof": "out" },
               { "op": "exit", "label": "out" }"#,
        ),
    )
    .unwrap();
    let done = sb.run(&["run", file.to_str().unwrap(), "--json"]);
    done.assert_no_panic();
    assert_eq!(done.code(), Some(1), "a process failed: exit status 1");
    let s = done.summary();
    let all = done.events();
    let ends = |p: i64| {
        all.iter()
            .find(|e| e["ev"] == "pipe_ends" && int(&e["p"]) == p)
            .map(|e| e["ends"].clone())
    };
    assert_eq!(ends(1), Some(serde_json::json!(["conn1", "conn2"])));
    assert_eq!(
        ends(2),
        Some(serde_json::json!(["conn2"])),
        "a fork copies what is open"
    );
    // conn1 is closed in the child: recv on it is Python's OSError.
    let errors = s["errors"].to_string();
    assert!(errors.contains("handle is closed"), "{s}");
    all_ended(&s);
}
