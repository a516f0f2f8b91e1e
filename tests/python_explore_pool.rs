//! The reduced search over programs with a `Pool` (one schedule per class,
//! over the pool's gates' footprints: tasks as a queue, results read by
//! `get`, the pool's `terminate` ending its workers) against every
//! schedule (`--no-reduce`): the same classes, values, broken or
//! deadlocked alike, in no more runs; and the seed post's callback
//! program, too large for every schedule, in a few runs.

mod common;

use std::time::{Duration, Instant};

use common::python::program;
use common::{Finished, Sandbox};
use serde_json::Value;

/// A search of every schedule runs a CPython per schedule: on a loaded
/// machine it may take minutes, not the usual limit of one run.
const SEARCH_LIMIT: Duration = Duration::from_secs(600);

fn run(sb: &Sandbox, args: &[&str]) -> Finished {
    let done = sb.spawn(args).finish(Instant::now() + SEARCH_LIMIT);
    sb.assert_clean(done.pid);
    done.assert_success().assert_no_panic();
    done
}

fn explore(sb: &Sandbox, name: &str, args: &[&str]) -> Value {
    let path = program(name);
    let mut all = vec!["explore", path.as_str(), "--json"];
    all.extend_from_slice(args);
    run(sb, &all).summary()
}

fn num(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not a count: {v}"))
}

fn values(s: &Value) -> Vec<String> {
    s["distribution"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect()
}

/// The reduced search of `name` found what every schedule finds, one
/// schedule per class, in no more runs; the reduced search's summary.
fn same_as_every_schedule(name: &str) -> Value {
    let sb = Sandbox::new();
    let reduced = explore(&sb, name, &[]);
    let every = explore(&sb, name, &["--no-reduce"]);
    let what = format!("{name}: {reduced} vs {every}");
    assert_eq!(reduced["reduction"], "dpor", "{what}");
    assert_eq!(every["reduction"], "none", "{what}");
    assert_eq!(reduced["classes"], every["classes"], "{what}");
    assert_eq!(values(&reduced), values(&every), "{what}");
    for k in ["broken", "deadlocked"] {
        assert_eq!(num(&reduced[k]) > 0, num(&every[k]) > 0, "{k}: {what}");
    }
    assert_eq!(reduced["schedules"], reduced["classes"], "{what}");
    assert_eq!(every["schedules"], every["runs"], "{what}");
    assert!(num(&reduced["runs"]) <= num(&every["runs"]), "{what}");
    reduced
}

#[test]
fn apply_one_task_at_a_time_matches_every_schedule() {
    // Pool(2), five apply: which worker takes each task, 2^5 classes.
    let s = same_as_every_schedule("seed_pool_apply.py");
    assert_eq!(num(&s["classes"]), 32, "{s}");
}

#[test]
fn two_async_tasks_match_every_schedule_in_far_fewer_runs() {
    let s = same_as_every_schedule("pool_pair.py");
    // Every schedule is 140 runs; a class is who took which task and
    // when each result was read against the other task's return.
    assert!(num(&s["runs"]) <= 20, "{s}");
}

#[test]
fn a_pool_terminated_mid_task_matches_every_schedule() {
    // Which worker took which task and how far each got when `with` ended
    // the pool: 1 with no task taken, 6 with one, 24 with both.
    let s = same_as_every_schedule("pool_terminated.py");
    assert_eq!(num(&s["classes"]), 31, "{s}");
}

#[test]
fn workers_replaced_after_each_task_match_every_schedule() {
    // maxtasksperchild=1: a new worker (a new lane) after every task.
    same_as_every_schedule("pool_maxtasks_pair.py");
}

#[test]
fn a_callback_due_after_a_sleep_runs_in_some_schedules_only() {
    // The sleep sees which results are in: it meets the task's return.
    let s = same_as_every_schedule("pool_sleep_callback.py");
    assert_eq!(values(&s), ["0", "1"], "the callback's line, or none: {s}");
}

#[test]
fn the_seed_posts_callback_program_is_reduced_to_a_few_runs() {
    // Pool(4), one task with a callback, close, join: which worker takes
    // the task matters; which takes which of the four stops does not.
    let sb = Sandbox::new();
    let s = explore(&sb, "seed_pool_callback.py", &[]);
    assert_eq!(s["reduction"], "dpor", "{s}");
    assert_eq!(num(&s["broken"]), 0, "{s}");
    // Once closed, which worker takes which stop is no class of its own:
    // a class is which of the four took the task. A random search agrees.
    assert_eq!(num(&s["classes"]), 4, "{s}");
    let random = explore(&sb, "seed_pool_callback.py", &["--random", "30"]);
    assert_eq!(num(&random["classes"]), 4, "{random}");
    assert!(num(&s["runs"]) <= 40, "{s}");
}
