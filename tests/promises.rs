//! A schedule is a promise: the same schedule gives the same run, also on a
//! busy machine. Lessons where many processes wait for one lock at once are
//! run round-robin again and again beside a load that keeps both cores busy
//! and starts processes, and every run must take the same steps.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

use common::Sandbox;
use serde_json::Value;

/// Spin on every core and start short-lived processes until `stop`.
fn load(stop: Arc<AtomicBool>) -> Vec<thread::JoinHandle<()>> {
    let spinners = (0..2).map(|_| {
        let stop = stop.clone();
        thread::spawn(move || {
            let mut x = 0u64;
            while !stop.load(Ordering::Relaxed) {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
                std::hint::black_box(x);
            }
        })
    });
    let spawner = {
        let stop = stop.clone();
        thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                let _ = std::process::Command::new("true").status();
            }
        })
    };
    spinners.chain(std::iter::once(spawner)).collect()
}

fn what_happened(summary: &Value) -> String {
    format!(
        "schedule {} actual {} values {} outcomes {}",
        summary["schedule"], summary["actual"], summary["values"], summary["outcomes"]
    )
}

#[test]
fn a_released_lock_goes_to_the_same_waiter_on_a_busy_machine() {
    let stop = Arc::new(AtomicBool::new(false));
    let loaders = load(stop.clone());
    let sandbox = Sandbox::new();
    let mut failures = Vec::new();
    for lesson in ["counter", "ticket", "guests", "bathroom"] {
        let args = ["run", lesson, "--schedule", "round-robin", "--json"];
        let (_, first) = sandbox.run_json(&args);
        for _ in 0..5 {
            let (_, again) = sandbox.run_json(&args);
            if what_happened(&again) != what_happened(&first) {
                failures.push(format!(
                    "{lesson}:\n  first {}\n  later {}",
                    what_happened(&first),
                    what_happened(&again)
                ));
            }
        }
    }
    stop.store(true, Ordering::Relaxed);
    for l in loaders {
        l.join().unwrap();
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
