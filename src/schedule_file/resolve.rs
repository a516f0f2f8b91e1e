//! Resolving a schedule file: its lesson loaded and shrunk, its options
//! and P-numbers checked against that lesson.

use std::path::{Path, PathBuf};

use super::{Replay, ScheduleFile, ScheduleFileError, last_process};
use crate::lesson::Lesson;
use crate::lesson::locate::{self, Seg};
use crate::wire::ProcId;

impl ScheduleFile {
    /// Load the lesson, shrink it to `procs`, and check `off` and `steps`
    /// against it. `path` is where this schedule was read from.
    /// A lesson's real program (`python`) is checked as one.
    pub fn resolve(self, path: &Path, text: &str) -> Result<Replay, ScheduleFileError> {
        if let Some(run) = self.python {
            return self.resolve_python(path, text, run);
        }
        let file = path.display().to_string();
        let invalid = |seg: Vec<Seg>, message: String| {
            let (line, column) = locate::position(text, &seg).unwrap_or((1, 1));
            ScheduleFileError::Invalid {
                file: file.clone(),
                line,
                column,
                field: locate::display(&seg),
                message,
            }
        };
        let lesson = Lesson::find(&self.lesson_location(path)).map_err(|source| {
            ScheduleFileError::Lesson {
                file: file.clone(),
                cause: source,
            }
        })?;
        let lesson = match self.procs {
            Some(n) => lesson
                .with_processes(n)
                .map_err(|m| invalid(vec![Seg::Key("procs".into())], m))?,
            None => lesson,
        };
        let names: Vec<String> = lesson.resources().into_iter().map(|r| r.name).collect();
        if let Some(i) = self.off.iter().position(|o| !names.contains(o)) {
            return Err(invalid(
                vec![Seg::Key("off".into()), Seg::Index(i)],
                format!(
                    "lesson `{}` has no lock or semaphore named `{}` (it has: {})",
                    lesson.id,
                    self.off[i],
                    names.join(", ")
                ),
            ));
        }
        let count = lesson.process_count();
        let numbers = self
            .steps
            .iter()
            .map(|&p| (Seg::Key("steps".into()), None, p));
        let signalled = self
            .sigterms
            .iter()
            .enumerate()
            .map(|(i, s)| (Seg::Key("sigterms".into()), Some(i), s.proc));
        if let Some((i, (key, sub, p))) = numbers
            .chain(signalled)
            .enumerate()
            .find(|(_, (_, _, p))| *p > count)
        {
            let seg = match sub {
                Some(k) => vec![key, Seg::Index(k), Seg::Key("proc".into())],
                None => vec![key, Seg::Index(i)],
            };
            return Err(invalid(
                seg,
                format!(
                    "{} does not exist: lesson `{}` has {} to {}",
                    ProcId::from_number(p),
                    lesson.id,
                    ProcId(0),
                    last_process(count)
                ),
            ));
        }
        Ok(Replay { lesson, file: self })
    }

    /// The lesson id, or its path with a relative one taken from `path`'s directory.
    pub(crate) fn lesson_location(&self, path: &Path) -> String {
        if crate::lesson::builtin(&self.lesson).is_some() || Path::new(&self.lesson).is_absolute() {
            return self.lesson.clone();
        }
        path.parent()
            .map(|dir| dir.join(&self.lesson))
            .unwrap_or_else(|| PathBuf::from(&self.lesson))
            .display()
            .to_string()
    }
}
