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
    rest.extend(state_spans(app, s, theme, t));
    // The title gives way first: the mode, locks and clock always show.
    let room = (area.width as usize)
        .saturating_sub(Line::from(rest.clone()).width() + " lockstep  ".len());
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

/// Each lock ON or OFF, the speed of a free run, the clock.
fn state_spans(app: &App, s: &Session, theme: &Theme, t: &Strings) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    for l in &s.state().locks {
        let (word, style) = if l.off {
            (t.off, theme.bad())
        } else {
            (t.on, theme.good())
        };
        spans.push(Span::raw(format!("  {} ", l.name)));
        spans.push(Span::styled(word, style));
    }
    // While stepping, the speed of a free run does not apply.
    if s.mode != RunMode::Step {
        spans.push(Span::raw(format!("  {} {}×", t.speed, trim_float(s.speed))));
    }
    spans.push(Span::raw(format!("  {}", clock(s, app.lang))));
    spans
}

/// The header's clock: seconds since the run started, frozen while PAUSED
/// and once DONE. While the learner steps, sleeps take no time, so it shows
/// the steps taken instead: an idle screen never needs a redraw for it.
pub fn clock(s: &Session, lang: Lang) -> String {
    match s.mode {
        RunMode::Running | RunMode::Done | RunMode::Paused => {
            format!("{:.2} s", s.clock_time().as_secs_f64())
        }
        RunMode::Step => {
            let model = s.state();
            run::step_clock(model.clock.timing, model.clock.now_ms, model.steps, lang)
        }
    }
}

fn trim_float(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}
