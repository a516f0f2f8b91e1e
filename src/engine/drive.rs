//! Drives one run of a lesson to its end: free run, or a schedule that lets
//! one process through its gate at a time and waits for the system to be
//! quiet before choosing the next, so a schedule always gives the same run.

use std::path::Path;
use std::time::Duration;

use super::controller::{Controller, SETTLE_TIMEOUT, StepRefused};
use crate::lesson::Lesson;
use crate::model::RunState;
use crate::schedule::{Chooser, Policy, Refusal, Scheduler, Sigterm};
use crate::supervisor::Plan;
use crate::wire::Event;
use crate::wire::Setup;

/// A scheduled run that takes more steps than this is stopped as runaway
/// (a lesson's endless loop); a free run has the worker's own cap.
pub const MAX_SCHEDULED_STEPS: u64 = 20_000;

/// A free run stops as runaway after this many times a scheduled run's cap
/// of operations, all processes together.
pub const FREE_RUN_FACTOR: u64 = 5;

/// How a run is paced: gates opening by themselves, or a schedule
/// choosing which process steps next.
#[derive(Debug, Clone, PartialEq)]
pub enum Pace {
    /// Gates open by themselves; sleeps are real, scaled by the speed.
    Free,
    Scheduled(Policy),
}

#[derive(Debug, Clone)]
pub struct Options {
    /// Locks and semaphores switched off.
    pub off: Vec<String>,
    pub speed: f64,
    pub pace: Pace,
    /// Seeds the random sleep lengths.
    pub seed: u64,
    /// The timing model a schedule follows; `None`: the lesson's own.
    pub timing: Option<crate::lesson::Timing>,
    /// SIGTERMs to send under a schedule, each after its step.
    pub sigterms: Vec<Sigterm>,
}

/// Why a run could not be driven to its end. The words room tells it
/// (`Display`).
#[derive(Debug)]
pub enum DriveError {
    /// The run's processes or objects could not be made.
    Start(std::io::Error),
    /// The schedule named a process that could not move.
    Refused {
        refusal: Refusal,
        /// Why the process the schedule named could not move.
        blocked: Option<Box<crate::model::facts::Blocked>>,
    },
    /// The run stopped answering.
    Stuck(String),
}

impl From<std::io::Error> for DriveError {
    fn from(e: std::io::Error) -> DriveError {
        DriveError::Start(e)
    }
}

/// No `source`: the message holds the system's reason already, and an
/// error chain printed whole would say it twice.
impl std::error::Error for DriveError {}

/// How a run ended.
pub struct Finished {
    pub state: RunState,
    /// The schedule as 1-based P-numbers (empty for a free run).
    pub schedule: Vec<usize>,
    pub elapsed: Duration,
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
            children: crate::worker::children::children_of(&slots, slot.number),
            globals: globals.clone(),
            locks: lesson.locks.iter().map(|l| l.name.clone()).collect(),
            rlocks: lesson
                .locks
                .iter()
                .filter(|l| l.reentrant)
                .map(|l| l.name.clone())
                .collect(),
            sleeps_hold: opts.timing.unwrap_or(lesson.timing) == crate::lesson::Timing::AsWritten,
        })
        .collect()
}

pub fn plan<'a>(lesson: &Lesson, setups: Vec<Setup>, exe: &'a Path) -> Plan<'a> {
    Plan {
        values: lesson.value_slots(),
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
        launch: None,
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
pub fn run_to_end(
    lesson: &Lesson,
    opts: &Options,
    exe: &Path,
    watch: &mut dyn FnMut(&Event, &RunState),
) -> Result<Finished, DriveError> {
    match &opts.pace {
        Pace::Free => drive(lesson, opts, exe, None, watch),
        Pace::Scheduled(policy) => {
            let mut sched = Scheduler::new(policy.clone());
            drive(lesson, opts, exe, Some(&mut sched), watch)
        }
    }
}

/// Run `lesson` to its end under a schedule that `chooser` makes step by
/// step, with fresh processes (`opts.pace` is not used).
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
    let c = Controller::start(lesson, opts, exe)?;
    drive_started(c, chooser, &opts.sigterms, watch)
}

/// Run a started run (a real program's) to its end, free or as `pace`
/// says; `watch` sees every event after it is applied.
pub fn run_started(
    c: Controller,
    pace: &Pace,
    watch: &mut dyn FnMut(&Event, &RunState),
) -> Result<Finished, DriveError> {
    match pace {
        Pace::Free => drive_started(c, None, &[], watch),
        Pace::Scheduled(policy) => {
            let mut sched = Scheduler::new(policy.clone());
            drive_started(c, Some(&mut sched), &[], watch)
        }
    }
}

/// Run a started run (a real program's) to its end under a schedule that
/// `chooser` makes step by step (the explorer's).
pub fn run_started_chosen(
    c: Controller,
    chooser: &mut dyn Chooser,
    watch: &mut dyn FnMut(&Event, &RunState),
) -> Result<Finished, DriveError> {
    drive_started(c, Some(chooser), &[], watch)
}

fn drive_started(
    mut c: Controller,
    chooser: Option<&mut dyn Chooser>,
    sigterms: &[Sigterm],
    watch: &mut dyn FnMut(&Event, &RunState),
) -> Result<Finished, DriveError> {
    let cap = step_cap(c.model());
    // Every process first comes to its first gate, so they all start together.
    c.settle(watch)?;
    let mut runaway = false;
    let schedule = match chooser {
        None => {
            for ev in c.set_free(true) {
                watch(&ev, c.model());
            }
            // A free run's endless loops are stopped for the whole run, not
            // only per process after a million operations each.
            let free_cap = cap.saturating_mul(FREE_RUN_FACTOR);
            c.until(
                |s| s.all_gone() || s.deadlock.is_some() || s.steps >= free_cap,
                None,
                watch,
            )?;
            if c.model().steps >= free_cap && !c.model().all_gone() {
                runaway = true;
                c.set_free(false);
            }
            Vec::new()
        }
        Some(sched) => {
            runaway = follow(&mut c, sched, (sigterms, cap), watch)?;
            sched.schedule()
        }
    };
    if runaway {
        let steps = c.model().steps;
        c.model_mut().cut_off(steps.max(cap));
    }
    if c.model().deadlock.is_some() || runaway {
        c.end_stuck(watch)?;
    }
    let elapsed = c.elapsed();
    c.close();
    Ok(Finished {
        state: c.into_model(),
        schedule,
        elapsed,
    })
}

/// How many steps a scheduled run may take before it is stopped as an
/// endless loop: [`MAX_SCHEDULED_STEPS`], or twice the operations of all
/// its processes' programs when that is more (a program without a loop
/// takes each of its operations once: a long one is no endless loop).
pub fn step_cap(model: &RunState) -> u64 {
    let ops: usize = model.procs.iter().map(|p| p.program.len()).sum();
    MAX_SCHEDULED_STEPS.max(2 * ops as u64)
}

/// Step the run as `sched` chooses until it is over; true if it ran away
/// (more than `cap` steps: an endless loop, most likely).
fn follow(
    c: &mut Controller,
    sched: &mut dyn Chooser,
    (sigterms, cap): (&[Sigterm], u64),
    watch: &mut dyn FnMut(&Event, &RunState),
) -> Result<bool, DriveError> {
    let mut sent = 0;
    loop {
        c.settle(watch)?;
        while let Some(s) = sigterms
            .get(sent)
            .filter(|s| s.after_step <= c.steps().len())
        {
            sent += 1;
            c.terminate(s.proc - 1)?;
            c.settle(watch)?;
        }
        if c.is_over() {
            return Ok(false);
        }
        if c.model().steps >= cap {
            return Ok(true);
        }
        match sched.choose(c.model()) {
            Ok(Some(_)) if sched.enough() => {
                // End every process now, as a stuck run is ended.
                c.end_stuck(watch)?;
                return Ok(false);
            }
            Ok(Some(p)) => match c.step(p) {
                Ok(ev) => watch(&ev, c.model()),
                Err(StepRefused::Io(e)) => return Err(DriveError::Start(e)),
                Err(_) => {
                    return Err(DriveError::Refused {
                        refusal: Refusal::Blocked {
                            step: c.steps().len() + 1,
                            proc: p + 1,
                        },
                        blocked: c.model().blocked(p).map(Box::new),
                    });
                }
            },
            Ok(None) => {
                // Everyone has finished but not all are reaped yet.
                c.until(RunState::all_gone, Some(SETTLE_TIMEOUT), watch)?;
                return Ok(false);
            }
            Err(refusal) => {
                let blocked = match &refusal {
                    Refusal::Blocked { proc, .. } => c.model().blocked(proc - 1).map(Box::new),
                    _ => None,
                };
                return Err(DriveError::Refused { refusal, blocked });
            }
        }
    }
}
