//! The seed posts' own programs (tests/python/seed_*.py) under
//! `lockstep run PROGRAM.py --schedule round-robin`: each gives the outcome
//! its post describes, every process real, run by CPython.

mod common;

use common::python::program;

use common::{Finished, Sandbox, all_ended};
use serde_json::Value;

/// Run a seed program round-robin (or with `args`), in `dir` if given; it
/// must leave nothing behind.
fn run_seed(sb: &Sandbox, name: &str, args: &[&str], dir: Option<&std::path::Path>) -> Finished {
    let path = program(name);
    let mut all = vec!["run", path.as_str(), "--json"];
    if args.is_empty() {
        all.extend_from_slice(&["--schedule", "round-robin"]);
    }
    all.extend_from_slice(args);
    let done = match dir {
        Some(d) => sb.run_in(d, &all),
        None => sb.run(&all),
    };
    done.assert_no_panic();
    all_ended(&done.summary());
    done
}

/// The printed lines, in order, as (P-number, text).
fn output(summary: &Value) -> Vec<(u64, String)> {
    summary["output"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["p"].as_u64().unwrap(),
                l["text"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn texts(summary: &Value) -> Vec<String> {
    output(summary).into_iter().map(|(_, t)| t).collect()
}

#[test]
fn the_locked_manager_counter_ends_at_80_with_the_server_as_a_lane() {
    let sb = Sandbox::new();
    let done = run_seed(&sb, "seed_manager_counter_locked.py", &[], None);
    done.assert_success();
    let s = done.summary();
    assert_eq!(s["values"]["dic['count']"], 80, "{s}");
    assert_eq!(s["ok"], true, "{s}");
    assert_eq!(texts(&s), ["{'count': 80}"]);
    let procs = s["processes"].as_array().unwrap();
    assert_eq!(
        procs.len(),
        22,
        "main, the Manager's server, 20 workers: {s}"
    );
    assert_eq!(procs[1]["name"], "m (Manager)", "{s}");
    assert_eq!(procs[1]["parent"], 1);
    assert_eq!(
        procs[1]["exit_code"], 0,
        "shut down at the main's exit: {s}"
    );
}

#[test]
fn the_unlocked_manager_counter_loses_updates_under_a_random_schedule() {
    let sb = Sandbox::new();
    let args = ["--schedule", "random", "--seed", "1"];
    let done = run_seed(&sb, "seed_manager_counter.py", &args, None);
    let s = done.summary();
    let count = s["values"]["dic['count']"].as_i64().unwrap();
    assert!(count > 80, "two read the same count: {s}");
    assert_eq!(s["ok"], false, "{s}");
    assert!(!done.status.success());
    // The same schedule, the same lost updates.
    let again = run_seed(&sb, "seed_manager_counter.py", &args, None).summary();
    assert_eq!(again["values"], s["values"]);
    assert_eq!(again["schedule"], s["schedule"]);
}

#[test]
fn ten_buyers_sharing_one_json_file_sell_each_ticket_once() {
    let sb = Sandbox::new();
    let dir = sb.path().join("station");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("db.txt"), r#"{"count": 3}"#).unwrap();
    let done = run_seed(&sb, "seed_tickets.py", &[], Some(&dir));
    done.assert_success();
    let s = done.summary();
    let lines = texts(&s);
    let sold = lines.iter().filter(|l| l.ends_with("购票成功")).count();
    let none = lines.iter().filter(|l| l.ends_with("没有余票")).count();
    assert_eq!((sold, none), (3, 7), "{lines:?}");
    let db = std::fs::read_to_string(dir.join("db.txt")).unwrap();
    assert_eq!(db, r#"{"count": 0}"#);
    let opens = done
        .events()
        .iter()
        .filter(|e| e["ev"] == "op" && e["op"] == "open" && e["name"] == "db.txt")
        .count();
    assert_eq!(
        opens,
        10 + 10 + 3,
        "each check, each get, each sale: a gate"
    );
}

#[test]
fn the_bathroom_lock_lets_one_task_in_at_a_time() {
    let sb = Sandbox::new();
    let done = run_seed(&sb, "seed_bathroom.py", &[], None);
    done.assert_success();
    let out = output(&done.summary());
    assert_eq!(out.len(), 8, "{out:?}");
    let first = out[0].0;
    assert!(out[..4].iter().all(|(p, _)| *p == first), "{out:?}");
    assert!(out[4..].iter().all(|(p, _)| *p != first), "{out:?}");
    assert!(out[3].1.ends_with("走出了洗手间"), "{out:?}");
}

#[test]
fn semaphore_two_lets_at_most_two_guests_in() {
    let sb = Sandbox::new();
    let done = run_seed(&sb, "seed_guests.py", &[], None);
    done.assert_success();
    let (mut inside, mut most) = (0, 0);
    for line in texts(&done.summary()) {
        if line.ends_with("进去了") {
            inside += 1;
        } else if line.ends_with("出来了") {
            inside -= 1;
        }
        most = most.max(inside);
    }
    assert_eq!((inside, most), (0, 2));
}

#[test]
fn join_waits_for_every_mail_before_the_last_line() {
    let sb = Sandbox::new();
    let done = run_seed(&sb, "seed_join.py", &[], None);
    done.assert_success();
    let lines = texts(&done.summary());
    assert_eq!(lines.last().unwrap(), "5000封邮件已发送完毕");
    let mails = lines
        .iter()
        .filter(|l| l.starts_with("发送了一封邮件"))
        .count();
    assert_eq!(mails, 10, "{lines:?}");
    let global = run_seed(&sb, "seed_join_global.py", &[], None).summary();
    assert_eq!(texts(&global), ["子进程修改了x,子进程结束了!", "100"]);
}

#[test]
fn a_daemon_dies_with_the_main_process_before_its_last_line() {
    let sb = Sandbox::new();
    let done = run_seed(&sb, "seed_daemon.py", &[], None);
    done.assert_success();
    let s = done.summary();
    let lines = texts(&s);
    assert!(lines.contains(&"main-------".to_string()), "{lines:?}");
    assert!(lines.contains(&"end456".to_string()), "{lines:?}");
    assert!(!lines.contains(&"end123".to_string()), "{lines:?}");
    assert_eq!(s["processes"][1]["signal"], 15, "{s}");
}

#[test]
fn the_main_process_waits_on_the_event_its_child_sets() {
    let sb = Sandbox::new();
    let done = run_seed(&sb, "seed_event.py", &[], None);
    done.assert_success();
    let out = output(&done.summary());
    let want = [
        (1, "主进程等待....."),
        (2, "子进程计算结果为: 100"),
        (1, "结果已经出来, 可以拿到该值"),
    ];
    let got: Vec<(u64, &str)> = out.iter().map(|(p, t)| (*p, t.as_str())).collect();
    assert_eq!(got, want);
}

#[test]
fn a_pipe_carries_the_message_and_ends_with_eof_error() {
    let sb = Sandbox::new();
    let done = run_seed(&sb, "seed_pipe.py", &[], None);
    done.assert_success();
    let lines = texts(&done.summary());
    assert!(
        lines.contains(&"来自主进程的消息: 有点困了".to_string()),
        "{lines:?}"
    );
    let eof = run_seed(&sb, "seed_pipe_eof.py", &[], None);
    eof.assert_success();
    assert_eq!(
        texts(&eof.summary()),
        ["吃了么", "吃了么", "吃了么", "EOFError"]
    );
    assert!(
        eof.events().iter().any(|e| e["ev"] == "pipe_eof"),
        "the EOFError is reported"
    );
}

#[test]
fn terminating_a_process_that_holds_the_lock_is_a_named_deadlock() {
    let sb = Sandbox::new();
    let done = run_seed(&sb, "seed_terminate_lock.py", &[], None);
    let s = done.summary();
    let deadlock = s["deadlock"].as_str().expect("a deadlock");
    assert!(deadlock.contains("P1 waits for lock"), "{deadlock}");
    assert!(deadlock.contains("held by P2"), "{deadlock}");
    assert!(deadlock.contains("SIGTERM"), "{deadlock}");
    assert_eq!(s["ok"], false);
    assert!(!texts(&s).contains(&"never printed".to_string()));
}
