//! What the app is showing: the screen with its own state (the lesson list,
//! a run, or the explorer), and the moves between screens. Keys, clicks and
//! the clock change it through `update`; drawing only reads it (see `view`).

use std::cell::Cell;
use std::path::PathBuf;

use ratatui::layout::Rect;

use super::explorer::Explorer;
use super::session::Session;
use crate::challenge::Pursuit;
use crate::lesson::{Lang, Lesson};
use crate::progress::Store;
use crate::schedule_file::Replay;
use crate::words::screen::notes::{self, Note};

/// The screen shown, with what only it has.
pub enum Screen {
    /// The list of lessons.
    Picker,
    /// A run of a lesson with its real processes.
    Run(Box<Session>),
    /// Every schedule of the lesson, with and without its locks; Esc goes
    /// back to the run it was opened from, if any, else to the list.
    Explore {
        explorer: Box<Explorer>,
        back_to: Option<Box<Session>>,
    },
}

impl Screen {
    /// The run shown, or the one the explorer goes back to (its processes
    /// live on, and their events are still taken in).
    pub fn session(&self) -> Option<&Session> {
        match self {
            Screen::Run(s) => Some(s),
            Screen::Explore {
                back_to: Some(s), ..
            } => Some(s),
            _ => None,
        }
    }

    pub fn session_mut(&mut self) -> Option<&mut Session> {
        match self {
            Screen::Run(s) => Some(s),
            Screen::Explore {
                back_to: Some(s), ..
            } => Some(s),
            _ => None,
        }
    }

    pub fn explorer(&self) -> Option<&Explorer> {
        match self {
            Screen::Explore { explorer, .. } => Some(explorer),
            _ => None,
        }
    }
}

/// The clock's bookkeeping between ticks.
#[derive(Default)]
pub struct Watch {
    /// Ticks so far.
    pub ticks: u64,
    /// A key or an event came since /proc was last read.
    pub moved: bool,
    /// The header's clock as last drawn.
    pub clock_shown: String,
}

pub struct App {
    pub lessons: Vec<Lesson>,
    pub lang: Lang,
    pub screen: Screen,
    /// Highlighted lesson in the picker.
    pub picked: usize,
    /// The picker's story: its first line shown, and the most it can
    /// scroll (set by drawing).
    pub story_scroll: u16,
    pub story_max: Cell<u16>,
    /// The picker's first digit of a two-digit lesson number (`1` of `12`).
    pub picker_digit: Option<usize>,
    /// Selected lane on the run screen.
    pub selected: usize,
    pub help: bool,
    /// The overlay shows the open lesson's story, what to try and its goals
    /// (`i`), not the help.
    pub lesson_card: bool,
    /// First line of the help shown, and the most it can scroll (set by drawing).
    pub help_scroll: u16,
    pub help_max: Cell<u16>,
    pub quit: bool,
    /// Locks switched off when a lesson is opened (from the command line).
    pub start_off_all: bool,
    pub start_off: Vec<String>,
    pub speed: Option<f64>,
    /// The timing model of every lesson opened (`--timing`); `None`: each lesson's own.
    pub timing: Option<crate::lesson::Timing>,
    pub exe: PathBuf,
    pub color: bool,
    /// Where the lanes were drawn last (first lane row, first lane index), for clicks.
    pub lanes_at: Cell<(Rect, usize)>,
    pub error: Option<String>,
    /// Which challenges the learner has won, kept across runs of the app.
    pub progress: Store,
    /// How each lesson was named (a built-in id or the file's path), by index.
    pub sources: Vec<String>,
    /// Where `s` writes schedule files.
    pub save_dir: PathBuf,
    /// The terminal's size (columns, rows) when last drawn or resized.
    pub size: Cell<(u16, u16)>,
    pub watch: Watch,
    /// Real Python programs opened from the command line, by how they were named.
    pub programs: Vec<(String, crate::python::Program)>,
    /// Makes a lesson's real program from its listing (`c`, `--python`).
    pub real_program: Option<super::real_python::MakeProgram>,
}

impl App {
    pub fn new(lessons: Vec<Lesson>, lang: Lang, exe: PathBuf) -> App {
        let sources = lessons.iter().map(|l| l.id.clone()).collect();
        App {
            lessons,
            lang,
            screen: Screen::Picker,
            picked: 0,
            story_scroll: 0,
            story_max: Cell::new(0),
            picker_digit: None,
            selected: 0,
            help: false,
            lesson_card: false,
            help_scroll: 0,
            help_max: Cell::new(0),
            quit: false,
            start_off_all: false,
            start_off: Vec::new(),
            speed: None,
            timing: None,
            exe,
            color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
            lanes_at: Cell::new((Rect::default(), 0)),
            error: None,
            progress: Store::in_memory(),
            sources,
            save_dir: PathBuf::from("."),
            size: Cell::new((u16::MAX, u16::MAX)),
            watch: Watch {
                moved: true,
                ..Watch::default()
            },
            programs: Vec::new(),
            real_program: None,
        }
    }

    /// Add a real Python program (named `source`) as a lesson; its index.
    pub fn add_program(&mut self, program: crate::python::Program, source: String) -> usize {
        self.programs.push((source.clone(), program.clone()));
        self.add_lesson(program.lesson, source)
    }

    /// The run shown (or waiting behind the explorer).
    pub fn session(&self) -> Option<&Session> {
        self.screen.session()
    }

    pub fn session_mut(&mut self) -> Option<&mut Session> {
        self.screen.session_mut()
    }

    pub fn explorer(&self) -> Option<&Explorer> {
        self.screen.explorer()
    }

    /// Show `session` on the run screen.
    pub fn show_run(&mut self, session: Session) {
        self.screen = Screen::Run(Box::new(session));
    }

    /// Show `explorer`, Esc going back to the lesson list.
    pub fn show_explorer(&mut self, explorer: Explorer) {
        self.screen = Screen::Explore {
            explorer: Box::new(explorer),
            back_to: None,
        };
    }

    /// Add a lesson loaded from a file (named `source`); its index.
    pub fn add_lesson(&mut self, lesson: Lesson, source: String) -> usize {
        self.lessons.push(lesson);
        self.sources.push(source);
        self.lessons.len() - 1
    }

    /// How lesson `i` was named: a built-in id or a file's path.
    fn origin(&self, i: usize) -> Option<(Lesson, String)> {
        let lesson = self.lessons.get(i)?.clone();
        let origin = self
            .sources
            .get(i)
            .cloned()
            .unwrap_or_else(|| lesson.id.clone());
        Some((lesson, origin))
    }

    /// Open lesson `i` with fresh processes.
    pub fn open(&mut self, i: usize) {
        let Some((lesson, origin)) = self.origin(i) else {
            return;
        };
        self.picked = i;
        // --unlocked / --off are for the lesson named on the command line:
        // lessons opened later start with their locks on.
        let off = if std::mem::take(&mut self.start_off_all) {
            lesson.resources().into_iter().map(|r| r.name).collect()
        } else {
            std::mem::take(&mut self.start_off)
        };
        self.open_lesson(lesson, origin, off, None);
    }

    /// Start a session of `lesson` and show it; false (with the error shown) if it failed.
    pub fn open_lesson(
        &mut self,
        lesson: Lesson,
        origin: String,
        off: Vec<String>,
        procs: Option<usize>,
    ) -> bool {
        let speed = self.speed.unwrap_or(lesson.speed);
        // The run shown before ends first: its processes go with it.
        self.screen = Screen::Picker;
        let mut lesson = lesson;
        if let Some(t) = self.timing {
            lesson.timing = t;
        }
        if procs.is_some() {
            // The goals are written for the lesson's own number of processes.
            lesson.goals.clear();
        }
        let progress = &self.progress.progress;
        let pursuit = Pursuit::new(&lesson.goals, |g| progress.has_won(&lesson.id, g));
        let program = self.programs.iter().find(|(o, _)| *o == origin);
        let started = match program {
            Some((_, p)) => Session::start_program(p.clone(), off, speed, self.exe.clone()),
            None => Session::start(lesson, off, speed, self.exe.clone()),
        };
        match started {
            Ok(mut s) => {
                s.pursuit = pursuit;
                s.origin = origin;
                s.procs = procs;
                self.show_run(s);
                self.selected = 0;
                self.error = None;
                true
            }
            Err(e) => {
                self.error = Some(format!("failed to start the lesson: {e:#}"));
                false
            }
        }
    }

    /// Open a saved schedule's lesson and take all its steps; the learner
    /// goes on stepping from there.
    pub fn open_replay(&mut self, replay: Replay) {
        let file = replay.file;
        if let Some(i) = self.lessons.iter().position(|l| l.id == replay.lesson.id) {
            self.picked = i;
        }
        let origin = super::real_python::origin_of(&file);
        if !self.open_lesson(replay.lesson, origin, file.off.clone(), file.procs) {
            return;
        }
        let Some(s) = self.session_mut() else { return };
        s.timing_model = file.timing();
        let result = s
            .restart_with_seed(file.seed.unwrap_or_else(rand::random))
            .and_then(|()| s.replay_steps(&file.steps, &file.sigterms));
        let steps = file.steps.len();
        s.message = Some(match result {
            Ok(()) => notes::text(&Note::Replayed { steps }),
            Err(e) => notes::text(&Note::ReplayFailed(format!("{e:#}"))),
        });
        // A goal the replay won is saved now: a run that ended (a deadlock)
        // sends no further event that would save it.
        self.record_wins();
    }

    /// Show the explorer for lesson `i`; Esc comes back to the run shown.
    pub fn explore(&mut self, i: usize) {
        let Some((lesson, origin)) = self.origin(i) else {
            return;
        };
        self.explore_as(lesson, origin);
    }

    /// Show the explorer for `lesson` named `origin` (a program's, if one
    /// of [`App::programs`] is named so).
    pub fn explore_as(&mut self, lesson: Lesson, origin: String) {
        if lesson.pool.is_some() {
            let why = Note::PoolNotExplored;
            match &mut self.screen {
                Screen::Run(s) => s.message = Some(notes::text(&why)),
                _ => self.error = Some(notes::say(&why, self.lang)),
            }
            return;
        }
        let back_to = match std::mem::replace(&mut self.screen, Screen::Picker) {
            Screen::Run(s) => Some(s),
            Screen::Explore { back_to, .. } => back_to,
            Screen::Picker => None,
        };
        let exe = self.exe.clone();
        let explorer = match self.programs.iter().find(|(o, _)| *o == origin) {
            Some((_, p)) => Explorer::start_program(p.clone(), origin, exe),
            None => Explorer::start(lesson, origin, exe),
        };
        self.screen = Screen::Explore {
            explorer: Box::new(explorer),
            back_to,
        };
    }

    /// Leave the explorer for the run it was opened from, or the list.
    pub fn leave_explorer(&mut self) {
        if let Screen::Explore { back_to, .. } = std::mem::replace(&mut self.screen, Screen::Picker)
            && let Some(s) = back_to
        {
            self.screen = Screen::Run(s);
        }
    }

    /// Step through the explorer's shortest bad schedule on fresh processes.
    pub fn open_shortest_bad(&mut self) {
        let Some(ex) = self.explorer() else { return };
        let (Some((off, steps)), Some(lesson)) = (ex.shortest_bad(), ex.lesson.clone()) else {
            return;
        };
        let origin = ex.origin.clone();
        let procs = ex.procs;
        if self.open_lesson(lesson, origin, off, procs)
            && let Some(s) = self.session_mut()
        {
            s.follow(steps);
        }
    }

    /// The screen is smaller than the app can draw in.
    pub fn too_small(&self) -> bool {
        let (w, h) = self.size.get();
        w < super::view::MIN_WIDTH || h < super::view::MIN_HEIGHT
    }

    /// Save the goals the session has won since the last look.
    pub fn record_wins(&mut self) {
        let Some(s) = self.screen.session_mut() else {
            return;
        };
        for goal in std::mem::take(&mut s.wins) {
            if self.progress.progress.has_won(&s.lesson.id, &goal) {
                // Won in an earlier run: marked ✓, celebrated only the first time.
                if s.lesson
                    .goals
                    .get(s.pursuit.goal)
                    .is_some_and(|g| g.id == goal)
                {
                    s.pursuit.won_now = false;
                }
                continue;
            }
            if let Err(e) = self.progress.record(&s.lesson.id, &goal) {
                s.message = Some(notes::text(&Note::ProgressNotSaved(e.to_string())));
            }
        }
    }
}
