//! The run screen's top line: the lesson, its mode, each lock ON or OFF,
//! the speed and the clock.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Theme;
use crate::lesson::Lang;
use crate::tui::app::App;
use crate::tui::session::{RunMode, Session};
use crate::tui::text::Strings;
use crate::words::screen::run::{self, ModeName};

fn mode_name(mode: RunMode, lang: Lang) -> &'static str {
    let name = match mode {
        RunMode::Step => ModeName::Step,
        RunMode::Running => ModeName::Running,
        RunMode::Paused => ModeName::Paused,
        RunMode::Done => ModeName::Done,
    };
    run::mode_name(name, lang)
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App, s: &Session, theme: &Theme, t: &Strings) {
    let mut rest = vec![
        Span::raw("  "),
        Span::styled(
            format!("[{}]", mode_name(s.mode, app.lang)),
            theme.fg(Color::Cyan).add_modifier(Modifier::BOLD),
        ),
    ];
    if s.program().is_some() {
        // The listing itself runs, not the built-in engine (`c`).
        rest.push(Span::styled(" CPython", theme.fg(Color::Yellow)));
    }
    let mut full = rest.clone();
    full.extend(state_spans(app, s, theme, t, false));
    // The title gives way first: the mode, locks and clock always show,
    // the locks counted when naming each would leave the title no room.
    let room_with = |spans: &[Span]| {
        (area.width as usize)
            .saturating_sub(Line::from(spans.to_vec()).width() + " lockstep  ".len())
    };
    if room_with(&full) < TITLE_ROOM.min(Line::from(s.lesson.title.get(app.lang)).width()) {
        rest.extend(state_spans(app, s, theme, t, true));
    } else {
        rest = full;
    }
    let room = room_with(&rest);
    let mut spans = vec![
        Span::styled(" lockstep ", theme.selected()),
        Span::raw(" "),
        Span::styled(
            fit(s.lesson.title.get(app.lang), room),
            Style::default().add_modifier(Modifier::BOLD),
        ),
    ];
    spans.extend(rest);
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// `text` cut to `width` columns, ending in `…` if cut.
fn fit(text: &str, width: usize) -> String {
    if Line::from(text).width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        if Line::from(format!("{out}{c}…")).width() > width {
            break;
        }
        out.push(c);
    }
    if width > 0 { format!("{out}…") } else { out }
}

/// Columns the title keeps before the locks are counted instead of named.
const TITLE_ROOM: usize = 12;

/// Each lock ON or OFF (`compact`: how many), the speed of a free run,
/// the clock.
fn state_spans(
    app: &App,
    s: &Session,
    theme: &Theme,
    t: &Strings,
    compact: bool,
) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    let locks = &s.state().locks;
    if compact && !locks.is_empty() {
        let off = locks.iter().filter(|l| l.off).count();
        let style = if off > 0 { theme.bad() } else { theme.good() };
        spans.push(Span::raw("  "));
        spans.push(Span::styled(
            crate::words::screen::sentences::locks_counted(locks.len(), off, app.lang),
            style,
        ));
    }
    for l in locks.iter().filter(|_| !compact) {
        let (word, style) = if l.off {
            (t.off, theme.bad())
        } else {
            (t.on, theme.good())
        };
        spans.push(Span::raw(format!("  {} ", l.name)));
        spans.push(Span::styled(word, style));
    }
    // While stepping (or once a stepped run is done), the speed of a free
    // run does not apply.
    if wall_clock(s) {
        spans.push(Span::raw(format!("  {} {}×", t.speed, trim_float(s.speed))));
    }
    spans.push(Span::raw(format!("  {}", clock(s, app.lang))));
    spans
}

/// The header shows seconds: the run is played, or done and not stepped
/// (played, or a lesson that runs by itself).
fn wall_clock(s: &Session) -> bool {
    match s.mode {
        RunMode::Running | RunMode::Paused => true,
        RunMode::Done => s.played() || s.schedule.is_empty(),
        RunMode::Step => false,
    }
}

/// The header's clock: seconds since the first process began to run (where
/// the timeline's whole run begins, so a wait before `p` is not counted),
/// frozen while PAUSED and once DONE. While the learner steps, sleeps take
/// no time, so it shows the timing model and the steps taken instead, and a
/// stepped run keeps them once done: an idle screen never needs a redraw.
pub fn clock(s: &Session, lang: Lang) -> String {
    if wall_clock(s) {
        let begin = crate::tui::run_timing::begin_ms(s.state()) / 1000.0;
        let secs = (s.clock_time().as_secs_f64() - begin).max(0.0);
        return format!("{secs:.2} s");
    }
    let model = s.state();
    run::step_clock(model.clock.timing, model.clock.now_ms, model.steps, lang)
}

fn trim_float(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}
