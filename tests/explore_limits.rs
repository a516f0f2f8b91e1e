//! `lockstep explore` through the real binary: what it refuses (spaces too
//! large, bad arguments) and the hints it gives instead, and Ctrl-C in the
//! middle of an exploration.

mod common;

use common::Sandbox;

#[test]
fn a_space_too_large_is_refused_with_its_size_and_a_hint() {
    let sb = Sandbox::new();
    let done = sb.run(&["explore", "counter", "--unlocked"]);
    assert_eq!(done.code(), Some(2), "{}", done.stderr);
    assert!(
        done.stderr.contains("more than the limit of 20000"),
        "{}",
        done.stderr
    );
    assert!(done.stderr.contains("--procs 2"), "{}", done.stderr);
    assert!(done.stderr.contains("--random"), "{}", done.stderr);
    assert!(done.stdout.is_empty());
}

#[test]
fn bad_arguments_are_usage_errors() {
    let sb = Sandbox::new();
    for (args, says) in [
        (vec!["explore", "counter", "--procs", "0"], "--procs 0"),
        (vec!["explore", "counter", "--procs", "999"], "--procs 999"),
        (vec!["explore", "pool"], "timing lesson"),
        (
            vec!["explore", "counter", "--off", "mutex"],
            "no lock or semaphore named `mutex`",
        ),
        (vec!["explore", "counter", "--random", "0"], "--random"),
        (vec!["explore", "counter", "--seed", "3"], "--random"),
    ] {
        let done = sb.run(&args);
        assert_eq!(done.code(), Some(2), "{args:?}: {}", done.stderr);
        assert!(done.stderr.contains(says), "{args:?}: {}", done.stderr);
        done.assert_no_panic();
    }
}

/// Processes whose command line mentions `dir` (workers name their socket there).
fn processes_under(dir: &std::path::Path) -> Vec<u32> {
    let needle = dir.to_string_lossy().into_owned();
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .map(|c| String::from_utf8_lossy(&c).contains(&needle))
                .unwrap_or(false)
        })
        .filter(|pid| !common::ended(*pid))
        .collect()
}

#[test]
fn ctrl_c_in_the_middle_of_an_exploration_leaves_nothing_behind() {
    let sb = Sandbox::new();
    let live = sb.spawn(&[
        "explore", "counter", "--procs", "3", "--random", "100000", "--json",
    ]);
    // Wait until schedules are being run (a run directory exists).
    common::wait_until(common::within(10.0), "a run directory", || {
        !sb.run_dirs().is_empty()
    });
    common::signal(live.pid(), libc::SIGINT);
    let done = live.finish(common::within(10.0));
    assert_eq!(done.code(), Some(130), "{}", done.stderr);
    done.assert_no_panic();
    assert!(done.stdout.is_empty(), "{}", done.stdout);
    common::wait_until(common::within(5.0), "the workers to end", || {
        processes_under(sb.path()).is_empty()
    });
    sb.assert_clean(done.pid);
}

#[test]
fn a_space_whose_first_run_is_short_is_still_measured_before_running() {
    // Four buyers with the mutex off: the first run's buyers mostly find the
    // ticket gone (short paths), but others buy it (longer ones): about
    // 147 000 schedules. Refused at once, not after 20 000 runs.
    // Estimated ("about N"), not found by running 20 000 of them. So is
    // terminate's: a child terminated late makes more choices than one
    // terminated early.
    // (The search before partial-order reduction, `--no-dpor`: with it,
    // terminate is explored whole.)
    let sb = Sandbox::new();
    for args in [
        &[
            "explore",
            "ticket",
            "--procs",
            "4",
            "--unlocked",
            "--no-dpor",
        ][..],
        &["explore", "terminate", "--unlocked", "--no-dpor"],
    ] {
        let done = sb.run(args);
        assert_eq!(done.code(), Some(2), "{args:?}: {}", done.stderr);
        assert!(
            done.stderr.contains("about ") && !done.stderr.contains("found while running"),
            "{args:?}: {}",
            done.stderr
        );
    }
}

#[test]
fn a_lesson_that_cannot_be_shrunk_gets_hints_that_work() {
    let sb = Sandbox::new();
    // A process tree far too large even one schedule per class: the queue
    // lesson's items, every order of puts and takes (under any timing).
    let done = sb.run(&["explore", "queue", "--no-dpor"]);
    assert_eq!(done.code(), Some(2), "{}", done.stderr);
    assert!(done.stderr.contains("--random"), "{}", done.stderr);
    assert!(!done.stderr.contains("--procs"), "{}", done.stderr);

    // The replay line of a lesson that starts its children has no --procs,
    // and it replays the same verdict.
    let done = sb.run(&["explore", "zombie"]);
    done.assert_success();
    let replay = done
        .stdout
        .lines()
        .find_map(|l| l.trim().strip_prefix("replay: lockstep "))
        .unwrap_or_else(|| panic!("no replay line:\n{}", done.stdout));
    assert!(!replay.contains("--procs"), "{replay}");
    let args: Vec<&str> = replay.split_whitespace().collect();
    let again = sb.run(&args);
    again.assert_success();
    assert!(again.stdout.contains("BROKEN"), "{}", again.stdout);
}
