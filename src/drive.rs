//! Drives one run of a lesson to its end: free run, or a schedule that lets
//! one process through its gate at a time and waits for the system to be
//! quiet before choosing the next, so a schedule always gives the same run.

use std::path::Path;
use std::time::Duration;

use crossbeam_channel::RecvTimeoutError;

use crate::lesson::Lesson;
use crate::schedule::{Chooser, Policy, Refusal, Scheduler};
use crate::state::RunState;
use crate::supervisor::{Plan, Run};
use crate::wire::Event;
use crate::wire::Setup;

/// A scheduled run that takes more steps than this is stopped as runaway
/// (a lesson's endless loop); a free run has the worker's own cap.
pub const MAX_SCHEDULED_STEPS: u64 = 20_000;

/// How long a process may stay silent in the middle of a scheduled step.
const STEP_TIMEOUT: Duration = Duration::from_secs(15);

#[derive(Debug, Clone, PartialEq)]
pub enum Mode {
    /// Gates open by themselves; sleeps are real, scaled by the speed.
    Free,
    Scheduled(Policy),
}

#[derive(Debug, Clone)]
pub struct Options {
    /// Locks and semaphores switched off.
    pub off: Vec<String>,
    pub speed: f64,
    pub mode: Mode,
    /// Seeds the random sleep lengths.
    pub seed: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum DriveError {
    #[error("failed to start the run: {0}")]
    Start(#[from] std::io::Error),
    #[error(
        "failed to follow the schedule: {}",
        crate::words::run::refusal(refusal, blocked.as_deref(), crate::lesson::Lang::En)
    )]
    Refused {
        refusal: Refusal,
        /// Why the process the schedule named could not move.
        blocked: Option<Box<crate::state::facts::Blocked>>,
    },
    #[error("failed to finish the run: {0}")]
    Stuck(String),
}

/// How a run ended.
pub struct Finished {
    pub state: RunState,
    /// The schedule as 1-based P-numbers (empty for a free run).
    pub schedule: Vec<usize>,
    pub elapsed: Duration,
    /// At some point several processes waited for the same lock: which one
    /// the kernel woke is not in the schedule, so a replay may differ.
    pub contended: bool,
}

/// Each process's setup for a plain (non-pool) run of `lesson`.
pub fn setups(lesson: &Lesson, opts: &Options) -> Vec<Setup> {
    let slots = lesson.slots();
    let globals: Vec<(String, i64)> = lesson
        .globals
        .iter()
        .map(|g| (g.name.clone(), g.initial))
        .collect();
    slots
        .iter()
        .map(|slot| Setup {
            number: slot.number,
            index: slot.index,
            program: lesson.program(&slot.role).to_vec(),
            semaphores: Vec::new(),
            off: opts.off.clone(),
            free: false,
            speed: opts.speed,
            seed: opts.seed,
            pool_worker: false,
            arg: None,
            parent: slot.parent,
            children: crate::worker::tree::children_of(&slots, slot.number),
            globals: globals.clone(),
            locks: lesson.locks.iter().map(|l| l.name.clone()).collect(),
        })
        .collect()
}

pub fn plan<'a>(lesson: &Lesson, setups: Vec<Setup>, exe: &'a Path) -> Plan<'a> {
    Plan {
        values: lesson
            .values
            .iter()
            .map(|v| (v.name.clone(), v.initial))
            .collect(),
        semaphores: lesson
            .resources()
            .into_iter()
            .map(|r| (r.name, r.permits))
            .chain(crate::lesson::ipc::semaphores(lesson))
            .collect(),
        channels: crate::lesson::ipc::channels(lesson),
        servers: lesson
            .servers
            .iter()
            .map(|srv| {
                let holders = (0..setups.len())
                    .filter(|&i| setups[i].parent.is_none() && accepts(&setups, i, &srv.name, 0))
                    .collect();
                (srv.name.clone(), holders)
            })
            .collect(),
        setups,
        exe,
    }
}

/// Process `i` accepts on `server`, or starts a process that does (which
/// then needs its parent's copy of the listening socket).
fn accepts(setups: &[Setup], i: usize, server: &str, depth: usize) -> bool {
    let s = &setups[i];
    depth < setups.len()
        && (s
            .program
            .iter()
            .any(|st| matches!(&st.op, crate::lesson::Op::Accept { server: x, .. } if x == server))
            || s.children.iter().any(|(_, kids)| {
                kids.iter().any(|&k| {
                    k >= 1 && k <= setups.len() && accepts(setups, k - 1, server, depth + 1)
                })
            }))
}

/// Run `lesson` to its end; `watch` sees every event after it is applied.
pub fn run(
    lesson: &Lesson,
    opts: &Options,
    exe: &Path,
    watch: &mut dyn FnMut(&Event, &RunState),
) -> Result<Finished, DriveError> {
    match &opts.mode {
        Mode::Free => drive(lesson, opts, exe, None, watch),
        Mode::Scheduled(policy) => {
            let mut sched = Scheduler::new(policy.clone());
            drive(lesson, opts, exe, Some(&mut sched), watch)
        }
    }
}

/// Run `lesson` to its end under a schedule that `chooser` makes step by
/// step, with fresh processes (`opts.mode` is not used).
pub fn run_chosen(
    lesson: &Lesson,
    opts: &Options,
    exe: &Path,
    chooser: &mut dyn Chooser,
    watch: &mut dyn FnMut(&Event, &RunState),
) -> Result<Finished, DriveError> {
    drive(lesson, opts, exe, Some(chooser), watch)
}

fn drive(
    lesson: &Lesson,
    opts: &Options,
    exe: &Path,
    chooser: Option<&mut dyn Chooser>,
    watch: &mut dyn FnMut(&Event, &RunState),
) -> Result<Finished, DriveError> {
    let run = Run::start(plan(lesson, setups(lesson, opts), exe))?;
    let mut state = RunState::new(lesson, &opts.off);
    let mut d = Driver {
        run: &run,
        state: &mut state,
        watch,
    };
    // Every process first comes to its first gate, so they all start together.
    d.settle()?;
    let mut contended = false;
    let mut runaway = false;
    let schedule = match chooser {
        None => {
            run.set_free(true);
            for p in 0..run.len() {
                if d.state.procs[p].phase == crate::state::Phase::AtGate {
                    d.apply(&Event {
                        proc: p,
                        at: run.elapsed(),
                        kind: crate::wire::EventKind::Granted,
                    });
                }
            }
            d.until(|s| s.all_gone() || s.deadlock.is_some(), None)?;
            Vec::new()
        }
        Some(sched) => {
            loop {
                d.settle()?;
                contended |= d
                    .state
                    .locks
                    .iter()
                    .any(|l| l.waiters.iter().filter(|w| !l.queued.contains(w)).count() > 1);
                if d.state.all_gone() || d.state.deadlock.is_some() {
                    break;
                }
                if d.state.steps >= MAX_SCHEDULED_STEPS {
                    runaway = true;
                    break;
                }
                match sched.choose(d.state) {
                    Ok(Some(p)) => {
                        let ev = run.grant(p)?;
                        d.apply(&ev);
                    }
                    Ok(None) => {
                        // Everyone has finished but not all are reaped yet.
                        d.until(RunState::all_gone, Some(STEP_TIMEOUT))?;
                        break;
                    }
                    Err(refusal) => {
                        let blocked = match &refusal {
                            Refusal::Blocked { proc, .. } => {
                                d.state.blocked(proc - 1).map(Box::new)
                            }
                            _ => None,
                        };
                        return Err(DriveError::Refused { refusal, blocked });
                    }
                }
            }
            sched.schedule()
        }
    };
    if runaway {
        d.state.cut_off(MAX_SCHEDULED_STEPS);
    }
    if d.state.deadlock.is_some() || runaway {
        // The stuck processes are ended; their endings are still recorded.
        for p in 0..run.len() {
            if let Some(pid) = run.pid(p)
                && !d.state.procs[p].is_gone()
            {
                let _ = crate::posix::signal_group(pid, libc::SIGKILL);
            }
        }
        d.until(|s| s.all_gone(), Some(STEP_TIMEOUT))?;
    }
    let elapsed = run.elapsed();
    drop(run);
    Ok(Finished {
        state,
        schedule,
        elapsed,
        contended,
    })
}

struct Driver<'a, 'w> {
    run: &'a Run,
    state: &'a mut RunState,
    watch: &'w mut dyn FnMut(&Event, &RunState),
}

impl Driver<'_, '_> {
    /// Wait until nothing moves but by the schedule's choice, giving each
    /// queued waiter its turn at a free lock on the way.
    fn settle(&mut self) -> Result<(), DriveError> {
        loop {
            self.until(
                |s| s.is_quiet() || s.turn_due().is_some(),
                Some(STEP_TIMEOUT),
            )?;
            match self.state.turn_due() {
                Some(p) => {
                    let ev = self.run.give_turn(p)?;
                    self.apply(&ev);
                }
                None => return Ok(()),
            }
        }
    }

    /// Apply events until `done` holds. `timeout` bounds each wait for the next event.
    fn until(
        &mut self,
        done: impl Fn(&RunState) -> bool,
        timeout: Option<Duration>,
    ) -> Result<(), DriveError> {
        while !done(self.state) {
            let ev = match timeout {
                Some(t) => match self.run.events().recv_timeout(t) {
                    Ok(ev) => ev,
                    Err(RecvTimeoutError::Timeout) => {
                        let silent: Vec<String> = self
                            .state
                            .procs
                            .iter()
                            .filter(|p| {
                                matches!(
                                    p.phase,
                                    crate::state::Phase::Running | crate::state::Phase::Starting
                                )
                            })
                            .map(|p| format!("P{}", p.number))
                            .collect();
                        return Err(DriveError::Stuck(format!(
                            "no report for {} s from {}",
                            t.as_secs(),
                            silent.join(", ")
                        )));
                    }
                    Err(RecvTimeoutError::Disconnected) => {
                        return Err(DriveError::Stuck("event channel closed".into()));
                    }
                },
                None => self
                    .run
                    .events()
                    .recv()
                    .map_err(|_| DriveError::Stuck("event channel closed".into()))?,
            };
            self.apply(&ev);
        }
        Ok(())
    }

    fn apply(&mut self, ev: &Event) {
        self.state.apply(ev);
        (self.watch)(ev, self.state);
    }
}
