//! The usage errors of the command line (English only, like clap's own
//! messages around them) and the note when there is no terminal.

use crate::wire::ProcId;

/// `--off NAME` names nothing in the lesson.
pub fn unknown_lock(name: &str, lesson: &str, known: &[String]) -> String {
    let known = if known.is_empty() {
        "it has none".to_string()
    } else {
        format!("it has: {}", known.join(", "))
    };
    format!("--off {name}: lesson `{lesson}` has no lock or semaphore named `{name}` ({known})")
}

/// A lesson name that is no built-in id and no file, with the closest id.
pub fn unknown_lesson(name: &str, closest: Option<&str>) -> String {
    let hint = match closest {
        Some(id) => format!("did you mean `{id}`? "),
        None => String::new(),
    };
    format!(
        "failed to find lesson `{name}`: no built-in lesson has that id and no such file exists ({hint}see `lockstep list`)"
    )
}

/// `--procs N` the lesson cannot take; `why` is the lesson's reason.
pub fn bad_procs(n: usize, why: &str) -> String {
    format!("--procs {n}: {why}")
}

pub fn timing_lesson_has_no_schedule(lesson: &str) -> String {
    format!(
        "lesson `{lesson}` is a timing lesson: its processes run by themselves and are measured, so it takes no --schedule or --steps"
    )
}

pub fn timing_lesson_has_nothing_to_explore(lesson: &str) -> String {
    format!("lesson `{lesson}` is a timing lesson: it has no schedules to explore")
}

pub fn save_needs_schedule() -> String {
    "--save needs a schedule: add --schedule round-robin, --schedule random or --steps".into()
}

pub fn timing_needs_schedule() -> String {
    "--timing applies to a schedule: add --schedule round-robin, --schedule random or --steps (a free run's sleeps are real)".into()
}

pub fn steps_and_random() -> String {
    "--steps and --schedule random cannot be combined".into()
}

/// `--steps` names a process the lesson does not have (`p` as typed, maybe 0).
pub fn no_such_process(p: usize, lesson: &str, count: usize) -> String {
    format!(
        "--steps: {} does not exist; lesson `{lesson}` has {} to {}",
        typed_process(p),
        ProcId(0),
        ProcId::from_number(count)
    )
}

/// A P-number as the learner typed it. 0 names no process, so no `ProcId`
/// can show it: it reads as typed, `P0`.
fn typed_process(number: usize) -> String {
    crate::wire::typed_number(number)
}

/// `lockstep run FILE` with arguments the schedule file already decides.
pub fn schedule_file_decides(file: &str) -> String {
    format!(
        "{file} is a schedule file: it sets the lesson, the locks that are off, the processes and the steps (only --json, --lang, --speed, --seed and --save go with it)"
    )
}

/// A real program's schedule file with SIGTERMs sent from the app (`t`):
/// only the app sends them again.
pub fn sigterms_replay_in_the_app(file: &str) -> String {
    format!(
        "{file} sends SIGTERMs (the app's t) during a real Python program's run: only the app replays those; open it with `lockstep {file}`"
    )
}

pub fn explore_takes_a_lesson(file: &str) -> String {
    format!(
        "{file} is a schedule file: explore takes a lesson; replay the schedule with `lockstep run {file}`"
    )
}

pub fn random_needs_one() -> String {
    "--random needs at least 1 schedule".into()
}

pub fn replay_brings_its_locks() -> String {
    "a replayed schedule brings its own locks: drop --unlocked and --off".into()
}

pub fn replay_brings_its_timing() -> String {
    "a replayed schedule brings its own timing model: drop --timing".into()
}

pub fn replay_brings_its_engine() -> String {
    "a replayed schedule says itself whether it ran under CPython (its `python` field): drop --python"
        .into()
}

pub fn replay_of_other_lesson(file_lesson: &str, named: &str) -> String {
    format!("--replay: the schedule is of lesson `{file_lesson}`, not `{named}`")
}

pub fn no_terminal() -> &'static str {
    "lockstep: no terminal: the interactive app needs one; use `lockstep run LESSON` (see `lockstep list`)"
}
