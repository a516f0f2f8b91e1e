//! A `Pool` made from a `spawn` context and used every way a learner
//! might (tests/python/pool_spawn.py): the same lines under any schedule,
//! the callbacks in the main process, a task's exception raised in the
//! parent, the workers ended by `with`, nothing left behind; callbacks due
//! after a sleep; and the pool lesson's own program stepped round-robin.

mod common;

use common::{Sandbox, all_ended};
use serde_json::Value;

fn lines(s: &Value) -> Vec<(u64, String)> {
    s["output"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["p"].as_u64().unwrap(), l["text"].as_str().unwrap().into()))
        .collect()
}

#[test]
fn a_spawn_pool_gives_the_same_lines_under_every_schedule() {
    let sb = Sandbox::new();
    let path = format!("{}/tests/python/pool_spawn.py", env!("CARGO_MANIFEST_DIR"));
    let main = [
        "[0, 1, 4]",
        "error three",
        "callback [16, 25]",
        "error_callback three",
        "True False",
        "[0, 1, 4]",
        "[8, 9]",
        "done",
    ];
    for schedule in [
        &["--schedule", "round-robin"][..],
        &["--schedule", "random", "--seed", "5"],
        &[],
    ] {
        let mut args = vec!["run", path.as_str(), "--json"];
        args.extend_from_slice(schedule);
        let done = sb.run(&args);
        done.assert_no_panic().assert_success();
        let s = done.summary();
        all_ended(&s);
        let out = lines(&s);
        let of_main: Vec<&str> = out
            .iter()
            .filter(|(p, t)| *p == 1 && !t.starts_with("[terminate(): "))
            .map(|(_, t)| t.as_str())
            .collect();
        assert_eq!(of_main, main, "{schedule:?}: {s}");
        let inits: Vec<u64> = out
            .iter()
            .filter(|(_, t)| t == "init w")
            .map(|(p, _)| *p)
            .collect();
        if !schedule.is_empty() {
            // (A free run may end a slow-starting worker before it runs it.)
            assert_eq!(inits.len(), 2, "each worker runs the initializer: {s}");
            assert!(inits.contains(&2) && inits.contains(&3), "{s}");
        }
        let procs = s["processes"].as_array().unwrap();
        assert_eq!(procs.len(), 3, "{s}");
        for w in &procs[1..] {
            assert_eq!(
                w["signal"], 15,
                "`with` ends the pool with terminate(): {s}"
            );
        }
    }
}

#[test]
fn callbacks_due_run_in_the_main_process_when_it_sleeps() {
    let sb = Sandbox::new();
    let path = format!(
        "{}/tests/python/pool_callback_sleep.py",
        env!("CARGO_MANIFEST_DIR")
    );
    let done = sb.run(&["run", &path, "--json", "--schedule", "round-robin"]);
    done.assert_no_panic().assert_success();
    let s = done.summary();
    all_ended(&s);
    let main: Vec<String> = lines(&s)
        .into_iter()
        .filter(|(p, t)| *p == 1 && !t.starts_with("[terminate(): "))
        .map(|(_, t)| t)
        .collect();
    // Round-robin: the third task is still running when the main process sleeps.
    assert_eq!(main, ["got 0 True", "got 10 True", "end"], "{s}");
}

#[test]
fn the_pool_lessons_program_steps_with_its_workers_as_lanes() {
    let sb = Sandbox::new();
    let done = sb.run(&[
        "run",
        "pool",
        "--python",
        "--json",
        "--schedule",
        "round-robin",
    ]);
    done.assert_no_panic().assert_success();
    let s = done.summary();
    all_ended(&s);
    let procs = s["processes"].as_array().unwrap();
    assert_eq!(
        procs.len(),
        105,
        "main, Pool(4)'s workers, 100 processes: {s}"
    );
    for (k, w) in procs[1..5].iter().enumerate() {
        assert_eq!(w["name"], format!("pool[{k}]"), "{s}");
        assert_eq!(w["exit_code"], 0, "close() and join() end the workers: {s}");
    }
    // 100 apply, 100 apply_async and 100 map tasks, each run by a worker.
    let events = done.events();
    let calls: Vec<u64> = events
        .iter()
        .filter(|e| e["ev"] == "op" && e["op"] == "call")
        .map(|e| e["p"].as_u64().unwrap())
        .collect();
    assert_eq!(calls.len(), 300, "{s}");
    for w in 2..=5 {
        assert!(calls.contains(&w), "P{w} ran no task");
    }
    // Every callback line names the parent's pid.
    let parent = procs[0]["pid"].to_string();
    let callbacks: Vec<(u64, String)> = lines(&s)
        .into_iter()
        .filter(|(_, t)| t.contains(" pid ") && !t.starts_with("parent"))
        .collect();
    assert_eq!(callbacks.len(), 100, "{s}");
    for (p, t) in callbacks {
        assert_eq!(p, 1, "{t}");
        assert!(t.ends_with(&format!("pid {parent}")), "{t}");
    }
}
