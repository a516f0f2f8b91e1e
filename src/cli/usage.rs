//! Usage errors: a bad argument's message with the usage line of its
//! command, and exit code 2; and the checks of arguments against a lesson.

use clap::{CommandFactory, error::ErrorKind};

use super::args::{Cli, LockArgs};
use crate::lesson::Lesson;
use crate::words::report::usage as words;

/// A bad argument that clap found: its message, always with the usage line
/// of the subcommand (clap leaves it out for a bad value), and exit 2.
pub fn parse_failed(e: clap::Error) -> ! {
    let text = e.render().to_string();
    if !e.use_stderr() || text.contains("Usage:") {
        e.exit();
    }
    let mut cmd = Cli::command();
    cmd.build();
    let sub = std::env::args().nth(1);
    let usage = match sub.as_deref().and_then(|s| cmd.find_subcommand_mut(s)) {
        Some(sub) => sub.render_usage(),
        None => cmd.render_usage(),
    };
    let (head, tail) = match text.find("\n\nFor more information") {
        Some(i) => text.split_at(i),
        None => (text.trim_end(), "\n"),
    };
    eprint!("{head}\n\n{usage}{tail}");
    if !tail.ends_with('\n') {
        eprintln!();
    }
    std::process::exit(2);
}

/// Print `msg` with the usage of `lockstep SUB` (or the top level) and exit 2.
pub fn usage_error(sub: Option<&str>, msg: String) -> ! {
    let mut cmd = Cli::command();
    // Building sets each subcommand's full name (`lockstep run`) for its usage line.
    cmd.build();
    match sub.and_then(|s| cmd.find_subcommand_mut(s)) {
        Some(sub) => sub.error(ErrorKind::InvalidValue, msg).exit(),
        None => cmd.error(ErrorKind::InvalidValue, msg).exit(),
    }
}

/// A built-in lesson by id, or a lesson file by path. A name that is
/// neither is a bad argument of `lockstep SUB`: its message names the
/// closest built-in id, and the exit code is 2.
pub fn load(name: &str, sub: Option<&str>) -> anyhow::Result<Lesson> {
    match Lesson::find(name) {
        Err(crate::lesson::LessonError::Unknown(name)) => {
            let closest = crate::lesson::closest_builtin(&name);
            usage_error(sub, words::unknown_lesson(&name, closest))
        }
        found => Ok(found?),
    }
}

/// The locks to switch off, checked against the lesson.
pub fn off_list(lesson: &Lesson, locks: &LockArgs, sub: Option<&str>) -> Vec<String> {
    let names: Vec<String> = lesson.resources().into_iter().map(|r| r.name).collect();
    if locks.unlocked {
        return names;
    }
    for o in &locks.off {
        if !names.contains(o) {
            usage_error(sub, words::unknown_lock(o, &lesson.id, &names));
        }
    }
    locks.off.clone()
}

/// The lesson with `--procs N` applied (a bad N is a usage error).
pub fn shrink(lesson: Lesson, procs: Option<usize>, sub: &str) -> Lesson {
    match procs {
        Some(n) => lesson
            .with_processes(n)
            .unwrap_or_else(|m| usage_error(Some(sub), words::bad_procs(n, &m))),
        None => lesson,
    }
}

/// A seed small enough to type again, for when none was given.
pub fn new_seed() -> u64 {
    rand::random::<u64>() % 1_000_000
}
