//! The controller's measured runs: the pool lesson's timed phases. Their
//! processes (the pool's workers, or one process per task) are set up by
//! the caller and start with their gates open, since a timed run waits for
//! no step; the caller hands out work by command and takes the run's events
//! one at a time, each folded into the model first.

use std::path::Path;
use std::time::Duration;

use crossbeam_channel::RecvTimeoutError;

use super::Controller;
use crate::engine::drive::{Options, plan};
use crate::lesson::Lesson;
use crate::model::RunState;
use crate::supervisor::Run;
use crate::wire::{Command, Event, Setup};

impl Controller {
    /// Start one process per setup, every gate open from the start.
    pub fn start_measured(
        lesson: &Lesson,
        setups: Vec<Setup>,
        opts: &Options,
        exe: &Path,
    ) -> std::io::Result<Controller> {
        let run = Run::start(plan(lesson, setups, exe))?;
        Ok(Controller {
            run: Some(run),
            model: RunState::new(lesson, &opts.off),
            free: true,
            steps: Vec::new(),
        })
    }

    /// How many processes the run started (none without a run).
    pub fn process_count(&self) -> usize {
        self.run.as_ref().map_or(0, Run::len)
    }

    /// When the run started, on CLOCK_MONOTONIC, in ns (`Event::at` counts
    /// from here).
    pub fn start_ns(&self) -> Option<u64> {
        self.run.as_ref().map(Run::start_ns)
    }

    /// Send process `p` a command (a task, or `Close`). A process that has
    /// gone is not an error; one never connected is.
    pub fn send(&self, p: usize, cmd: &Command) -> std::io::Result<()> {
        match &self.run {
            Some(run) => run.send(p, cmd),
            None => Err(std::io::Error::other("no run to send to")),
        }
    }

    /// The run's next event, folded into the model; waits at most `timeout`.
    /// Without a run the channel counts as closed.
    pub fn next_event(&mut self, timeout: Duration) -> Result<Event, RecvTimeoutError> {
        let ev = match &self.run {
            Some(run) => run.events().recv_timeout(timeout)?,
            None => return Err(RecvTimeoutError::Disconnected),
        };
        self.apply(&ev);
        Ok(ev)
    }
}
