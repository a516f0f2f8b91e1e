//! What a real program's step touches: its gate's op and the object's
//! Python name (`Site`), read against the model, as [`super::footprint`]
//! reads a lesson's ops. A program has no listing the explorer can read
//! ahead, so what a lesson knows from its ops (is this a process's last
//! step? may it be killed before it?) is decided from the program's source
//! ([`Watch`]): every step of a child may be its last, and every step of a
//! process with a daemon child may end it. See docs/explorer.md.

mod pool;

use super::footprint::{Footprint, Kind, Obj};
use super::moves::Candidate;
use super::trace;
use crate::lesson::{Op, Timing};
use crate::model::{Phase, RunState};
use crate::python::{self, Program};

/// What the explorer knows of a program before it runs, the same in every
/// run (the footprints, the class key and the sleep sets rely on that).
#[derive(Debug, Clone, Default)]
pub struct Watch {
    /// Locks switched off by their Python names (`*`: every one).
    off: Vec<String>,
    /// A lock that is off still counts who is inside it (`max_inside`).
    off_counts: bool,
    /// The program may end a child early (`terminate`, `kill`).
    kills: bool,
    /// The program asks whether a child has ended (`is_alive`, `exitcode`).
    asks_ends: bool,
    /// As written, in a program that sleeps: every shared step moves the clock.
    clocked: bool,
    /// The program uses a `Pool`: its gates are read as a pool's (`pool.rs`).
    pool: bool,
    /// The order a pool's results arrive in shows (callbacks run in it,
    /// `imap_unordered` yields in it): a task's return meets the others.
    ordered_results: bool,
    /// The program asks a pool's result whether it is in (`ready()`,
    /// `successful()`), which is no gate.
    polls: bool,
}

impl Watch {
    pub fn of(program: &Program, off: &[String]) -> Watch {
        let names = |words: &[&str]| words.iter().any(|w| program.source.contains(w));
        Watch {
            off: off.to_vec(),
            off_counts: (program.expectations.iter())
                .any(|e| matches!(e.check, python::expect::Check::MaxInside { .. })),
            kills: names(&["terminate", "kill"]),
            asks_ends: names(&["is_alive", "exitcode"]),
            clocked: program.lesson.timing == Timing::AsWritten && names(&["sleep"]),
            pool: names(&["Pool"]),
            ordered_results: names(&["callback", "imap_unordered"]),
            polls: names(&["ready(", "successful("]),
        }
    }

    fn is_off(&self, state: &RunState, name: &str) -> bool {
        (self.off.iter()).any(|o| o == name || o == python::ALL_OFF)
            || state.locks.iter().any(|l| l.name == name && l.off)
    }
}

/// Each process of a program's run as the explorer sees it, and what its
/// next step touches: a step that touches nothing shared is local.
pub fn see(state: &RunState, watch: &Watch) -> (Vec<Candidate>, Vec<Footprint>) {
    let fps = trace::at_gates(state, |p| of_next(state, p, watch));
    let movable = state.runnable();
    let c = (0..state.procs.len())
        .map(|p| Candidate {
            at_gate: movable.get(p).copied().unwrap_or(false),
            enabled: enabled(state, p, watch),
            local: fps[p].is_empty(),
        })
        .collect();
    (c, fps)
}

/// The site process `p` is at: its op and the object's name. CPython's
/// own join of a child still running at exit (line 0) is no step of the
/// program's: whether it comes depends on when the child ended, and it
/// changes nothing shared (it waits for an end that has come).
fn site(state: &RunState, p: usize) -> (&str, &str) {
    match &state.procs[p].site {
        Some(s) if s.op == "join" && s.line == 0 => ("exit join", s.name.as_str()),
        Some(s) => (s.op.as_str(), s.name.as_str()),
        None => ("", ""),
    }
}

/// Process `p`'s next step would not block: an acquire finds a permit, a
/// get an item, a recv something to read (or every writer gone), a wait
/// its event set, a join its child ended (or its queue's tasks done).
fn enabled(state: &RunState, p: usize, watch: &Watch) -> bool {
    let (op, name) = site(state, p);
    if let Some(yes) = pool::enabled(state, (op, name), watch) {
        return yes;
    }
    let ipc = &state.ipc;
    let queue = ipc.queues.iter().find(|q| q.name == name);
    match op {
        "acquire" => {
            watch.is_off(state, name)
                || (state.locks.iter().find(|l| l.name == name)).is_none_or(|l| l.available > 0)
        }
        "get" => queue.is_none_or(|q| !q.items.is_empty()),
        "join" | "exit join" => match queue {
            Some(q) => q.unfinished <= 0,
            None => (state.procs.iter()).all(|c| c.role != name || c.phase == Phase::Finished),
        },
        "recv" => (ipc.ends.iter().position(|e| e.name == name))
            .is_none_or(|e| !ipc.ends[e].inbox.is_empty() || ipc.writers_gone(e)),
        // A barrier's wait is an arrival: it is counted in at once (and
        // then sleeps unless it is the last).
        "wait" => (ipc.events.iter().find(|e| e.name == name)).is_none_or(|e| e.set || e.barrier),
        _ => true,
    }
}

/// What process `p`'s next step (the one at its gate) touches.
pub fn of_next(state: &RunState, p: usize, watch: &Watch) -> Footprint {
    let mut fp = Footprint::default();
    let (op, name) = site(state, p);
    gate_objects(state, p, (op, name), watch, &mut fp);
    let proc = &state.procs[p];
    let child = proc.parent.is_some();
    // How far a child got before it was killed is seen; so is whether it
    // had ended when its parent asks (any step may be its last).
    let killable = child && (watch.kills || proc.daemon);
    let daemons: Vec<usize> = (0..state.procs.len())
        .filter(|&d| {
            let c = &state.procs[d];
            c.parent == Some(p) && c.daemon && c.phase != Phase::Finished
                // A pool's workers end only at the pool's `terminate`.
                && pool::is_worker(state, d, watch).is_none()
        })
        .collect();
    let seen = killable || (child && watch.asks_ends) || !daemons.is_empty();
    if fp.is_empty() && !seen {
        return fp;
    }
    fp.add(Obj::Life(p), Kind::Read);
    if watch.clocked {
        fp.add(Obj::Clock, Kind::Write);
    }
    if child {
        // A join waits for the child's end: it follows each of its steps.
        fp.add(Obj::Item(format!("end of {p}"), 0), Kind::Write);
        if watch.asks_ends {
            fp.add(Obj::End(p), Kind::Write);
        }
    }
    // Any step may be the last before the process ends and CPython
    // terminates its daemonic children.
    for d in daemons {
        fp.add(Obj::Life(d), Kind::Write);
    }
    fp
}

/// The objects the gate `(op, name)` of process `p` touches, added to `fp`.
fn gate_objects(
    state: &RunState,
    p: usize,
    (op, name): (&str, &str),
    w: &Watch,
    fp: &mut Footprint,
) {
    use Kind::*;
    if pool::objects(state, p, (op, name), w, fp) {
        return;
    }
    let ipc = &state.ipc;
    let event = ipc.events.iter().any(|e| e.name == name);
    let barrier = ipc.events.iter().any(|e| e.name == name && e.barrier);
    let queue = ipc.queues.iter().any(|q| q.name == name);
    let end = ipc.ends.iter().any(|e| e.name == name);
    let n = || name.to_string();
    match op {
        "print" | "sleep" | "exit join" => {}
        "acquire" | "release" => lock(state, (op, name), w, fp),
        "read" | "write" => {
            fp.add(Obj::Value(n()), if op == "read" { Read } else { Write });
            // `a[0]`, `d['k']`: an item of a container.
            if let Some((base, _)) = name.split_once('[') {
                fp.add(Obj::Shape(base.to_string()), Read);
            }
        }
        "append" => fp.add(Obj::Shape(n()), Write),
        "open" => fp.add(Obj::File(n()), Write),
        // The child takes the next P-number: two starts meet.
        "start" | "manager" => fp.add(Obj::Life(state.procs.len()), Write),
        // Arrivals at a barrier meet: their order is each one's place
        // (what `wait()` returns) and decides who is last.
        "set" | "clear" if event => fp.add(Obj::Event(n()), Write),
        "wait" if barrier => fp.add(Obj::Event(n()), Write),
        "is_set" | "wait" if event => fp.add(Obj::Event(n()), Read),
        "wait" | "notify" | "notify_all" if queue => {
            // A Condition: its wait lets go of its lock and sleeps, a notify
            // wakes the sleepers there are.
            if op == "wait" {
                lock(state, ("release", name), w, fp);
            }
            fp.add(Obj::Tail(n()), Write);
        }
        "put" | "get" | "task_done" | "join" if queue => channel(state, (op, name), fp),
        "send" | "recv" | "close" if end => channel(state, (op, name), fp),
        "join" | "is_alive" | "exitcode" | "terminate" | "kill" => {
            for c in named_children(state, p, name) {
                match op {
                    "join" => fp.add(Obj::Item(format!("end of {c}"), 0), Read),
                    "terminate" | "kill" => {
                        fp.add(Obj::Life(c), Write);
                        fp.add(Obj::End(c), Write);
                    }
                    _ => fp.add(Obj::End(c), Read),
                }
            }
        }
        // A gate the explorer does not know: it meets every other step.
        _ => fp.add(Obj::Any, Write),
    }
}

/// A queue's or a pipe end's step, as the lesson's op of the same name.
fn channel(state: &RunState, (op, name): (&str, &str), fp: &mut Footprint) {
    let n = || name.to_string();
    let op = match op {
        "put" => Op::QueuePut {
            queue: n(),
            expr: None,
            text: None,
        },
        "get" => Op::QueueGet {
            queue: n(),
            into: String::new(),
            timeout_ms: None,
            empty: None,
        },
        "task_done" => Op::TaskDone { queue: n() },
        "join" => Op::QueueJoin { queue: n() },
        "send" => Op::PipeSend {
            end: n(),
            expr: None,
            text: None,
        },
        "recv" => Op::PipeRecv {
            end: n(),
            into: String::new(),
            eof: String::new(),
        },
        _ => Op::PipeClose { end: n() },
    };
    match op {
        Op::PipeSend { .. } | Op::PipeRecv { .. } | Op::PipeClose { .. } => {
            super::channels::pipe(state, &op, fp)
        }
        _ => super::channels::queue(state, &op, fp),
    }
}

/// A lock's acquire or release (`op`); a lock that is off touches nothing,
/// unless the program counts who is inside it.
fn lock(state: &RunState, (op, name): (&str, &str), w: &Watch, fp: &mut Footprint) {
    if w.is_off(state, name) {
        if w.off_counts {
            fp.add(Obj::Room(name.to_string()), Kind::Write);
        }
        return;
    }
    let found = state.locks.iter().find(|l| l.name == name);
    let kind = if op == "acquire" {
        Kind::Acquire
    } else {
        Kind::Release
    };
    let mutex = found.is_none_or(|l| l.permits <= 1);
    fp.add(
        Obj::Lock {
            name: name.to_string(),
            mutex,
        },
        kind,
    );
}

/// The processes `name` names among `p`'s children (every child of `p`
/// if none goes by that name).
fn named_children(state: &RunState, p: usize, name: &str) -> Vec<usize> {
    let of_p = |c: &usize| state.procs[*c].parent == Some(p);
    let named: Vec<usize> = (0..state.procs.len())
        .filter(|c| of_p(c) && state.procs[*c].role == name)
        .collect();
    if named.is_empty() {
        (0..state.procs.len()).filter(of_p).collect()
    } else {
        named
    }
}
