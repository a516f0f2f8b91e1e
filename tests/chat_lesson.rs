//! The chat lesson through the real binary: a TCP server on 127.0.0.1
//! accepts three clients and starts a talk process per connection; every
//! client gets its lines back upper-cased, each connection is served by a
//! process of its own whose parent is the server (or a child of it that
//! accepts); scheduled runs repeat exactly; the text summary says who served
//! whom.

mod common;

use std::collections::BTreeSet;

use serde_json::Value;

use common::{Finished, Sandbox, all_ended, int, pid_of, printed, write_lesson};

fn process(s: &Value, n: i64) -> &Value {
    s["processes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| int(&p["id"]) == n)
        .unwrap_or_else(|| panic!("no P{n} in {s}"))
}

/// Every client printed both of its lines upper-cased; each connection was
/// served by one process of its own, started by the server.
fn assert_served(done: &Finished, s: &Value) {
    assert!(s["ok"].as_bool().unwrap(), "{s}");
    assert_eq!(int(&s["expected"]), 6);
    assert_eq!(int(&s["actual"]), 6);
    let out = printed(&done.events());
    for n in 5..=7 {
        for line in [format!("HELLO {n}"), format!("BYE {n}")] {
            assert!(out.contains(&line), "{line:?} not printed: {out:?}");
        }
    }
    let sockets = &s["ipc"]["sockets"];
    let server = &sockets["servers"][0];
    assert_eq!(server["address"], "127.0.0.1");
    assert_eq!(int(&server["accepted"]), 3);
    let conns = sockets["connections"].as_array().unwrap();
    assert_eq!(conns.len(), 3, "{sockets}");
    let main_pid = pid_of(&process(s, 1)["pid"]);
    let mut clients = BTreeSet::new();
    let mut talkers = BTreeSet::new();
    for c in conns {
        assert_eq!(int(&c["accepted_by"]), 1, "{c}");
        assert_eq!(int(&c["client_sent"]), 2, "{c}");
        assert_eq!(int(&c["upper_replies"]), 2, "{c}");
        clients.insert(int(&c["client"]));
        let served = c["served_by"].as_array().unwrap();
        assert_eq!(served.len(), 1, "one process serves a connection: {c}");
        let t = int(&served[0]);
        talkers.insert(t);
        let talk = process(s, t);
        assert_eq!(talk["role"], "talk");
        assert_eq!(int(&talk["parent"]), 1, "{talk}");
        assert_eq!(pid_of(&talk["ppid"]), main_pid, "{talk}");
        assert_eq!(int(&talk["exit_code"]), 0, "{talk}");
    }
    assert_eq!(clients, BTreeSet::from([5, 6, 7]));
    assert_eq!(
        talkers,
        BTreeSet::from([2, 3, 4]),
        "a process per connection"
    );
    let pids: BTreeSet<u32> = talkers
        .iter()
        .map(|t| pid_of(&process(s, *t)["pid"]))
        .collect();
    assert_eq!(pids.len(), 3, "three different pids");
}

#[test]
fn a_free_run_echoes_every_line_upper_cased_one_process_per_connection() {
    let sb = Sandbox::new();
    let (done, s) = sb.run_json(&["run", "chat", "--json"]);
    assert_served(&done, &s);
    all_ended(&s);
    // The talk processes inherited the listening socket too (a fork copies
    // it), and everyone's copy is closed at the end.
    assert_eq!(
        s["ipc"]["sockets"]["servers"][0]["listening_in"],
        serde_json::json!([])
    );
}

/// The summary with pids taken out of the printed lines (they differ run to run).
fn run_twice(sb: &Sandbox, args: &[&str]) -> Vec<(Vec<String>, Value)> {
    (0..2)
        .map(|_| {
            let (done, s) = sb.run_json(args);
            assert_served(&done, &s);
            all_ended(&s);
            (printed(&done.events()), s)
        })
        .collect()
}

#[test]
fn scheduled_runs_repeat_exactly() {
    let sb = Sandbox::new();
    for extra in [
        &["--schedule", "round-robin"][..],
        &["--schedule", "random", "--seed", "7"],
        &["--schedule", "random", "--seed", "12345"],
    ] {
        let mut args = vec!["run", "chat", "--json"];
        args.extend_from_slice(extra);
        let runs = run_twice(&sb, &args);
        assert_eq!(runs[0].0, runs[1].0, "{extra:?}: printed lines differ");
        for key in ["schedule", "steps", "actual", "verdict", "ipc"] {
            assert_eq!(runs[0].1[key], runs[1].1[key], "{extra:?}: {key} differs");
        }
    }
}

#[test]
fn the_server_waits_in_accept_and_a_client_for_its_reply() {
    let sb = Sandbox::new();
    // P1 alone to its accept; P5 connects, sends and waits for the reply; then round-robin.
    let (done, s) = sb.run_json(&["run", "chat", "--json", "--steps", "1,1,5,5,5"]);
    assert_served(&done, &s);
    let all = done.events();
    let at = |pred: &dyn Fn(&Value) -> bool| all.iter().position(pred);
    let accept_wait = at(&|e| e["ev"] == "accept_waiting" && int(&e["p"]) == 1);
    let connected = at(&|e| e["ev"] == "connected").expect("a client connected");
    assert!(
        accept_wait.is_some_and(|w| w < connected),
        "main reported its wait in accept before any client connected"
    );
    let recv_wait = at(&|e| e["ev"] == "sock_waiting" && int(&e["p"]) == 5)
        .expect("P5 blocked in recv for its reply");
    let reply = at(&|e| e["ev"] == "sock_received" && int(&e["p"]) == 5).unwrap();
    assert!(recv_wait < reply);
    assert_eq!(all[reply]["text"], "HELLO 5");
}

#[test]
fn list_shows_the_chat_lesson() {
    let sb = Sandbox::new();
    let done = sb.run(&["list"]);
    done.assert_success();
    assert!(done.stdout.contains("chat"), "{}", done.stdout);
    assert!(done.stdout.contains("One process per connection"));
}

/// The server's main only starts a child that accepts: that child needs the
/// listening socket, so main gets a copy to hand down.
const HANDED_DOWN: &str = r#"{
  "id": "handed",
  "title": { "en": "Accept in a child" },
  "summary": { "en": "main starts the process that accepts." },
  "story": { "en": "The listening socket reaches the child through its parent." },
  "servers": [{ "name": "server" }],
  "processes": [
    { "role": "main" },
    { "role": "client" },
    { "role": "acceptor", "started_by": "main" }
  ],
  "programs": {
    "main": [
      { "op": "start", "role": "acceptor", "as": "a" },
      { "op": "join", "proc": "a" }
    ],
    "acceptor": [
      { "op": "accept", "server": "server", "as": "conn" },
      { "op": "sock_recv", "sock": "conn", "into": "msg", "eof": "done" },
      { "op": "sock_send", "sock": "conn", "text": "{msg}", "upper": true },
      { "op": "sock_close", "sock": "conn", "label": "done" }
    ],
    "client": [
      { "op": "connect", "server": "server", "as": "c" },
      { "op": "sock_send", "sock": "c", "text": "ping" },
      { "op": "sock_recv", "sock": "c", "into": "reply", "eof": "gone" },
      { "op": "print", "text": { "en": "got {reply}" } },
      { "op": "sock_close", "sock": "c", "label": "gone" }
    ]
  },
  "check": {
    "measure": { "upper_replies": "server" }, "expect": 1, "rule": "equal",
    "quantity": { "en": "upper-cased replies" },
    "ok": { "en": "{actual} reply" }, "broken": { "en": "{actual} replies" }
  }
}"#;

#[test]
fn a_child_that_accepts_gets_the_listening_socket_through_its_parent() {
    let sb = Sandbox::new();
    let file = write_lesson(&sb, HANDED_DOWN);
    for extra in [&[][..], &["--schedule", "round-robin"]] {
        let mut args = vec!["run", file.as_str(), "--json"];
        args.extend_from_slice(extra);
        let (done, s) = sb.run_json(&args);
        assert!(s["ok"].as_bool().unwrap(), "{s}");
        assert_eq!(printed(&done.events()), ["got PING"]);
        let conn = &s["ipc"]["sockets"]["connections"][0];
        assert_eq!(conn["accepted_by"], 3, "{conn}");
        all_ended(&s);
    }
}

#[test]
fn the_text_summary_says_who_served_whom() {
    let sb = Sandbox::new();
    let done = sb.run(&["run", "chat", "--schedule", "round-robin"]);
    done.assert_success().assert_no_panic();
    assert!(
        done.stdout
            .contains("connections (client ⇄ served by): c1 P5 ⇄ P2, c2 P6 ⇄ P3, c3 P7 ⇄ P4"),
        "{}",
        done.stdout
    );
    assert!(
        done.stdout
            .contains("verdict: OK: all 6 replies came back upper-cased")
    );
}
