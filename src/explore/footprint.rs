//! What one step touches that another process can see: its *footprint*,
//! the shared objects it reads or changes. Two steps of different processes
//! are *dependent* when their footprints meet (one writes what the other
//! reads or writes, or both take the same lock); the reduction only ever
//! reorders independent steps. See docs/explorer.md.

use crate::lesson::{Op, Timing};
use crate::model::{Phase, RunState};

/// A shared object a step can touch.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Obj {
    Value(String),
    /// A lock or semaphore (`mutex`: one permit, so a release and an
    /// acquire of it are never both possible at once).
    Lock {
        name: String,
        mutex: bool,
    },
    Room(String),
    /// The two counts the check orders against each other.
    Count(String),
    Event(String),
    /// A queue, or a pipe end's inbox, or a server's waiting connections:
    /// where the next item is put (`Tail`) and taken (`Head`), item `k`
    /// itself, whether the end is closed for good (`Eof`), and how many
    /// items are not yet marked done (`Unfinished`).
    Tail(String),
    Head(String),
    Item(String, u64),
    Eof(String),
    Unfinished(String),
    /// The copies of a socket open in processes.
    Holders(String),
    /// One connection (both its sides).
    Conn(usize),
    /// Every socket together (one that cannot be told apart).
    Net,
    /// Whether process `i` runs on: started, killed, stopped with its parent.
    Life(usize),
    /// Process `i`'s end as others see it: ended, reaped, orphaned.
    End(usize),
    /// The virtual clock of the *as written* timing model.
    Clock,
    /// A real program's container of items (an `Array`, a Manager's dict
    /// or list): its items are read and written under their own names, an
    /// `append` changes which items there are.
    Shape(String),
    /// A file a real program opens, by its path as given.
    File(String),
    /// Everything: a step the explorer does not know (it meets every other).
    Any,
}

/// How a step touches an object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Read,
    Write,
    Acquire,
    Release,
    /// An update that commutes with others like it (a count going up or down).
    Add,
}

/// Everything one step touches; empty for a step that touches nothing shared.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Footprint(pub Vec<(Obj, Kind)>);

/// Two accesses to `obj` do not commute. Two reads of one value count as
/// dependent too: a class is then one order of the steps on each shared
/// value, the orders a learner counts by hand.
fn conflict(obj: &Obj, a: Kind, b: Kind) -> bool {
    use Kind::*;
    match (a, b) {
        (Read, Read) => matches!(obj, Obj::Value(_)),
        (Release, Release) | (Add, Add) => false,
        (Write, _) | (_, Write) | (Add, Read) | (Read, Add) => true,
        // Nothing reads a lock; acquires and releases meet.
        (Read, _) | (_, Read) | (Add, _) | (_, Add) => false,
        _ => true,
    }
}

impl Footprint {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The two steps do not commute (or one may enable or disable the other).
    pub fn dependent(&self, other: &Footprint) -> bool {
        if self.is_any() && !other.is_empty() || other.is_any() && !self.is_empty() {
            return true;
        }
        self.0.iter().any(|(o, k)| {
            other
                .0
                .iter()
                .any(|(o2, k2)| o == o2 && conflict(o, *k, *k2))
        })
    }

    /// A step the explorer does not know: it meets every other.
    fn is_any(&self) -> bool {
        self.0.iter().any(|(o, _)| *o == Obj::Any)
    }

    /// Dependent, and the two steps may both be possible in one state: a
    /// release and an acquire of a one-permit lock never are (the releaser
    /// holds it), so such a pair alone is no race.
    pub fn may_race(&self, other: &Footprint) -> bool {
        if self.is_any() && !other.is_empty() || other.is_any() && !self.is_empty() {
            return true;
        }
        self.0.iter().any(|(o, k)| {
            other.0.iter().any(|(o2, k2)| {
                o == o2
                    && conflict(o, *k, *k2)
                    && !(matches!(o, Obj::Lock { mutex: true, .. })
                        && matches!(
                            (k, k2),
                            (Kind::Acquire, Kind::Release) | (Kind::Release, Kind::Acquire)
                        ))
                    // Item k is taken only after it was put.
                    && !(matches!(o, Obj::Item(..))
                        && matches!((k, k2), (Kind::Write, Kind::Read) | (Kind::Read, Kind::Write)))
            })
        })
    }

    pub(super) fn add(&mut self, obj: Obj, kind: Kind) {
        self.0.push((obj, kind));
    }
}

/// The process a `join`, `terminate`, `is_alive` or `exitcode` of process
/// `p` names, 0-based; `None` when its expression cannot be worked out.
pub(super) fn named_child(state: &RunState, p: usize, expr: &crate::expr::Expr) -> Option<usize> {
    let locals = &state.procs[p].locals;
    let n = expr.eval(&|name: &str| locals.get(name).copied()).ok()?;
    usize::try_from(n)
        .ok()
        .filter(|&n| n >= 1 && n <= state.procs.len())
        .map(|n| n - 1)
}

fn children(state: &RunState, p: usize) -> impl Iterator<Item = usize> + '_ {
    (0..state.procs.len()).filter(move |&c| state.procs[c].parent == Some(p))
}

/// Whether a step of process `p` running `op` (at `pc`) is seen by others,
/// decided by the lesson alone (not by how far the run is): a step that
/// touches nothing shared is still seen when it ends a process in a tree,
/// when the process may be killed before it (a daemon, or a lesson with a
/// terminate), or when it makes a count the check orders.
fn seen(state: &RunState, p: usize, op: &Op, ends: bool) -> bool {
    let ops = || {
        state
            .procs
            .iter()
            .flat_map(|q| q.program.iter().map(|s| &s.op))
    };
    let tree = ops().any(|op| matches!(op, Op::Start { .. }));
    let proc = &state.procs[p];
    let killable = proc.parent.is_some()
        && (proc.daemon || ops().any(|op| matches!(op, Op::Terminate { .. })));
    let is_off = |name: &str| state.locks.iter().any(|l| l.name == name && l.off);
    !super::moves::is_local(op, is_off) || (tree && ends) || killable
}

/// What process `p`'s next step (the one at its gate) touches: the same
/// whenever it is asked, so that two runs agree on what one step touches.
pub fn of_next(state: &RunState, p: usize) -> Footprint {
    let mut fp = Footprint::default();
    let proc = &state.procs[p];
    let Some(op) = proc.step().map(|s| &s.op) else {
        return fp;
    };
    let pc = proc.pc.unwrap_or(0);
    let ends = pc + 1 >= proc.program.len() || matches!(op, Op::Exit { .. } | Op::Return { .. });
    op_objects(state, p, op, &mut fp);
    if fp.is_empty() && !seen(state, p, op, ends) {
        return fp;
    }
    // Every step of a process happens while it runs: it meets its own start,
    // a terminate, or its parent's end that stops it.
    fp.add(Obj::Life(p), Kind::Read);
    let clocked = state.clock.timing == Timing::AsWritten
        && state.procs.iter().any(|q| {
            q.program
                .iter()
                .any(|s| matches!(s.op, Op::Sleep { .. } | Op::SleepFor { .. }))
        });
    if clocked {
        // As written, who may move depends on every sleep: one order for all.
        fp.add(Obj::Clock, Kind::Write);
    }
    if ends {
        fp.add(Obj::End(p), Kind::Write);
        fp.add(Obj::Item(format!("end of {p}"), 0), Kind::Write);
        for c in children(state, p).collect::<Vec<_>>() {
            // Its end stops its daemon children and orphans the others.
            let kind = if state.procs[c].daemon {
                Obj::Life(c)
            } else {
                Obj::End(c)
            };
            fp.add(kind, Kind::Write);
        }
    }
    fp
}

/// The objects op `op` of process `p` touches, added to `fp`.
fn op_objects(state: &RunState, p: usize, op: &Op, fp: &mut Footprint) {
    use Kind::*;
    match op {
        // An Array's slots as one object (`a[i]` and `a[0]` may be one slot).
        Op::Read { value, .. } => fp.add(Obj::Value(array_of(value)), Read),
        Op::Write { value, .. } => fp.add(Obj::Value(array_of(value)), Write),
        Op::Acquire { lock } | Op::Release { lock } => {
            let found = state.locks.iter().find(|l| l.name == *lock);
            if found.is_some_and(|l| l.off) {
                return;
            }
            let mutex = found.is_none_or(|l| l.permits <= 1);
            let kind = if matches!(op, Op::Acquire { .. }) {
                Acquire
            } else {
                Release
            };
            fp.add(
                Obj::Lock {
                    name: lock.clone(),
                    mutex,
                },
                kind,
            );
        }
        Op::Enter { room } | Op::Leave { room } => fp.add(Obj::Room(room.clone()), Write),
        Op::Count { outcome }
        | Op::Print {
            count: Some(outcome),
            ..
        } => {
            // Counts add up in any order, unless the check orders two of them.
            if let crate::lesson::Measure::OutcomeAfter(m) = &state.check.measure
                && (*outcome == m.outcome || *outcome == m.after)
            {
                fp.add(
                    Obj::Count(format!("{} after {}", m.outcome, m.after)),
                    Write,
                )
            }
        }
        Op::Start { .. }
        | Op::Join { .. }
        | Op::IsAlive { .. }
        | Op::Exitcode { .. }
        | Op::Terminate { .. } => tree_objects(state, p, op, fp),
        Op::EventSet { event } | Op::EventClear { event } => {
            fp.add(Obj::Event(event.clone()), Write)
        }
        Op::EventWait { event, .. } | Op::EventIsSet { event, .. } => {
            fp.add(Obj::Event(event.clone()), Read)
        }
        Op::PipeSend { .. } | Op::PipeRecv { .. } | Op::PipeClose { .. } => {
            super::channels::pipe(state, op, fp)
        }
        Op::QueuePut { .. } | Op::QueueGet { .. } | Op::TaskDone { .. } | Op::QueueJoin { .. } => {
            super::channels::queue(state, op, fp)
        }
        Op::Accept { .. }
        | Op::Connect { .. }
        | Op::SockSend { .. }
        | Op::SockRecv { .. }
        | Op::SockClose { .. } => super::channels::socket(state, p, op, fp),
        // Local by nature (seen only through a kill or a process's end).
        Op::Sleep { .. }
        | Op::Set { .. }
        | Op::Jump { .. }
        | Op::JumpIf { .. }
        | Op::Print { .. }
        | Op::Return { .. }
        | Op::Exit { .. }
        | Op::SleepFor { .. }
        | Op::Clock { .. } => {}
    }
}

/// What a step on a child touches: `start`, `join`, `is_alive`,
/// `exitcode`, `terminate`.
fn tree_objects(state: &RunState, p: usize, op: &Op, fp: &mut Footprint) {
    use Kind::*;
    let child_ops = |fp: &mut Footprint, expr, life: Option<Kind>, end: Kind| {
        let named: Vec<usize> = match named_child(state, p, expr) {
            Some(c) => vec![c],
            None => children(state, p).collect(),
        };
        for c in named {
            if let Some(k) = life {
                fp.add(Obj::Life(c), k);
            }
            fp.add(Obj::End(c), end);
        }
    };
    match op {
        Op::Start { role, .. } => {
            let child = children(state, p).find(|&c| {
                state.procs[c].role == *role && state.procs[c].phase == Phase::NotStarted
            });
            match child {
                Some(c) => fp.add(Obj::Life(c), Write),
                None => children(state, p).for_each(|c| fp.add(Obj::Life(c), Write)),
            }
        }
        Op::Join {
            proc,
            timeout_ms: None,
        } if state.check.measure != crate::lesson::Measure::Zombies => {
            // The explorer lets a join go only once its child has ended
            // (`moves::join_waits`): it takes that end as an item is taken.
            match named_child(state, p, proc) {
                Some(c) => fp.add(Obj::Item(format!("end of {c}"), 0), Read),
                None => child_ops(fp, proc, None, Write),
            }
        }
        Op::Join { proc, .. } | Op::IsAlive { proc, .. } => child_ops(fp, proc, None, Write),
        Op::Exitcode { proc, .. } => child_ops(fp, proc, None, Read),
        Op::Terminate { proc } => child_ops(fp, proc, Some(Write), Write),
        _ => {}
    }
}

/// `a` for a slot `a[i]` of an Array; a Value's own name.
fn array_of(value: &str) -> String {
    crate::lesson::split_index(value)
        .map_or(value, |(base, _)| base)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fp(items: &[(Obj, Kind)]) -> Footprint {
        Footprint(items.to_vec())
    }

    #[test]
    fn reads_commute_writes_do_not() {
        let v = || Obj::Value("count".into());
        let read = fp(&[(v(), Kind::Read)]);
        let write = fp(&[(v(), Kind::Write)]);
        assert!(read.dependent(&read), "one value: the learner's orders");
        assert!(read.dependent(&write));
        let wait = fp(&[(Obj::Event("e".into()), Kind::Read)]);
        assert!(!wait.dependent(&wait));
        assert!(write.dependent(&write));
        let other = fp(&[(Obj::Value("x".into()), Kind::Write)]);
        assert!(!write.dependent(&other));
        assert!(!Footprint::default().dependent(&write));
    }

    #[test]
    fn a_mutex_release_and_acquire_depend_but_never_race() {
        let l = |mutex| Obj::Lock {
            name: "lock".into(),
            mutex,
        };
        let acq = fp(&[(l(true), Kind::Acquire)]);
        let rel = fp(&[(l(true), Kind::Release)]);
        assert!(acq.dependent(&rel) && acq.may_race(&acq));
        assert!(!acq.may_race(&rel) && !rel.dependent(&rel));
        let sem_acq = fp(&[(l(false), Kind::Acquire)]);
        let sem_rel = fp(&[(l(false), Kind::Release)]);
        assert!(sem_acq.may_race(&sem_rel));
    }
}
