//! The chat lesson when something goes wrong: a talk that hangs up, or an
//! accept nobody will satisfy, ends the run instead of hanging it; a run
//! stopped while the server waits in accept leaves nothing behind; bad
//! socket operations are refused with the field at fault.

mod common;

use std::time::Instant;

use common::{Sandbox, all_ended, int, pid_of, wait_all_ended, within, write_lesson};

const CHAT: &str = include_str!("../scenarios/chat.json");

/// `chat.json` with `from` replaced by `to` (which must occur exactly once).
fn chat_with(from: &str, to: &str) -> String {
    assert_eq!(CHAT.matches(from).count(), 1, "edit {from:?} is ambiguous");
    CHAT.replace(from, to)
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
    let file = write_lesson(&sb, &lesson);
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
    let file = write_lesson(&sb, &lesson);
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

/// `lockstep run FILE` must fail, without a panic or a started process,
/// naming the field and saying why.
fn refused(text: &str, field: &str, why: &str) {
    let sb = Sandbox::new();
    let file = write_lesson(&sb, text);
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
            r#"{ "role": "client", "count": 3, "names""#,
            r#"{ "role": "client", "count": 6, "names""#,
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
    let file = write_lesson(&sb, &slow_clients());
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
