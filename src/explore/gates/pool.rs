//! What a `Pool`'s gates touch (assets/python/_lockstep_pool.py). The
//! pool's tasks are a queue under the pool's name: `apply`, `map`… and
//! `close` put (a map's chunks are one put: the first getter after it
//! meets it, the next ones meet that getter), a worker's `get` takes. A
//! task's `return` hands its result in; every `get` or `wait` of a result,
//! and the pool's `join`, reads the results. Returns commute with each
//! other unless the order they arrive in shows (callbacks, which run in
//! that order, or `imap_unordered`). The pool's `terminate` (also at the
//! end of `with` and when a pool left open is collected or the process
//! exits) ends its workers; its `join` waits for their ends. The workers
//! are daemonic, but only the pool's own `terminate` kills them, so the
//! parent's other steps do not end them (see [`is_worker`]).

use super::Watch;
use crate::explore::footprint::{Footprint, Kind, Obj};
use crate::model::{Phase, RunState};

/// The most workers a pool's gate is taken to start (`Pool()` starts one
/// per CPU).
const MOST_WORKERS: usize = 256;

/// Every result of every pool: what a `return` hands in and a `get` reads.
fn results() -> Obj {
    Obj::Event("the pools' results".to_string())
}

/// The pool process `d` is a worker of (a lane `pool[k]` of a pool whose
/// tasks are the queue `pool`), in a program that uses a `Pool`.
pub(super) fn is_worker<'s>(state: &'s RunState, d: usize, w: &Watch) -> Option<&'s str> {
    if !w.pool {
        return None;
    }
    let role = state.procs[d].role.as_str();
    let (pool, k) = role.strip_suffix(']')?.rsplit_once('[')?;
    k.parse::<usize>().ok()?;
    state
        .ipc
        .queues
        .iter()
        .any(|q| q.name == pool)
        .then_some(pool)
}

/// The workers of the pool named `pool`.
fn workers(state: &RunState, pool: &str, w: &Watch) -> Vec<usize> {
    (0..state.procs.len())
        .filter(|&d| is_worker(state, d, w) == Some(pool))
        .collect()
}

/// `name` is a pool's (its tasks' queue, with workers).
fn is_pool(state: &RunState, name: &str, w: &Watch) -> bool {
    w.pool && !workers(state, name, w).is_empty()
}

/// The result events of the result `name`: `res`, or a map's chunks
/// `ret[0]`, `ret[4:8]` (a chunk's own name stands for itself).
fn result_events<'s>(state: &'s RunState, name: &str) -> Vec<&'s crate::model::ipc::EventState> {
    let chunk = format!("{name}[");
    (state.ipc.events.iter())
        .filter(|e| e.name == name || e.name.starts_with(&chunk))
        .collect()
}

/// The objects the pool gate `(op, name)` of process `p` touches, added
/// to `fp`; false if it is no pool gate.
pub(super) fn objects(
    state: &RunState,
    p: usize,
    (op, name): (&str, &str),
    w: &Watch,
    fp: &mut Footprint,
) -> bool {
    if !w.pool {
        return false;
    }
    let worker = is_worker(state, p, w).is_some();
    // Which results are in shows after a sleep (the callbacks due run
    // then) and at every `ready()` or `successful()`, which have no gate
    // of their own: in a program that asks them, every step sees it.
    let any_pool = (0..state.procs.len()).any(|d| is_worker(state, d, w).is_some());
    if !worker && any_pool && (w.polls || op == "sleep" && w.ordered_results) {
        fp.add(results(), Kind::Read);
    }
    match op {
        // Its workers take the next P-numbers: it meets every start, and
        // it is the step that starts each of them (how many is not known
        // at the gate: as many as a pool may have).
        "pool" => {
            for d in state.procs.len()..state.procs.len() + MOST_WORKERS {
                fp.add(Obj::Life(d), Kind::Write);
            }
        }
        "call" if worker => {}
        "return" if worker => {
            let kind = if w.ordered_results {
                Kind::Write
            } else {
                Kind::Add
            };
            fp.add(results(), kind);
        }
        "get" if worker && is_pool(state, name, w) => take(state, name, fp),
        "apply" | "apply_async" | "map" | "map_async" | "starmap" | "starmap_async" | "imap"
        | "imap_unordered" | "close"
            if is_pool(state, name, w) =>
        {
            super::channel(state, ("put", name), fp)
        }
        "join" if is_pool(state, name, w) => {
            fp.add(results(), Kind::Read);
            for d in workers(state, name, w) {
                fp.add(Obj::Item(format!("end of {d}"), 0), Kind::Read);
            }
        }
        "terminate" if is_pool(state, name, w) => {
            for d in workers(state, name, w) {
                fp.add(Obj::Life(d), Kind::Write);
                fp.add(Obj::End(d), Kind::Write);
            }
        }
        "get" | "wait" | "next" if !result_events(state, name).is_empty() => {
            fp.add(results(), Kind::Read);
            for e in result_events(state, name) {
                fp.add(Obj::Event(e.name.clone()), Kind::Read);
            }
        }
        _ => return false,
    }
    true
}

/// A worker takes the next task. Once the pool is closed only its stops
/// are left (`None`, one per worker): which worker takes which stop makes
/// no difference, so those takes commute (each still after the close).
fn take(state: &RunState, pool: &str, fp: &mut Footprint) {
    let q = state.ipc.queues.iter().find(|q| q.name == pool);
    let stop = |i: &crate::wire::Item| i.show(crate::lesson::Lang::En) == "'None'";
    match q.filter(|q| q.items.front().is_some_and(stop)) {
        Some(_) => {
            // After the `close` that put the stops (it writes the tail),
            // whichever stop it is.
            fp.add(Obj::Head(pool.to_string()), Kind::Add);
            fp.add(Obj::Tail(pool.to_string()), Kind::Read);
        }
        None => super::channel(state, ("get", pool), fp),
    }
}

/// Whether the pool gate `(op, name)` would not block: a result's `get`
/// or `wait` finds it in (`next` of `imap_unordered`: one chunk in), the
/// pool's `join` finds every worker ended; `None` if it is no pool gate.
pub(super) fn enabled(state: &RunState, (op, name): (&str, &str), w: &Watch) -> Option<bool> {
    if !w.pool {
        return None;
    }
    match op {
        "join" if is_pool(state, name, w) => {
            Some((workers(state, name, w).iter()).all(|&d| state.procs[d].phase == Phase::Finished))
        }
        "get" | "wait" | "next" => {
            let events = result_events(state, name);
            if events.is_empty() || state.ipc.queues.iter().any(|q| q.name == name) {
                return None;
            }
            Some(if op == "next" {
                events.iter().any(|e| e.set)
            } else {
                events.iter().all(|e| e.set)
            })
        }
        _ => None,
    }
}
