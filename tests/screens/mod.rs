//! Drawing the app into a test backend for snapshot tests: the screen as
//! text, and an app showing a run's state in step mode.

#![allow(dead_code)]

pub mod fold;

use std::path::PathBuf;

use lockstep::lesson::{Lang, builtin, builtins};
use lockstep::model::RunState;
use lockstep::tui::app::App;
use lockstep::tui::session::{RunMode, Session};
use lockstep::tui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::CellWidth;

/// The app drawn at `w`×`h`, one line per row, trailing blanks cut.
pub fn screen(app: &App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| view::draw(f, app)).unwrap();
    let buf = t.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..h {
        let mut line = String::new();
        let mut skip = 0u16;
        for x in 0..w {
            let cell = &buf[(x, y)];
            // A wide character covers the next cell too: skip what it hides.
            if skip == 0 {
                line.push_str(cell.symbol());
            }
            skip = skip.max(cell.cell_width()).saturating_sub(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The run screen of `lesson` in step mode showing `state`, without colour;
/// every live process reads `S` in the state column.
pub fn stepping_app(lesson: &str, state: &RunState, lang: Lang) -> App {
    let mut a = App::new(builtins(), lang, PathBuf::new());
    a.color = false;
    let mut s = Session::detached(
        builtin(lesson).unwrap(),
        Vec::new(),
        state.clone(),
        RunMode::Step,
    );
    s.os_state = state
        .procs
        .iter()
        .map(|p| (p.pid.is_some() && p.ending.is_none()).then_some('S'))
        .collect();
    a.show_run(s);
    a
}
