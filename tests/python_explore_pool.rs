//! The reduced search over programs with a `Pool` (one schedule per class,
//! over the pool's gates' footprints: tasks as a queue, results read by
//! `get`, the pool's `terminate` ending its workers) against every
//! schedule (`--no-reduce`): the same classes, values, broken or
//! deadlocked alike, in no more runs; and the seed post's callback
//! program, too large for every schedule, in a few runs.

mod common;

use common::Sandbox;
use common::python_explore::{explore, num, same_as_every_schedule, values};

#[test]
fn apply_one_task_at_a_time_matches_every_schedule() {
    // Pool(2), five apply: which worker takes each task, 2^5 classes.
    let s = same_as_every_schedule("seed_pool_apply.py", &[]);
    assert_eq!(num(&s["classes"]), 32, "{s}");
}

#[test]
fn two_async_tasks_match_every_schedule_in_far_fewer_runs() {
    let s = same_as_every_schedule("pool_pair.py", &[]);
    // Every schedule is 140 runs; a class is who took which task and
    // when each result was read against the other task's return.
    assert!(num(&s["runs"]) <= 20, "{s}");
}

#[test]
fn a_pool_terminated_mid_task_matches_every_schedule() {
    // Which worker took which task and how far each got when `with` ended
    // the pool: 1 with no task taken, 6 with one, 24 with both.
    let s = same_as_every_schedule("pool_terminated.py", &[]);
    assert_eq!(num(&s["classes"]), 31, "{s}");
}

#[test]
fn workers_replaced_after_each_task_match_every_schedule() {
    // maxtasksperchild=1: a new worker (a new lane) after every task.
    same_as_every_schedule("pool_maxtasks_pair.py", &[]);
}

#[test]
fn a_callback_due_after_a_sleep_runs_in_some_schedules_only() {
    // The sleep sees which results are in: it meets the task's return.
    let s = same_as_every_schedule("pool_sleep_callback.py", &[]);
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
