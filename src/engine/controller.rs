//! The one run controller: owns a run's real processes and its model, and
//! is the only code that starts a run, lets a process through its gate,
//! plays and pauses, terminates, waits for the run to settle, hands a free
//! lock to the waiter whose turn it is, and ends a stuck run. The headless
//! commands, the explorer, the benchmarks and the app all drive runs
//! through it.

use std::path::Path;
use std::time::Duration;

use crossbeam_channel::{Receiver, RecvTimeoutError};

use super::drive::{DriveError, Options, plan, setups};
use crate::lesson::Lesson;
use crate::model::facts::Blocked;
use crate::model::{Phase, ProcId, RunState};
use crate::supervisor::Run;
use crate::wire::{Event, EventKind};

mod measured;

/// How long a process may stay silent while the run settles.
pub const SETTLE_TIMEOUT: Duration = Duration::from_secs(15);

/// Why a step was not taken.
#[derive(Debug)]
pub enum StepRefused {
    /// The process cannot move now, and why.
    Blocked(Blocked),
    /// Another process is still moving: the run is not settled.
    NotSettled,
    /// The run has no processes (a detached view).
    NoRun,
    /// The process could not be told (its connection failed).
    Io(std::io::Error),
}

/// A run's processes and its model, and what has been done to them.
pub struct Controller {
    run: Option<Run>,
    model: RunState,
    /// Gates open by themselves (a free run).
    free: bool,
    /// Each step taken, as the process let through.
    steps: Vec<ProcId>,
}

impl Controller {
    /// Start `lesson`'s processes; each stops at its first gate.
    pub fn start(lesson: &Lesson, opts: &Options, exe: &Path) -> Result<Controller, DriveError> {
        let run = Run::start(plan(lesson, setups(lesson, opts), exe))?;
        Ok(Controller {
            run: Some(run),
            model: RunState::new(lesson, &opts.off)
                .with_timing(opts.timing.unwrap_or(lesson.timing)),
            free: false,
            steps: Vec::new(),
        })
    }

    /// Start a run from its plan, folded into `model` (a real program's
    /// run: its processes and objects appear in the model as they start).
    pub fn start_plan(
        plan: crate::supervisor::Plan,
        model: RunState,
    ) -> Result<Controller, DriveError> {
        let run = Run::start(plan)?;
        Ok(Controller {
            run: Some(run),
            model,
            free: false,
            steps: Vec::new(),
        })
    }

    /// A controller that shows `model` without processes (tests, previews).
    pub fn detached(model: RunState) -> Controller {
        Controller {
            run: None,
            model,
            free: false,
            steps: Vec::new(),
        }
    }

    pub fn model(&self) -> &RunState {
        &self.model
    }

    /// For views that keep their own marks on the model (tests, previews).
    pub fn model_mut(&mut self) -> &mut RunState {
        &mut self.model
    }

    pub fn into_model(self) -> RunState {
        self.model
    }

    pub fn has_run(&self) -> bool {
        self.run.is_some()
    }

    pub fn is_free(&self) -> bool {
        self.free
    }

    /// The steps taken so far, in order.
    pub fn steps(&self) -> &[ProcId] {
        &self.steps
    }

    /// The run's events, for a caller that waits on several channels.
    pub fn events(&self) -> Option<Receiver<Event>> {
        self.run.as_ref().map(|r| r.events().clone())
    }

    /// Time since the run started.
    pub fn elapsed(&self) -> Duration {
        self.run.as_ref().map(Run::elapsed).unwrap_or_default()
    }

    /// The pid of a process the supervisor started.
    pub fn pid(&self, p: usize) -> Option<u32> {
        self.run.as_ref().and_then(|r| r.pid(p))
    }

    /// Every process has ended and been reaped, or the run is stuck.
    pub fn is_over(&self) -> bool {
        self.model.all_gone() || self.model.deadlock.is_some()
    }

    /// Fold one event into the model; while stepping, a queued waiter whose
    /// lock is free is then given its turn.
    pub fn apply(&mut self, ev: &Event) {
        self.model.apply(ev);
        if !self.free
            && let (Some(p), Some(run)) = (self.model.turn_due(), &self.run)
            && let Ok(ev) = run.give_turn(p)
        {
            self.model.apply(&ev);
        }
    }

    /// Apply events until `done` holds; `watch` sees each event after it is
    /// applied. `timeout` bounds each wait for the next event.
    pub fn until(
        &mut self,
        done: impl Fn(&RunState) -> bool,
        timeout: Option<Duration>,
        watch: &mut dyn FnMut(&Event, &RunState),
    ) -> Result<(), DriveError> {
        let Some(rx) = self.events() else {
            return Ok(());
        };
        while !done(&self.model) {
            let ev = match timeout {
                Some(t) => rx.recv_timeout(t).map_err(|e| match e {
                    RecvTimeoutError::Timeout => self.silent_for(t),
                    RecvTimeoutError::Disconnected => closed(),
                })?,
                None => rx.recv().map_err(|_| closed())?,
            };
            self.apply(&ev);
            watch(&ev, &self.model);
        }
        Ok(())
    }

    /// Wait until nothing moves but by a step (or the run is over).
    pub fn settle(&mut self, watch: &mut dyn FnMut(&Event, &RunState)) -> Result<(), DriveError> {
        self.until(
            |s| s.is_quiet() || s.deadlock.is_some(),
            Some(SETTLE_TIMEOUT),
            watch,
        )
    }

    fn silent_for(&self, t: Duration) -> DriveError {
        let silent: Vec<String> = self
            .model
            .procs
            .iter()
            .enumerate()
            .filter(|(_, p)| matches!(p.phase, Phase::Running | Phase::Starting))
            .map(|(i, _)| ProcId(i).to_string())
            .collect();
        // Nobody is running: those the run still waits for.
        let silent = match silent.is_empty() {
            true => self
                .model
                .alive()
                .into_iter()
                .map(|p| ProcId(p).to_string())
                .collect(),
            false => silent,
        };
        DriveError::Stuck(format!(
            "no report for {} s from {}",
            t.as_secs(),
            silent.join(", ")
        ))
    }

    /// Let process `p` through its gate once, if it can move now. Returns
    /// the `Granted` event it applied, for a caller that shows events.
    pub fn step(&mut self, p: usize) -> Result<Event, StepRefused> {
        if let Some(b) = self.model.blocked(p) {
            return Err(StepRefused::Blocked(b));
        }
        if !self.model.is_quiet() {
            return Err(StepRefused::NotSettled);
        }
        let run = self.run.as_ref().ok_or(StepRefused::NoRun)?;
        // As written, the clock at this step: its wake-up, if it slept.
        let clock = &self.model.clock;
        if clock.timing == crate::lesson::Timing::AsWritten {
            run.tell_clock(clock.asleep_until(p).unwrap_or(clock.now_ms));
        }
        let ev = run.grant(p).map_err(StepRefused::Io)?;
        self.model.apply(&ev);
        self.steps.push(ProcId(p));
        Ok(ev)
    }

    /// Open every gate (a free run), or close them again. Returns a
    /// `Granted` event for each process that was waiting at its gate and
    /// goes on now, for a caller that shows events.
    pub fn set_free(&mut self, on: bool) -> Vec<Event> {
        let Some(run) = &self.run else {
            return Vec::new();
        };
        self.free = on;
        run.set_free(on);
        let at = run.elapsed();
        let passing: Vec<Event> = (0..self.model.procs.len())
            .filter(|&p| on && self.model.procs[p].phase == Phase::AtGate)
            .map(|proc| Event {
                proc,
                at,
                kind: EventKind::Granted,
            })
            .collect();
        self.model.apply(&Event {
            proc: 0,
            at,
            kind: EventKind::FreeRun { on },
        });
        for ev in &passing {
            self.model.apply(ev);
        }
        passing
    }

    pub fn set_speed(&self, speed: f64) {
        if let Some(run) = &self.run {
            run.set_speed(speed);
        }
    }

    /// SIGTERM to process `p`, as Python's `terminate()`.
    pub fn terminate(&mut self, p: usize) -> std::io::Result<()> {
        let Some(run) = &self.run else { return Ok(()) };
        let at = run.elapsed();
        run.terminate(p)?;
        self.model.apply(&Event {
            proc: p,
            at,
            kind: EventKind::SigtermSent,
        });
        Ok(())
    }

    /// A stuck or runaway run: end every process still alive (their endings
    /// are still recorded, and the model knows lockstep ended them) and
    /// wait until all are gone.
    pub fn end_stuck(
        &mut self,
        watch: &mut dyn FnMut(&Event, &RunState),
    ) -> Result<(), DriveError> {
        if let Some(run) = &self.run {
            let alive = self.model.alive();
            for &p in &alive {
                self.model.stopping(p);
            }
            // A started child stays in its lesson process's group, also once
            // that process is gone (killed from outside): end the group.
            for p in 0..run.len() {
                if let Some(pid) = run.pid(p)
                    && alive.iter().any(|&a| self.model.root_of(a) == p)
                {
                    let _ = crate::platform::kill_group(pid);
                }
            }
        }
        self.until(RunState::all_gone, Some(SETTLE_TIMEOUT), watch)
    }

    /// Stop the processes (if any are left) and remove the run's objects.
    pub fn close(&mut self) {
        self.run = None;
    }
}

fn closed() -> DriveError {
    DriveError::Stuck("event channel closed".into())
}

/// A `watch` that looks at nothing.
pub fn unwatched(_: &Event, _: &RunState) {}
