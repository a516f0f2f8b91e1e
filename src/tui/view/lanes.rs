//! The lanes: one row per real process with its P, pid, the kernel's
//! state letter, lockstep's state in words and the next operation.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Row, Table};

use super::resources::names;
use super::{Theme, block};
use crate::lesson::{Lang, Op};
use crate::model::{Phase, Proc};
use crate::supervisor::Ending;
use crate::tui::app::App;
use crate::tui::session::{RunMode, Session};
use crate::tui::text::Strings;
use crate::words::run::clock_time;

fn signal_name(sig: i32) -> String {
    match sig {
        libc::SIGTERM => "SIGTERM".into(),
        libc::SIGKILL => "SIGKILL".into(),
        libc::SIGINT => "SIGINT".into(),
        _ => format!("SIG{sig}"),
    }
}

/// Our state of a process, in words.
fn state_text(p: &Proc, s: &Session, t: &Strings, lang: Lang, width: usize) -> (String, bool) {
    if p.ending.is_none()
        && let Some(words) = crate::tui::tree::state_words(s.state(), p.number - 1, t, width)
    {
        return (words, s.state().is_zombie(p.number - 1));
    }
    match (p.phase, p.ending) {
        (_, Some(Ending::Signal(sig))) => {
            (format!("{} {} {}", t.exit, -sig, signal_name(sig)), true)
        }
        (_, Some(Ending::Code(0))) => (t.done.to_string(), false),
        (_, Some(Ending::Code(c))) => (format!("{} {c}", t.exit), true),
        (Phase::Finished, None) => (t.done.to_string(), false),
        (Phase::Starting, _) => (t.starting.to_string(), false),
        (Phase::NotStarted, _) => (t.not_started.to_string(), false),
        (Phase::Joining { child }, _) => {
            (format!("{} {}", t.joining, s.state().named(child)), false)
        }
        (Phase::AtGate, _) => match s.state().clock.asleep_until(p.number - 1) {
            // As written: asleep at its gate until the virtual clock gets there.
            Some(ms) => (format!("{} → {}", t.sleeping, clock_time(ms)), false),
            None => (t.ready.to_string(), false),
        },
        (Phase::Blocked { on }, _) => (crate::tui::ipc::state_words(s.state(), on, lang), true),
        (Phase::Waiting { lock }, _) => {
            let l = &s.state().locks[lock];
            // The same names as the lock panel's, a dead holder marked `†`.
            let holders: Vec<String> = l.holders.iter().map(|h| names(&[*h], s.state())).collect();
            let held = if holders.is_empty() {
                String::new()
            } else {
                format!(" ({})", holders.join(","))
            };
            let full = format!("{} {}{held}", t.waiting_for, l.name);
            if Line::from(full.as_str()).width() <= width {
                (full, true)
            } else {
                // Narrow: the holder matters more than the words.
                (format!("{} {}{held}", t.waits_short, l.name), true)
            }
        }
        (Phase::Running, _) => match p.step().map(|st| &st.op) {
            Some(Op::Sleep { .. } | Op::SleepFor { .. }) if s.mode == RunMode::Running => {
                (t.sleeping.to_string(), false)
            }
            _ => (t.running.to_string(), false),
        },
    }
}

/// What a lane's op column says: the listing's statement for the next
/// operation (the engine's own words when the lesson has no listing) and
/// its line; the line is left out when both do not fit in `width` (a cut
/// `:1` would name the wrong line), and a statement still too long ends in `…`.
fn op_text(p: &Proc, s: &Session, lang: Lang, width: usize) -> String {
    p.step()
        .filter(|_| p.ending.is_none() && p.phase != Phase::Finished)
        // Joining at exit: its last statement has run; the state says the rest.
        .filter(|_| !crate::tui::tree::at_exit(p))
        .map(|st| {
            let op = s
                .lesson
                .statement(st.line, lang)
                .unwrap_or_else(|| st.op.describe());
            let full = format!("{op}  :{}", st.line);
            if st.line != 0 && Line::from(full.as_str()).width() <= width {
                full
            } else {
                // Still too long: cut, and say so.
                crate::tui::help::ellipsize(&op, width)
            }
        })
        .or_else(|| python_op_text(p, width))
        .unwrap_or_default()
}

/// A real program's process: the op its gate reported, on which object.
fn python_op_text(p: &Proc, width: usize) -> Option<String> {
    let site = p
        .site
        .as_ref()
        .filter(|_| p.ending.is_none() && p.phase != Phase::Finished)?;
    let op = format!("{} {}", site.op, site.name).trim().to_string();
    let full = format!("{op}  :{}", site.line);
    Some(
        if site.line != 0 && Line::from(full.as_str()).width() <= width {
            full
        } else {
            crate::tui::help::ellipsize(&op, width)
        },
    )
}

/// Widths of the pid and state columns: what the texts need, so the op
/// column gets the rest. The state takes its short words when both do
/// not fit.
fn lane_widths(s: &Session, t: &Strings, lang: Lang, room: usize) -> (u16, u16) {
    let procs = &s.state().procs;
    let widest = |w: usize| {
        procs
            .iter()
            .map(|p| Line::from(state_text(p, s, t, lang, w).0).width())
            .max()
            .unwrap_or(0)
            .max(Line::from(t.col_state).width())
    };
    let pid = procs
        .iter()
        .filter_map(|p| p.pid)
        .map(|p| p.to_string().len())
        .max()
        .unwrap_or(0)
        .max(3);
    let room = room.saturating_sub(pid);
    let op = procs
        .iter()
        .map(|p| Line::from(op_text(p, s, lang, usize::MAX)).width())
        .max()
        .unwrap_or(0)
        .max(Line::from(t.col_op).width());
    let full = widest(usize::MAX);
    // The state says what matters most: it keeps its (short) words, and
    // the op's end is cut only when both cannot fit.
    let state = if full + op <= room {
        full
    } else {
        widest(room.saturating_sub(op.min(10))).min(room.saturating_sub(8))
    };
    (pid as u16, state.min(36) as u16)
}

/// The P column's labels with the listing's names, cut so that the state
/// keeps its full words and the op column at least 10 columns when the
/// lanes are `width` wide.
fn fit_labels(s: &Session, t: &Strings, lang: Lang, width: usize) -> Vec<String> {
    let procs = &s.state().procs;
    let state = procs
        .iter()
        .map(|p| Line::from(state_text(p, s, t, lang, usize::MAX).0).width())
        .max()
        .unwrap_or(0)
        .min(36);
    let pid = procs
        .iter()
        .filter_map(|p| p.pid)
        .map(|p| p.to_string().len())
        .max()
        .unwrap_or(0)
        .max(3);
    // Borders, the S column and four gaps; a name keeps six columns at least.
    let budget = width.saturating_sub(2 + 1 + 4 + pid + state + 10);
    let bare = crate::tui::tree::labels_within(procs, 0);
    let least = usize::from(crate::tui::tree::label_width(&bare)) + 7;
    crate::tui::tree::labels_within(procs, budget.max(least))
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App, s: &Session, theme: &Theme, t: &Strings) {
    let rows_fit = area.height.saturating_sub(3) as usize;
    let n = s.state().procs.len();

    let labels = fit_labels(s, t, app.lang, usize::from(area.width));
    let label_w = crate::tui::tree::label_width(&labels);
    // Inside the borders, less the P and S columns and four spaces.
    let room = usize::from(area.width.saturating_sub(2 + label_w + 1 + 4));
    let (pid_width, state_width) = lane_widths(s, t, app.lang, room);
    let op_width = room.saturating_sub(usize::from(pid_width + state_width));
    // Keep the list where it was while the selection shows; else scroll
    // only as far as it takes to show it.
    let (_, before) = app.lanes_at.get();
    let first = scroll_to_show(before, app.selected, rows_fit, n);
    let rows: Vec<Row> = s
        .state()
        .procs
        .iter()
        .enumerate()
        .skip(first)
        .take(rows_fit)
        .map(|(i, p)| {
            let letter = s
                .os_state
                .get(i)
                .copied()
                .flatten()
                .filter(|_| p.ending.is_none());
            let (state, alarm) = state_text(p, s, t, app.lang, usize::from(state_width));
            let row = Row::new(vec![
                Span::styled(
                    labels[i].clone(),
                    theme.proc(i).add_modifier(Modifier::BOLD),
                ),
                Span::raw(p.pid.map(|x| x.to_string()).unwrap_or_default()),
                letter.map_or(Span::raw(" "), |c| {
                    Span::styled(c.to_string(), theme.os_state(c))
                }),
                Span::styled(state, if alarm { theme.bad() } else { Style::default() }),
                Span::raw(op_text(p, s, app.lang, op_width)),
            ]);
            if i == app.selected {
                row.style(theme.selected())
            } else {
                row
            }
        })
        .collect();
    let title = format!(
        "{} {}/{}",
        t.processes,
        app.selected.min(n.saturating_sub(1)) + 1,
        n
    );
    let table = Table::new(
        rows,
        [
            Constraint::Length(label_w),
            Constraint::Length(pid_width),
            Constraint::Length(1),
            Constraint::Length(state_width),
            Constraint::Min(8),
        ],
    )
    .column_spacing(1)
    .header(Row::new(vec!["P", "pid", "S", t.col_state, t.col_op]).style(theme.dim()))
    .block(block(&title));
    frame.render_widget(table, area);
    let inner = Rect {
        x: area.x + 1,
        y: area.y + 2,
        width: area.width.saturating_sub(2),
        height: rows_fit as u16,
    };
    app.lanes_at.set((inner, first));
}

/// The first row to show of `n` so that `selected` is among the `fit`
/// shown, moving as little as possible from `first`.
fn scroll_to_show(first: usize, selected: usize, fit: usize, n: usize) -> usize {
    if fit == 0 {
        return selected;
    }
    let first = if selected < first {
        selected
    } else if selected >= first + fit {
        selected + 1 - fit
    } else {
        first
    };
    // No empty rows below the last process while there are rows above.
    first.min(n.saturating_sub(fit))
}

#[cfg(test)]
mod tests {
    use super::scroll_to_show;

    #[test]
    fn the_lanes_scroll_only_as_far_as_the_selection_needs() {
        // P13..P19 shown (first = 12), P13 selected: nothing moves.
        assert_eq!(scroll_to_show(12, 12, 7, 20), 12);
        // Down past the bottom moves one row; up past the top too.
        assert_eq!(scroll_to_show(12, 19, 7, 20), 13);
        assert_eq!(scroll_to_show(12, 11, 7, 20), 11);
        // A jump far away shows it at the edge it came from.
        assert_eq!(scroll_to_show(12, 0, 7, 20), 0);
        assert_eq!(scroll_to_show(0, 18, 7, 20), 12);
        // A taller screen shows as many as fit.
        assert_eq!(scroll_to_show(12, 15, 30, 20), 0);
    }
}
