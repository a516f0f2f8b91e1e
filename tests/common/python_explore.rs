//! `lockstep explore` on a program of tests/python/, and the comparison of
//! its reduced search with every schedule (`--no-reduce`).

use std::time::{Duration, Instant};

use serde_json::Value;

use super::python::program;
use super::{Finished, Sandbox};

/// A search of every schedule runs a CPython per schedule: on a loaded
/// machine it may take minutes, not the usual limit of one run.
const SEARCH_LIMIT: Duration = Duration::from_secs(600);

/// `lockstep ARGS` to its end within [`SEARCH_LIMIT`]: no panic, success,
/// nothing left behind.
pub fn run_search(sb: &Sandbox, args: &[&str]) -> Finished {
    let done = sb.spawn(args).finish(Instant::now() + SEARCH_LIMIT);
    sb.assert_clean(done.pid);
    done.assert_success().assert_no_panic();
    done
}

/// `lockstep explore PROGRAM --json ARGS`: its summary.
pub fn explore(sb: &Sandbox, name: &str, args: &[&str]) -> Value {
    let path = program(name);
    let mut all = vec!["explore", path.as_str(), "--json"];
    all.extend_from_slice(args);
    run_search(sb, &all).summary()
}

pub fn num(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not a count: {v}"))
}

/// The values a search's schedules ended with.
pub fn values(s: &Value) -> Vec<String> {
    s["distribution"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect()
}

/// The reduced search of `name` (with `args`) found what every schedule
/// finds, one schedule per class, in no more runs; the reduced search's
/// summary.
pub fn same_as_every_schedule(name: &str, args: &[&str]) -> Value {
    let sb = Sandbox::new();
    let reduced = explore(&sb, name, args);
    let every = explore(&sb, name, &[args, &["--no-reduce"]].concat());
    let what = format!("{name} {args:?}: {reduced} vs {every}");
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
