//! Which processes the explorer may move next, and the sound reduction: a
//! step that touches nothing shared commutes with every other step, so it is
//! taken at once instead of being interleaved. Also the [`Chooser`] that
//! follows the search's branches (or picks at random) during a real run.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::lesson::{Measure, Op};
use crate::model::RunState;
use crate::schedule::{Chooser, Refusal};

use super::branches::Branches;

/// What the explorer knows of one process at a quiet point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    /// Stopped at its gate.
    pub at_gate: bool,
    /// Its next step would not block (an acquire finds a permit free).
    pub enabled: bool,
    /// Its next step touches nothing shared.
    pub local: bool,
}

/// What may happen next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Moves {
    /// One step, no choice to make.
    Forced(usize),
    /// Several processes could move: each is a different schedule.
    Branch(Vec<usize>),
    /// Nobody can move without blocking: let this one block, on the way to
    /// the deadlock the run ends in.
    Doomed(usize),
    /// Everyone has finished.
    Done,
}

/// A step that reads or changes nothing another process can see.
pub fn is_local(op: &Op, is_off: impl Fn(&str) -> bool) -> bool {
    match op {
        Op::Sleep { .. }
        | Op::Set { .. }
        | Op::Jump { .. }
        | Op::JumpIf { .. }
        | Op::Print { .. }
        | Op::Count { .. }
        | Op::Return { .. }
        | Op::Exit { .. }
        | Op::SleepFor { .. }
        | Op::Clock { .. } => true,
        Op::Acquire { lock } | Op::Release { lock } => is_off(lock),
        // Starting, joining and ending processes change what others see.
        Op::Read { .. }
        | Op::Write { .. }
        | Op::Enter { .. }
        | Op::Leave { .. }
        | Op::Start { .. }
        | Op::Join { .. }
        | Op::Terminate { .. }
        | Op::IsAlive { .. }
        | Op::Exitcode { .. } => false,
        // Events, pipes and queues are seen (and waited on) by others.
        _ => false,
    }
}

pub fn moves(c: &[Candidate], reduce: bool) -> Moves {
    let enabled: Vec<usize> = (0..c.len())
        .filter(|&p| c[p].at_gate && c[p].enabled)
        .collect();
    if enabled.is_empty() {
        return match (0..c.len()).find(|&p| c[p].at_gate) {
            Some(p) => Moves::Doomed(p),
            None => Moves::Done,
        };
    }
    if reduce && let Some(&p) = enabled.iter().find(|&&p| c[p].local) {
        return Moves::Forced(p);
    }
    if enabled.len() == 1 {
        return Moves::Forced(enabled[0]);
    }
    Moves::Branch(enabled)
}

/// Some live process may yet end another: it has a `terminate` ahead (or
/// anywhere, if it can jump back), or a daemon child that its end will stop.
fn may_still_kill(state: &RunState) -> bool {
    state.procs.iter().enumerate().any(|(i, p)| {
        if p.is_gone() {
            return false;
        }
        let pc = p.pc.unwrap_or(0);
        let loops = p
            .program
            .iter()
            .any(|s| matches!(s.op, Op::Jump { .. } | Op::JumpIf { .. }));
        let terminates = p
            .program
            .iter()
            .enumerate()
            .any(|(k, s)| matches!(s.op, Op::Terminate { .. }) && (loops || k >= pc));
        let daemon_child = state
            .procs
            .iter()
            .any(|c| c.parent == Some(i) && c.daemon && !c.is_gone())
            || p.program[pc.min(p.program.len())..]
                .iter()
                .chain(if loops { &p.program[..] } else { &[] })
                .any(|s| matches!(s.op, Op::Start { daemon: true, .. }));
        terminates || daemon_child
    })
}

/// A `join` of process `p` would wait for a child still running, and the
/// check does not count zombies: it goes once the child has ended, so that a
/// parent waiting inside `join` and one reaching it after the end are one
/// run (they differ only in whether the child was a zombie for a moment).
fn join_waits(state: &RunState, p: usize, proc: &crate::expr::Expr) -> bool {
    if state.check.measure == Measure::Zombies {
        return false;
    }
    super::footprint::named_child(state, p, proc).is_some_and(|c| {
        let child = &state.procs[c];
        !child.closed && child.phase != crate::model::Phase::Finished
    })
}

/// Each process as the explorer sees it in `state`.
pub fn candidates(state: &RunState) -> Vec<Candidate> {
    let is_off = |name: &str| state.locks.iter().any(|l| l.name == name && l.off);
    let ops = || {
        state
            .procs
            .iter()
            .flat_map(|p| p.program.iter().map(|s| &s.op))
    };
    // In a process tree, a process's end is seen: its parent's join returns,
    // or it was a zombie first. And a child that another process may end
    // (terminate, a daemon at the main code's end) does nothing unseen: how
    // far it got before the signal is what the lesson shows.
    let tree = ops().any(|op| matches!(op, Op::Start { .. }));
    let killing = may_still_kill(state);
    // As written, a sleeper is not at a choice point until the clock reaches it.
    let movable = state.runnable();
    state
        .procs
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let op = p.step().map(|s| &s.op);
            let enabled = match op {
                Some(Op::Acquire { lock }) => state
                    .locks
                    .iter()
                    .find(|l| l.name == *lock)
                    .is_none_or(|l| {
                        l.off || l.available > 0 || l.reentrant && l.holders.contains(&i)
                    }),
                Some(Op::Join {
                    proc,
                    timeout_ms: None,
                }) => !join_waits(state, i, proc),
                Some(op) => !state.ipc.would_block_for(i, op),
                None => true,
            };
            let ends = p.pc.is_some_and(|pc| {
                pc + 1 >= p.program.len() || matches!(op, Some(Op::Exit { .. } | Op::Return { .. }))
            });
            // A count the check orders against another count is seen too.
            let ordered_count = match (&state.check.measure, op) {
                (
                    Measure::OutcomeAfter(m),
                    Some(
                        Op::Count { outcome }
                        | Op::Print {
                            count: Some(outcome),
                            ..
                        },
                    ),
                ) => *outcome == m.outcome || *outcome == m.after,
                _ => false,
            };
            let seen = (tree && ends) || (killing && p.parent.is_some()) || ordered_count;
            Candidate {
                at_gate: movable[i],
                enabled,
                local: !seen && op.is_none_or(|op| is_local(op, is_off)),
            }
        })
        .collect()
}

/// How the explorer's chooser picks at a branch point.
pub enum Pick<'t> {
    /// Follow the search's branches (exhaustive mode).
    Branches(&'t mut Branches),
    /// Uniformly at random (random mode, and size estimates).
    Random(Box<StdRng>),
}

/// The explorer's [`Chooser`]: moves only processes whose step cannot
/// block, takes local steps at once when reducing, and records what the
/// run looked like.
pub struct ExploreChooser<'t> {
    pick: Pick<'t>,
    reduce: bool,
    taken: Vec<usize>,
    /// Steps per process that take part in interleaving.
    pub visible: Vec<usize>,
    /// Product of the branch sizes along this run (Knuth's estimate of the
    /// number of schedules when picks are random).
    pub weight: f64,
    /// What the run did, for its class.
    pub trace: super::trace::Trace,
}

impl<'t> ExploreChooser<'t> {
    pub fn new(pick: Pick<'t>, reduce: bool) -> ExploreChooser<'t> {
        ExploreChooser {
            pick,
            reduce,
            taken: Vec::new(),
            visible: Vec::new(),
            weight: 1.0,
            trace: super::trace::Trace::default(),
        }
    }

    pub fn random(seed: u64, reduce: bool) -> ExploreChooser<'static> {
        ExploreChooser::new(Pick::Random(Box::new(StdRng::seed_from_u64(seed))), reduce)
    }

    fn take(&mut self, p: usize, visible: bool) -> Option<usize> {
        if visible {
            if self.visible.len() <= p {
                self.visible.resize(p + 1, 0);
            }
            self.visible[p] += 1;
        }
        self.taken.push(p);
        Some(p)
    }
}

impl Chooser for ExploreChooser<'_> {
    fn choose(&mut self, state: &RunState) -> Result<Option<usize>, Refusal> {
        let c = candidates(state);
        let fps = self.trace.observe(state, &c);
        let chosen = self.pick_next(&c)?;
        if let Some(p) = chosen {
            self.trace.take(state, p, fps[p].clone());
        }
        Ok(chosen)
    }

    fn schedule(&self) -> Vec<usize> {
        self.taken.iter().map(|p| p + 1).collect()
    }
}

impl ExploreChooser<'_> {
    fn pick_next(&mut self, c: &[Candidate]) -> Result<Option<usize>, Refusal> {
        Ok(match moves(c, self.reduce) {
            Moves::Done => None,
            Moves::Doomed(p) => self.take(p, false),
            Moves::Forced(p) => {
                let visible = !self.reduce || !c[p].local;
                self.take(p, visible)
            }
            Moves::Branch(options) => {
                self.weight *= options.len() as f64;
                let p = match &mut self.pick {
                    Pick::Branches(branches) => {
                        branches.choose(&options).map_err(|_| Refusal::Diverged {
                            step: self.taken.len() + 1,
                            at_branch: false,
                        })?
                    }
                    Pick::Random(rng) => options[rng.random_range(0..options.len())],
                };
                self.take(p, true)
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHARED: Candidate = Candidate {
        at_gate: true,
        enabled: true,
        local: false,
    };
    const LOCAL: Candidate = Candidate {
        at_gate: true,
        enabled: true,
        local: true,
    };
    const BLOCKED: Candidate = Candidate {
        at_gate: true,
        enabled: false,
        local: false,
    };
    const GONE: Candidate = Candidate {
        at_gate: false,
        enabled: true,
        local: true,
    };

    #[test]
    fn local_steps_go_first_without_a_choice() {
        assert_eq!(moves(&[SHARED, LOCAL, SHARED], true), Moves::Forced(1));
        assert_eq!(
            moves(&[SHARED, LOCAL, SHARED], false),
            Moves::Branch(vec![0, 1, 2])
        );
        assert_eq!(moves(&[SHARED, SHARED], true), Moves::Branch(vec![0, 1]));
        assert_eq!(moves(&[GONE, SHARED], true), Moves::Forced(1));
    }

    #[test]
    fn blocked_steps_are_not_offered_until_nothing_else_can_move() {
        assert_eq!(moves(&[BLOCKED, SHARED], true), Moves::Forced(1));
        assert_eq!(
            moves(&[BLOCKED, SHARED, SHARED], true),
            Moves::Branch(vec![1, 2])
        );
        assert_eq!(moves(&[GONE, BLOCKED, BLOCKED], true), Moves::Doomed(1));
        assert_eq!(moves(&[GONE, GONE], true), Moves::Done);
    }

    #[test]
    fn what_touches_shared_state() {
        let off = |n: &str| n == "quiet";
        assert!(is_local(
            &Op::Sleep {
                ms: 5,
                max_ms: None
            },
            off
        ));
        assert!(is_local(
            &Op::Acquire {
                lock: "quiet".into()
            },
            off
        ));
        assert!(!is_local(
            &Op::Acquire {
                lock: "lock".into()
            },
            off
        ));
        assert!(!is_local(
            &Op::Release {
                lock: "lock".into()
            },
            off
        ));
        assert!(!is_local(
            &Op::Read {
                value: "v".into(),
                into: "x".into()
            },
            off
        ));
        assert!(!is_local(&Op::Enter { room: "r".into() }, off));
    }
}
