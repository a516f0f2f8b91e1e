//! `c` on the run screen: the lesson runs as its real program under
//! CPython (its listing, with the lesson's check as the program's
//! expectation), or back on the built-in engine. Both are the same lesson
//! in the list; a program's origin is the lesson's with [`SUFFIX`]. `s`
//! saves its steps as a schedule file of the lesson run under CPython.

use std::path::Path;

use super::app::{App, Screen};
use super::session::Session;
use crate::lesson::{Lang, Lesson};
use crate::python::{self, Program};
use crate::schedule_file::ScheduleFile;
use crate::words::screen::notes::{self, Note};

/// Makes a lesson's real program from its listing, in `Lang`, or says why
/// it cannot (given by the command line, which knows how).
pub type MakeProgram = fn(&Lesson, Lang) -> Result<Program, String>;

/// How the origin of a lesson's real program ends (`counter --python`).
pub const SUFFIX: &str = " --python";

/// What the app names the run a schedule file replays: the lesson, or
/// its real program (`counter --python`).
pub fn origin_of(file: &ScheduleFile) -> String {
    match file.python {
        Some(_) => format!("{}{SUFFIX}", file.lesson),
        None => file.lesson.clone(),
    }
}

impl App {
    /// Switch the lesson shown between the built-in engine and CPython,
    /// keeping the locks switched off and the timing model; a fresh run.
    pub fn switch_python(&mut self) {
        let Screen::Run(s) = &self.screen else {
            return;
        };
        let (origin, off, timing) = (s.origin.clone(), s.off.clone(), s.timing_model);
        if let Some(base) = origin.strip_suffix(SUFFIX) {
            let Some(i) = self.sources.iter().position(|o| o == base) else {
                return;
            };
            let mut lesson = self.lessons[i].clone();
            lesson.timing = timing;
            let off = if off.iter().any(|o| o == python::ALL_OFF) {
                lesson.resources().into_iter().map(|r| r.name).collect()
            } else {
                off
            };
            self.picked = i;
            if self.open_lesson(lesson, base.to_string(), off, None) {
                self.note(Note::NowBuiltIn);
            }
            return;
        }
        if s.program().is_some() {
            self.note(Note::OnlyCPython);
            return;
        }
        let named = format!("{origin}{SUFFIX}");
        if !self.programs.iter().any(|(o, _)| *o == named) {
            let made = match self.real_program {
                Some(make) => make(&s.lesson, self.lang),
                None => return,
            };
            match made {
                Ok(mut program) => {
                    // The same lesson: its title and story stay in view.
                    let (to, from) = (&mut program.lesson, &s.lesson);
                    to.title = from.title.clone();
                    to.summary = from.summary.clone();
                    to.story = from.story.clone();
                    to.try_this = from.try_this.clone();
                    self.programs.push((named.clone(), program));
                }
                Err(why) => return self.note(Note::NoRealProgram(why)),
            }
        }
        let all = s.lesson.resources().len();
        let off = if all > 0 && off.len() == all {
            vec![python::ALL_OFF.to_string()]
        } else {
            off
        };
        let Some((_, program)) = self.programs.iter_mut().find(|(o, _)| *o == named) else {
            return;
        };
        program.lesson.timing = timing;
        let lesson = program.lesson.clone();
        if self.open_lesson(lesson, named, off, None) {
            self.note(Note::NowCPython);
        }
    }

    /// Save the steps of the real program shown (`s`): a schedule file of
    /// its lesson, run under CPython from the listing it was made from.
    pub fn save_real_program(&mut self, dir: &Path) {
        let Screen::Run(s) = &self.screen else {
            return;
        };
        let note = match real_program_file(s).and_then(|f| s.save_file(dir, &f)) {
            Ok(path) => Note::Saved(path.display().to_string()),
            Err(e) => Note::SaveFailed(format!("{e:#}")),
        };
        self.note(note);
    }

    /// Say `note` under the run shown.
    fn note(&mut self, note: Note) {
        if let Some(s) = self.session_mut() {
            s.message = Some(notes::text(&note));
        }
    }
}

/// The session's steps as a schedule file of its lesson's real program.
fn real_program_file(s: &Session) -> anyhow::Result<ScheduleFile> {
    let lesson = s.origin.strip_suffix(SUFFIX).unwrap_or(&s.origin);
    let file = s.schedule_file()?;
    let listing = match s.program() {
        Some(program) => listing_of(lesson, program),
        None => Lang::En,
    };
    Ok(file.on_python(lesson, listing))
}

/// Which of `lesson`'s listings `program` was made from: the app keeps the
/// program it made first, whatever the language chosen since.
fn listing_of(lesson: &str, program: &Program) -> Lang {
    let chinese = Lesson::find(lesson).ok().and_then(|l| {
        let quantity = crate::words::python_lessons::quantity(&l.id, Lang::Zh);
        python::lessons::source(&l, Lang::Zh, quantity).ok()
    });
    match chinese {
        Some((_, source)) if source == program.source => Lang::Zh,
        _ => Lang::En,
    }
}
