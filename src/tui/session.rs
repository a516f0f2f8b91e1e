//! One live run of a lesson in the app: the real processes plus their folded
//! state, and what the learner does to them (step, play, pause, terminate,
//! restart, switch locks).

use std::path::PathBuf;
use std::time::Duration;

use crossbeam_channel::Receiver;

use crate::challenge::Pursuit;
use crate::drive::{plan, setups};
use crate::lesson::{Lang, Lesson, Text};
use crate::state::{Phase, RunState};
use crate::supervisor::{Event, EventKind, Run};

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
    pub script: Vec<usize>,
    /// How many steps of `script` were taken.
    pub script_at: usize,
    /// How the lesson was named (a built-in id or a file path), for saved schedules.
    pub origin: String,
    /// The lesson was shrunk to this many processes (the explorer's replays).
    pub procs: Option<usize>,
}

/// One thing the learner did to a stepped run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Step(usize),
    Terminate(usize),
}

/// How long an undo waits for the re-run processes to settle at each step.
const REPLAY_WAIT: Duration = Duration::from_secs(10);

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
            seed: rand::random(),
            actions: Vec::new(),
            played: false,
            pursuit: Pursuit::default(),
            wins: Vec::new(),
            script: Vec::new(),
            script_at: 0,
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
            seed: 0,
            actions: Vec::new(),
            played: false,
            pursuit: Pursuit::default(),
            wins: Vec::new(),
            script: Vec::new(),
            script_at: 0,
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
        self.script_at = 0;
        self.message = None;
        self.played = false;
        self.pursuit.restarted();
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

    /// Fold one event in; notice the end of the run, a deadlock, a won goal.
    pub fn on_event(&mut self, ev: &Event) {
        self.state.apply(ev);
        if self.mode == Mode::Running
            && let EventKind::Report(crate::wire::Report::At { .. }) = ev.kind
        {
            // In a free run the process passes its gate on its own.
            self.state.procs[ev.proc].phase = Phase::Running;
        }
        self.check_end();
        self.check_goal();
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
        if let Some(&next) = self.script.get(self.script_at) {
            let p = next - 1;
            let before = self.schedule.len();
            self.step(p);
            if self.schedule.len() > before {
                self.script_at += 1;
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

    /// Where the replay of the script stands.
    fn script_note(&self) -> Text {
        let (done, total) = (self.script_at, self.script.len());
        match self.script.get(done) {
            Some(next) => note(
                format!("replay {done}/{total}: n moves P{next} next"),
                format!("重放 {done}/{total}：按 n 下一步走 P{next}"),
            ),
            None => note(
                format!("replay done: all {total} steps taken; n goes on in turn"),
                format!("重放完毕：{total} 步都已走完；按 n 继续轮转"),
            ),
        }
    }

    /// Follow `steps` (P-numbers) with `n`, one step per press.
    pub fn follow(&mut self, steps: Vec<usize>) {
        self.script = steps;
        self.script_at = 0;
        self.message = Some(self.script_note());
    }

    /// Start afresh with this seed of random sleep lengths.
    pub fn restart_with_seed(&mut self, seed: u64) -> anyhow::Result<()> {
        self.seed = seed;
        self.start_run()
    }

    /// Take all of `steps` (P-numbers) now, each once the system is quiet.
    pub fn replay_steps(&mut self, steps: &[usize]) -> anyhow::Result<()> {
        let actions: Vec<Action> = steps.iter().map(|p| Action::Step(p - 1)).collect();
        self.replay(&actions)
    }

    /// Write the steps taken so far as a schedule file in `dir`; its path.
    pub fn save_schedule(&self, dir: &std::path::Path) -> anyhow::Result<std::path::PathBuf> {
        if self.played {
            anyhow::bail!("a freely played run has no schedule: step it (r restarts)");
        }
        if self.schedule.is_empty() {
            anyhow::bail!("no steps taken yet");
        }
        if self
            .actions
            .iter()
            .any(|a| matches!(a, Action::Terminate(_)))
        {
            anyhow::bail!(
                "a schedule holds steps only, and this run had a SIGTERM (u takes it back)"
            );
        }
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let path = dir.join(format!("{}-{stamp}.schedule.json", self.lesson.id));
        crate::schedule_file::ScheduleFile::new(
            &self.origin,
            &self.off,
            self.procs,
            Some(self.seed),
            self.schedule.clone(),
        )
        .save(&path)?;
        Ok(path)
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
        self.played = true;
        self.message = None;
    }

    fn pause(&mut self) {
        let Some(run) = &self.run else { return };
        run.set_free(false);
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
                match run.terminate(p) {
                    Ok(()) => {
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

    /// Step back one action: real processes cannot rewind, so start fresh
    /// ones (same sleep seed) and replay every action but the last.
    pub fn undo(&mut self) -> anyhow::Result<()> {
        self.message = None;
        if self.lesson.pool.is_some() || self.played {
            self.message = Some(note(
                "undo works on a stepped run: r restarts".into(),
                "撤销只适用于单步运行：按 r 重来".into(),
            ));
            return Ok(());
        }
        let Some(last) = self.actions.last().copied() else {
            self.message = Some(note("nothing to undo".into(), "没有可撤销的操作".into()));
            return Ok(());
        };
        let mut keep = std::mem::take(&mut self.actions);
        keep.pop();
        self.start_run()?;
        self.replay(&keep)?;
        self.message = Some(match last {
            Action::Step(p) => note(
                format!("undid P{}'s step", p + 1),
                format!("已撤销 P{} 的一步", p + 1),
            ),
            Action::Terminate(p) => note(
                format!("undid the SIGTERM to P{}", p + 1),
                format!("已撤销对 P{} 的 SIGTERM", p + 1),
            ),
        });
        Ok(())
    }

    /// Apply events until `done` holds, failing after `REPLAY_WAIT` of silence.
    fn settle(&mut self, done: impl Fn(&RunState) -> bool) -> anyhow::Result<()> {
        let Some(rx) = self.events() else {
            return Ok(());
        };
        while !done(&self.state) && self.mode != Mode::Done {
            let ev = rx
                .recv_timeout(REPLAY_WAIT)
                .map_err(|_| anyhow::anyhow!("the re-run processes stopped answering"))?;
            self.on_event(&ev);
        }
        Ok(())
    }

    /// Take `actions` on the fresh run, each once the system is quiet.
    fn replay(&mut self, actions: &[Action]) -> anyhow::Result<()> {
        for a in actions {
            self.settle(RunState::is_quiet)?;
            match *a {
                Action::Step(p) => {
                    self.step(p);
                    if let Some(m) = self.message.take() {
                        anyhow::bail!("the re-run went another way: {}", m.en);
                    }
                }
                Action::Terminate(p) => {
                    self.terminate(p);
                    self.settle(|s| s.procs[p].is_gone())?;
                }
            }
        }
        self.settle(RunState::is_quiet)
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
