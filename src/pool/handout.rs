//! Which tasks of a phase went to which worker, and which task goes out next.

use std::collections::VecDeque;

use super::dispatch::map_chunksize;
use crate::engine::Controller;
use crate::lesson::PoolPhase;
use crate::wire::{Command, ProcId};

/// The tasks of one phase handed out so far.
pub(super) struct Handout {
    phase: PoolPhase,
    tasks: u32,
    /// Tasks handed out ahead, per worker, as whole chunks: a worker never
    /// waits for the parent between tasks, as with Python's task queue.
    chunk: u32,
    ahead: u32,
    /// Per worker, the tasks sent and not returned yet, oldest first.
    sent: Vec<VecDeque<u32>>,
    next_task: u32,
}

impl Handout {
    pub(super) fn new(phase: PoolPhase, tasks: u32, workers: usize) -> Handout {
        let (chunk, ahead) = match phase {
            PoolPhase::Map => (map_chunksize(tasks, workers as u32), 2),
            _ => (1, 2),
        };
        Handout {
            phase,
            tasks,
            chunk,
            ahead,
            sent: vec![VecDeque::<u32>::new(); workers],
            next_task: 0,
        }
    }

    /// Hand out the first tasks: one to worker `turn` for `apply`, else as
    /// many as every worker may have ahead.
    pub(super) fn start(&mut self, run: &Controller, turn: usize) -> anyhow::Result<()> {
        if self.phase == PoolPhase::Apply {
            // Synchronous: one task in flight in the whole pool.
            self.send(run, turn, 0)?;
            self.next_task = 1;
        } else {
            for w in 0..self.sent.len() {
                self.fill(run, w)?;
            }
        }
        Ok(())
    }

    /// Worker `w` returned `task`: no longer in flight. An error if it was
    /// not given that task.
    pub(super) fn returned(&mut self, w: usize, task: u32) -> anyhow::Result<()> {
        let Some(at) = self.sent[w].iter().position(|t| *t == task) else {
            anyhow::bail!(
                "failed to run the {} phase: {} returned task {task}, which it was not given",
                self.phase.name(),
                ProcId(w)
            );
        };
        self.sent[w].remove(at);
        Ok(())
    }

    /// After worker `w` returned a task: `apply` gives the next task to the
    /// next worker (moving `turn` on), the others top `w` up.
    pub(super) fn refill(
        &mut self,
        run: &Controller,
        turn: &mut usize,
        w: usize,
    ) -> anyhow::Result<()> {
        if self.phase == PoolPhase::Apply {
            if self.next_task < self.tasks {
                *turn = (*turn + 1) % self.sent.len();
                self.send(run, *turn, self.next_task)?;
                self.next_task += 1;
            }
        } else {
            self.fill(run, w)?;
        }
        Ok(())
    }

    /// Send worker `w` whole chunks until it has as many as it may have ahead.
    fn fill(&mut self, run: &Controller, w: usize) -> anyhow::Result<()> {
        let (chunk, ahead, tasks) = (self.chunk, self.ahead, self.tasks);
        while self.next_task < tasks
            && self.sent[w].len() + chunk as usize <= (chunk * ahead) as usize
        {
            for _ in 0..chunk.min(tasks - self.next_task) {
                self.send(run, w, self.next_task)?;
                self.next_task += 1;
            }
        }
        Ok(())
    }

    fn send(&mut self, run: &Controller, worker: usize, task: u32) -> anyhow::Result<()> {
        run.send(
            worker,
            &Command::Task {
                task,
                arg: i64::from(task),
            },
        )?;
        self.sent[worker].push_back(task);
        Ok(())
    }
}
