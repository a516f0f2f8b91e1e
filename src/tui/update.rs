//! Everything that can happen to the app, as one `Msg`, and `update`, the
//! one place that changes the app in answer. The event loop only turns
//! what arrived into a `Msg`.

use crossterm::event::{KeyEvent, KeyEventKind, MouseButton, MouseEvent, MouseEventKind};

use super::app::{App, Screen};
use super::explorer::News;
use super::keys::{self, Action, Place};
use super::session::RunMode;
use crate::lesson::Lang;
use crate::supervisor::Event;

pub enum Msg {
    Key(KeyEvent),
    Mouse(MouseEvent),
    /// The terminal's new size (columns, rows).
    Resize(u16, u16),
    /// Events of the run, all that were waiting, so one frame shows them.
    Run(Vec<Event>),
    /// What the explorer's search reported; `None` once it has stopped
    /// reporting.
    Explorer(Option<Vec<News>>),
    /// The clock: the header's time and the kernel's process states are
    /// looked at.
    Tick,
    /// Work the run does in the background has its result: the pool
    /// lesson's measurements, or an undo's re-run.
    Ready,
}

/// Change the app in answer to `msg`; true if the screen should be drawn
/// again.
pub fn update(app: &mut App, msg: Msg) -> bool {
    match msg {
        Msg::Key(k) => {
            app.watch.moved = true;
            on_key(app, k);
            true
        }
        Msg::Mouse(m) => {
            app.watch.moved = true;
            on_mouse(app, m);
            true
        }
        Msg::Resize(w, h) => {
            app.watch.moved = true;
            app.size.set((w, h));
            true
        }
        Msg::Run(events) => on_run_events(app, &events),
        Msg::Explorer(news) => on_explorer_news(app, news),
        Msg::Tick => on_tick(app),
        Msg::Ready => on_ready(app),
    }
}

fn on_ready(app: &mut App) -> bool {
    let Some(s) = app.session_mut() else {
        return false;
    };
    let pool = s.poll_pool();
    let undo = s.poll_remade();
    let changed = pool || !matches!(undo, Ok(false));
    if let Err(e) = undo {
        app.error = Some(format!("failed to undo: {e:#}"));
    }
    app.record_wins();
    changed
}

fn on_run_events(app: &mut App, events: &[Event]) -> bool {
    let Some(s) = app.session_mut() else {
        return false;
    };
    for ev in events {
        s.on_event(ev);
    }
    app.record_wins();
    app.watch.moved = true;
    true
}

fn on_explorer_news(app: &mut App, news: Option<Vec<News>>) -> bool {
    let Screen::Explore { explorer, .. } = &mut app.screen else {
        return false;
    };
    match news {
        Some(news) => {
            for n in news {
                explorer.take(n);
            }
        }
        None => explorer.stop_listening(),
    }
    true
}

/// Redraw only when something shown changed: an idle screen (stepping,
/// paused, done) costs no frame at all.
fn on_tick(app: &mut App) -> bool {
    let mut changed = false;
    app.watch.ticks += 1;
    let lang = app.lang;
    let watch = &mut app.watch;
    let Some(s) = app.screen.session_mut() else {
        return changed;
    };
    // /proc is read each tick while things move, else once a second.
    let due = watch.moved || s.mode == RunMode::Running || watch.ticks.is_multiple_of(4);
    if due && s.any_alive() {
        watch.moved = false;
        let before = s.os_state.clone();
        s.refresh_os_state();
        changed |= s.os_state != before || s.mode == RunMode::Running;
    }
    // The header's clock counts while the run is live (it stops once
    // DONE): redraw when its text changes.
    let clock = super::view::clock(s, lang);
    if clock != watch.clock_shown {
        watch.clock_shown = clock;
        changed = true;
    }
    changed
}

/// Where a key lands: the notice that the terminal is too small, the help
/// over the screen, or the screen itself.
pub fn place(app: &App) -> Place {
    if app.too_small() {
        Place::TooSmall
    } else if app.help {
        Place::Help
    } else {
        match app.screen {
            Screen::Picker => Place::Picker,
            Screen::Run(_) => Place::Run,
            Screen::Explore { .. } => Place::Explore,
        }
    }
}

fn on_key(app: &mut App, key: KeyEvent) {
    if key.kind == KeyEventKind::Release {
        return;
    }
    let place = place(app);
    let action = keys::action(place, &key);
    match (place, action) {
        (_, Some(Action::Quit)) => app.quit = true,
        // Behind "the terminal is too small" nothing else is seen: only q acts.
        (Place::TooSmall, _) => {}
        (Place::Help, _) => help_key(app, action),
        (_, Some(Action::ShowHelp)) => app.help = true,
        (Place::Run, Some(Action::ShowLesson)) => {
            app.help = true;
            app.lesson_card = true;
        }
        (_, Some(Action::SwitchLanguage)) => {
            app.lang = match app.lang {
                Lang::En => Lang::Zh,
                Lang::Zh => Lang::En,
            }
        }
        (Place::Picker, _) => picker_key(app, action, keys::digit_value(&key)),
        (Place::Run, _) => super::run_keys::run_key(app, action, keys::digit(&key)),
        (Place::Explore, _) => explore_key(app, action),
    }
}

/// The help scrolls; any key it does not use closes it.
fn help_key(app: &mut App, action: Option<Action>) {
    let max = app.help_max.get();
    let at = app.help_scroll.min(max);
    match action {
        Some(Action::ScrollUp) => app.help_scroll = at.saturating_sub(1),
        Some(Action::ScrollDown) => app.help_scroll = (at + 1).min(max),
        Some(Action::PageUp) => app.help_scroll = at.saturating_sub(10),
        Some(Action::PageDown) => app.help_scroll = (at + 10).min(max),
        Some(Action::ScrollTop) => app.help_scroll = 0,
        Some(Action::ScrollBottom) => app.help_scroll = max,
        _ => {
            app.help = false;
            app.lesson_card = false;
            app.help_scroll = 0;
        }
    }
}

fn picker_key(app: &mut App, action: Option<Action>, digit: Option<usize>) {
    let n = app.lessons.len();
    let first = app.picker_digit.take();
    let before = app.picked;
    match action {
        Some(Action::Up) => app.picked = (app.picked + n - 1) % n.max(1),
        Some(Action::Down) => app.picked = (app.picked + 1) % n.max(1),
        Some(Action::Open) => app.open(app.picked),
        Some(Action::Explore) => app.explore(app.picked),
        Some(Action::PageUp) => app.story_scroll = app.story_scroll.saturating_sub(10),
        Some(Action::PageDown) => {
            app.story_scroll = (app.story_scroll + 10).min(app.story_max.get());
        }
        Some(Action::OpenNumber) => open_number(app, first, digit, n),
        _ => {}
    }
    if app.picked != before {
        app.story_scroll = 0;
    }
}

/// A digit typed in the picker: lesson N opens, or, when N and a second
/// digit could name a lesson too (`1` of `12`), N is highlighted and
/// waits for it (Enter opens N).
fn open_number(app: &mut App, first: Option<usize>, digit: Option<usize>, n: usize) {
    let Some(d) = digit else { return };
    let number = match first {
        Some(f) if f * 10 + d <= n => f * 10 + d,
        // No such lesson: the digit ends the number, and opens nothing.
        Some(_) => return,
        None => d,
    };
    if number == 0 || number > n {
        return;
    }
    if first.is_none() && number * 10 <= n {
        app.picked = number - 1;
        app.picker_digit = Some(number);
    } else {
        app.open(number - 1);
    }
}

fn explore_key(app: &mut App, action: Option<Action>) {
    match action {
        Some(Action::Back) => app.leave_explorer(),
        Some(Action::Restart) => app.explore(app.picked),
        Some(Action::Open) => app.open_shortest_bad(),
        _ => {}
    }
}

/// A click on a lane selects its process.
fn on_mouse(app: &mut App, m: MouseEvent) {
    if m.kind != MouseEventKind::Down(MouseButton::Left) || app.too_small() {
        return;
    }
    let Screen::Run(s) = &app.screen else {
        return;
    };
    let (area, first) = app.lanes_at.get();
    let inside = m.column >= area.x
        && m.column < area.x + area.width
        && m.row >= area.y
        && m.row < area.y + area.height;
    if inside {
        let p = first + (m.row - area.y) as usize;
        if p < s.state().procs.len() {
            app.selected = p;
        }
    }
}

impl App {
    /// A key, as if pressed (tests and previews).
    pub fn on_key(&mut self, key: KeyEvent) {
        update(self, Msg::Key(key));
    }

    /// A click, as if made.
    pub fn on_mouse(&mut self, m: MouseEvent) {
        update(self, Msg::Mouse(m));
    }
}
