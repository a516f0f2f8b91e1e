//! One live run of a lesson in the app: the real processes plus their folded
//! state, and what the learner does to them (step, play, pause, terminate,
//! restart, switch locks).

use std::path::PathBuf;
use std::time::Duration;

use crossbeam_channel::Receiver;

use crate::drive::{plan, setups};
use crate::lesson::Lesson;
use crate::state::{Phase, RunState};
use crate::supervisor::{Event, EventKind, Run};
use crate::wire::Command;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
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
    pub state: RunState,
    pub mode: Mode,
    /// Steps the learner took, as 1-based P-numbers.
    pub schedule: Vec<usize>,
    /// The OS state letter of each process, read from /proc on each tick.
    pub os_state: Vec<Option<char>>,
    /// One line of feedback ("P3 waits for mutex, held by P1").
    pub message: Option<String>,
    run: Option<Run>,
    /// The pool lesson runs both timed phases in the background.
    pool_rx: Option<Receiver<Result<crate::pool::PoolRun, String>>>,
    pub pool: Option<Result<crate::pool::PoolRun, String>>,
    rr_cursor: usize,
    exe: PathBuf,
    finished_at: Option<Duration>,
}

impl Session {
    pub fn start(
        lesson: Lesson,
        off: Vec<String>,
        speed: f64,
        exe: PathBuf,
    ) -> anyhow::Result<Session> {
        let mut s = Session {
            state: RunState::new(&lesson, &off),
            lesson,
            off,
            speed,
            mode: Mode::Step,
            schedule: Vec::new(),
            os_state: Vec::new(),
            message: None,
            run: None,
            pool_rx: None,
            pool: None,
            rr_cursor: 0,
            exe,
            finished_at: None,
        };
        s.restart()?;
        Ok(s)
    }

    /// A session that shows `state` without processes (for tests and previews).
    pub fn detached(lesson: Lesson, off: Vec<String>, state: RunState, mode: Mode) -> Session {
        Session {
            os_state: vec![None; state.procs.len()],
            state,
            off,
            speed: lesson.speed,
            lesson,
            mode,
            schedule: Vec::new(),
            message: None,
            run: None,
            pool_rx: None,
            pool: None,
            rr_cursor: 0,
            exe: PathBuf::new(),
            finished_at: None,
        }
    }

    /// End the current processes and start fresh ones, stopped at their first gate.
    pub fn restart(&mut self) -> anyhow::Result<()> {
        self.run = None;
        let opts = crate::drive::Options {
            off: self.off.clone(),
            speed: self.speed,
            mode: crate::drive::Mode::Free,
            seed: rand::random(),
        };
        self.state = RunState::new(&self.lesson, &self.off);
        self.schedule.clear();
        self.rr_cursor = 0;
        self.mode = Mode::Step;
        self.finished_at = None;
        self.os_state = vec![None; self.state.procs.len()];
        self.pool = None;
        self.pool_rx = None;
        match self.lesson.pool.clone() {
            None => {
                let run = Run::start(plan(&self.lesson, setups(&self.lesson, &opts), &self.exe))?;
                self.run = Some(run);
            }
            Some(decl) => {
                let (tx, rx) = crossbeam_channel::bounded(1);
                let lesson = self.lesson.clone();
                let exe = self.exe.clone();
                std::thread::spawn(move || {
                    let r = crate::pool::run(&lesson, &decl, &opts, &exe, &mut |_, _| {});
                    let _ = tx.send(r.map_err(|e| format!("{e:#}")));
                });
                self.pool_rx = Some(rx);
                self.mode = Mode::Running;
            }
        }
        Ok(())
    }

    pub fn events(&self) -> Option<Receiver<Event>> {
        self.run.as_ref().map(|r| r.events().clone())
    }

    pub fn elapsed(&self) -> Duration {
        self.finished_at
            .or_else(|| self.run.as_ref().map(Run::elapsed))
            .unwrap_or_default()
    }

    /// Fold one event in; notice the end of the run or a deadlock.
    pub fn on_event(&mut self, ev: &Event) {
        self.state.apply(ev);
        if self.mode == Mode::Running
            && let EventKind::Report(crate::wire::Report::At { .. }) = ev.kind
        {
            // In a free run the process passes its gate on its own.
            self.state.procs[ev.proc].phase = Phase::Running;
        }
        self.check_end();
    }

    fn check_end(&mut self) {
        if self.mode == Mode::Done {
            return;
        }
        if self.state.all_gone() {
            self.mode = Mode::Done;
        } else if let Some(d) = self.state.find_deadlock() {
            self.state.deadlock = Some(d);
            self.mode = Mode::Done;
        } else {
            return;
        }
        self.finished_at = Some(self.elapsed());
    }

    /// Step process `p` one operation, or say why it cannot move.
    pub fn step(&mut self, p: usize) {
        self.message = None;
        if self.run.is_none() {
            return;
        }
        if self.mode == Mode::Running {
            self.pause();
        }
        if let Some(why) = self.state.why_blocked(p) {
            self.message = Some(why);
            return;
        }
        if !self.state.is_quiet() {
            self.message = Some("another process is still moving: try again".into());
            return;
        }
        let Some(run) = &self.run else { return };
        match run.grant(p) {
            Ok(ev) => {
                self.state.apply(&ev);
                self.schedule.push(p + 1);
                self.rr_cursor = (p + 1) % self.state.procs.len().max(1);
                if self.mode != Mode::Done {
                    self.mode = Mode::Step;
                }
            }
            Err(e) => self.message = Some(format!("P{}: {e}", p + 1)),
        }
    }

    /// Step the next process in turn that can move (round-robin).
    pub fn step_next(&mut self) -> Option<usize> {
        let n = self.state.procs.len();
        let runnable = self.state.runnable();
        let p = (0..n)
            .map(|k| (self.rr_cursor + k) % n)
            .find(|&i| runnable[i]);
        match p {
            Some(p) => self.step(p),
            None => {
                self.message = Some(if self.mode == Mode::Done {
                    "the run is over: r restarts it".into()
                } else {
                    "no process can move right now".into()
                })
            }
        }
        p
    }

    pub fn toggle_play(&mut self) {
        match self.mode {
            Mode::Running => self.pause(),
            Mode::Step | Mode::Paused => self.play(),
            Mode::Done => self.message = Some("the run is over: r restarts it".into()),
        }
    }

    fn play(&mut self) {
        let Some(run) = &self.run else { return };
        for p in 0..self.state.procs.len() {
            let _ = run.send(p, &Command::Free { on: true });
            if self.state.procs[p].phase == Phase::AtGate {
                self.state.apply(&Event {
                    proc: p,
                    at: run.elapsed(),
                    kind: EventKind::Granted,
                });
            }
        }
        self.mode = Mode::Running;
        self.message = None;
    }

    fn pause(&mut self) {
        let Some(run) = &self.run else { return };
        for p in 0..self.state.procs.len() {
            let _ = run.send(p, &Command::Free { on: false });
        }
        self.mode = Mode::Paused;
    }

    pub fn change_speed(&mut self, faster: bool) {
        let next = if faster {
            self.speed * 2.0
        } else {
            self.speed / 2.0
        };
        self.speed = next.clamp(1.0 / 64.0, 1000.0);
        if let Some(run) = &self.run {
            for p in 0..self.state.procs.len() {
                let _ = run.send(p, &Command::Speed { speed: self.speed });
            }
        }
    }

    /// SIGTERM to process `p`, as Python's `terminate()`.
    pub fn terminate(&mut self, p: usize) {
        if let Some(run) = &self.run {
            if self.state.procs.get(p).is_some_and(|x| x.ending.is_none()) {
                match run.terminate(p) {
                    Ok(()) => self.message = Some(format!("sent SIGTERM to P{}", p + 1)),
                    Err(e) => self.message = Some(format!("P{}: {e}", p + 1)),
                }
            } else {
                self.message = Some(format!("P{} has already ended", p + 1));
            }
        }
    }

    /// Switch every lock off, or all back on, and restart.
    pub fn toggle_locks(&mut self) -> anyhow::Result<()> {
        self.off = if self.off.is_empty() {
            self.lesson
                .resources()
                .into_iter()
                .map(|r| r.name)
                .collect()
        } else {
            Vec::new()
        };
        self.restart()
    }

    /// Take the pool lesson's measurements once they are in; true if they just came.
    pub fn poll_pool(&mut self) -> bool {
        let Some(rx) = &self.pool_rx else {
            return false;
        };
        let Ok(result) = rx.try_recv() else {
            return false;
        };
        if let Ok(r) = &result {
            self.state.speedup = Some(r.speedup());
        }
        self.pool = Some(result);
        self.pool_rx = None;
        self.mode = Mode::Done;
        true
    }

    pub fn refresh_os_state(&mut self) {
        for (i, p) in self.state.procs.iter().enumerate() {
            self.os_state[i] = match (p.pid, p.ending) {
                (Some(pid), None) => crate::posix::state_letter(pid),
                _ => None,
            };
        }
    }
}
