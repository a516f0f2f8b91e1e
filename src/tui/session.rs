//! One live run of a lesson in the app: the engine's controller (the real
//! processes and their model), and what the learner does to them (step,
//! play, pause, terminate, restart, switch locks). Undo is in `replay`, the
//! pool lesson's measured run in `pool_run`.

use std::path::PathBuf;
use std::time::Duration;

use crossbeam_channel::Receiver;

use crate::challenge::Pursuit;
use crate::engine::{Controller, StepRefused};
use crate::lesson::{Lesson, Text};
use crate::model::{Phase, ProcId, RunState};
use crate::wire::Event;
use crate::words::notes;

mod end;
mod goals;
mod new_file;
mod pool_run;
mod program;
mod replay;
mod switches;
pub use crate::words::notes::{note, same};
pub use replay::Action;
use replay::Later;

/// The pool lesson's measured run, or why it failed.
pub type PoolResult = Result<crate::pool::PoolRun, String>;

/// The mode the run screen's header names: STEP, RUN, PAUSED or DONE.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunMode {
    /// Stopped at the gates; the learner steps.
    Step,
    /// Free run: gates open by themselves, sleeps are real.
    Running,
    /// A free run the learner paused.
    Paused,
    /// Every process ended, or a deadlock.
    Done,
}

pub struct Session {
    pub lesson: Lesson,
    pub off: Vec<String>,
    pub speed: f64,
    /// The run's processes and its model.
    run: Controller,
    pub mode: RunMode,
    /// Steps the learner took, as 1-based P-numbers.
    pub schedule: Vec<usize>,
    /// The OS state letter of each process, read from /proc on each tick.
    pub os_state: Vec<Option<char>>,
    /// One line of feedback ("P3 waits for mutex, held by P1").
    pub message: Option<Text>,
    /// The pool lesson runs both timed phases in the background.
    /// Its result, and a wake-up for the app's event loop once it is there.
    pool_rx: Option<(Receiver<PoolResult>, Receiver<()>)>,
    pub pool: Option<Result<crate::pool::PoolRun, String>>,
    /// Bars or timeline, and the timeline's zoom.
    pub timing: super::timing::TimingUi,
    /// How a step treats sleeps: as written (a virtual clock) or any timing.
    pub timing_model: crate::lesson::Timing,
    rr_cursor: usize,
    exe: PathBuf,
    finished_at: Option<Duration>,
    /// When a free run was paused: its clock stands still until play.
    paused_at: Option<Duration>,
    /// How long it stood paused in all: the clock leaves that out.
    paused_for: Duration,
    /// Seeds the random sleep lengths; kept across an undo so the re-run matches.
    seed: u64,
    /// What the learner did since the start, in order (for undo).
    actions: Vec<Action>,
    /// The run was played freely at some point: it cannot be re-run exactly.
    played: bool,
    /// The challenge being worked on.
    pub pursuit: Pursuit,
    /// The learner chose the goal with `g`: the goal line stays on it.
    goal_chosen: bool,
    /// Goals won since the app last looked (ids), to record in the progress file.
    pub wins: Vec<String>,
    /// A schedule that `n` follows, step by step, before going on round-robin.
    /// Followed while the steps taken are a beginning of it (undo included).
    pub script: Vec<usize>,
    /// How the lesson was named (a built-in id or a file path), for saved schedules.
    pub origin: String,
    /// The lesson was shrunk to this many processes (the explorer's replays).
    pub procs: Option<usize>,
    /// An undo or a restart being made on fresh processes in the background.
    remaking: Option<replay::Remaking>,
    /// Threads of earlier undos, joined when the session ends.
    retired: Vec<std::thread::JoinHandle<()>>,
    /// A real program's session: its runs start from the program.
    program: Option<std::sync::Arc<crate::python::Program>>,
}

impl Session {
    /// The run was played freely at some point: no schedule to save or undo.
    pub fn played(&self) -> bool {
        self.played
    }

    pub fn start(
        lesson: Lesson,
        off: Vec<String>,
        speed: f64,
        exe: PathBuf,
    ) -> anyhow::Result<Session> {
        let state = RunState::new(&lesson, &off);
        let mut s = Session::detached(lesson, off, state, RunMode::Step);
        s.speed = speed;
        s.exe = exe;
        s.seed = rand::random();
        s.start_run()?;
        Ok(s)
    }

    /// A session that shows `state` without processes (for tests and previews).
    pub fn detached(lesson: Lesson, off: Vec<String>, state: RunState, mode: RunMode) -> Session {
        Session {
            os_state: vec![None; state.procs.len()],
            timing_model: state.clock.timing,
            run: Controller::detached(state),
            off,
            speed: lesson.speed,
            lesson,
            mode,
            schedule: Vec::new(),
            message: None,
            pool_rx: None,
            pool: None,
            timing: Default::default(),
            rr_cursor: 0,
            exe: PathBuf::new(),
            finished_at: None,
            paused_at: None,
            paused_for: Duration::ZERO,
            seed: 0,
            actions: Vec::new(),
            played: false,
            pursuit: Pursuit::default(),
            goal_chosen: false,
            wins: Vec::new(),
            script: Vec::new(),
            origin: String::new(),
            procs: None,
            remaking: None,
            retired: Vec::new(),
            program: None,
        }
    }

    /// The run's model: processes, locks, values, output, verdict.
    pub fn state(&self) -> &RunState {
        self.run.model()
    }

    /// The model, for views and tests that set it up by hand.
    pub fn state_mut(&mut self) -> &mut RunState {
        self.run.model_mut()
    }

    fn options(&self) -> crate::drive::Options {
        crate::drive::Options {
            off: self.off.clone(),
            speed: self.speed,
            pace: crate::drive::Pace::Free,
            seed: self.seed,
            timing: Some(self.timing_model),
            sigterms: Vec::new(),
        }
    }

    /// Forget everything done to the run: a fresh start (processes aside).
    fn reset(&mut self, model: RunState) {
        self.retired.extend(self.remaking.take().map(|u| u.thread));
        self.os_state = vec![None; model.procs.len()];
        // The old processes stop here (SIGKILL to their group, reaped).
        self.run = Controller::detached(model);
        self.schedule.clear();
        self.actions.clear();
        self.message = None;
        self.played = false;
        self.pursuit.restarted();
        self.rr_cursor = 0;
        self.mode = RunMode::Step;
        self.finished_at = None;
        self.paused_at = None;
        self.paused_for = Duration::ZERO;
        self.pool = None;
        self.pool_rx = None;
    }

    fn start_run(&mut self) -> anyhow::Result<()> {
        self.reset(self.fresh_model());
        if self.lesson.pool.is_some() {
            self.start_pool();
        } else {
            let (opts, program) = (self.options(), self.program.as_deref());
            self.run = program::start_controller(&self.lesson, &opts, &self.exe, program)?;
        }
        Ok(())
    }

    pub fn events(&self) -> Option<Receiver<Event>> {
        self.run.events()
    }

    /// The time the header shows: the run's time without its pauses, so
    /// it stands still while paused and goes on from there on play.
    pub fn clock_time(&self) -> Duration {
        let now = match (self.mode, self.paused_at) {
            (RunMode::Paused, Some(at)) => at,
            _ => self.elapsed(),
        };
        now.saturating_sub(self.paused_for)
    }

    /// How long the free run stood paused in all.
    pub fn paused_for(&self) -> Duration {
        self.paused_for
    }

    pub fn elapsed(&self) -> Duration {
        match (self.finished_at, self.run.has_run()) {
            (Some(at), _) => at,
            (None, true) => self.run.elapsed(),
            (None, false) => Duration::ZERO,
        }
    }

    /// Fold one event in; notice the end of the run, a deadlock, a won goal.
    pub fn on_event(&mut self, ev: &Event) {
        self.run.apply(ev);
        self.check_end();
        self.check_goal();
    }

    /// Step process `p` one operation, or say why it cannot move.
    pub fn step(&mut self, p: usize) {
        self.message = None;
        if self.wait_for_undo(Later::Step(p)) {
            return;
        }
        if !self.run.has_run() {
            return;
        }
        if self.mode == RunMode::Running {
            self.pause();
        }
        match self.run.step(p) {
            Ok(_) => {
                self.schedule.push(p + 1);
                self.actions.push(Action::Step(p));
                self.rr_cursor = (p + 1) % self.state().procs.len().max(1);
                if self.mode != RunMode::Done {
                    self.mode = RunMode::Step;
                }
            }
            Err(StepRefused::Blocked(b)) => {
                self.message = Some(notes::blocked(&b, self.run.model()));
            }
            Err(StepRefused::NotSettled) => self.message = Some(notes::still_moving()),
            Err(StepRefused::NoRun) => {}
            Err(StepRefused::Io(e)) => self.message = Some(notes::os_error(ProcId(p), &e)),
        }
    }

    /// Step the next process: the next of the script being replayed, else
    /// the next in turn that can move (round-robin).
    pub fn step_next(&mut self) -> Option<usize> {
        if self.wait_for_undo(Later::StepNext) {
            return None;
        }
        if let Some(next) = self.script_next() {
            let p = next - 1;
            let before = self.schedule.len();
            self.step(p);
            if self.schedule.len() > before {
                self.message = Some(self.script_note());
            }
            return Some(p);
        }
        let n = self.state().procs.len();
        let runnable = self.state().runnable();
        let p = (0..n)
            .map(|k| (self.rr_cursor + k) % n)
            .find(|&i| runnable[i]);
        match p {
            Some(p) => self.step(p),
            None if self.mode == RunMode::Done => self.message = Some(notes::run_over()),
            None => self.message = Some(notes::nobody_can_move()),
        }
        p
    }

    pub fn toggle_play(&mut self) {
        if self.wait_for_undo(Later::TogglePlay) {
            return;
        }
        match self.mode {
            RunMode::Running => self.pause(),
            RunMode::Step | RunMode::Paused => self.play(),
            RunMode::Done => self.message = Some(notes::run_over()),
        }
    }

    fn play(&mut self) {
        if !self.run.has_run() {
            return;
        }
        self.run.set_free(true);
        self.mode = RunMode::Running;
        if let Some(at) = self.paused_at.take() {
            self.paused_for += self.run.elapsed().saturating_sub(at);
        }
        self.played = true;
        self.message = None;
    }

    fn pause(&mut self) {
        if !self.run.has_run() {
            return;
        }
        self.run.set_free(false);
        self.paused_at = Some(self.run.elapsed());
        self.mode = RunMode::Paused;
    }

    pub fn change_speed(&mut self, faster: bool) {
        let next = if faster {
            self.speed * 2.0
        } else {
            self.speed / 2.0
        };
        self.speed = next.clamp(1.0 / 64.0, 1000.0);
        self.run.set_speed(self.speed);
    }

    /// SIGTERM to process `p`, as Python's `terminate()`.
    pub fn terminate(&mut self, p: usize) {
        if !self.run.has_run() {
            return;
        }
        if self.wait_for_undo(Later::Terminate(p)) {
            return;
        }
        let id = ProcId(p);
        let proc = self.state().procs.get(p);
        if proc.map(|x| x.phase) == Some(Phase::NotStarted) {
            self.message = Some(notes::not_started(id));
        } else if proc.is_some_and(|x| x.ending.is_none()) {
            match self.run.terminate(p) {
                Ok(()) => {
                    self.actions.push(Action::Terminate(p));
                    self.message = Some(notes::sigterm_sent(id));
                }
                Err(e) => self.message = Some(notes::os_error(id, &e)),
            }
        } else {
            self.message = Some(notes::already_ended(id));
        }
    }

    /// Some process of the run has not been seen to end (a zombie included):
    /// its kernel state can still change, DONE or not.
    pub fn any_alive(&self) -> bool {
        self.run.has_run()
            && self
                .state()
                .procs
                .iter()
                .any(|p| p.pid.is_some() && p.ending.is_none())
    }

    pub fn refresh_os_state(&mut self) {
        let letters: Vec<Option<char>> = self
            .state()
            .procs
            .iter()
            .map(|p| match (p.pid, p.ending) {
                (Some(pid), None) => crate::platform::state_letter(pid),
                _ => None,
            })
            .collect();
        self.os_state = letters;
    }
}
