//! Real CPython programs of tests/python/ under the binary: where they are,
//! and a run's events in a form two runs of one schedule can be compared in.

use serde_json::Value;

use super::{Finished, Sandbox, all_ended};

/// The path of a program of tests/python/.
pub fn program(name: &str) -> String {
    format!("{}/tests/python/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// `lockstep run PROGRAM --json ARGS` on a program of tests/python/; it
/// must not panic and must leave every process ended.
pub fn run_program(sb: &Sandbox, name: &str, args: &[&str]) -> Finished {
    let path = program(name);
    let mut all = vec!["run", path.as_str(), "--json"];
    all.extend_from_slice(args);
    let done = sb.run(&all);
    done.assert_no_panic();
    all_ended(&done.summary());
    done
}

/// Each process's own events in order, and the summary, without what
/// differs from run to run of one schedule (pids, times, the unused seed).
/// Processes run at once between quiet points, so how their events
/// interleave in the stream is not the schedule's to decide.
pub fn comparable(done: &Finished) -> Vec<Vec<Value>> {
    comparable_without(done, &[])
}

/// As [`comparable`], also without the fields named in `more` (such as
/// the summary's `processes`, whose last places differ with timing).
pub fn comparable_without(done: &Finished, more: &[&str]) -> Vec<Vec<Value>> {
    let mut by_proc: Vec<Vec<Value>> = Vec::new();
    for mut ev in done.events() {
        strip(&mut ev, more);
        let p = ev["p"].as_u64().unwrap_or(0) as usize;
        if by_proc.len() <= p {
            by_proc.resize(p + 1, Vec::new());
        }
        by_proc[p].push(ev);
    }
    by_proc
}

fn strip(v: &mut Value, more: &[&str]) {
    match v {
        Value::Object(m) => {
            for key in ["pid", "ppid", "t_ms", "elapsed_ms", "seed"]
                .iter()
                .chain(more)
            {
                m.remove(*key);
            }
            m.values_mut().for_each(|v| strip(v, more));
        }
        Value::Array(a) => a.iter_mut().for_each(|v| strip(v, more)),
        _ => {}
    }
}

/// The text of every line the run's processes printed, in order.
pub fn texts(summary: &Value) -> Vec<String> {
    summary["output"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["text"].as_str().unwrap().to_string())
        .collect()
}

/// Runs `name` with `args` twenty times: each process's events and the
/// summary (but for `without`) are the same every time. The first summary.
pub fn same_twenty_times(name: &str, args: &[&str], without: &[&str]) -> Value {
    let sb = Sandbox::new();
    let first = run_program(&sb, name, args);
    let want = comparable_without(&first, without);
    for i in 1..20 {
        let again = run_program(&sb, name, args);
        assert!(
            comparable_without(&again, without) == want,
            "run {} of {name} {args:?} differs from the first:\n{}\nfirst:\n{}",
            i + 1,
            again.stdout,
            first.stdout
        );
    }
    first.summary()
}
