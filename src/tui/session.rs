//! One live run of a lesson in the app: the real processes plus their folded
//! state, and what the learner does to them (step, play, pause, terminate,
//! restart, switch locks).

use std::path::PathBuf;
use std::time::Duration;

use crossbeam_channel::Receiver;

use crate::challenge::Pursuit;

mod replay;
use crate::drive::{plan, setups};
use crate::lesson::{Lang, Lesson, Text};
use crate::state::{Phase, RunState};
use crate::supervisor::Run;
use crate::wire::{Event, EventKind};
pub use replay::Action;

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
    pub message: Option<Text>,
    run: Option<Run>,
    /// The pool lesson runs both timed phases in the background.
    pool_rx: Option<Receiver<Result<crate::pool::PoolRun, String>>>,
    pub pool: Option<Result<crate::pool::PoolRun, String>>,
    /// Bars or timeline, and the timeline's zoom.
    pub timing: super::timing::TimingUi,
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
    /// Goals won since the app last looked (ids), to record in the progress file.
    pub wins: Vec<String>,
    /// A schedule that `n` follows, step by step, before going on round-robin.
    /// Followed while the steps taken are a beginning of it (undo included).
    pub script: Vec<usize>,
    /// How the lesson was named (a built-in id or a file path), for saved schedules.
    pub origin: String,
    /// The lesson was shrunk to this many processes (the explorer's replays).
    pub procs: Option<usize>,
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
            timing: Default::default(),
            rr_cursor: 0,
            exe,
            finished_at: None,
            paused_at: None,
            paused_for: Duration::ZERO,
            seed: rand::random(),
            actions: Vec::new(),
            played: false,
            pursuit: Pursuit::default(),
            wins: Vec::new(),
            script: Vec::new(),
            origin: String::new(),
            procs: None,
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
            wins: Vec::new(),
            script: Vec::new(),
            origin: String::new(),
            procs: None,
        }
    }

    /// End the current processes and start fresh ones, stopped at their first gate.
    pub fn restart(&mut self) -> anyhow::Result<()> {
        self.seed = rand::random();
        self.start_run()
    }

    fn start_run(&mut self) -> anyhow::Result<()> {
        self.run = None;
        let opts = crate::drive::Options {
            off: self.off.clone(),
            speed: self.speed,
            mode: crate::drive::Mode::Free,
            seed: self.seed,
        };
        self.state = RunState::new(&self.lesson, &self.off);
        self.schedule.clear();
        self.actions.clear();
        self.message = None;
        self.played = false;
        self.pursuit.restarted();
        self.rr_cursor = 0;
        self.mode = Mode::Step;
        self.finished_at = None;
        self.paused_at = None;
        self.paused_for = Duration::ZERO;
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

    /// The time the header shows: the run's time without its pauses, so
    /// it stands still while paused and goes on from there on play.
    pub fn clock_time(&self) -> Duration {
        let now = match (self.mode, self.paused_at) {
            (Mode::Paused, Some(at)) => at,
            _ => self.elapsed(),
        };
        now.saturating_sub(self.paused_for)
    }

    pub fn elapsed(&self) -> Duration {
        self.finished_at
            .or_else(|| self.run.as_ref().map(Run::elapsed))
            .unwrap_or_default()
    }

    /// Fold one event in; notice the end of the run, a deadlock, a won goal.
    pub fn on_event(&mut self, ev: &Event) {
        self.state.apply(ev);
        if self.mode == Mode::Running
            && let EventKind::Report(crate::wire::Report::At { .. }) = ev.kind
        {
            // In a free run the process passes its gate on its own.
            self.state.procs[ev.proc].phase = Phase::Running;
        }
        self.give_turn();
        self.check_end();
        self.check_goal();
    }

    /// While stepping, a queued waiter whose lock is free takes it: give it
    /// its turn (the model says whose it is), as the headless driver does.
    fn give_turn(&mut self) {
        if self.mode == Mode::Running || self.mode == Mode::Done {
            return;
        }
        let (Some(p), Some(run)) = (self.state.turn_due(), &self.run) else {
            return;
        };
        if let Ok(ev) = run.give_turn(p) {
            self.state.apply(&ev);
        }
    }

    pub fn recheck_goal(&mut self) {
        self.check_goal();
    }

    fn check_goal(&mut self) {
        for i in self.pursuit.check(&self.lesson.goals, &self.state) {
            self.wins.push(self.lesson.goals[i].id.clone());
        }
    }

    fn check_end(&mut self) {
        if self.mode == Mode::Done {
            return;
        }
        if !self.state.all_gone() && self.state.deadlock.is_none() {
            return;
        }
        self.mode = Mode::Done;
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
            self.message = Some(Text {
                en: why,
                zh: self.state.why_blocked_in(p, Lang::Zh),
            });
            return;
        }
        if !self.state.is_quiet() {
            self.message = Some(note(
                "another process is still moving: try again".into(),
                "另一个进程还在运行：请再试一次".into(),
            ));
            return;
        }
        let Some(run) = &self.run else { return };
        match run.grant(p) {
            Ok(ev) => {
                self.state.apply(&ev);
                self.schedule.push(p + 1);
                self.actions.push(Action::Step(p));
                self.rr_cursor = (p + 1) % self.state.procs.len().max(1);
                if self.mode != Mode::Done {
                    self.mode = Mode::Step;
                }
            }
            Err(e) => self.message = Some(same(format!("P{}: {e}", p + 1))),
        }
    }

    /// Step the next process: the next of the script being replayed, else
    /// the next in turn that can move (round-robin).
    pub fn step_next(&mut self) -> Option<usize> {
        if let Some(next) = self.script_next() {
            let p = next - 1;
            let before = self.schedule.len();
            self.step(p);
            if self.schedule.len() > before {
                self.message = Some(self.script_note());
            }
            return Some(p);
        }
        let n = self.state.procs.len();
        let runnable = self.state.runnable();
        let p = (0..n)
            .map(|k| (self.rr_cursor + k) % n)
            .find(|&i| runnable[i]);
        match p {
            Some(p) => self.step(p),
            None => {
                self.message = Some(if self.mode == Mode::Done {
                    over()
                } else {
                    note(
                        "no process can move right now".into(),
                        "现在没有进程可以前进".into(),
                    )
                })
            }
        }
        p
    }

    pub fn toggle_play(&mut self) {
        match self.mode {
            Mode::Running => self.pause(),
            Mode::Step | Mode::Paused => self.play(),
            Mode::Done => self.message = Some(over()),
        }
    }

    fn play(&mut self) {
        let Some(run) = &self.run else { return };
        run.set_free(true);
        for p in 0..self.state.procs.len() {
            if self.state.procs[p].phase == Phase::AtGate {
                self.state.apply(&Event {
                    proc: p,
                    at: run.elapsed(),
                    kind: EventKind::Granted,
                });
            }
        }
        self.mode = Mode::Running;
        if let Some(at) = self.paused_at.take() {
            self.paused_for += run.elapsed().saturating_sub(at);
        }
        self.played = true;
        self.message = None;
    }

    fn pause(&mut self) {
        let Some(run) = &self.run else { return };
        run.set_free(false);
        self.paused_at = Some(run.elapsed());
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
            run.set_speed(self.speed);
        }
    }

    /// SIGTERM to process `p`, as Python's `terminate()`.
    pub fn terminate(&mut self, p: usize) {
        if let Some(run) = &self.run {
            if self.state.procs.get(p).map(|x| x.phase) == Some(Phase::NotStarted) {
                self.message = Some(note(
                    format!("P{} has not been started yet", p + 1),
                    format!("P{} 还没有被启动", p + 1),
                ));
            } else if self.state.procs.get(p).is_some_and(|x| x.ending.is_none()) {
                let at = run.elapsed();
                match run.terminate(p) {
                    Ok(()) => {
                        // Its end is no earlier than the signal, whatever
                        // its last report said (a child asleep sends none).
                        if let Some(t) = self.state.times.get_mut(p) {
                            t.killed.get_or_insert(at);
                        }
                        self.actions.push(Action::Terminate(p));
                        self.message = Some(note(
                            format!("sent SIGTERM to P{}", p + 1),
                            format!("已向 P{} 发送 SIGTERM", p + 1),
                        ));
                    }
                    Err(e) => self.message = Some(same(format!("P{}: {e}", p + 1))),
                }
            } else {
                self.message = Some(note(
                    format!("P{} has already ended", p + 1),
                    format!("P{} 已经结束", p + 1),
                ));
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
            self.finished_at = Some(Duration::from_secs_f64(r.total_ms / 1000.0));
        }
        self.pool = Some(result);
        self.pool_rx = None;
        self.mode = Mode::Done;
        self.check_goal();
        true
    }

    /// `v`: the pool's bars ⇄ timeline; for other lessons, lanes ⇄ the
    /// timing view. False if the lesson has none.
    pub fn toggle_timing(&mut self) -> bool {
        if self.lesson.pool.is_some() {
            self.timing.toggle();
        } else {
            self.timing.shown = !self.timing.shown;
        }
        true
    }

    /// `←` `→` in the timeline: zoom to the previous / next phase, or the whole run.
    pub fn zoom_timing(&mut self, forward: bool) {
        if self.lesson.pool.is_none() {
            if self.timing.shown {
                let marks = super::run_timing::marks(&self.state).len();
                self.timing.zoom_by(forward, marks);
            }
            return;
        }
        if self.timing.view != super::timing::View::Timeline {
            return;
        }
        let t = super::text::strings(crate::lesson::Lang::En);
        if let Some(Ok(r)) = &self.pool {
            let marks = super::pool_view::marks(r, t).len();
            self.timing.zoom_by(forward, marks);
        }
    }

    /// Some process of the run has not been seen to end (a zombie included):
    /// its kernel state can still change, DONE or not.
    pub fn any_alive(&self) -> bool {
        self.run.is_some()
            && self
                .state
                .procs
                .iter()
                .any(|p| p.pid.is_some() && p.ending.is_none())
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

/// A message in both languages.
pub fn note(en: String, zh: String) -> Text {
    Text { en, zh: Some(zh) }
}

/// A message that reads the same in both languages (an OS error, say).
pub fn same(text: String) -> Text {
    Text { en: text, zh: None }
}

fn over() -> Text {
    note(
        "the run is over: r restarts it".into(),
        "运行已结束：按 r 重来".into(),
    )
}
