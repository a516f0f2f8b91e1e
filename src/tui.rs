//! The interactive app: terminal set-up and restore, and one event loop that
//! takes keys, the run's events and a clock tick from one `select`.

pub mod app;
pub mod explorer;
pub mod goal;
pub mod help;
pub mod ipc;
pub mod keys;
pub mod pool_view;
pub mod run_timing;
pub mod session;
pub mod sockets;
pub mod text;
pub mod timing;
pub mod tree;
pub mod view;

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, never, select, tick, unbounded};
use crossterm::event::{self, DisableMouseCapture, EnableMouseCapture, Event as TermEvent};
use crossterm::execute;

use app::App;

/// At most this many frames per second; bursts of events are coalesced.
const FRAME: Duration = Duration::from_millis(33);
/// The clock: elapsed time and the kernel's process states refresh this
/// often (while nothing moves, /proc is read once a second).
const TICK: Duration = Duration::from_millis(250);
/// How often an exploration under way is looked at.
const EXPLORE_POLL: Duration = Duration::from_millis(100);

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

pub fn run(
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
    app.session = None;
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
    let mut clock_shown = String::new();
    // Ticks so far, and whether a key or an event came since /proc was read.
    let mut ticks: u64 = 0;
    let mut moved = true;
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
        let run_events = app
            .session
            .as_ref()
            .and_then(|s| s.events())
            .unwrap_or_else(never);
        // Wake for the next frame only when something is waiting to be drawn.
        let frame_due = if dirty {
            crossbeam_channel::after(FRAME.saturating_sub(last_draw.elapsed()))
        } else {
            never()
        };
        // While the explorer searches, its progress is drawn a few times a second.
        let explore_due = match &app.explorer {
            Some(ex) if !ex.is_done() => crossbeam_channel::after(EXPLORE_POLL),
            _ => never(),
        };
        select! {
            recv(input) -> ev => {
                let Ok(ev) = ev else { return Ok(()) };
                match ev {
                    TermEvent::Key(k) => app.on_key(k),
                    TermEvent::Mouse(m) => app.on_mouse(m),
                    TermEvent::Resize(w, h) => app.size.set((w, h)),
                    _ => {}
                }
                dirty = true;
                moved = true;
            }
            recv(run_events) -> ev => {
                if let (Ok(ev), Some(s)) = (ev, app.session.as_mut()) {
                    s.on_event(&ev);
                    // Take whatever else is waiting before drawing once.
                    while let Ok(ev) = run_events.try_recv() {
                        s.on_event(&ev);
                    }
                    app.record_wins();
                    dirty = true;
                    moved = true;
                }
            }
            recv(clock) -> _ => {
                // Redraw only when something shown changed: an idle screen
                // (stepping, paused, done) costs no frame at all.
                if let Some(s) = app.session.as_mut() {
                    dirty |= s.poll_pool();
                }
                app.record_wins();
                ticks += 1;
                if let Some(s) = app.session.as_mut() {
                    // /proc is read each tick while things move, else once a second.
                    let due = moved || s.mode == session::Mode::Running || ticks.is_multiple_of(4);
                    if due && s.any_alive() {
                        moved = false;
                        let before = s.os_state.clone();
                        s.refresh_os_state();
                        dirty |= s.os_state != before || s.mode == session::Mode::Running;
                    }
                    // The header's clock counts while the run is live (it
                    // stops once DONE): redraw when its text changes.
                    let clock = view::clock(s, app.lang);
                    if clock != clock_shown {
                        clock_shown = clock;
                        dirty = true;
                    }
                }
            }
            recv(frame_due) -> _ => {}
            recv(explore_due) -> _ => {}
        }
        if let Some(ex) = app.explorer.as_mut() {
            dirty |= ex.poll();
        }
    }
}
