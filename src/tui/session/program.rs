//! A real Python program in the app (`lockstep PROGRAM.py`): its run is
//! started from the program's plan, its lanes appear as it starts
//! processes, and its code panel is the program itself.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::Session;
use crate::drive::Options;
use crate::engine::Controller;
use crate::lesson::Lesson;
use crate::python::{self, Program};

/// Start a run of `lesson`, or of `program` (whose lesson it is).
pub(super) fn start_controller(
    lesson: &Lesson,
    opts: &Options,
    exe: &Path,
    program: Option<&Program>,
) -> anyhow::Result<Controller> {
    Ok(match program {
        Some(program) => {
            // The session's timing model (`w` switches it), not the one
            // the program was opened with.
            let mut program = program.clone();
            if let Some(timing) = opts.timing {
                program.lesson.timing = timing;
            }
            let prefix = python::shim::semaphore_prefix();
            let plan = python::plan(&program, exe, opts.speed, opts.seed, &prefix, &opts.off);
            Controller::start_plan(plan, python::model(&program))?
        }
        None => Controller::start(lesson, opts, exe)?,
    })
}

impl Session {
    /// A session of a real program, stepped from its first gate.
    pub fn start_program(
        program: Program,
        off: Vec<String>,
        speed: f64,
        exe: PathBuf,
    ) -> anyhow::Result<Session> {
        let lesson = program.lesson.clone();
        let state = python::model(&program);
        let mut s = Session::detached(lesson, off, state, super::RunMode::Step);
        s.program = Some(Arc::new(program));
        s.speed = speed;
        s.exe = exe;
        // The program's own `random` draws the same numbers on every re-run.
        s.seed = 0;
        s.start_run()?;
        Ok(s)
    }

    /// The real program this session runs, if it runs one.
    pub fn program(&self) -> Option<&Program> {
        self.program.as_deref()
    }
}
