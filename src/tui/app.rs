//! What the app is showing and how keys and clicks change it. Drawing reads
//! this state only (see `view`).

use std::cell::Cell;
use std::path::PathBuf;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Rect;

use super::session::{Session, note};
use crate::challenge::Pursuit;
use crate::lesson::{Lang, Lesson};
use crate::progress::Store;
use crate::schedule_file::Replay;

use super::explorer::Explorer;
use super::keys::{self, Action, Place};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Picker,
    Run,
    /// Every schedule of the lesson, with and without its locks.
    Explore,
}

pub struct App {
    pub lessons: Vec<Lesson>,
    pub lang: Lang,
    pub screen: Screen,
    /// Highlighted lesson in the picker.
    pub picked: usize,
    pub session: Option<Session>,
    /// Selected lane on the run screen.
    pub selected: usize,
    pub help: bool,
    /// First line of the help shown, and the most it can scroll (set by drawing).
    pub help_scroll: u16,
    pub help_max: Cell<u16>,
    pub quit: bool,
    /// Locks switched off when a lesson is opened (from the command line).
    pub start_off_all: bool,
    pub start_off: Vec<String>,
    pub speed: Option<f64>,
    pub exe: PathBuf,
    pub color: bool,
    /// Where the lanes were drawn last (first lane row, first lane index), for clicks.
    pub lanes_at: Cell<(Rect, usize)>,
    pub error: Option<String>,
    /// Which challenges the learner has won, kept across runs of the app.
    pub progress: Store,
    /// How each lesson was named (a built-in id or the file's path), by index.
    pub sources: Vec<String>,
    /// The explorer screen's search, while it is shown.
    pub explorer: Option<Explorer>,
    /// The screen Esc returns to from the explorer.
    explore_from: Screen,
    /// Where `s` writes schedule files.
    pub save_dir: PathBuf,
    /// The terminal's size (columns, rows) when last drawn or resized.
    pub size: Cell<(u16, u16)>,
}

impl App {
    pub fn new(lessons: Vec<Lesson>, lang: Lang, exe: PathBuf) -> App {
        let sources = lessons.iter().map(|l| l.id.clone()).collect();
        App {
            lessons,
            lang,
            screen: Screen::Picker,
            picked: 0,
            session: None,
            selected: 0,
            help: false,
            help_scroll: 0,
            help_max: Cell::new(0),
            quit: false,
            start_off_all: false,
            start_off: Vec::new(),
            speed: None,
            exe,
            color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
            lanes_at: Cell::new((Rect::default(), 0)),
            error: None,
            progress: Store::in_memory(),
            sources,
            explorer: None,
            explore_from: Screen::Picker,
            save_dir: PathBuf::from("."),
            size: Cell::new((u16::MAX, u16::MAX)),
        }
    }

    /// Add a lesson loaded from a file (named `source`); its index.
    pub fn add_lesson(&mut self, lesson: Lesson, source: String) -> usize {
        self.lessons.push(lesson);
        self.sources.push(source);
        self.lessons.len() - 1
    }

    /// Open lesson `i` with fresh processes.
    pub fn open(&mut self, i: usize) {
        let Some(lesson) = self.lessons.get(i).cloned() else {
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
        let origin = self
            .sources
            .get(i)
            .cloned()
            .unwrap_or_else(|| lesson.id.clone());
        self.open_lesson(lesson, origin, off, None);
    }

    /// Start a session of `lesson` and show it; false (with the error shown) if it failed.
    fn open_lesson(
        &mut self,
        lesson: Lesson,
        origin: String,
        off: Vec<String>,
        procs: Option<usize>,
    ) -> bool {
        let speed = self.speed.unwrap_or(lesson.speed);
        self.session = None;
        let mut lesson = lesson;
        if procs.is_some() {
            // The goals are written for the lesson's own number of processes.
            lesson.goals.clear();
        }
        let progress = &self.progress.progress;
        let pursuit = Pursuit::new(&lesson.goals, |g| progress.has_won(&lesson.id, g));
        match Session::start(lesson, off, speed, self.exe.clone()) {
            Ok(mut s) => {
                s.pursuit = pursuit;
                s.origin = origin;
                s.procs = procs;
                self.session = Some(s);
                self.screen = Screen::Run;
                self.selected = 0;
                self.error = None;
                true
            }
            Err(e) => {
                self.error = Some(format!("failed to start the lesson: {e:#}"));
                self.screen = Screen::Picker;
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
        if !self.open_lesson(
            replay.lesson,
            file.lesson.clone(),
            file.off.clone(),
            file.procs,
        ) {
            return;
        }
        let Some(s) = &mut self.session else { return };
        let result = match file.seed {
            Some(seed) => s.restart_with_seed(seed),
            None => Ok(()),
        }
        .and_then(|()| s.replay_steps(&file.steps));
        let n = file.steps.len();
        s.message = Some(match result {
            Ok(()) => note(
                format!("replayed all {n} steps of the saved schedule: step on from here"),
                format!("已重放保存的调度的全部 {n} 步：从这里继续单步"),
            ),
            Err(e) => note(
                format!("failed to replay the schedule: {e:#}"),
                format!("重放调度失败：{e:#}"),
            ),
        });
    }

    /// Show the explorer for lesson `i`.
    fn explore(&mut self, i: usize) {
        let Some(lesson) = self.lessons.get(i).cloned() else {
            return;
        };
        let origin = self
            .sources
            .get(i)
            .cloned()
            .unwrap_or_else(|| lesson.id.clone());
        if lesson.pool.is_some() {
            let en = "the pool lesson is timed, not scheduled: there are no schedules to explore";
            let zh = "进程池这一课测的是时间，不是调度：没有可探索的调度";
            match &mut self.session {
                Some(s) if self.screen == Screen::Run => {
                    s.message = Some(note(en.into(), zh.into()));
                }
                _ => {
                    self.error = Some(match self.lang {
                        Lang::En => en.into(),
                        Lang::Zh => zh.into(),
                    });
                }
            }
            return;
        }
        self.explore_from = self.screen;
        self.explorer = Some(Explorer::start(lesson, origin, self.exe.clone()));
        self.screen = Screen::Explore;
    }

    fn explore_key(&mut self, action: Option<Action>) {
        let Some(ex) = &self.explorer else {
            self.screen = Screen::Picker;
            return;
        };
        match action {
            Some(Action::Back) => {
                self.explorer = None;
                self.screen = if self.session.is_some() {
                    self.explore_from
                } else {
                    Screen::Picker
                };
            }
            Some(Action::Restart) => self.explore(self.picked),
            Some(Action::Open) => {
                let (Some((off, steps)), Some(lesson)) = (ex.shortest_bad(), ex.lesson.clone())
                else {
                    return;
                };
                let origin = ex.origin.clone();
                let procs = ex.procs;
                self.explorer = None;
                if self.open_lesson(lesson, origin, off, procs)
                    && let Some(s) = &mut self.session
                {
                    s.follow(steps);
                }
            }
            _ => {}
        }
    }
    /// The screen is smaller than the app can draw in.
    pub fn too_small(&self) -> bool {
        let (w, h) = self.size.get();
        w < super::view::MIN_WIDTH || h < super::view::MIN_HEIGHT
    }

    /// Where a key lands: the notice that the terminal is too small, the
    /// help over the screen, or the screen itself.
    pub fn place(&self) -> Place {
        if self.too_small() {
            Place::TooSmall
        } else if self.help {
            Place::Help
        } else {
            match self.screen {
                Screen::Picker => Place::Picker,
                Screen::Run => Place::Run,
                Screen::Explore => Place::Explore,
            }
        }
    }

    pub fn on_key(&mut self, key: KeyEvent) {
        if key.kind == KeyEventKind::Release {
            return;
        }
        let place = self.place();
        let action = keys::action(place, &key);
        match (place, action) {
            (_, Some(Action::Quit)) => self.quit = true,
            // Behind "the terminal is too small" nothing else is seen: only q acts.
            (Place::TooSmall, _) => {}
            (Place::Help, _) => self.help_key(action),
            (_, Some(Action::ShowHelp)) => self.help = true,
            (_, Some(Action::SwitchLanguage)) => {
                self.lang = match self.lang {
                    Lang::En => Lang::Zh,
                    Lang::Zh => Lang::En,
                }
            }
            (Place::Picker, _) => self.picker_key(action, key.code),
            (Place::Run, _) => self.run_key(action, key.code),
            (Place::Explore, _) => self.explore_key(action),
        }
    }

    /// The help scrolls; any key it does not use closes it.
    fn help_key(&mut self, action: Option<Action>) {
        let max = self.help_max.get();
        let at = self.help_scroll.min(max);
        match action {
            Some(Action::ScrollUp) => self.help_scroll = at.saturating_sub(1),
            Some(Action::ScrollDown) => self.help_scroll = (at + 1).min(max),
            Some(Action::PageUp) => self.help_scroll = at.saturating_sub(10),
            Some(Action::PageDown) => self.help_scroll = (at + 10).min(max),
            Some(Action::ScrollTop) => self.help_scroll = 0,
            Some(Action::ScrollBottom) => self.help_scroll = max,
            _ => {
                self.help = false;
                self.help_scroll = 0;
            }
        }
    }

    fn picker_key(&mut self, action: Option<Action>, code: KeyCode) {
        let n = self.lessons.len();
        match action {
            Some(Action::Up) => self.picked = (self.picked + n - 1) % n.max(1),
            Some(Action::Down) => self.picked = (self.picked + 1) % n.max(1),
            Some(Action::Open) => self.open(self.picked),
            Some(Action::Explore) => self.explore(self.picked),
            Some(Action::OpenNumber) => {
                if let Some(i) = digit(code).filter(|i| *i < n) {
                    self.open(i);
                }
            }
            _ => {}
        }
    }

    fn run_key(&mut self, action: Option<Action>, code: KeyCode) {
        let Some(s) = &mut self.session else {
            self.screen = Screen::Picker;
            return;
        };
        let n = s.state.procs.len();
        if s.lesson.pool.is_some() {
            // Every key gets its own answer: none stays from an earlier one.
            s.message = None;
            if let Some(why) = pool_refusal(action, s.mode == super::session::Mode::Done) {
                s.message = Some(why);
                return;
            }
        }
        let Some(action) = action else {
            self.record_wins();
            return;
        };
        match action {
            Action::Back => {
                self.session = None;
                self.screen = Screen::Picker;
            }
            // The ends stop the selection: wrapping around made `t` hit the
            // wrong process.
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => self.selected = (self.selected + 1).min(n.saturating_sub(1)),
            Action::Step if n > 0 => s.step(self.selected),
            Action::StepNext => {
                if let Some(p) = s.step_next() {
                    self.selected = p;
                }
            }
            Action::StepNumber => {
                if let Some(p) = digit(code).filter(|p| *p < n) {
                    self.selected = p;
                    s.step(p);
                }
            }
            Action::PlayPause => s.toggle_play(),
            Action::Timing => {
                let t = |l| super::text::strings(l).no_timing.to_string();
                s.message = (!s.toggle_timing()).then(|| note(t(Lang::En), t(Lang::Zh)));
            }
            Action::ZoomOut => s.zoom_timing(false),
            Action::ZoomIn => s.zoom_timing(true),
            Action::Faster => s.change_speed(true),
            Action::Slower => s.change_speed(false),
            Action::Terminate if n > 0 => s.terminate(self.selected),
            Action::Restart => {
                if let Err(e) = s.restart() {
                    s.message = Some(note(
                        format!("failed to restart: {e:#}"),
                        format!("重来失败：{e:#}"),
                    ));
                }
            }
            Action::Locks if s.state.locks.is_empty() => {
                s.message = Some(note(
                    "this lesson has no lock to switch off".into(),
                    "这一课没有可以关掉的锁".into(),
                ));
            }
            Action::Locks => {
                if let Err(e) = s.toggle_locks() {
                    s.message = Some(note(
                        format!("failed to restart: {e:#}"),
                        format!("重来失败：{e:#}"),
                    ));
                }
            }
            Action::Explore => {
                let i = self.picked;
                self.explore(i);
                return;
            }
            Action::Save => {
                s.message = Some(match s.save_schedule(&self.save_dir) {
                    Ok(path) => {
                        let en = super::text::strings(Lang::En).saved;
                        let zh = super::text::strings(Lang::Zh).saved;
                        note(
                            format!("{en} {}", path.display()),
                            format!("{zh} {}", path.display()),
                        )
                    }
                    Err(e) => note(
                        format!("failed to save the schedule: {e:#}"),
                        format!("保存调度失败：{e:#}"),
                    ),
                });
            }
            Action::Undo => {
                if let Err(e) = s.undo() {
                    s.message = Some(note(
                        format!("failed to undo: {e:#}"),
                        format!("撤销失败：{e:#}"),
                    ));
                }
            }
            Action::Hint if !s.pursuit.hint(&s.lesson.goals) => {
                s.message = Some(if s.lesson.goals.is_empty() {
                    note(
                        "this lesson has no challenge".into(),
                        "这一课没有挑战".into(),
                    )
                } else {
                    note(
                        "no more hints for this goal".into(),
                        "这个目标没有更多提示了".into(),
                    )
                });
            }
            Action::NextGoal if !s.lesson.goals.is_empty() => {
                s.pursuit.next(&s.lesson.goals);
                // The new goal may already hold in this run.
                s.recheck_goal();
            }
            _ => {}
        }
        self.record_wins();
    }

    /// Save the goals the session has won since the last look.
    pub fn record_wins(&mut self) {
        let Some(s) = &mut self.session else { return };
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
                s.message = Some(note(
                    format!("failed to save progress: {e}"),
                    format!("保存进度失败：{e}"),
                ));
            }
        }
    }

    pub fn on_mouse(&mut self, m: MouseEvent) {
        if m.kind != MouseEventKind::Down(MouseButton::Left)
            || self.screen != Screen::Run
            || self.too_small()
        {
            return;
        }
        let (area, first) = self.lanes_at.get();
        let inside = m.column >= area.x
            && m.column < area.x + area.width
            && m.row >= area.y
            && m.row < area.y + area.height;
        if inside {
            let p = first + (m.row - area.y) as usize;
            if self
                .session
                .as_ref()
                .is_some_and(|s| p < s.state.procs.len())
            {
                self.selected = p;
            }
        }
    }
}

/// What a key the pool lesson cannot use says instead: it runs by itself
/// and is measured, so there is nothing to step, terminate or save.
fn pool_refusal(action: Option<Action>, done: bool) -> Option<crate::lesson::Text> {
    match action? {
        Action::StepNext | Action::PlayPause if done => Some(note(
            "the run is over: r measures again".into(),
            "运行已结束：按 r 重新测量".into(),
        )),
        Action::Step
        | Action::Terminate
        | Action::StepNext
        | Action::PlayPause
        | Action::Undo
        | Action::StepNumber => Some(note(
            "the pool lesson runs by itself and is measured: nothing to step or terminate".into(),
            "进程池这一课自己运行并计时：没有可单步或终止的进程".into(),
        )),
        Action::Save => Some(note(
            "the pool lesson has no schedule to save: it is measured, not stepped".into(),
            "进程池这一课没有可保存的调度：它是计时的，不是单步的".into(),
        )),
        _ => None,
    }
}

/// Which of 1 to 9 was pressed, counted from 0.
fn digit(code: KeyCode) -> Option<usize> {
    match code {
        KeyCode::Char(c @ '1'..='9') => Some(c as usize - '1' as usize),
        _ => None,
    }
}
