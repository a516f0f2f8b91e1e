//! A lesson process killed from outside (`kill -9` by someone else): the
//! report does not put its end down to lockstep, a quantity it never
//! measured does not pass, and a run whose main was killed, leaving its
//! children blocked, ends promptly with a report.

mod common;

use std::time::{Duration, Instant};

use common::{Live, Sandbox, signal, wait_all_ended, within, worker_pids};
use serde_json::Value;

/// Read `live`'s JSON events until P1's hello and then an event named
/// `then`; P1's pid.
fn main_pid(live: &mut Live, then: &str) -> u32 {
    let deadline = within(10.0);
    let mut pid = None;
    loop {
        let ev = live
            .next_event(deadline)
            .expect("the run ended before its main said hello");
        if ev["ev"] == "hello" && ev["p"] == 1 {
            pid = ev["pid"].as_u64().map(|p| p as u32);
        }
        if let Some(pid) = pid
            && ev["ev"] == then
        {
            return pid;
        }
    }
}

/// Read text lines until `P1 [pid N] …`; N.
fn main_pid_text(live: &mut Live) -> u32 {
    let deadline = within(10.0);
    loop {
        let line = live
            .next_line(deadline)
            .expect("the run ended before its main printed");
        if let Some(rest) = line.strip_prefix("P1 [pid ") {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            return digits.parse().expect("a pid");
        }
    }
}

#[test]
fn join_whose_main_was_killed_from_outside_does_not_pass_unmeasured() {
    let sb = Sandbox::new();
    let mut live = sb.spawn(&["run", "join", "--speed", "4", "--json"]);
    let main = main_pid(&mut live, "hello");
    signal(main, libc::SIGKILL);
    let done = live.finish(within(30.0));
    done.assert_no_panic();
    let s: Value = done.summary();
    assert_eq!(
        s["ok"], false,
        "main never measured how long joining took: {s}"
    );
    assert_eq!(s["processes"][0]["signal"], 9, "{s}");
    sb.assert_clean(done.pid);
}

#[test]
fn a_process_killed_from_outside_is_not_reported_as_ended_by_lockstep() {
    let sb = Sandbox::new();
    let mut live = sb.spawn(&["run", "join", "--speed", "4"]);
    let main = main_pid_text(&mut live);
    signal(main, libc::SIGKILL);
    let done = live.finish(within(30.0));
    done.assert_no_panic();
    let out = &done.stdout;
    let processes = out
        .lines()
        .find(|l| l.starts_with("processes: "))
        .unwrap_or_else(|| panic!("no processes line:\n{out}"));
    assert!(
        processes.contains("P1 killed by signal 9 (exit code -9)"),
        "{processes}"
    );
    assert!(!processes.contains("ended by lockstep"), "{processes}");
    let verdict = out
        .lines()
        .find(|l| l.starts_with("verdict: "))
        .unwrap_or_else(|| panic!("no verdict line:\n{out}"));
    assert!(
        verdict.starts_with("verdict: BROKEN: ms until all three were joined: never measured")
            && verdict.contains("P1 was killed before it finished"),
        "{verdict}"
    );
    sb.assert_clean(done.pid);
}

#[test]
fn queue_whose_main_was_killed_ends_promptly_with_a_report() {
    let sb = Sandbox::new();
    let started = Instant::now();
    let mut live = sb.spawn(&["run", "queue", "--json"]);
    // Once a producer has put an item, main has started all four.
    let main = main_pid(&mut live, "queue_put");
    signal(main, libc::SIGKILL);
    // The producers end by themselves (about 2 s); the daemon consumers
    // then wait on an empty queue with nobody left to put: a deadlock, and
    // lockstep ends them although their parent, gone, cannot be told.
    let done = live.finish(within(30.0));
    let took = started.elapsed();
    done.assert_success().assert_no_panic();
    assert!(
        took < Duration::from_secs(10),
        "the run took {took:?} to end:\n{}",
        done.stderr
    );
    let s = done.summary();
    assert_eq!(s["ok"], false, "{s}");
    assert_eq!(s["processes"][0]["signal"], 9, "{s}");
    let deadlock = s["deadlock"].as_str().unwrap_or_default();
    assert!(
        deadlock.contains("P4") && deadlock.contains("queue q (empty)"),
        "{s}"
    );
    wait_all_ended(&worker_pids(&s), within(10.0), "every worker to end");
    sb.assert_clean(done.pid);
}
