//! Mistakes on the command line end with one clear usage error, never a
//! panic, and never start a process; `list` names every lesson, and the app
//! without a terminal points to the headless run.

mod common;

use common::{Sandbox, assert_mentions};

#[test]
fn unknown_lesson_is_a_clear_error() {
    let sb = Sandbox::new();
    let done = sb.run(&["run", "nosuchlesson"]);
    done.assert_no_panic();
    assert!(!done.status.success());
    assert_mentions(&done, &["nosuchlesson", "lockstep list"]);
}

#[test]
fn off_with_an_unknown_lock_is_a_usage_error_listing_the_known_ones() {
    let sb = Sandbox::new();
    let done = sb.run(&["run", "counter", "--off", "nope"]);
    done.assert_no_panic();
    assert_eq!(done.code(), Some(2), "{}", done.stderr);
    assert_mentions(&done, &["Usage", "nope", "it has: lock"]);

    let done = sb.run(&["run", "ticket", "--off", "lock"]);
    assert_eq!(done.code(), Some(2), "{}", done.stderr);
    assert_mentions(&done, &["mutex"]);
}

#[test]
fn bad_speed_is_a_usage_error() {
    let sb = Sandbox::new();
    for args in [
        &["run", "counter", "--speed", "-1"][..],
        &["run", "counter", "--speed=-1"],
        &["run", "counter", "--speed", "0"],
        &["run", "counter", "--speed", "fast"],
    ] {
        let done = sb.run(args);
        done.assert_no_panic();
        assert_eq!(done.code(), Some(2), "{args:?}: {}", done.stderr);
        assert!(done.stdout.is_empty(), "{args:?} ran anyway");
    }
    let done = sb.run(&["run", "counter", "--speed=-1"]);
    assert_mentions(&done, &["speed must be above 0"]);
}

#[test]
fn unknown_flag_is_a_usage_error() {
    let sb = Sandbox::new();
    let done = sb.run(&["run", "counter", "--bogus"]);
    done.assert_no_panic();
    assert_eq!(done.code(), Some(2));
    assert_mentions(&done, &["--bogus", "Usage"]);
}

#[test]
fn steps_cannot_be_combined_with_a_random_schedule() {
    let sb = Sandbox::new();
    let done = sb.run(&["run", "counter", "--steps", "1,2", "--schedule", "random"]);
    done.assert_no_panic();
    assert_eq!(done.code(), Some(2));
    assert_mentions(&done, &["--steps", "random"]);
}

#[test]
fn list_shows_every_lesson() {
    let sb = Sandbox::new();
    let done = sb.run(&["list"]);
    done.assert_success().assert_no_panic();
    let ids: Vec<&str> = done
        .stdout
        .lines()
        // `{:>2}  id  title` lines; the summary under each is indented further.
        .filter(|l| !l.starts_with("    "))
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            let n = words.next()?;
            n.parse::<usize>().ok()?;
            words.next()
        })
        .collect();
    assert_eq!(
        ids,
        [
            "ticket",
            "bathroom",
            "counter",
            "guests",
            "pool",
            "join",
            "isolation",
            "daemon",
            "terminate",
            "zombie",
            "event",
            "pipe",
            "queue",
            "chat",
            "alive",
            "ppid",
            "orphan",
            "rlock",
            "daemon_child",
            "value_array",
            "pool_apply"
        ],
        "{}",
        done.stdout
    );
    // Every title starts in the same column, the longest id's included.
    let columns: Vec<usize> = (done.stdout.lines())
        .filter(|l| !l.starts_with("    "))
        .zip(&ids)
        .map(|(l, id)| {
            let after_id = l.find(id).unwrap() + id.len();
            after_id + l[after_id..].len() - l[after_id..].trim_start().len()
        })
        .collect();
    assert!(columns.windows(2).all(|w| w[0] == w[1]), "{}", done.stdout);
}

#[test]
fn the_app_without_a_terminal_points_to_the_headless_run() {
    let sb = Sandbox::new();
    for args in [&[][..], &["counter", "--unlocked"][..]] {
        let done = sb.run(args);
        done.assert_no_panic();
        assert_eq!(done.status.code(), Some(2), "{}", done.stderr);
        assert!(done.stderr.contains("lockstep run"), "{}", done.stderr);
    }
    assert!(sb.run_dirs().is_empty(), "a run directory was left");
}
