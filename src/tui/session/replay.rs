//! Replays on a session: undo (re-run every step but the last on fresh
//! processes, in the background so the app keeps answering), a saved
//! schedule taken all at once, a schedule the learner follows step by step
//! with `n`, and saving the steps as a schedule file.

use std::path::Path;

use std::thread::JoinHandle;

use crossbeam_channel::Receiver;

use super::{RunMode, Session};
use crate::challenge::Pursuit;
use crate::drive::Options;
use crate::engine::Controller;
use crate::lesson::{Lesson, Text};
use crate::model::{ProcId, RunState};
use crate::schedule::Sigterm;
use crate::words::notes;

/// One thing the learner did to a stepped run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Step(usize),
    Terminate(usize),
}

/// A key that moves the run, pressed while an undo is re-running: taken
/// once the re-made run is shown, in the order pressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Later {
    Step(usize),
    StepNext,
    Terminate(usize),
    TogglePlay,
}

/// A run re-made from actions: its controller, and the challenge as it
/// stood after each event of the re-run (goals won on the way).
pub(super) struct Remade {
    run: Controller,
    pursuit: Pursuit,
    won: Vec<usize>,
}

/// An undo or a restart under way: the actions kept, and where the re-made run comes.
pub(super) struct Remaking {
    keep: Vec<Action>,
    /// The action taken back (`None`: a restart).
    undone: Option<Action>,
    done: Receiver<anyhow::Result<Remade>>,
    /// Says (once) that `done` holds the result, for the app's event loop.
    ready: Receiver<()>,
    /// The thread re-running the actions.
    pub(super) thread: JoinHandle<()>,
    /// `u` was pressed again with nothing left to undo: say so when done.
    nothing_left: bool,
    /// Keys that move the run, pressed meanwhile: taken once it is done.
    later: Vec<Later>,
}

impl Drop for Session {
    /// Re-runs still under way when the session ends (the app quits, a
    /// lesson is closed, an undo replaced by the next) are waited for, so
    /// their processes and run directories are removed like any other run's.
    fn drop(&mut self) {
        let threads = self.remaking.take().map(|u| u.thread);
        for t in self.retired.drain(..).chain(threads) {
            let _ = t.join();
        }
    }
}

/// Start `lesson` afresh and take `actions` on it, each once the run has
/// settled; the challenge is checked after every event, as in a live run.
fn remake(
    lesson: &Lesson,
    opts: &Options,
    (exe, program): (&Path, Option<&crate::python::Program>),
    actions: &[Action],
    mut pursuit: Pursuit,
) -> anyhow::Result<Remade> {
    let mut run = super::program::start_controller(lesson, opts, exe, program)?;
    let mut won = Vec::new();
    let mut watch =
        |_: &crate::wire::Event, s: &RunState| won.extend(pursuit.check(&lesson.goals, s));
    for a in actions {
        run.settle(&mut watch)?;
        match *a {
            Action::Step(p) => {
                if let Err(e) = run.step(p) {
                    anyhow::bail!(
                        "the re-run went another way: {} could not move ({e:?})",
                        ProcId(p)
                    );
                }
            }
            Action::Terminate(p) => {
                run.terminate(p)?;
                // Dead once its connection closed: a started child's end is
                // reported only when its parent reaps it, maybe never (main
                // waits for an event the child would have set).
                run.until(
                    |s| s.procs[p].closed || s.procs[p].is_gone(),
                    Some(crate::engine::controller::SETTLE_TIMEOUT),
                    &mut watch,
                )?;
            }
        }
    }
    run.settle(&mut watch)?;
    Ok(Remade { run, pursuit, won })
}

impl Session {
    /// The script's next P-number, while the steps taken so far follow it.
    pub(super) fn script_next(&self) -> Option<usize> {
        let done = self.schedule.len();
        if self.script.starts_with(&self.schedule) {
            self.script.get(done).copied()
        } else {
            None
        }
    }

    /// Where the replay of the script stands.
    pub(super) fn script_note(&self) -> Text {
        let (done, total) = (self.schedule.len(), self.script.len());
        match self.script_next() {
            Some(next) => notes::replay_next(done, total, ProcId::from_number(next)),
            None if !self.script.starts_with(&self.schedule) => notes::replay_left(),
            // Nothing goes on once every process has ended.
            None => notes::replay_done(total, !self.run.is_over()),
        }
    }

    /// Follow `steps` (P-numbers) with `n`, one step per press.
    pub fn follow(&mut self, steps: Vec<usize>) {
        self.script = steps;
        self.message = Some(self.script_note());
    }

    /// Start afresh with this seed of random sleep lengths.
    pub fn restart_with_seed(&mut self, seed: u64) -> anyhow::Result<()> {
        self.seed = seed;
        self.start_run()
    }

    /// Take all of `steps` (P-numbers) now on a fresh run (same seed),
    /// sending each SIGTERM after its step.
    pub fn replay_steps(&mut self, steps: &[usize], sigterms: &[Sigterm]) -> anyhow::Result<()> {
        let mut actions = Vec::new();
        let mut signals = sigterms.iter().peekable();
        for i in 0..=steps.len() {
            while let Some(s) = signals.next_if(|s| s.after_step <= i) {
                actions.push(Action::Terminate(s.proc - 1));
            }
            if let Some(p) = steps.get(i) {
                actions.push(Action::Step(p - 1));
            }
        }
        self.reset(self.fresh_model());
        let remade = remake(
            &self.lesson,
            &self.options(),
            (&self.exe, self.program.as_deref()),
            &actions,
            self.pursuit.clone(),
        )?;
        self.take_remade(remade, actions);
        Ok(())
    }

    /// Write the steps taken so far as a schedule file in `dir`; its path.
    pub fn save_schedule(&self, dir: &Path) -> anyhow::Result<std::path::PathBuf> {
        self.save_file(dir, &self.schedule_file()?)
    }

    /// The steps taken so far as a schedule file of this session's run.
    pub fn schedule_file(&self) -> anyhow::Result<crate::schedule_file::ScheduleFile> {
        if self.remaking.is_some() {
            anyhow::bail!("the undo is still re-running the steps: save once it is done");
        }
        if self.played {
            anyhow::bail!("a freely played run has no schedule: step it (r restarts)");
        }
        if self.schedule.is_empty() {
            anyhow::bail!("no steps taken yet");
        }
        Ok(crate::schedule_file::ScheduleFile::new(
            &self.origin,
            &self.off,
            self.procs,
            Some(self.seed),
            self.schedule.clone(),
        )
        .with_timing(self.timing_model)
        .with_sigterms(self.sigterms()))
    }

    /// Write `file` as a new file in `dir`, named for the lesson; its path.
    pub fn save_file(
        &self,
        dir: &Path,
        file: &crate::schedule_file::ScheduleFile,
    ) -> anyhow::Result<std::path::PathBuf> {
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Ok(super::new_file::write_new_file(
            dir,
            &format!("{}-{stamp}", self.lesson.id),
            &file.to_text(),
        )?)
    }

    /// The SIGTERMs sent so far, each after the steps taken before it.
    fn sigterms(&self) -> Vec<Sigterm> {
        let mut steps = 0;
        let mut sent = Vec::new();
        for a in &self.actions {
            match *a {
                Action::Step(_) => steps += 1,
                Action::Terminate(p) => sent.push(Sigterm {
                    after_step: steps,
                    proc: p + 1,
                }),
            }
        }
        sent
    }

    /// Step back one action: real processes cannot rewind, so fresh ones
    /// (same sleep seed) re-run every action but the last, in the
    /// background; [`Session::poll_remade`] takes the result.
    /// Pressed again while one is under way, it undoes one more action.
    pub fn undo(&mut self) -> anyhow::Result<()> {
        self.message = None;
        if self.lesson.pool.is_some() || self.played {
            self.message = Some(notes::undo_needs_steps());
            return Ok(());
        }
        // A key pressed during the undo is the last thing done: undo it.
        if let Some(u) = &mut self.remaking
            && u.later.pop().is_some()
        {
            self.message = Some(notes::undoing());
            return Ok(());
        }
        // While an undo is under way, its actions are what is left.
        let actions = match &self.remaking {
            Some(u) => &u.keep,
            None => &self.actions,
        };
        let Some(undone) = actions.last().copied() else {
            if let Some(u) = &mut self.remaking {
                u.nothing_left = true;
            }
            self.message = Some(notes::nothing_to_undo());
            return Ok(());
        };
        let keep = actions[..actions.len() - 1].to_vec();
        self.remake_in_background(keep, Some(undone));
        self.message = Some(notes::undoing());
        Ok(())
    }

    /// End the current processes and start fresh ones (a new seed of sleep
    /// lengths), stopped at their first gate; like an undo, in the
    /// background. The pool lesson starts its measured run at once.
    pub fn restart(&mut self) -> anyhow::Result<()> {
        self.seed = rand::random();
        if self.lesson.pool.is_some() {
            return self.start_run();
        }
        self.remake_in_background(Vec::new(), None);
        if let Some(u) = &mut self.remaking {
            // Keys pressed before the restart belong to the old run.
            u.later.clear();
        }
        self.message = None;
        Ok(())
    }

    /// Re-make the run from `keep` on fresh processes in a thread; the
    /// app's loop hears when it is ready ([`Session::poll_remade`]).
    fn remake_in_background(&mut self, keep: Vec<Action>, undone: Option<Action>) {
        let (tx, done) = crossbeam_channel::bounded(1);
        let (tell, ready) = crossbeam_channel::bounded(1);
        let (lesson, opts, exe) = (self.lesson.clone(), self.options(), self.exe.clone());
        let program = self.program.clone();
        let mut pursuit = self.pursuit.clone();
        pursuit.restarted();
        let actions = keep.clone();
        let thread = std::thread::spawn(move || {
            let run = (exe.as_path(), program.as_deref());
            let _ = tx.send(remake(&lesson, &opts, run, &actions, pursuit));
            let _ = tell.send(());
        });
        let later = self
            .remaking
            .as_mut()
            .map(|u| std::mem::take(&mut u.later))
            .unwrap_or_default();
        let replaced = self.remaking.replace(Remaking {
            keep,
            undone,
            done,
            ready,
            thread,
            nothing_left: false,
            later,
        });
        // An undo replaced by the next one: its re-run is dropped when done.
        self.retired.extend(replaced.map(|u| u.thread));
    }

    /// Wakes the app's event loop once an undo's or a restart's run is ready to take.
    pub fn remade_ready(&self) -> Option<Receiver<()>> {
        self.remaking.as_ref().map(|u| u.ready.clone())
    }

    /// A re-made run (an undo's or a restart's), once it is ready: it replaces the run. True if it
    /// just came (the screen changes).
    pub fn poll_remade(&mut self) -> anyhow::Result<bool> {
        let Some(u) = &self.remaking else {
            return Ok(false);
        };
        let Ok(result) = u.done.try_recv() else {
            return Ok(false);
        };
        let Some(u) = self.remaking.take() else {
            return Ok(false);
        };
        self.retired.push(u.thread);
        self.retired.retain(|t| !t.is_finished());
        let remade = result?;
        self.reset(self.fresh_model());
        self.take_remade(remade, u.keep);
        self.message = match u.undone {
            _ if u.nothing_left => Some(notes::nothing_to_undo()),
            Some(Action::Step(p)) => Some(notes::undid_step(ProcId(p))),
            Some(Action::Terminate(p)) => Some(notes::undid_sigterm(ProcId(p))),
            None => None,
        };
        for key in u.later.clone() {
            match key {
                Later::Step(p) => self.step(p),
                Later::StepNext => {
                    self.step_next();
                }
                Later::Terminate(p) => self.terminate(p),
                Later::TogglePlay => self.toggle_play(),
            }
        }
        Ok(true)
    }

    /// While an undo is re-running, a key that moves the run waits for it
    /// (true: it was kept for later).
    pub(super) fn wait_for_undo(&mut self, key: Later) -> bool {
        let Some(u) = &mut self.remaking else {
            return false;
        };
        u.later.push(key);
        self.message = Some(notes::undoing());
        true
    }

    /// Show a re-made run as if its actions had been taken here.
    fn take_remade(&mut self, remade: Remade, actions: Vec<Action>) {
        self.run = remade.run;
        self.os_state = vec![None; self.state().procs.len()];
        // The goal and hints the learner picked meanwhile stay, unless the
        // re-run won a goal (which then is the one shown, if the learner did
        // not choose one with `g`).
        let (goal, hints) = (self.pursuit.goal, self.pursuit.hints);
        self.pursuit = remade.pursuit;
        if remade.won.is_empty() {
            self.pursuit.goal = goal;
            self.pursuit.hints = hints;
        }
        // A chosen goal the re-run did not win is not won in it.
        self.take_wins(remade.won, (goal, hints, false));
        self.schedule = actions
            .iter()
            .filter_map(|a| match a {
                Action::Step(p) => Some(p + 1),
                Action::Terminate(_) => None,
            })
            .collect();
        if let Some(Action::Step(p)) = actions.iter().rev().find(|a| matches!(a, Action::Step(_))) {
            self.rr_cursor = (p + 1) % self.state().procs.len().max(1);
        }
        self.actions = actions;
        self.mode = RunMode::Step;
        self.check_end();
    }
}
