//! Replays on a session: undo (re-run every step but the last on fresh
//! processes), a saved schedule taken all at once, a schedule the learner
//! follows step by step with `n`, and saving the steps as a schedule file.

use std::time::Duration;

use super::{Mode, Session, note};
use crate::lesson::Text;
use crate::state::RunState;

/// One thing the learner did to a stepped run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Step(usize),
    Terminate(usize),
}

/// How long an undo waits for the re-run processes to settle at each step.
const REPLAY_WAIT: Duration = Duration::from_secs(10);

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
            Some(next) => note(
                format!("replay {done}/{total}: n moves P{next} next"),
                format!("重放 {done}/{total}：按 n 下一步走 P{next}"),
            ),
            None if !self.script.starts_with(&self.schedule) => note(
                "you left the replay: n now steps in turn".into(),
                "已离开重放：按 n 轮流单步".into(),
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
    pub(super) fn settle(&mut self, done: impl Fn(&RunState) -> bool) -> anyhow::Result<()> {
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
    pub(super) fn replay(&mut self, actions: &[Action]) -> anyhow::Result<()> {
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
}
