//! Reading a run's JSON output: pids, integers, printed lines.

use serde_json::Value;

use super::{Sandbox, wait_all_ended, within};

/// The worker pids listed in a run's summary.
pub fn worker_pids(summary: &Value) -> Vec<u32> {
    summary["processes"]
        .as_array()
        .expect("summary has processes")
        .iter()
        .map(|p| pid_of(&p["pid"]))
        .collect()
}

pub fn pid_of(v: &Value) -> u32 {
    v.as_u64()
        .and_then(|p| u32::try_from(p).ok())
        .unwrap_or_else(|| panic!("not a pid: {v}"))
}

/// The process entry of P`n` in a summary.
pub fn proc_of(summary: &Value, n: i64) -> &Value {
    summary["processes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| int(&p["id"]) == n)
        .unwrap_or_else(|| panic!("no P{n} in {summary}"))
}

pub fn int(v: &Value) -> i64 {
    v.as_i64().unwrap_or_else(|| panic!("not an integer: {v}"))
}

/// Every process of a run's summary has ended (none left running, nor as a
/// zombie of ours).
pub fn all_ended(summary: &Value) {
    let pids: Vec<u32> = summary["processes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| !p["pid"].is_null())
        .map(|p| pid_of(&p["pid"]))
        .collect();
    wait_all_ended(&pids, within(5.0), "processes of the run");
}

/// The English text of every line the run printed, in order.
pub fn printed(all: &[Value]) -> Vec<String> {
    all.iter()
        .filter(|e| e["ev"] == "printed")
        .map(|e| e["en"].as_str().unwrap().to_string())
        .collect()
}

/// `lockstep run LESSON --json ARGS` free, then stepped round-robin: each
/// run's events and its summary.
pub fn free_and_stepped(sb: &Sandbox, lesson: &str, args: &[&str]) -> Vec<(Vec<Value>, Value)> {
    [&[][..], &["--schedule", "round-robin"]]
        .iter()
        .map(|extra| {
            let mut all = vec!["run", lesson, "--json"];
            all.extend_from_slice(args);
            all.extend_from_slice(extra);
            let (done, s) = sb.run_json(&all);
            (done.events(), s)
        })
        .collect()
}
