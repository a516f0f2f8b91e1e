//! Resolving the schedule file of a lesson run as its real program under
//! CPython (`python` set): the lesson loaded, its listing there to run,
//! its locks named. That the lesson is not a program itself the command
//! line checks first (it tells programs). The steps are the program's
//! processes', known only as the program runs: a step that names none
//! stops the replay there.

use std::path::Path;

use super::{PythonRun, Replay, ScheduleFile, ScheduleFileError};
use crate::lesson::Lesson;
use crate::lesson::locate::Seg;

impl ScheduleFile {
    /// [`ScheduleFile::resolve`] of a file whose `python` is `run`.
    pub(super) fn resolve_python(
        self,
        path: &Path,
        text: &str,
        run: PythonRun,
    ) -> Result<Replay, ScheduleFileError> {
        let invalid = |key: &str, index: Option<usize>, message: String| {
            let mut field = vec![Seg::Key(key.into())];
            field.extend(index.map(Seg::Index));
            super::field_error(path, text, &field, message)
        };
        if self.procs.is_some() {
            return Err(invalid(
                "procs",
                None,
                "a lesson's real program starts the processes its listing starts: `procs` goes only without `python`".into(),
            ));
        }
        let lesson = Lesson::find(&self.lesson_location(path)).map_err(|cause| {
            ScheduleFileError::Lesson {
                file: path.display().to_string(),
                cause,
            }
        })?;
        if let Err(why) = crate::python::lessons::source(&lesson, run.listing, None) {
            let said = crate::words::python_lessons::not_a_program(run.listing, &lesson.id, why);
            return Err(invalid("python", None, said));
        }
        let names: Vec<String> = lesson.resources().into_iter().map(|r| r.name).collect();
        let known = |o: &String| names.contains(o) || o == crate::python::ALL_OFF;
        if let Some(i) = self.off.iter().position(|o| !known(o)) {
            return Err(invalid(
                "off",
                Some(i),
                format!(
                    "lesson `{}` has no lock or semaphore named `{}` (it has: {}; `{}` is every one)",
                    lesson.id,
                    self.off[i],
                    names.join(", "),
                    crate::python::ALL_OFF
                ),
            ));
        }
        Ok(Replay { lesson, file: self })
    }
}
