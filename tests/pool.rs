//! The pool lesson: 100 tasks on a pool of 4 reused processes, then on 100
//! new processes; the pool is faster and `map` keeps the task order.

mod common;

use std::collections::BTreeSet;

use common::{Sandbox, gone, int, pid_of};
use serde_json::Value;

fn pids(tasks: &Value) -> Vec<u32> {
    tasks
        .as_array()
        .expect("a task list")
        .iter()
        .map(|t| pid_of(&t["pid"]))
        .collect()
}

/// Results in task order, each f(n) = n + 0 + 1 + 2 + 3 + 4.
fn assert_results_in_order(tasks: &Value, phase: &str) {
    let tasks = tasks.as_array().expect("a task list");
    assert_eq!(tasks.len(), 100, "{phase}: expected 100 results");
    for (i, t) in tasks.iter().enumerate() {
        assert_eq!(
            int(&t["task"]),
            i as i64,
            "{phase}: results out of task order: {t}"
        );
        assert_eq!(
            int(&t["result"]),
            i as i64 + 10,
            "{phase}: wrong f({i}): {t}"
        );
    }
}

#[test]
fn pool_reuses_four_workers_and_beats_one_process_per_task() {
    let sb = Sandbox::new();
    let (_, s) = sb.run_json(&["run", "pool", "--json"]);
    assert_eq!(s["lesson"], "pool");

    let pool_ms = s["pool_ms"].as_f64().expect("pool_ms");
    let processes_ms = s["processes_ms"].as_f64().expect("processes_ms");
    assert!(pool_ms > 0.0, "{s}");
    assert!(
        pool_ms < processes_ms,
        "the pool ({pool_ms} ms) was not faster than one process per task ({processes_ms} ms)"
    );

    assert_results_in_order(&s["tasks"], "pool");
    assert_results_in_order(&s["separate_tasks"], "separate processes");

    let workers: Vec<u32> = s["pool_workers"]
        .as_array()
        .expect("pool_workers")
        .iter()
        .map(pid_of)
        .collect();
    let distinct: BTreeSet<u32> = workers.iter().copied().collect();
    assert_eq!(
        distinct.len(),
        4,
        "expected 4 distinct pool workers: {workers:?}"
    );
    for pid in pids(&s["tasks"]) {
        assert!(
            distinct.contains(&pid),
            "a pool task ran in pid {pid}, not a pool worker {workers:?}"
        );
    }

    let separate: BTreeSet<u32> = pids(&s["separate_tasks"]).into_iter().collect();
    assert_eq!(
        separate.len(),
        100,
        "each separate task needs its own process"
    );
    assert!(
        separate.is_disjoint(&distinct),
        "a separate task ran in a pool worker"
    );

    // 4 pool workers + 100 one-task processes, all exited cleanly and reaped.
    let procs = s["processes"].as_array().expect("processes");
    assert_eq!(procs.len(), 104, "{s}");
    let roles = |r: &str| procs.iter().filter(|p| p["role"] == r).count();
    assert_eq!((roles("pool_worker"), roles("process")), (4, 100), "{s}");
    for p in procs {
        assert_eq!(p["exit_code"], 0, "{p}");
        let pid = pid_of(&p["pid"]);
        assert!(gone(pid), "process {pid} is still there after the run");
    }
}

#[test]
fn pool_text_mode_shows_which_worker_ran_each_task() {
    let sb = Sandbox::new();
    let done = sb.run(&["run", "pool"]);
    done.assert_success().assert_no_panic();
    let task_lines: Vec<&str> = done
        .stdout
        .lines()
        .filter(|l| l.starts_with("task "))
        .collect();
    assert_eq!(task_lines.len(), 100, "{}", done.stdout);
    assert!(
        task_lines[0].contains("ran in pool worker pid "),
        "{}",
        task_lines[0]
    );
    let summary_line = done
        .stdout
        .lines()
        .find(|l| l.starts_with("pool of 4: "))
        .unwrap_or_else(|| panic!("no `pool of 4:` line:\n{}", done.stdout));
    // Four workers share the 100 tasks.
    let shares: i64 = summary_line
        .split(", ")
        .map(|part| {
            let n = part.rsplit(": ").next().unwrap().trim_end_matches(" tasks");
            n.parse::<i64>()
                .unwrap_or_else(|_| panic!("{summary_line}"))
        })
        .sum();
    assert_eq!(shares, 100, "{summary_line}");
    assert_eq!(summary_line.matches("pid ").count(), 4, "{summary_line}");
    assert!(
        done.stdout.contains("Pool(4) ran 100 tasks in "),
        "{}",
        done.stdout
    );
    assert!(
        done.stdout.contains("100 separate processes took "),
        "{}",
        done.stdout
    );
    assert!(
        done.stdout.lines().any(|l| l.starts_with("verdict: ")),
        "{}",
        done.stdout
    );
}

#[test]
fn a_schedule_for_the_timed_pool_lesson_is_refused_with_the_usage() {
    let sb = Sandbox::new();
    for args in [
        &["run", "pool", "--schedule", "random", "--seed", "3"][..],
        &["run", "pool", "--steps", "1,1"][..],
    ] {
        let done = sb.run(args);
        assert_eq!(done.code(), Some(2), "{args:?}: {}", done.stderr);
        assert!(
            done.stderr.contains("timing lesson") && done.stderr.contains("Usage"),
            "{args:?}: {}",
            done.stderr
        );
        assert!(done.stdout.is_empty(), "nothing ran: {}", done.stdout);
    }
    assert!(sb.run_dirs().is_empty());
}
