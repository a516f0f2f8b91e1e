//! `c` on the run screen: the lesson runs as its real program under
//! CPython (its listing, with the lesson's check as the program's
//! expectation), or back on the built-in engine. Both are the same lesson
//! in the list; a program's origin is the lesson's with [`SUFFIX`].

use super::app::{App, Screen};
use crate::lesson::{Lang, Lesson};
use crate::python::{self, Program};
use crate::words::screen::notes::{self, Note};

/// Makes a lesson's real program from its listing, in `Lang`, or says why
/// it cannot (given by the command line, which knows how).
pub type MakeProgram = fn(&Lesson, Lang) -> Result<Program, String>;

/// How the origin of a lesson's real program ends (`counter --python`).
pub const SUFFIX: &str = " --python";

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

    /// Say `note` under the run shown.
    fn note(&mut self, note: Note) {
        if let Some(s) = self.session_mut() {
            s.message = Some(notes::text(&note));
        }
    }
}
