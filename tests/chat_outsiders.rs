//! Nobody outside a lesson gets in: a connection to the chat lesson's
//! server from another program on the machine (which cannot know the run's
//! secret) is closed at once, said in the output, and the lesson's own three
//! clients are served as before.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use common::{Sandbox, int, within};

/// The chat lesson with its clients connecting only after 3 s, so the
/// server surely waits in `accept` when the outsider comes.
fn slow_chat(sb: &Sandbox) -> String {
    let mut lesson: serde_json::Value =
        serde_json::from_str(include_str!("../scenarios/chat.json")).unwrap();
    lesson["id"] = "slow_chat".into();
    lesson["goals"] = serde_json::json!([]);
    let client = lesson["programs"]["client"].as_array_mut().unwrap();
    client.insert(0, serde_json::json!({ "op": "sleep", "ms": 3000 }));
    let file = sb.path().join("slow_chat.json");
    std::fs::write(&file, lesson.to_string()).unwrap();
    file.to_str().unwrap().to_string()
}

/// The server's port, from a lesson process's environment.
fn server_port(pid: u32) -> u16 {
    let env = std::fs::read(format!("/proc/{pid}/environ")).unwrap();
    let ports = env
        .split(|b| *b == 0)
        .find_map(|v| v.strip_prefix(b"LOCKSTEP_PORTS="))
        .expect("LOCKSTEP_PORTS in the worker's environment");
    let ports: Vec<(String, u16)> = serde_json::from_slice(ports).unwrap();
    ports[0].1
}

#[test]
fn a_connection_from_outside_the_lesson_is_refused_and_said() {
    let sb = Sandbox::new();
    let file = slow_chat(&sb);
    let mut live = sb.spawn(&["run", &file, "--json"]);
    let waiting = live.until_event("accept_waiting", within(15.0));
    let port = server_port(common::pid_of(&waiting["pid"]));

    let mut outsider = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let from = outsider.local_addr().unwrap().port();
    outsider
        .write_all(b"hello from another user on this machine, who wants in\n")
        .unwrap();
    outsider
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut got = Vec::new();
    let read = outsider.read_to_end(&mut got);
    assert!(
        got.is_empty(),
        "the outsider was served: {:?}",
        String::from_utf8_lossy(&got)
    );
    assert!(
        read.is_ok()
            || read
                .as_ref()
                .is_err_and(|e| e.kind() == std::io::ErrorKind::ConnectionReset),
        "the connection was not closed: {read:?}"
    );

    let refused = live.until_event("refused", within(15.0));
    assert_eq!(int(&refused["port"]), i64::from(from), "{refused}");
    let done = live.finish(within(30.0));
    done.assert_success().assert_no_panic();
    let s = done.summary();
    assert_eq!(s["ok"], true, "the lesson's own clients were served: {s}");
    assert_eq!(int(&s["actual"]), 6, "{s}");
    sb.assert_clean(done.pid);
}

/// A lesson process of the run in this sandbox (its TMPDIR) with servers.
fn a_worker_of(sb: &Sandbox) -> Option<u32> {
    let tmpdir = format!("TMPDIR={}", sb.path().display());
    std::fs::read_dir("/proc").ok()?.flatten().find_map(|e| {
        let pid: u32 = e.file_name().to_str()?.parse().ok()?;
        let env = std::fs::read(format!("/proc/{pid}/environ")).ok()?;
        let mut vars = env.split(|b| *b == 0);
        let ours = vars.clone().any(|v| v == tmpdir.as_bytes());
        (ours && vars.any(|v| v.starts_with(b"LOCKSTEP_PORTS="))).then_some(pid)
    })
}

#[test]
fn the_refusal_is_said_in_the_text_output() {
    let sb = Sandbox::new();
    let file = slow_chat(&sb);
    let live = sb.spawn(&["run", &file]);
    let mut worker = None;
    common::wait_until(within(15.0), "a lesson process", || {
        worker = a_worker_of(&sb);
        worker.is_some()
    });
    let port = server_port(worker.unwrap());
    // Taken from the backlog by the server's accept, whenever it comes.
    let mut outsider = TcpStream::connect(("127.0.0.1", port)).unwrap();
    outsider.write_all(&[b'x'; 64]).unwrap();
    let from = outsider.local_addr().unwrap().port();
    let done = live.finish(within(30.0));
    done.assert_success();
    let line = format!(
        "[refused a connection to server from 127.0.0.1:{from}: not a process of this lesson]"
    );
    assert!(
        done.stdout.contains(&line),
        "the refusal is not said:\n{}",
        done.stdout
    );
}
