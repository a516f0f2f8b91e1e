//! The interactive app: terminal set-up and restore, and one event loop that
//! turns keys, the run's events, the explorer's news and a clock tick into
//! messages for `update`, and draws at most one frame per `FRAME`.

pub mod app;
pub mod explorer;
pub mod goal;
pub mod help;
pub mod ipc;
pub mod keys;
pub mod pool_view;
pub mod real_python;
mod run_keys;
pub mod run_timing;
pub mod session;
pub mod sockets;
pub mod text;
pub mod timing;
pub mod tree;
pub mod update;
pub mod view;
pub mod wrap;

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, never, select, tick, unbounded};
use crossterm::event::{self, DisableMouseCapture, EnableMouseCapture, Event as TermEvent};
use crossterm::execute;

use app::{App, Screen};
use update::{Msg, update};

/// At most this many frames per second; bursts of events are coalesced.
const FRAME: Duration = Duration::from_millis(33);
/// The clock: elapsed time and the kernel's process states refresh this
/// often (while nothing moves, /proc is read once a second).
const TICK: Duration = Duration::from_millis(250);

/// Whether frames may still be drawn. A frame is drawn holding it, and
/// putting the terminal back takes it for good: a signal that stops the app
/// waits for the frame being drawn, and no frame comes after.
static SCREEN: std::sync::Mutex<bool> = std::sync::Mutex::new(true);

/// Put the terminal back: raw mode off, main screen, mouse capture off,
/// cursor shown (a signal ends the app before ratatui would show it).
pub fn restore_terminal() {
    let mut usable = SCREEN.lock().unwrap_or_else(|p| p.into_inner());
    *usable = false;
    let _ = execute!(std::io::stdout(), DisableMouseCapture);
    // Not `ratatui::restore`: it reports a failure with `eprintln!`, which
    // panics when the terminal is gone (a closed window hangs it up), and
    // the cleanup after it would never run. Each step on its own: one that
    // fails does not keep the others from being tried.
    let _ = crossterm::terminal::disable_raw_mode();
    let _ = execute!(std::io::stdout(), crossterm::terminal::LeaveAlternateScreen);
    let _ = execute!(std::io::stdout(), crossterm::cursor::Show);
}

/// Run the app in the terminal until the learner quits.
pub fn run_app(
    mut app: App,
    open: Option<usize>,
    replay: Option<crate::schedule_file::Replay>,
) -> anyhow::Result<()> {
    if !std::io::stdout().is_terminal() {
        anyhow::bail!(
            "no terminal: the interactive app needs one (use `lockstep run LESSON` instead)"
        );
    }
    let mut terminal = ratatui::try_init()?;
    // ratatui's panic hook restores the screen; ours also turns the mouse off.
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(std::io::stdout(), DisableMouseCapture);
        previous(info);
    }));
    crate::cleanup::on_stop(restore_terminal);
    execute!(std::io::stdout(), EnableMouseCapture)?;
    if let Some(r) = replay {
        app.open_replay(r);
    } else if let Some(i) = open {
        app.open(i);
    }
    let result = event_loop(&mut terminal, &mut app);
    app.screen = Screen::Picker;
    restore_terminal();
    result
}

fn input_thread() -> Receiver<TermEvent> {
    let (tx, rx) = unbounded();
    std::thread::spawn(move || {
        while let Ok(ev) = event::read() {
            if tx.send(ev).is_err() {
                return;
            }
        }
    });
    rx
}

fn event_loop(terminal: &mut ratatui::DefaultTerminal, app: &mut App) -> anyhow::Result<()> {
    let input = input_thread();
    let clock = tick(TICK);
    let mut dirty = true;
    let mut last_draw = Instant::now() - FRAME;
    loop {
        if dirty {
            let wait = FRAME.saturating_sub(last_draw.elapsed());
            if wait.is_zero() {
                let usable = SCREEN.lock().unwrap_or_else(|p| p.into_inner());
                if !*usable {
                    return Ok(());
                }
                terminal.draw(|f| view::draw(f, app))?;
                drop(usable);
                last_draw = Instant::now();
                dirty = false;
            }
        }
        if app.quit {
            return Ok(());
        }
        let run_events = app.session().and_then(|s| s.events()).unwrap_or_else(never);
        let explorer_news = app.explorer().and_then(|e| e.news()).unwrap_or_else(never);
        let ready = app.session().and_then(|s| s.ready()).unwrap_or_else(never);
        // Wake for the next frame only when something is waiting to be drawn.
        let frame_due = if dirty {
            crossbeam_channel::after(FRAME.saturating_sub(last_draw.elapsed()))
        } else {
            never()
        };
        let msg = select! {
            recv(input) -> ev => match ev {
                Ok(ev) => from_terminal(ev),
                Err(_) => return Ok(()),
            },
            // Take whatever else is waiting before drawing once.
            recv(run_events) -> ev => ev.ok().map(|ev| {
                Msg::Run(std::iter::once(ev).chain(run_events.try_iter()).collect())
            }),
            recv(explorer_news) -> news => Some(Msg::Explorer(news.ok().map(|n| {
                std::iter::once(n).chain(explorer_news.try_iter()).collect()
            }))),
            recv(clock) -> _ => Some(Msg::Tick),
            recv(ready) -> _ => Some(Msg::Ready),
            recv(frame_due) -> _ => None,
        };
        if let Some(msg) = msg {
            dirty |= update(app, msg);
        }
    }
}

/// A key, a click or a new size; nothing for what the app does not use.
fn from_terminal(ev: TermEvent) -> Option<Msg> {
    match ev {
        TermEvent::Key(k) => Some(Msg::Key(k)),
        TermEvent::Mouse(m) => Some(Msg::Mouse(m)),
        TermEvent::Resize(w, h) => Some(Msg::Resize(w, h)),
        _ => None,
    }
}
