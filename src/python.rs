//! Real Python programs: the learner's own `multiprocessing` script run by
//! CPython, every process real, stepped like a lesson. This room finds the
//! interpreter and checks the program before anything starts (`program`),
//! reads the program's expectations (`expect`), and plans the run: the shim
//! package written into the run directory and first on `PYTHONPATH`
//! (`shim`), and a model that learns processes, locks and values as the
//! program makes them (see `model::python`).

pub mod expect;
pub mod inside;
pub mod lessons;
pub mod program;
pub mod shim;

pub use expect::{Expectation, Outcome};
pub use program::{Interpreter, Program, PyError};

use crate::lesson::Lesson;
use crate::model::RunState;
use crate::supervisor::Plan;
use crate::wire::Setup;

/// The plan and the fresh model of a run of `program`: one process (the
/// interpreter on the program) to start, the rest appear as it starts them.
/// `semprefix`: see [`shim::semaphore_prefix`]; `off`: the locks and
/// semaphores switched off by their Python names (`*`: every one).
pub fn plan<'a>(
    program: &Program,
    exe: &'a std::path::Path,
    speed: f64,
    seed: u64,
    semprefix: &str,
    off: &[String],
) -> Plan<'a> {
    Plan {
        values: Vec::new(),
        semaphores: Vec::new(),
        setups: vec![main_setup(speed, seed, off, program.lesson.timing)],
        channels: Vec::new(),
        servers: Vec::new(),
        exe,
        launch: Some(shim::launch(program, semprefix)),
    }
}

/// The model before the run: the main process only, its listing the
/// program; its timing model the program's lesson's (`--timing`).
pub fn model(program: &Program) -> RunState {
    let mut state = RunState::new(&program.lesson, &[]);
    // Processes appear as the program starts them: the virtual clock has
    // room for every one the model can admit, so their sleeps count.
    state.clock = crate::model::clock::Clock::new(program.lesson.timing, crate::wire::MAX_PROCS);
    state
}

/// The program as a lesson: one process (`main`) with no program of ours,
/// and the program's own lines as its listing.
pub fn lesson(path: &std::path::Path, source: &str) -> Result<Lesson, PyError> {
    let id = program::name_of(path);
    let listing: Vec<String> = source.lines().map(str::to_string).collect();
    let lesson = serde_json::json!({
        "id": id,
        "title": { "en": id },
        "summary": { "en": "" },
        "story": { "en": "" },
        "listing": listing,
        "processes": [{ "role": "main", "names": ["main"] }],
        "programs": { "main": [] },
        "check": {
            "measure": { "final_value": "" },
            "expect": 0,
            "rule": "equal",
            "quantity": { "en": "" },
            "ok": { "en": "" },
            "broken": { "en": "" }
        }
    });
    serde_json::from_value(lesson).map_err(|e| PyError::Unreadable {
        file: path.to_path_buf(),
        message: e.to_string(),
    })
}

/// Every lock and semaphore switched off (`--unlocked`): their names are
/// not known before the program makes them.
pub const ALL_OFF: &str = "*";

fn main_setup(speed: f64, seed: u64, off: &[String], timing: crate::lesson::Timing) -> Setup {
    Setup {
        number: 1,
        index: 0,
        program: Vec::new(),
        semaphores: Vec::new(),
        off: off.to_vec(),
        free: false,
        speed,
        seed,
        pool_worker: false,
        arg: None,
        parent: None,
        children: Vec::new(),
        globals: Vec::new(),
        locks: Vec::new(),
        rlocks: Vec::new(),
        // As written, a sleep holds its process until the clock gets there
        // (the shim's end gate and timed join).
        sleeps_hold: timing == crate::lesson::Timing::AsWritten,
    }
}
