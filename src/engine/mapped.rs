//! A lesson's schedule on its real program (`lockstep run LESSON --python
//! --steps …`): the built-in engine runs the lesson under the schedule, and
//! the order in which its processes took their shared operations (acquire,
//! release, read, write) is the order in which the program's processes
//! take theirs. Everything else (a print, a sleep, the program's main
//! process starting and joining its workers, a Manager's server) moves only
//! when the next shared operation's process cannot, so the same schedule
//! gives the same values and the same verdict both ways. Once the order is
//! used up, the program goes on round-robin.

use std::collections::VecDeque;
use std::path::Path;

use super::drive::{self, DriveError, Finished, Options};
use crate::lesson::{Lesson, Op};
use crate::model::RunState;
use crate::schedule::{Chooser, Policy, Refusal, Scheduler};
use crate::wire::EventKind;

/// An operation of the built-in engine another process can see, about to
/// be taken by process `p`: not an RLock's nested acquire or release (a
/// program does not stop there).
fn shared_op(state: &RunState, p: usize, op: &Op) -> bool {
    let nested = |name: &str, held: fn(&crate::model::LockState, usize) -> bool| {
        state
            .locks
            .iter()
            .any(|l| l.name == name && l.reentrant && held(l, p))
    };
    match op {
        Op::Acquire { lock } => !nested(lock, |l, p| l.holders.contains(&p)),
        Op::Release { lock } => !nested(lock, |l, _| l.depth > 1),
        Op::Read { .. } | Op::Write { .. } => true,
        _ => false,
    }
}

/// A program's gate another process can see (`open`: of a shared file).
fn shared_gate(state: &RunState, p: usize) -> bool {
    state.procs[p].site.as_ref().is_some_and(|s| {
        matches!(
            s.op.as_str(),
            "acquire" | "release" | "read" | "write" | "open"
        )
    })
}

/// Run `lesson` with the built-in engine as `opts` says: the run, and
/// which lesson process (0-based) took each of its shared operations.
pub fn shared_order(
    lesson: &Lesson,
    opts: &Options,
    exe: &Path,
) -> Result<(Finished, Vec<usize>), DriveError> {
    let mut order = Vec::new();
    let finished = drive::run_to_end(lesson, opts, exe, &mut |ev, state| {
        if matches!(ev.kind, EventKind::Granted)
            && let Some(step) = state.procs[ev.proc].step()
            && shared_op(state, ev.proc, &step.op)
        {
            order.push(ev.proc);
        }
    })?;
    Ok((finished, order))
}

/// The program's chooser that follows a lesson's order of shared operations.
pub struct Mapped {
    order: VecDeque<usize>,
    /// The lesson's processes all start with the run: the program's main
    /// process (which starts them) is not one of them.
    main_apart: bool,
    rest: Scheduler,
    taken: Vec<usize>,
}

impl Mapped {
    pub fn new(lesson: &Lesson, order: Vec<usize>) -> Mapped {
        let first = lesson.slots();
        let with_run = first.iter().filter(|s| s.parent.is_none()).count();
        Mapped {
            order: order.into(),
            main_apart: with_run > 1,
            rest: Scheduler::new(Policy::RoundRobin),
            taken: Vec::new(),
        }
    }

    /// The program's processes that stand for the lesson's, in order: all
    /// but a Manager's server (and the main process when it is apart).
    fn lesson_procs(&self, state: &RunState) -> Vec<usize> {
        let skip = usize::from(self.main_apart);
        (skip..state.procs.len())
            .filter(|&p| !state.procs[p].role.ends_with("(Manager)"))
            .collect()
    }

    /// The next process to move while the order is not used up.
    fn follow(&mut self, state: &RunState, next: usize) -> Option<usize> {
        let movable = state.runnable();
        let can = |p: usize| movable.get(p).copied().unwrap_or(false);
        let ours = self.lesson_procs(state);
        if let Some(&p) = ours.get(next).filter(|&&p| can(p)) {
            if shared_gate(state, p) {
                self.order.pop_front();
            }
            return Some(p);
        }
        (0..state.procs.len())
            .find(|&p| can(p) && !ours.contains(&p))
            .or_else(|| (0..state.procs.len()).find(|&p| can(p) && !shared_gate(state, p)))
    }
}

impl Chooser for Mapped {
    fn choose(&mut self, state: &RunState) -> Result<Option<usize>, Refusal> {
        let chosen = match self.order.front().copied() {
            Some(next) => match self.follow(state, next) {
                Some(p) => Some(p),
                None if state.runnable().iter().any(|m| *m) => {
                    return Err(Refusal::Diverged {
                        step: self.taken.len() + 1,
                        at_branch: false,
                    });
                }
                None => None,
            },
            None => self.rest.choose(state)?,
        };
        self.taken.extend(chosen);
        Ok(chosen)
    }

    fn schedule(&self) -> Vec<usize> {
        self.taken.iter().map(|p| p + 1).collect()
    }
}
