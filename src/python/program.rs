//! A Python program before it runs: the interpreter that will run it (found
//! on the PATH or given), its version, and whether the program compiles, so
//! that a syntax error is told with its line before any process starts.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::expect::{self, Expectation};
use crate::lesson::Lesson;

/// The oldest CPython the shim works with.
pub const OLDEST: (u32, u32) = (3, 8);

/// The interpreter's own check: its version, then compiling the program.
const CHECK: &str = include_str!("../../assets/python/check.py");

/// Why a program cannot be run. The words room tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PyError {
    /// No interpreter at `path` (or none named `python3` on the PATH).
    NoInterpreter { path: PathBuf },
    /// The interpreter is older than [`OLDEST`].
    TooOld { path: PathBuf, version: String },
    /// The program does not compile.
    Syntax {
        file: PathBuf,
        line: u32,
        column: u32,
        message: String,
    },
    /// The program cannot be read.
    Unreadable { file: PathBuf, message: String },
    /// A `# lockstep: expect` line (or `--expect`) lockstep cannot read.
    BadExpectation { line: u32, text: String },
}

impl std::error::Error for PyError {}

/// The interpreter that runs a program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interpreter {
    pub path: PathBuf,
    /// `3.11.7`.
    pub version: String,
}

/// A program checked and ready to run.
#[derive(Debug, Clone)]
pub struct Program {
    pub path: PathBuf,
    pub source: String,
    pub interpreter: Interpreter,
    /// From the program's comments, then the command line's.
    pub expectations: Vec<Expectation>,
    /// The program as a lesson (its listing, one process to start).
    pub lesson: Lesson,
    /// Lockstep carries the program itself (a lesson's listing, `--python`):
    /// `path` is its name in the run directory, where it is written and runs.
    pub carried: bool,
}

impl Program {
    /// Check `path` with `interpreter` (default: `python3` on the PATH);
    /// `extra`: expectations from the command line.
    pub fn check(
        path: &Path,
        interpreter: Option<&Path>,
        extra: &[String],
    ) -> Result<Program, PyError> {
        let source = std::fs::read_to_string(path).map_err(|e| PyError::Unreadable {
            file: path.to_path_buf(),
            message: e.to_string(),
        })?;
        Program::checked(path, source, interpreter, extra, false)
    }

    /// Check a program lockstep carries itself (a lesson's listing): `file`
    /// is its name in the run directory, where it is written and runs.
    pub fn carried(
        file: &Path,
        source: String,
        interpreter: Option<&Path>,
        extra: &[String],
    ) -> Result<Program, PyError> {
        Program::checked(file, source, interpreter, extra, true)
    }

    fn checked(
        path: &Path,
        source: String,
        interpreter: Option<&Path>,
        extra: &[String],
        carried: bool,
    ) -> Result<Program, PyError> {
        let interpreter = interpreter.map_or_else(|| PathBuf::from("python3"), Path::to_path_buf);
        let (interpreter, verdict) =
            run_check(&interpreter, path, carried.then_some(source.as_str()))?;
        if let Some(err) = verdict {
            return Err(err);
        }
        let mut expectations = expect::from_comments(&source)?;
        for text in extra {
            expectations.push(expect::parse(text, 0)?);
        }
        let lesson = super::lesson(path, &source)?;
        Ok(Program {
            path: path.to_path_buf(),
            source,
            interpreter,
            expectations,
            lesson,
            carried,
        })
    }

    /// The app's verdict follows the program's first expectation with
    /// `==`, `<=` or `>=` (the lesson's check can say no other) of a value,
    /// of `max_inside(LOCK)` (a room of the lock's name, whose holders are
    /// inside) or of `printed(TEXT)` (an outcome counted per printed line
    /// containing TEXT); `texts`: its quantity, and its sentences when it
    /// holds and when not (from `words`, for the expectation's left side).
    pub fn with_check(
        mut self,
        texts: impl Fn(
            &str,
            crate::lesson::Rule,
        ) -> (
            crate::lesson::Text,
            crate::lesson::Text,
            crate::lesson::Text,
        ),
    ) -> Program {
        use crate::lesson::{Measure, RoomDecl, Rule};
        let found = self.expectations.iter().find_map(|e| {
            let (measure, cmp, expect) = match &e.check {
                expect::Check::Value { name, cmp, expect } => {
                    (Measure::FinalValue(name.clone()), cmp, expect)
                }
                expect::Check::MaxInside { lock, cmp, expect } => {
                    (Measure::MaxInside(lock.clone()), cmp, expect)
                }
                expect::Check::Printed { text, cmp, expect } => {
                    (Measure::Outcome(text.clone()), cmp, expect)
                }
                expect::Check::NoDeadlock => return None,
            };
            let rule = match cmp {
                expect::Cmp::Eq => Rule::Equal,
                expect::Cmp::Le => Rule::AtMost,
                expect::Cmp::Ge => Rule::AtLeast,
                _ => return None,
            };
            Some((measure, rule, *expect, e.quantity()?))
        });
        if let Some((measure, rule, expect, side)) = found {
            let (quantity, ok, broken) = texts(&side, rule);
            if let Measure::MaxInside(lock) = &measure {
                let limit = u32::try_from(expect).ok().filter(|_| rule == Rule::AtMost);
                let room = RoomDecl {
                    name: lock.clone(),
                    limit,
                };
                self.lesson.rooms.push(room);
            }
            let check = &mut self.lesson.check;
            check.measure = measure;
            (check.rule, check.expect) = (rule, expect);
            (check.quantity, check.ok, check.broken) = (quantity, ok, broken);
        }
        self
    }

    /// The program's card in the app (`i`): its summary and story.
    pub fn with_card(
        mut self,
        (summary, story): (crate::lesson::Text, crate::lesson::Text),
    ) -> Program {
        self.lesson.summary = summary;
        self.lesson.story = story;
        self
    }

    /// Whether the program may take a lock lockstep can switch off (a
    /// `Lock`, `RLock`, semaphore, `Condition`, or a value's `get_lock()`),
    /// as its source says: without one, its locks off and on run alike.
    pub fn may_take_locks(&self) -> bool {
        ["Lock", "Semaphore", "Condition", "get_lock"]
            .iter()
            .any(|word| self.source.contains(word))
    }

    /// The program's name: its file name without `.py`.
    pub fn name(&self) -> String {
        name_of(&self.path)
    }
}

/// A program's name: its file name without `.py`.
pub fn name_of(path: &Path) -> String {
    path.file_stem()
        .map_or_else(|| "program".into(), |s| s.to_string_lossy().into_owned())
}

/// Run the interpreter's check on `program` (whose text is `source` when
/// lockstep carries it, else the file's): the interpreter with its
/// version, and the program's syntax error if it has one.
fn run_check(
    interpreter: &Path,
    program: &Path,
    source: Option<&str>,
) -> Result<(Interpreter, Option<PyError>), PyError> {
    let none = || PyError::NoInterpreter {
        path: interpreter.to_path_buf(),
    };
    let mut cmd = Command::new(interpreter);
    cmd.args(["-I", "-c", CHECK])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null());
    match source {
        Some(_) => cmd.arg("/dev/stdin"),
        None => cmd.arg(program),
    };
    let mut child = cmd.spawn().map_err(|_| none())?;
    if let Some(mut stdin) = child.stdin.take() {
        use std::io::Write;
        // A check that ended early (no Python 3) reads nothing: not an error here.
        let _ = stdin.write_all(source.unwrap_or("").as_bytes());
    }
    let out = child.wait_with_output().map_err(|_| none())?;
    let text = String::from_utf8_lossy(&out.stdout);
    let mut lines = text.lines();
    let version: Vec<u32> = match lines.next().and_then(|l| l.strip_prefix("version ")) {
        Some(v) => v.split(' ').filter_map(|n| n.parse().ok()).collect(),
        // Not a Python that runs the check at all (Python 2 prints nothing).
        None => return Err(too_old_or_none(interpreter, none())),
    };
    let shown = version
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(".");
    if (version.first().copied(), version.get(1).copied()) < (Some(OLDEST.0), Some(OLDEST.1)) {
        return Err(PyError::TooOld {
            path: interpreter.to_path_buf(),
            version: shown,
        });
    }
    let found = Interpreter {
        path: interpreter.to_path_buf(),
        version: shown,
    };
    let verdict = lines.next().and_then(|l| verdict(l, program));
    Ok((found, verdict))
}

fn too_old_or_none(interpreter: &Path, none: PyError) -> PyError {
    // An interpreter too old for the check's syntax still tells its version.
    let version = Command::new(interpreter)
        .arg("--version")
        .output()
        .ok()
        .map(|o| {
            let mut v = String::from_utf8_lossy(&o.stdout).into_owned();
            v.push_str(&String::from_utf8_lossy(&o.stderr));
            v.trim().trim_start_matches("Python ").to_string()
        })
        .filter(|v| !v.is_empty());
    match version {
        Some(version) => PyError::TooOld {
            path: interpreter.to_path_buf(),
            version,
        },
        None => none,
    }
}

/// The check's second line: `ok`, or what is wrong with the program.
fn verdict(line: &str, program: &Path) -> Option<PyError> {
    let mut parts = line.splitn(4, ' ');
    let kind = parts.next()?;
    let line_no = parts.next().and_then(|n| n.parse().ok()).unwrap_or(0);
    let column = parts.next().and_then(|n| n.parse().ok()).unwrap_or(0);
    let message = parts.next().unwrap_or("").to_string();
    match kind {
        "syntax" => Some(PyError::Syntax {
            file: program.to_path_buf(),
            line: line_no,
            column,
            message,
        }),
        "unreadable" => Some(PyError::Unreadable {
            file: program.to_path_buf(),
            message,
        }),
        _ => None,
    }
}
