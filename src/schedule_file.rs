//! Schedules as files: which process moved at each step of a run, with the
//! lesson and options needed to run it again exactly. `lockstep run FILE`
//! replays one (then goes on round-robin); `--save FILE` writes one.
//!
//! ```json
//! {"lockstep_schedule": 2, "lesson": "terminate", "off": [], "procs": null,
//!  "seed": 7, "timing": "as_written", "steps": [1,2,1,2,2],
//!  "sigterms": [{"after_step": 3, "proc": 2}]}
//! ```
//!
//! Format 1 files (no timing, no signals) still load: they were recorded
//! before timing models, under *any* timing.
//!
//! A lesson run as its real program under CPython (`--python`) says so in
//! `python` (`{"listing": "zh"}`: the listing it ran, in that language);
//! its steps are then the program's processes', as in a program's file.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::lesson::locate::{self, Seg};
use crate::lesson::{Lang, Lesson, LessonError, Timing};
pub use crate::schedule::Sigterm;
use crate::wire::ProcId;

/// The format version written in `lockstep_schedule`.
pub const FORMAT: u32 = 2;

/// The oldest format still read.
pub const OLDEST_FORMAT: u32 = 1;

/// One saved schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleFile {
    /// Format version; also how a schedule file is told from a lesson file.
    pub lockstep_schedule: u32,
    /// A built-in lesson id, or the path of a lesson file (a relative path
    /// is taken from the schedule file's directory).
    pub lesson: String,
    /// Locks and semaphores switched off.
    #[serde(default)]
    pub off: Vec<String>,
    /// The lesson shrunk to this many processes (`--procs`), or as declared.
    #[serde(default)]
    pub procs: Option<usize>,
    /// Seed of random sleep lengths (sleeps take no time under a schedule).
    #[serde(default)]
    pub seed: Option<u64>,
    /// The timing model the steps were taken under (`None`: a format 1
    /// file, recorded under *any* timing).
    #[serde(default)]
    pub timing: Option<Timing>,
    /// Which process moved at each step, as P-numbers from 1.
    pub steps: Vec<usize>,
    /// SIGTERMs sent from outside the lesson, in the order sent.
    #[serde(default)]
    pub sigterms: Vec<Sigterm>,
    /// The lesson ran as its real program under CPython (`--python`);
    /// `None`: on the built-in engine.
    #[serde(default)]
    pub python: Option<PythonRun>,
}

/// How a lesson's real program was run: the listing it was made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PythonRun {
    /// The language of the listing (`en` or `zh`): its printed lines and
    /// its check differ between the two.
    pub listing: Lang,
}

#[derive(Debug, thiserror::Error)]
pub enum ScheduleFileError {
    #[error("failed to read schedule file {file}: {source}")]
    Io {
        file: String,
        source: std::io::Error,
    },
    #[error("failed to write schedule file {file}: {source}")]
    Write {
        file: String,
        source: std::io::Error,
    },
    #[error("failed to load schedule: {file}:{line}:{column}: {message}")]
    Syntax {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("failed to load schedule: {file}:{line}:{column}: field `{field}`: {message}")]
    Invalid {
        file: String,
        line: usize,
        column: usize,
        field: String,
        message: String,
    },
    // Not a `source`: the message says it already, and a chain would repeat it.
    #[error("failed to load schedule: {file}: field `lesson`: {cause}")]
    Lesson { file: String, cause: LessonError },
}

/// A schedule file made ready to run: its lesson loaded (and shrunk), its
/// options checked against the lesson.
#[derive(Debug, Clone)]
pub struct Replay {
    pub lesson: Lesson,
    pub file: ScheduleFile,
}

impl ScheduleFile {
    /// A schedule of `lesson` (an id or a path as the user gave it).
    pub fn new(
        lesson: &str,
        off: &[String],
        procs: Option<usize>,
        seed: Option<u64>,
        steps: Vec<usize>,
    ) -> ScheduleFile {
        ScheduleFile {
            lockstep_schedule: FORMAT,
            lesson: lesson_ref(lesson),
            off: off.to_vec(),
            procs,
            seed,
            timing: Some(Timing::Any),
            steps,
            sigterms: Vec::new(),
            python: None,
        }
    }

    pub fn with_timing(mut self, timing: Timing) -> ScheduleFile {
        self.timing = Some(timing);
        self
    }

    pub fn with_sigterms(mut self, sigterms: Vec<Sigterm>) -> ScheduleFile {
        self.sigterms = sigterms;
        self
    }

    /// A run of `lesson`'s real program, made from its listing in
    /// `listing`, under CPython (`--python`).
    pub fn on_python(mut self, lesson: &str, listing: Lang) -> ScheduleFile {
        self.lesson = lesson_ref(lesson);
        self.python = Some(PythonRun { listing });
        self
    }

    /// The timing model to replay the steps under.
    pub fn timing(&self) -> Timing {
        self.timing.unwrap_or(Timing::Any)
    }

    /// Parse and check the shape of a schedule file; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<ScheduleFile, ScheduleFileError> {
        let mut de = serde_json::Deserializer::from_str(text);
        let parsed: ScheduleFile = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let inner = e.inner();
            let field = e.path().to_string();
            let message = crate::lesson::strip_position(&inner.to_string());
            if field.is_empty() || field == "." || inner.is_syntax() || inner.is_eof() {
                ScheduleFileError::Syntax {
                    file: file.to_string(),
                    line: inner.line(),
                    column: inner.column(),
                    message,
                }
            } else {
                ScheduleFileError::Invalid {
                    file: file.to_string(),
                    line: inner.line(),
                    column: inner.column(),
                    field,
                    message,
                }
            }
        })?;
        let invalid = |path: Vec<Seg>, message: String| {
            let (line, column) = locate::position(text, &path).unwrap_or((1, 1));
            ScheduleFileError::Invalid {
                file: file.to_string(),
                line,
                column,
                field: locate::display(&path),
                message,
            }
        };
        if !(OLDEST_FORMAT..=FORMAT).contains(&parsed.lockstep_schedule) {
            return Err(invalid(
                vec![Seg::Key("lockstep_schedule".into())],
                format!(
                    "format {} is not known: this lockstep reads formats {OLDEST_FORMAT} to {FORMAT}",
                    parsed.lockstep_schedule
                ),
            ));
        }
        if let Some(i) = parsed.steps.iter().position(|&p| p == 0) {
            return Err(invalid(
                vec![Seg::Key("steps".into()), Seg::Index(i)],
                format!("process numbers start at 1 ({})", ProcId(0)),
            ));
        }
        let sigterm = |i: usize, key: &str| {
            vec![
                Seg::Key("sigterms".into()),
                Seg::Index(i),
                Seg::Key(key.into()),
            ]
        };
        if let Some(i) = parsed.sigterms.iter().position(|s| s.proc == 0) {
            return Err(invalid(
                sigterm(i, "proc"),
                format!("process numbers start at 1 ({})", ProcId(0)),
            ));
        }
        let steps = parsed.steps.len();
        if let Some(i) = parsed.sigterms.iter().position(|s| s.after_step > steps) {
            return Err(invalid(
                sigterm(i, "after_step"),
                format!("the schedule has only {steps} steps"),
            ));
        }
        Ok(parsed)
    }

    /// Read and parse a schedule file.
    pub fn load(path: &Path) -> Result<ScheduleFile, ScheduleFileError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| ScheduleFileError::Io {
            file: file.clone(),
            source,
        })?;
        ScheduleFile::parse(&text, &file)
    }

    /// Read, parse and resolve a schedule file: ready to replay.
    pub fn open(path: &Path) -> Result<Replay, ScheduleFileError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| ScheduleFileError::Io {
            file: file.clone(),
            source,
        })?;
        ScheduleFile::parse(&text, &file)?.resolve(path, &text)
    }

    /// The file's text: one field per line, the steps on one line.
    pub fn to_text(&self) -> String {
        let json = |v: &dyn erased::ToJson| v.to_json();
        let fields = [
            ("lockstep_schedule", json(&self.lockstep_schedule)),
            ("lesson", json(&self.lesson)),
            ("off", json(&self.off)),
            ("procs", json(&self.procs)),
            ("seed", json(&self.seed)),
            ("timing", json(&self.timing)),
            ("steps", json(&self.steps)),
            ("sigterms", json(&self.sigterms)),
        ];
        // Written only for a lesson's real program: other files stay as they were.
        let python = self.python.map(|p| ("python", json(&p)));
        let lines: Vec<String> = fields
            .into_iter()
            .chain(python)
            .map(|(k, v)| format!("  \"{k}\": {v}"))
            .collect();
        format!("{{\n{}\n}}\n", lines.join(",\n"))
    }

    /// Write the file (replacing it).
    pub fn save(&self, path: &Path) -> Result<(), ScheduleFileError> {
        std::fs::write(path, self.to_text()).map_err(|source| ScheduleFileError::Write {
            file: path.display().to_string(),
            source,
        })
    }
}

/// An error at `field` (`python`, `off[0]`) of the schedule file `path`,
/// whose text is `text`: placed at the field's line and column.
pub fn field_error(path: &Path, text: &str, field: &[Seg], message: String) -> ScheduleFileError {
    let (line, column) = locate::position(text, field).unwrap_or((1, 1));
    ScheduleFileError::Invalid {
        file: path.display().to_string(),
        line,
        column,
        field: locate::display(field),
        message,
    }
}

/// Read `path` as a schedule file if it is one: a JSON object with a
/// `lockstep_schedule` key. `Ok(None)` for anything else (a lesson file).
pub fn sniff(path: &Path) -> Result<Option<Replay>, ScheduleFileError> {
    if !path.is_file() {
        return Ok(None);
    }
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| ScheduleFileError::Io {
        file: file.clone(),
        source,
    })?;
    if !looks_like_schedule(&text) {
        return Ok(None);
    }
    ScheduleFile::parse(&text, &file)?
        .resolve(path, &text)
        .map(Some)
}

/// The last P-number of a lesson with `count` processes. A pool lesson has
/// none, so no `ProcId` can show it: its range reads `P1 to P0`.
fn last_process(count: usize) -> String {
    crate::wire::typed_number(count)
}

/// `path` is a schedule file (a JSON object with a `lockstep_schedule` key).
pub fn is_schedule_file(path: &Path) -> bool {
    path.is_file() && std::fs::read_to_string(path).is_ok_and(|text| looks_like_schedule(&text))
}

/// A JSON object with a `lockstep_schedule` key, even if otherwise broken.
fn looks_like_schedule(text: &str) -> bool {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(v) => v.get("lockstep_schedule").is_some(),
        // A syntax error: decide by the key's presence near the top.
        Err(_) => text.trim_start().starts_with('{') && text.contains("\"lockstep_schedule\""),
    }
}

/// How a lesson is named in a saved schedule: its id if built in, else its
/// path made absolute (so the file works from any directory).
fn lesson_ref(lesson: &str) -> String {
    if crate::lesson::builtin(lesson).is_some() {
        return lesson.to_string();
    }
    std::path::absolute(lesson)
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| lesson.to_string())
}

mod erased {
    /// Compact JSON of one field.
    pub trait ToJson {
        fn to_json(&self) -> String;
    }

    impl<T: serde::Serialize> ToJson for T {
        fn to_json(&self) -> String {
            serde_json::to_string(self).unwrap_or_else(|_| "null".into())
        }
    }
}

mod python;
mod resolve;

#[cfg(test)]
mod tests;
