//! Drawing: reads the app's state, never changes it (but for where the
//! lanes landed, kept for mouse clicks). This file lays the screens out;
//! each panel is drawn by its own widget in `view/`.

mod code;
mod header;
mod lanes;
mod output;
mod picker;
mod resources;
mod theme;
mod verdict;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::app::{App, Screen};
use super::keys::{self, Action, Bar};
use super::session::{RunMode, Session};
use super::text::{Strings, strings};
pub use header::clock;
pub use picker::lesson_lines;
pub use theme::Theme;

pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    let theme = Theme::new(app.color);
    let t = strings(app.lang);
    app.size.set((area.width, area.height));
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let msg = format!("{}\n({}×{})", t.too_small, area.width, area.height);
        frame.render_widget(Paragraph::new(msg).wrap(Wrap { trim: true }), area);
        return;
    }
    match &app.screen {
        Screen::Explore { explorer, .. } => {
            super::explorer::draw(frame, explorer, app.lang, app.color, t);
        }
        Screen::Run(s) => draw_run(frame, app, s, &theme, t),
        Screen::Picker => picker::draw(frame, app, &theme, t),
    }
    if app.help {
        super::help::draw(frame, app);
    }
}

pub(crate) fn block(title: &str) -> Block<'_> {
    Block::default()
        .borders(Borders::ALL)
        .title(format!(" {title} "))
}

/// The code panel's width: what its longest line needs (`wanted`), from
/// 55% of the screen up to all but the output's 36 columns (35% when wide).
fn code_width(wanted: u16, width: u16) -> u16 {
    let least = width * 55 / 100;
    let most = width.saturating_sub((width * 35 / 100).max(36)).max(least);
    wanted.clamp(least, most)
}

fn draw_run(frame: &mut Frame, app: &App, s: &Session, theme: &Theme, t: &Strings) {
    let goal_lines = super::goal::height(app, s, frame.area().width);
    let verdict_lines = verdict::height(app.lang, s, frame.area().width);
    let [header, middle, verdict, goal, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(10),
        Constraint::Length(verdict_lines),
        Constraint::Length(goal_lines),
        Constraint::Length(1),
    ])
    .areas(frame.area());
    let [top, bottom] =
        Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(middle);
    // Narrow screens give the lanes' op column a little more.
    let lanes_share = if frame.area().width < 100 { 59 } else { 58 };
    let [lanes, resources] = Layout::horizontal([
        Constraint::Percentage(lanes_share),
        Constraint::Percentage(100 - lanes_share),
    ])
    .areas(top);
    let wanted = code::wanted_width(s.lesson.listing_in(app.lang));
    let [code, output] = Layout::horizontal([
        Constraint::Length(code_width(wanted, frame.area().width)),
        Constraint::Min(0),
    ])
    .areas(bottom);

    header::draw(frame, header, app, s, theme, t);
    if s.lesson.pool.is_some() {
        let areas = super::pool_view::Areas {
            top,
            output,
            middle,
        };
        if !super::pool_view::draw(frame, areas, app.lang, s, t, app.color) {
            code::draw(frame, code, app, s, theme, t);
        }
    } else {
        if s.timing.shown {
            super::run_timing::draw(frame, top, s, t, app.color);
            // No lanes to click; the list keeps its scroll for when they return.
            app.lanes_at.set((Rect::default(), app.lanes_at.get().1));
        } else {
            lanes::draw(frame, lanes, app, s, theme, t);
            resources::draw(frame, resources, app.lang, s, theme, t);
        }
        code::draw(frame, code, app, s, theme, t);
        output::draw(frame, output, app.lang, s, theme, t);
    }
    verdict::draw(frame, verdict, app.lang, s, theme, t);
    super::goal::draw(frame, goal, app, s, theme.color, t);
    let bar = match s.mode {
        _ if s.lesson.pool.is_some() => Bar::Pool,
        _ if s.timing.shown => Bar::Timing,
        RunMode::Running => Bar::Running,
        RunMode::Done => Bar::Done,
        _ => Bar::Step,
    };
    // A lesson without locks has nothing for `l` to switch, one without
    // sleeps nothing for `w`; a run with no steps (or played freely) has
    // nothing to undo or save.
    let has_locks = !s.state().locks.is_empty();
    // A real program may sleep: its sleeps are known only as it runs.
    let sleeps = s.lesson.has_sleeps() || s.program().is_some();
    let stepped = !s.schedule.is_empty() && !s.played();
    let width = usize::from(footer.width);
    let keys = keys::hint_line_within(
        bar,
        app.lang,
        |a| match a {
            Action::Locks => has_locks,
            Action::TimingModel => sleeps,
            Action::Undo => stepped,
            Action::Save => stepped,
            _ => true,
        },
        width,
    );
    frame.render_widget(Paragraph::new(keys).style(theme.dim()), footer);
}
