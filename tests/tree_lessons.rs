//! The process-tree lessons through the real binary: each lesson's measured
//! relation, real parent/child pids, a real zombie seen in /proc, and
//! nothing left behind (processes, semaphores, run directories).

mod common;

use serde_json::Value;

use common::{
    Sandbox, all_ended, ended, int, pid_of, proc_of, signal, state_letter, wait_all_ended, within,
};

/// Every event with `"ev": ev`.
fn events<'a>(all: &'a [Value], ev: &str) -> Vec<&'a Value> {
    all.iter().filter(|e| e["ev"] == ev).collect()
}

/// Index of the printed line `text` (English), if it was printed.
fn printed_at(all: &[Value], text: &str) -> Option<usize> {
    all.iter()
        .position(|e| e["ev"] == "printed" && e["en"] == text)
}

#[test]
fn join_takes_about_the_longest_sleep_and_mail_is_all_sent_after_every_join() {
    let sb = Sandbox::new();
    let (done, s) = sb.run_json(&["run", "join", "--json"]);
    let all = done.events();
    let took = int(&s["actual"]);
    assert!(s["ok"].as_bool().unwrap(), "{s}");
    assert!(
        (3000..6000).contains(&took),
        "joining three sleeps of 3, 1 and 2 s took {took} lesson-ms: not ≈ 3000"
    );
    // Children end in the order of their sleeps, not the order they started.
    let slept: Vec<&str> = all
        .iter()
        .filter(|e| e["ev"] == "printed")
        .filter_map(|e| e["en"].as_str())
        .filter(|t| t.starts_with("slept"))
        .collect();
    assert_eq!(slept, ["slept 1 s", "slept 2 s", "slept 3 s"]);
    let all_sent = printed_at(&all, "all mail sent").expect("all mail sent is printed");
    for i in 0..10 {
        let sent = printed_at(&all, &format!("mail {i} sent"))
            .unwrap_or_else(|| panic!("mail {i} was never sent"));
        assert!(sent < all_sent, "mail {i} sent after 'all mail sent'");
    }
    // Each child is a real child of P1: its parent pid is P1's pid.
    let main_pid = int(&proc_of(&s, 1)["pid"]);
    for n in 2..=14 {
        let p = proc_of(&s, n);
        assert_eq!(int(&p["parent"]), 1);
        assert_eq!(int(&p["ppid"]), main_pid, "P{n} is not P1's child: {p}");
        assert_eq!(int(&p["exit_code"]), 0, "{p}");
    }
    assert!(
        events(&all, "spawned").len() == 1,
        "the supervisor starts only P1"
    );
    all_ended(&s);
}

#[test]
fn join_under_a_schedule_measures_lesson_time_exactly() {
    let sb = Sandbox::new();
    let (_, s) = sb.run_json(&["run", "join", "--json", "--schedule", "round-robin"]);
    assert_eq!(int(&s["actual"]), 3000, "{s}");
    all_ended(&s);
}

#[test]
fn isolation_the_parent_still_sees_its_own_x() {
    let sb = Sandbox::new();
    for extra in [&[][..], &["--schedule", "round-robin"]] {
        let mut args = vec!["run", "isolation", "--json"];
        args.extend_from_slice(extra);
        let (done, s) = sb.run_json(&args);
        let all = done.events();
        assert_eq!(int(&s["actual"]), 100, "{s}");
        let child = printed_at(&all, "child: x = 10").expect("the child set its x");
        let parent = printed_at(&all, "main after join: x = 100").expect("the parent kept x");
        assert!(
            child < parent,
            "the parent printed before the join returned"
        );
        all_ended(&s);
    }
}

#[test]
fn daemon_is_terminated_with_the_main_code_and_the_parent_waits_for_the_other() {
    let sb = Sandbox::new();
    let (done, s) = sb.run_json(&["run", "daemon", "--json"]);
    let all = done.events();
    assert!(s["ok"].as_bool().unwrap(), "{s}");
    assert!(printed_at(&all, "p1 (daemon) starts").is_some());
    assert!(
        printed_at(&all, "p1 (daemon) woke up").is_none(),
        "the daemon outlived the main code"
    );
    let p2_end = printed_at(&all, "p2 ends").expect("the non-daemon child runs to its end");
    assert_eq!(
        int(&proc_of(&s, 2)["signal"]),
        15,
        "the daemon gets SIGTERM"
    );
    assert_eq!(proc_of(&s, 2)["daemon"], true);
    assert_eq!(int(&proc_of(&s, 3)["exit_code"]), 0);
    // The parent exits only after p2 has ended.
    let main_exit = all
        .iter()
        .position(|e| e["ev"] == "exited" && int(&e["p"]) == 1)
        .expect("P1 exits");
    assert!(main_exit > p2_end, "P1 exited before p2 ended");
    assert!(
        all[main_exit]["t_ms"].as_f64().unwrap() >= all[p2_end]["t_ms"].as_f64().unwrap(),
        "P1's exit is stamped before p2's last line"
    );
    all_ended(&s);
}

#[test]
fn a_daemon_may_not_start_children() {
    let sb = Sandbox::new();
    let file = sb.path().join("bad_daemon.json");
    std::fs::write(
        &file,
        r#"{
  "id": "bad_daemon", "title": {"en": "t"}, "summary": {"en": "s"}, "story": {"en": "s"},
  "processes": [
    {"role": "main"},
    {"role": "d", "started_by": "main"},
    {"role": "grandchild", "started_by": "d"}
  ],
  "programs": {
    "main": [{"op": "start", "role": "d", "as": "p", "daemon": true}, {"op": "join", "proc": "p"}],
    "d": [{"op": "start", "role": "grandchild", "as": "g"}, {"op": "count", "outcome": "never"}],
    "grandchild": [{"op": "count", "outcome": "never"}]
  },
  "check": {"measure": {"outcome": "never"}, "expect": 0, "rule": "equal",
            "quantity": {"en": "q"}, "ok": {"en": "ok"}, "broken": {"en": "b"}}
}"#,
    )
    .unwrap();
    let done = sb.run(&["run", file.to_str().unwrap(), "--json"]);
    done.assert_no_panic();
    // A process that stopped with an error: exit status 1, `ok` false.
    assert_eq!(done.code(), Some(1), "{}", done.stderr);
    let s = done.summary();
    assert_eq!(s["ok"], false, "{s}");
    let errors = s["errors"].to_string();
    assert!(
        errors.contains("AssertionError: daemonic processes are not allowed to have children"),
        "{s}"
    );
    assert_eq!(int(&proc_of(&s, 2)["exit_code"]), 1);
    assert!(
        proc_of(&s, 3)["pid"].is_null(),
        "the grandchild never started"
    );
}

#[test]
fn terminate_ends_in_a_named_deadlock_on_a_dead_holder_within_seconds() {
    let sb = Sandbox::new();
    let started = std::time::Instant::now();
    let (_, s) = sb.run_json(&["run", "terminate", "--json"]);
    assert!(
        started.elapsed().as_secs_f64() < 10.0,
        "the deadlock took {:?} to be named",
        started.elapsed()
    );
    let deadlock = s["deadlock"].as_str().unwrap_or_else(|| panic!("{s}"));
    assert!(
        deadlock.contains("P1 waits for P3 to end (join)"),
        "{deadlock}"
    );
    assert!(
        deadlock.contains("held by P2 (killed by SIGTERM, exit code -15)"),
        "{deadlock}"
    );
    assert_eq!(int(&proc_of(&s, 2)["signal"]), 15);
    assert!(!s["ok"].as_bool().unwrap());
    assert!(s["verdict"].as_str().unwrap().starts_with("DEADLOCK"));
    // The stuck ones were killed with the run: nobody is left.
    all_ended(&s);
}

#[test]
fn a_zombie_shows_z_in_proc_until_its_parent_joins_it() {
    let sb = Sandbox::new();
    let mut live = sb.spawn(&["run", "zombie", "--json", "--speed", "1"]);
    let deadline = within(20.0);
    let mut pids = [0u32; 2];
    let mut ppid_of_child = 0;
    loop {
        let ev = live.next_event(deadline).expect("the run ended too soon");
        if ev["ev"] == "hello" {
            let p = int(&ev["p"]) as usize;
            pids[p - 1] = pid_of(&ev["pid"]);
            if p == 2 {
                ppid_of_child = pid_of(&ev["ppid"]);
            }
        }
        // The child's connection closed: it has exited; its parent sleeps 3 s.
        if ev["ev"] == "closed" && int(&ev["p"]) == 2 {
            break;
        }
    }
    assert_eq!(
        ppid_of_child, pids[0],
        "the child's parent is P1, not lockstep"
    );
    let child = pids[1];
    let mut letter = None;
    common::wait_until(within(2.5), "the child to show Z in /proc", || {
        letter = state_letter(child);
        letter == Some('Z')
    });
    // Its parent in the kernel's own words (field 4 of /proc/PID/stat).
    let stat = std::fs::read_to_string(format!("/proc/{child}/stat")).unwrap();
    let ppid: u32 = stat[stat.rfind(')').unwrap() + 1..]
        .split_whitespace()
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(ppid, pids[0]);
    // The parent's join reaps it: the zombie disappears.
    let reaped = live.until_event("reaped", within(10.0));
    assert_eq!(int(&reaped["child"]), 2);
    assert!(common::gone(child), "reaped, yet {child} still exists");
    let done = live.finish(within(10.0));
    done.assert_success();
    sb.assert_clean(done.pid);
    let s = done.summary();
    assert!(int(&s["actual"]) >= 1 && s["ok"].as_bool().unwrap(), "{s}");
    assert_eq!(s["zombies"], serde_json::json!([2]));
}

#[test]
fn a_killed_supervisor_takes_every_descendant_with_it() {
    let sb = Sandbox::new();
    let mut live = sb.spawn(&["run", "join", "--json"]);
    let deadline = within(20.0);
    let mut pids = Vec::new();
    while pids.len() < 4 {
        let ev = live.next_event(deadline).expect("the run ended too soon");
        if ev["ev"] == "hello" {
            pids.push(pid_of(&ev["pid"]));
        }
    }
    signal(live.pid(), libc::SIGKILL);
    // The workers see their socket close and exit; none is left behind.
    wait_all_ended(&pids, within(10.0), "workers of a SIGKILLed lockstep");
    drop(live);
    assert!(pids.iter().all(|p| ended(*p)));
}

#[test]
fn stopping_lockstep_mid_tree_ends_every_process_and_cleans_up() {
    let sb = Sandbox::new();
    let mut live = sb.spawn(&["run", "terminate", "--json"]);
    let deadline = within(20.0);
    let mut pids = Vec::new();
    // P1 and its first two children are up (one holds the lock, one waits).
    while pids.len() < 3 {
        let ev = live.next_event(deadline).expect("the run ended too soon");
        if ev["ev"] == "hello" {
            pids.push(pid_of(&ev["pid"]));
        }
    }
    signal(live.pid(), libc::SIGTERM);
    let done = live.finish(within(15.0));
    assert_eq!(done.code(), Some(128 + libc::SIGTERM), "{}", done.stderr);
    wait_all_ended(&pids, within(10.0), "processes of a stopped run");
    sb.assert_clean(done.pid);
}

/// How many lines the run printed that end with `tail`.
fn printed_ending(all: &[Value], tail: &str) -> i64 {
    all.iter()
        .filter(|e| e["ev"] == "printed" && e["en"].as_str().is_some_and(|t| t.ends_with(tail)))
        .count() as i64
}

#[test]
fn a_schedule_never_makes_the_verdict_contradict_the_output() {
    // The line and the outcome the check counts are one step: a process
    // terminated there has done both or neither, under any schedule.
    let sb = Sandbox::new();
    // The daemon's check counts its lines after the main code's last one.
    for (lesson, tail, after) in [
        (
            "daemon",
            "p1 (daemon) woke up",
            Some("main: my code ends here"),
        ),
        ("terminate", "released the lock", None),
    ] {
        for schedule in [
            &["--schedule", "round-robin"][..],
            &["--schedule", "random", "--seed", "3"],
        ] {
            let mut args = vec!["run", lesson, "--json"];
            args.extend_from_slice(schedule);
            let (done, summary) = sb.run_json(&args);
            let events = done.events();
            let from = after.map_or(0, |a| {
                events
                    .iter()
                    .position(|e| e["en"].as_str().is_some_and(|t| t.ends_with(a)))
                    .unwrap_or(events.len())
            });
            let shown = printed_ending(&events[from..], tail);
            assert_eq!(
                int(&summary["actual"]),
                shown,
                "{lesson} {schedule:?}: the verdict counts {} but {shown} lines were printed: {}",
                summary["actual"],
                summary["verdict"]
            );
        }
    }
    sb.assert_clean(std::process::id());
}

#[test]
fn a_lesson_that_starts_its_own_children_cannot_be_shrunk() {
    let sb = Sandbox::new();
    let done = sb.run(&["explore", "join", "--procs", "3"]);
    assert_eq!(done.code(), Some(2), "{}", done.stderr);
    assert!(done.stderr.contains("cannot be shrunk"), "{}", done.stderr);
}
