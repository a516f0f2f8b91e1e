//! Nothing outlives a Python program's run: its processes (the main one and
//! every child it started) and the run directory with the shim are gone
//! after a normal end, after lockstep is stopped by a signal, and after
//! lockstep is SIGKILLed (the program's processes then end by themselves).

mod common;

use common::python::program;

use common::{Live, Sandbox, gone, pid_of, signal, wait_all_ended, within};

/// Read a free run of sleepers.py until both children are asleep; returns
/// every pid of the program (the main process first).
fn until_asleep(live: &mut Live) -> Vec<u32> {
    let deadline = within(20.0);
    let mut pids = Vec::new();
    let mut asleep = 0;
    while asleep < 2 {
        let ev = live
            .next_event(deadline)
            .expect("lockstep ended before the children slept");
        match ev["ev"].as_str() {
            Some("spawned") | Some("started") => pids.push(pid_of(&ev["pid"])),
            Some("op") if ev["op"] == "sleep" => asleep += 1,
            _ => {}
        }
    }
    assert_eq!(pids.len(), 3, "the main process and two children");
    pids
}

#[test]
fn a_normal_end_leaves_nothing_behind() {
    let sb = Sandbox::new();
    let path = program("locked_counter.py");
    // `run` checks for run directories itself.
    let done = sb.run(&["run", &path, "--json"]);
    done.assert_success();
    let summary = done.summary();
    for p in summary["processes"].as_array().unwrap() {
        let pid = pid_of(&p["pid"]);
        assert!(gone(pid), "{pid} outlived the run");
    }
}

#[test]
fn sigterm_mid_run_ends_every_process_of_the_program() {
    let sb = Sandbox::new();
    let path = program("sleepers.py");
    let mut live = sb.spawn(&["run", &path, "--json"]);
    let pids = until_asleep(&mut live);
    signal(live.pid(), libc::SIGTERM);
    let done = live.finish(within(5.0));
    assert_eq!(done.code(), Some(128 + libc::SIGTERM), "{}", done.stderr);
    wait_all_ended(&pids, within(2.0), "the program's processes after SIGTERM");
    sb.assert_clean(done.pid);
}

#[test]
fn sigkill_mid_run_the_program_ends_by_itself_and_the_next_start_sweeps() {
    let sb = Sandbox::new();
    let path = program("sleepers.py");
    let mut live = sb.spawn(&["run", &path, "--json"]);
    let pids = until_asleep(&mut live);
    signal(live.pid(), libc::SIGKILL);
    let done = live.finish(within(5.0));
    assert_eq!(done.code(), None);
    // Nobody can step them any more: each notices its socket closed.
    wait_all_ended(&pids, within(3.0), "the program's processes after SIGKILL");
    sb.run(&["list"]).assert_success();
    assert!(sb.run_dirs().is_empty(), "{:?}", sb.run_dirs());
}

#[test]
fn a_stuck_spawn_run_leaves_no_named_semaphore() {
    let sb = Sandbox::new();
    let path = program("spawn_deadlock.py");
    // `run` checks /dev/shm for semaphores named after this lockstep.
    let done = sb.run(&["run", &path, "--json", "--steps", "1,1,2,3"]);
    done.assert_no_panic();
    let summary = done.summary();
    assert!(!summary["deadlock"].is_null(), "{summary}");
    for p in summary["processes"].as_array().unwrap() {
        let pid = pid_of(&p["pid"]);
        assert!(gone(pid), "{pid} outlived the run");
    }
}

#[test]
fn a_child_looping_past_its_gates_is_ended_by_the_next_start_after_a_sigkill() {
    let sb = Sandbox::new();
    let path = program("spin_child.py");
    let mut live = sb.spawn(&["run", &path, "--json"]);
    let deadline = within(20.0);
    let mut pids = Vec::new();
    loop {
        let ev = live.next_event(deadline).expect("lockstep ended early");
        match ev["ev"].as_str() {
            Some("spawned") | Some("started") => pids.push(pid_of(&ev["pid"])),
            Some("printed") => break,
            _ => {}
        }
    }
    assert_eq!(pids.len(), 2, "the main process and the spinning child");
    signal(live.pid(), libc::SIGKILL);
    assert_eq!(live.finish(within(5.0)).code(), None);
    // The child never reports again, so it cannot see its run go; the
    // next start of lockstep ends what a dead run left running.
    sb.run(&["list"]).assert_success();
    wait_all_ended(&pids, within(5.0), "the spinning child after the sweep");
    assert!(sb.run_dirs().is_empty(), "{:?}", sb.run_dirs());
}
