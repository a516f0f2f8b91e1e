//! `multiprocessing.Pool` in a real CPython program (the seed posts' own
//! pool programs, tests/python/seed_pool_*.py): the workers are lanes, each
//! task is taken at a gate and run between `call` and `return` gates, so a
//! schedule decides which worker runs which task, and the same schedule
//! gives the same run; nothing outlives the run.

mod common;

use common::python::{program, run_program, same_twenty_times};

use common::{Finished, Live, Sandbox, pid_of, signal, wait_all_ended, within};
use serde_json::Value;

const ROUND_ROBIN: [&str; 2] = ["--schedule", "round-robin"];

/// The printed lines as (P-number, text) (not lockstep's own notes, such
/// as the SIGTERM to each worker at the main process's exit).
fn output(s: &Value) -> Vec<(u64, String)> {
    s["output"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| !l["text"].as_str().unwrap().starts_with("[terminate(): "))
        .map(|l| (l["p"].as_u64().unwrap(), l["text"].as_str().unwrap().into()))
        .collect()
}

/// Who took which task from pool `pool`, in order: (P-number, task).
fn takes(done: &Finished, pool: &str) -> Vec<(u64, String)> {
    done.events()
        .iter()
        .filter(|e| e["ev"] == "queue_got" && e["queue"] == pool)
        .map(|e| (e["p"].as_u64().unwrap(), text(&e["item"])))
        .filter(|(_, t)| t != "None")
        .collect()
}

fn text(item: &Value) -> String {
    item["text"]["en"].as_str().unwrap_or_default().to_string()
}

/// The index of the first event that `pick` accepts.
fn first(events: &[Value], what: &str, pick: impl Fn(&Value) -> bool) -> usize {
    events
        .iter()
        .position(pick)
        .unwrap_or_else(|| panic!("no {what} among the events"))
}

/// The workers of the pool named `pool`: (P-number, lane name, parent).
fn workers(s: &Value) -> Vec<(u64, String, u64)> {
    s["processes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["name"].as_str().is_some_and(|n| n.starts_with("pool[")))
        .map(|p| {
            let name = p["name"].as_str().unwrap().to_string();
            (
                p["id"].as_u64().unwrap(),
                name,
                p["parent"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn owned(pairs: &[(u64, &str)]) -> Vec<(u64, String)> {
    pairs.iter().map(|(p, t)| (*p, t.to_string())).collect()
}

#[test]
fn apply_blocks_the_parent_for_each_task_one_result_at_a_time() {
    let sb = Sandbox::new();
    let done = run_program(&sb, "seed_pool_apply.py", &ROUND_ROBIN);
    done.assert_success();
    let s = done.summary();
    assert_eq!(
        workers(&s),
        [(2, "pool[0]".into(), 1), (3, "pool[1]".into(), 1)],
        "{s}"
    );
    let want: Vec<(u64, String)> = ["xxxxx", "0", "xxxxx", "2", "xxxxx", "4", "xxxxx", "6"]
        .into_iter()
        .chain(["xxxxx", "8"])
        .map(|t| (1, t.to_string()))
        .collect();
    assert_eq!(output(&s), want, "{s}");
    let tasks = [
        (2, "f1(0)"),
        (3, "f1(1)"),
        (2, "f1(2)"),
        (3, "f1(3)"),
        (2, "f1(4)"),
    ];
    assert_eq!(
        takes(&done, "pool"),
        owned(&tasks),
        "round-robin alternates the workers"
    );
    // One at a time: no task is taken before the previous one has returned.
    let events = done.events();
    for i in 1..5 {
        let took = first(&events, "take", |e| {
            e["ev"] == "queue_got" && text(&e["item"]) == format!("f1({i})")
        });
        let before = if i == 1 {
            "res".into()
        } else {
            format!("res#{i}")
        };
        let returned = first(&events, "result", |e| {
            e["ev"] == "event_set" && e["event"] == before
        });
        assert!(
            returned < took,
            "f1({i}) was taken before f1({}) returned",
            i - 1
        );
    }
}

#[test]
fn apply_async_submits_all_five_at_once_and_runs_two_at_a_time() {
    let sb = Sandbox::new();
    let done = run_program(&sb, "seed_pool_async.py", &ROUND_ROBIN);
    done.assert_success();
    let s = done.summary();
    let lines: Vec<String> = output(&s).into_iter().map(|(_, t)| t).collect();
    assert_eq!(
        lines,
        [
            "xxxxx", "xxxxx", "xxxxx", "xxxxx", "xxxxx", "0", "2", "4", "6", "8"
        ],
        "every task is submitted before the first result is printed: {s}"
    );
    let tasks = [
        (2, "f1(0)"),
        (3, "f1(1)"),
        (2, "f1(2)"),
        (3, "f1(3)"),
        (2, "f1(4)"),
    ];
    assert_eq!(takes(&done, "pool"), owned(&tasks));
    // Two at a time: the second worker takes f1(1) while the first is still in f1(0).
    let events = done.events();
    let second = first(&events, "take", |e| {
        e["ev"] == "queue_got" && text(&e["item"]) == "f1(1)"
    });
    let returned = first(&events, "result", |e| {
        e["ev"] == "event_set" && e["event"] == "res"
    });
    assert!(second < returned, "f1(1) waited for f1(0)");
    // Each task's call and return gates are at the function's own lines.
    let call = first(&events, "call", |e| e["ev"] == "op" && e["op"] == "call");
    let file = events[call]["file"].as_str().unwrap();
    assert!(file.ends_with("seed_pool_async.py"), "{file}");
    assert_eq!(
        (&events[call]["line"], &events[call]["name"]),
        (&8.into(), &"f1(0)".into())
    );
    let ret = first(&events, "return", |e| {
        e["ev"] == "op" && e["op"] == "return"
    });
    assert_eq!(events[ret]["line"], 10, "the line of `return n * 2`");
}

#[test]
fn a_pool_program_runs_the_same_twenty_times_under_one_schedule() {
    same_twenty_times("seed_pool_async.py", &ROUND_ROBIN, &["processes"]);
    same_twenty_times(
        "seed_pool_apply.py",
        &["--schedule", "random", "--seed", "7"],
        &["processes"],
    );
}

#[test]
fn the_callback_runs_in_the_main_process_and_join_ends_every_worker() {
    let sb = Sandbox::new();
    let done = run_program(&sb, "seed_pool_callback.py", &ROUND_ROBIN);
    done.assert_success();
    let s = done.summary();
    let procs = s["processes"].as_array().unwrap();
    let pid = |p: usize| pid_of(&procs[p - 1]["pid"]).to_string();
    assert_eq!(workers(&s).len(), 4, "Pool(4): {s}");
    assert_eq!(
        output(&s),
        [
            (2, format!("进程池里面的进程pid {}", pid(2))),
            (2, "5".into()),
            (1, format!("回调函数里面的进程pid {}", pid(1))),
            (1, "10".into()),
            (1, format!("主程序里面的进程pid {}", pid(1))),
        ],
        "{s}"
    );
    for p in procs {
        assert_eq!(
            p["exit_code"], 0,
            "close() and join() end every worker: {s}"
        );
    }
}

#[test]
fn map_returns_results_in_order_and_every_worker_prints_its_own_tasks() {
    let sb = Sandbox::new();
    let done = run_program(&sb, "seed_pool_map.py", &ROUND_ROBIN);
    done.assert_success();
    let s = done.summary();
    let out = output(&s);
    let results: Vec<String> = out
        .iter()
        .filter(|(p, _)| *p == 1)
        .map(|(_, t)| t.clone())
        .collect();
    let want: Vec<String> = (0..10).map(|i| format!("--> {i}")).collect();
    assert_eq!(results, want, "{s}");
    // Each task's number is printed by the worker that took it.
    for (p, task) in takes(&done, "p") {
        let n = task.trim_start_matches("func(").trim_end_matches(')');
        assert!(
            out.contains(&(p, n.to_string())),
            "P{p} ran {task} but did not print it: {s}"
        );
    }
    assert_eq!(takes(&done, "p").len(), 10);
}

#[test]
fn pool_against_process_runs_100_tasks_on_4_workers_then_100_processes() {
    let sb = Sandbox::new();
    let done = run_program(&sb, "seed_pool_vs_process.py", &ROUND_ROBIN);
    done.assert_success();
    let s = done.summary();
    let procs = s["processes"].as_array().unwrap();
    assert_eq!(procs.len(), 105, "main, 4 workers, 100 processes: {s}");
    assert_eq!(workers(&s).len(), 4);
    let calls: Vec<Value> = done
        .events()
        .into_iter()
        .filter(|e| e["ev"] == "op" && e["op"] == "call")
        .collect();
    assert_eq!(
        calls.len(),
        100,
        "each of the 100 tasks runs once in the pool"
    );
    for w in 2..=5 {
        assert!(calls.iter().any(|c| c["p"] == w), "worker P{w} ran no task");
        assert!(
            calls
                .iter()
                .all(|c| (2..=5).contains(&c["p"].as_u64().unwrap()))
        );
    }
    let lines: Vec<String> = output(&s).into_iter().map(|(_, t)| t).collect();
    assert_eq!(lines.len(), 2, "{s}");
    assert!(lines[0].starts_with("进程池的执行时间: "), "{s}");
    assert!(lines[1].starts_with("多进程的执行时间: "), "{s}");
}

#[test]
fn a_free_pool_run_gives_the_same_values() {
    let sb = Sandbox::new();
    let done = run_program(&sb, "seed_pool_async.py", &[]);
    done.assert_success();
    let s = done.summary();
    let results: Vec<String> = output(&s)[5..].iter().map(|(_, t)| t.clone()).collect();
    assert_eq!(results, ["0", "2", "4", "6", "8"], "{s}");
    let tasks: Vec<String> = takes(&done, "pool").into_iter().map(|(_, t)| t).collect();
    assert_eq!(tasks.len(), 5, "{s}");
}

/// Read a free run of pool_sleepers.py until both workers are asleep in
/// their task; every pid of the program (the main process first).
fn until_asleep(live: &mut Live) -> Vec<u32> {
    let deadline = within(20.0);
    let (mut pids, mut asleep) = (Vec::new(), 0);
    while asleep < 2 {
        let ev = live
            .next_event(deadline)
            .expect("lockstep ended before the workers slept");
        match ev["ev"].as_str() {
            Some("spawned") | Some("started") => pids.push(pid_of(&ev["pid"])),
            Some("op") if ev["op"] == "sleep" => asleep += 1,
            _ => {}
        }
    }
    assert_eq!(pids.len(), 3, "the main process and two workers");
    pids
}

#[test]
fn stopping_lockstep_mid_pool_run_leaves_no_worker_behind() {
    for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGKILL] {
        let sb = Sandbox::new();
        let path = program("pool_sleepers.py");
        let mut live = sb.spawn(&["run", &path, "--json"]);
        let pids = until_asleep(&mut live);
        signal(live.pid(), sig);
        let done = live.finish(within(5.0));
        wait_all_ended(&pids, within(3.0), "the pool's processes");
        if sig == libc::SIGKILL {
            // The next start sweeps the run directory.
            sb.run(&["list"]).assert_success();
            assert!(sb.run_dirs().is_empty(), "{:?}", sb.run_dirs());
        } else {
            assert_eq!(done.code(), Some(128 + sig), "{}", done.stderr);
            sb.assert_clean(done.pid);
        }
    }
}

#[test]
fn steps_choose_which_worker_takes_which_task() {
    let sb = Sandbox::new();
    // P3 (pool[1]) goes to the pool's task queue before P2 does: it takes f1(0).
    let done = run_program(&sb, "seed_pool_apply.py", &["--steps", "1,3,2"]);
    done.assert_success();
    let tasks = [
        (3, "f1(0)"),
        (2, "f1(1)"),
        (3, "f1(2)"),
        (2, "f1(3)"),
        (3, "f1(4)"),
    ];
    assert_eq!(takes(&done, "pool"), owned(&tasks));
}
