//! What the app is showing and how keys and clicks change it. Drawing reads
//! this state only (see `view`).

use std::cell::Cell;
use std::path::PathBuf;

use crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::Rect;

use super::session::{Session, note};
use crate::challenge::Pursuit;
use crate::lesson::{Lang, Lesson};
use crate::progress::Store;
use crate::schedule_file::Replay;

use super::explorer::Explorer;

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

    fn explore_key(&mut self, code: KeyCode) {
        let Some(ex) = &self.explorer else {
            self.screen = Screen::Picker;
            return;
        };
        match code {
            KeyCode::Esc => {
                self.explorer = None;
                self.screen = if self.session.is_some() {
                    self.explore_from
                } else {
                    Screen::Picker
                };
            }
            KeyCode::Char('r') => self.explore(self.picked),
            KeyCode::Enter => {
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

    pub fn on_key(&mut self, key: KeyEvent) {
        if key.kind == KeyEventKind::Release {
            return;
        }
        if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
            self.quit = true;
            return;
        }
        // Behind "the terminal is too small" nothing else is seen: only q acts.
        if self.too_small() {
            self.quit |= key.code == KeyCode::Char('q');
            return;
        }
        if self.help {
            let max = self.help_max.get();
            let at = self.help_scroll.min(max);
            match key.code {
                KeyCode::Up | KeyCode::Char('k') => self.help_scroll = at.saturating_sub(1),
                KeyCode::Down | KeyCode::Char('j') => self.help_scroll = (at + 1).min(max),
                KeyCode::PageUp => self.help_scroll = at.saturating_sub(10),
                KeyCode::PageDown | KeyCode::Char(' ') => self.help_scroll = (at + 10).min(max),
                KeyCode::Home => self.help_scroll = 0,
                KeyCode::End => self.help_scroll = max,
                KeyCode::Char('q') => self.quit = true,
                _ => {
                    self.help = false;
                    self.help_scroll = 0;
                }
            }
            return;
        }
        match key.code {
            KeyCode::Char('q') => self.quit = true,
            KeyCode::Char('?') => self.help = true,
            KeyCode::Char('L') => {
                self.lang = match self.lang {
                    Lang::En => Lang::Zh,
                    Lang::Zh => Lang::En,
                }
            }
            _ => match self.screen {
                Screen::Picker => self.picker_key(key.code),
                Screen::Run => self.run_key(key.code),
                Screen::Explore => self.explore_key(key.code),
            },
        }
    }

    fn picker_key(&mut self, code: KeyCode) {
        let n = self.lessons.len();
        match code {
            KeyCode::Up | KeyCode::Char('k') => self.picked = (self.picked + n - 1) % n.max(1),
            KeyCode::Down | KeyCode::Char('j') => self.picked = (self.picked + 1) % n.max(1),
            KeyCode::Enter => self.open(self.picked),
            KeyCode::Char('e') => self.explore(self.picked),
            KeyCode::Char(c @ '1'..='9') => {
                let i = c as usize - '1' as usize;
                if i < n {
                    self.open(i);
                }
            }
            _ => {}
        }
    }

    fn run_key(&mut self, code: KeyCode) {
        let Some(s) = &mut self.session else {
            self.screen = Screen::Picker;
            return;
        };
        let n = s.state().procs.len();
        if s.lesson.pool.is_some() {
            // Every key gets its own answer: none stays from an earlier one.
            s.message = None;
            if let Some(why) = pool_refusal(code, s.mode == super::session::Mode::Done) {
                s.message = Some(why);
                return;
            }
        }
        match code {
            KeyCode::Esc => {
                self.session = None;
                self.screen = Screen::Picker;
            }
            // The ends stop the selection: wrapping around made `t` hit the
            // wrong process.
            KeyCode::Up | KeyCode::Char('k') => self.selected = self.selected.saturating_sub(1),
            KeyCode::Down | KeyCode::Char('j') => {
                self.selected = (self.selected + 1).min(n.saturating_sub(1))
            }
            KeyCode::Char(' ') if n > 0 => s.step(self.selected),
            KeyCode::Char('n') => {
                if let Some(p) = s.step_next() {
                    self.selected = p;
                }
            }
            KeyCode::Char(c @ '1'..='9') => {
                let p = c as usize - '1' as usize;
                if p < n {
                    self.selected = p;
                    s.step(p);
                }
            }
            KeyCode::Char('p') => s.toggle_play(),
            KeyCode::Char('v') => {
                let t = |l| super::text::strings(l).no_timing.to_string();
                s.message = (!s.toggle_timing()).then(|| note(t(Lang::En), t(Lang::Zh)));
            }
            KeyCode::Left => s.zoom_timing(false),
            KeyCode::Right => s.zoom_timing(true),
            KeyCode::Char('+') | KeyCode::Char('=') => s.change_speed(true),
            KeyCode::Char('-') => s.change_speed(false),
            KeyCode::Char('t') if n > 0 => s.terminate(self.selected),
            KeyCode::Char('r') => {
                if let Err(e) = s.restart() {
                    s.message = Some(note(
                        format!("failed to restart: {e:#}"),
                        format!("重来失败：{e:#}"),
                    ));
                }
            }
            KeyCode::Char('l') if s.state().locks.is_empty() => {
                s.message = Some(note(
                    "this lesson has no lock to switch off".into(),
                    "这一课没有可以关掉的锁".into(),
                ));
            }
            KeyCode::Char('l') => {
                if let Err(e) = s.toggle_locks() {
                    s.message = Some(note(
                        format!("failed to restart: {e:#}"),
                        format!("重来失败：{e:#}"),
                    ));
                }
            }
            KeyCode::Char('e') => {
                let i = self.picked;
                self.explore(i);
                return;
            }
            KeyCode::Char('s') => {
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
            KeyCode::Char('u') => {
                if let Err(e) = s.undo() {
                    s.message = Some(note(
                        format!("failed to undo: {e:#}"),
                        format!("撤销失败：{e:#}"),
                    ));
                }
            }
            KeyCode::Char('h') if !s.pursuit.hint(&s.lesson.goals) => {
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
            KeyCode::Char('g') if !s.lesson.goals.is_empty() => {
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
                .is_some_and(|s| p < s.state().procs.len())
            {
                self.selected = p;
            }
        }
    }
}

/// What a key the pool lesson cannot use says instead: it runs by itself
/// and is measured, so there is nothing to step, terminate or save.
fn pool_refusal(code: KeyCode, done: bool) -> Option<crate::lesson::Text> {
    match code {
        KeyCode::Char('n' | 'p') if done => Some(note(
            "the run is over: r measures again".into(),
            "运行已结束：按 r 重新测量".into(),
        )),
        KeyCode::Char(' ' | 't' | 'n' | 'p' | 'u' | '1'..='9') => Some(note(
            "the pool lesson runs by itself and is measured: nothing to step or terminate".into(),
            "进程池这一课自己运行并计时：没有可单步或终止的进程".into(),
        )),
        KeyCode::Char('s') => Some(note(
            "the pool lesson has no schedule to save: it is measured, not stepped".into(),
            "进程池这一课没有可保存的调度：它是计时的，不是单步的".into(),
        )),
        _ => None,
    }
}
