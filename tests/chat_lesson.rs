//! The chat lesson through the real binary: a TCP server on 127.0.0.1
//! accepts three clients and starts a talk process per connection; every
//! client gets its lines back upper-cased, each connection is served by a
//! process of its own whose parent is the server; scheduled runs repeat
//! exactly; a talk that hangs up, or an accept nobody will satisfy, ends the
//! run instead of hanging it; bad socket operations are refused with the
//! field at fault; and nothing is left behind.

mod common;

use std::collections::BTreeSet;
use std::time::Instant;

use serde_json::Value;

use common::{Finished, Sandbox, all_ended, int, pid_of, printed, wait_all_ended, within};

const CHAT: &str = include_str!("../scenarios/chat.json");

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
        for line in [format!("got HELLO {n}"), format!("got BYE {n}")] {
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

/// `chat.json` with `from` replaced by `to` (which must occur exactly once).
fn chat_with(from: &str, to: &str) -> String {
    assert_eq!(CHAT.matches(from).count(), 1, "edit {from:?} is ambiguous");
    CHAT.replace(from, to)
}

fn write(sb: &Sandbox, text: &str) -> String {
    let file = sb.path().join("lesson.json");
    std::fs::write(&file, text).unwrap();
    file.to_str().unwrap().to_string()
}

#[test]
fn a_talk_that_hangs_up_ends_the_client_loop_with_an_empty_read() {
    let sb = Sandbox::new();
    // The talk process closes its connection without replying.
    let lesson = chat_with(
        r#"{ "op": "sock_recv", "sock": "conn", "into": "msg", "eof": "closed", "label": "loop", "line": 11 },"#,
        r#"{ "op": "jump", "to": "closed", "label": "loop", "line": 11 },
      { "op": "sock_recv", "sock": "conn", "into": "msg", "eof": "closed", "line": 11 },"#,
    );
    let file = write(&sb, &lesson);
    for extra in [&[][..], &["--schedule", "round-robin"]] {
        let mut args = vec!["run", file.as_str(), "--json"];
        args.extend_from_slice(extra);
        let done = sb.run(&args);
        done.assert_no_panic();
        let s = done.summary();
        assert!(!s["ok"].as_bool().unwrap(), "{s}");
        assert_eq!(int(&s["actual"]), 0, "{s}");
        assert!(s["deadlock"].is_null(), "{s}");
        for c in s["ipc"]["sockets"]["connections"].as_array().unwrap() {
            assert_eq!(
                c["eof"]["client"],
                serde_json::json!([int(&c["client"])]),
                "{c}"
            );
        }
        all_ended(&s);
    }
}

#[test]
fn an_accept_nobody_will_satisfy_is_a_named_deadlock_within_seconds() {
    let sb = Sandbox::new();
    let lesson = chat_with(
        r#"{ "op": "jump_if", "cond": "i < 3", "to": "loop", "line": 19 },"#,
        r#"{ "op": "jump_if", "cond": "i < 4", "to": "loop", "line": 19 },"#,
    );
    let file = write(&sb, &lesson);
    for extra in [&[][..], &["--schedule", "round-robin"]] {
        let started = Instant::now();
        let mut args = vec!["run", file.as_str(), "--json"];
        args.extend_from_slice(extra);
        let done = sb.run(&args);
        done.assert_no_panic();
        assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
        let s = done.summary();
        let d = s["deadlock"]
            .as_str()
            .unwrap_or_else(|| panic!("no deadlock: {s}"));
        assert!(d.contains("P1 waits in server.accept()"), "{d}");
        all_ended(&s);
    }
}

#[test]
fn list_shows_the_chat_lesson() {
    let sb = Sandbox::new();
    let done = sb.run(&["list"]);
    done.assert_success();
    assert!(done.stdout.contains("chat"), "{}", done.stdout);
    assert!(done.stdout.contains("One process per connection"));
}

/// `lockstep run FILE` must fail, without a panic or a started process,
/// naming the field and saying why.
fn refused(text: &str, field: &str, why: &str) {
    let sb = Sandbox::new();
    let file = write(&sb, text);
    let done = sb.run(&["run", &file]);
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
    for needle in [field, why] {
        assert!(
            done.stderr.contains(needle),
            "stderr lacks {needle:?}:\n{}",
            done.stderr
        );
    }
}

#[test]
fn bad_socket_operations_are_refused_with_the_field_at_fault() {
    refused(
        &chat_with(
            r#""op": "accept", "server": "server""#,
            r#""op": "accept", "server": "srv""#,
        ),
        "field `programs.main[1].server`",
        "no server named `srv` (declared: server)",
    );
    refused(
        &chat_with(
            r#""op": "sock_close", "sock": "c""#,
            r#""op": "sock_close", "sock": "d""#,
        ),
        "field `programs.client[7].sock`",
        "no socket named `d` (accept and connect give: ",
    );
    refused(
        &chat_with(
            r#""eof": "closed", "label": "loop""#,
            r#""eof": "nowhere", "label": "loop""#,
        ),
        "field `programs.talk[0].eof`",
        "no label named `nowhere`",
    );
    refused(
        &chat_with(
            r#"{ "role": "client", "count": 3 }"#,
            r#"{ "role": "client", "count": 6 }"#,
        ),
        "field `programs.client[0].server`",
        "6 processes connect to `server`: at most 5",
    );
    refused(
        &chat_with(
            r#""servers": [{ "name": "server" }]"#,
            r#""servers": [{ "name": "Server" }]"#,
        ),
        "field `servers[0].name`",
        "`Server` is not a valid name",
    );
    refused(
        &chat_with(
            r#""servers": [{ "name": "server" }]"#,
            r#""servers": [{ "name": "server" }], "locks": [{ "name": "server" }]"#,
        ),
        "field `servers[0].name`",
        "`server` is declared twice",
    );
    refused(
        &chat_with(
            r#""measure": { "upper_replies": "server" }"#,
            r#""measure": { "upper_replies": "web" }"#,
        ),
        "field `check.measure`",
        "no server named `web`",
    );
    refused(
        &chat_with(
            r#""text": "{msg}", "upper": true"#,
            r#""text": "{msg}", "upper": "yes""#,
        ),
        "programs.talk[1]",
        "invalid type",
    );
    refused(
        &chat_with(r#""text": "hello {n}""#, r#""text": "hello {who}""#),
        "field `programs.client[1].text`",
        "placeholder `{who}` names no local",
    );
    refused(
        &chat_with(r#""text": "bye {n}""#, r#""text": "bye {n""#),
        "field `programs.client[4].text`",
        "",
    );
    refused(
        &chat_with(
            r#""servers": [{ "name": "server" }]"#,
            r#""servers": [{ "name": "server", "port": 8080 }]"#,
        ),
        "servers[0]",
        "unknown field `port`",
    );
}

/// A free run whose clients wait 60 s before connecting: the server sits in
/// accept, the clients in their sleep.
fn slow_clients() -> String {
    chat_with(
        r#"{ "op": "connect", "server": "server", "as": "c", "line": 31 },"#,
        r#"{ "op": "sleep", "ms": 60000, "line": 30 },
      { "op": "connect", "server": "server", "as": "c", "line": 31 },"#,
    )
}

#[test]
fn stopped_while_the_server_waits_in_accept_nothing_is_left_behind() {
    let sb = Sandbox::new();
    let file = write(&sb, &slow_clients());
    let mut live = sb.spawn(&["run", &file, "--json"]);
    let deadline = within(15.0);
    let mut pids = Vec::new();
    loop {
        let ev = live
            .next_event(deadline)
            .expect("lockstep ended before the server waited in accept");
        if ev["ev"] == "spawned" {
            pids.push(pid_of(&ev["pid"]));
        }
        if ev["ev"] == "accept_waiting" {
            break;
        }
    }
    assert_eq!(pids.len(), 4, "the server and three clients");
    common::signal(live.pid(), libc::SIGTERM);
    let done = live.finish(within(5.0));
    assert_eq!(done.code(), Some(128 + libc::SIGTERM), "{}", done.stderr);
    done.assert_no_panic();
    wait_all_ended(&pids, within(2.0), "workers after SIGTERM");
    sb.assert_clean(done.pid);
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
    let file = write(&sb, HANDED_DOWN);
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
