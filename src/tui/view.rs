//! Drawing: reads the app's state, never changes it (but for where the
//! lanes landed, kept for mouse clicks).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, List, ListItem, ListState, Paragraph, Row, Table, Wrap};

use super::app::{App, Screen};
use super::keys::{self, Action, Bar};
use super::session::{Mode, Session};
use super::text::{Strings, strings};
use crate::lesson::{Lang, Op};
use crate::state::{AccessKind, Phase, Proc};
use crate::supervisor::Ending;

pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

const PALETTE: [Color; 6] = [
    Color::Cyan,
    Color::Yellow,
    Color::Magenta,
    Color::Green,
    Color::Blue,
    Color::LightRed,
];

/// Styles that drop colour (but keep bold and reverse) under NO_COLOR.
pub struct Theme {
    color: bool,
}

impl Theme {
    fn fg(&self, c: Color) -> Style {
        if self.color {
            Style::default().fg(c)
        } else {
            Style::default()
        }
    }
    fn proc(&self, p: usize) -> Style {
        self.fg(PALETTE[p % PALETTE.len()])
    }
    fn good(&self) -> Style {
        self.fg(Color::Green).add_modifier(Modifier::BOLD)
    }
    fn bad(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }
    fn dim(&self) -> Style {
        if self.color {
            Style::default().fg(Color::DarkGray)
        } else {
            Style::default()
        }
    }
    fn selected(&self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }
    /// htop's colours for the kernel's state letters.
    fn os_state(&self, c: char) -> Style {
        match c {
            'R' => self.fg(Color::Green).add_modifier(Modifier::BOLD),
            'D' => self.fg(Color::Red).add_modifier(Modifier::BOLD),
            'Z' => self.fg(Color::Magenta).add_modifier(Modifier::BOLD),
            'T' | 't' => self.fg(Color::Yellow),
            _ => self.dim(),
        }
    }
}

pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    let theme = Theme { color: app.color };
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
        Screen::Picker => draw_picker(frame, app, &theme, t),
    }
    if app.help {
        super::help::draw(frame, app);
    }
}

fn block(title: &str) -> Block<'_> {
    Block::default()
        .borders(Borders::ALL)
        .title(format!(" {title} "))
}

fn draw_picker(frame: &mut Frame, app: &App, theme: &Theme, t: &Strings) {
    let lang = app.lang;
    let [body, footer] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(frame.area());
    // Wide screens give the list more room for its summaries.
    let list_share = if body.width >= 120 { 52 } else { 45 };
    let [list_area, preview] = Layout::horizontal([
        Constraint::Percentage(list_share),
        Constraint::Percentage(100 - list_share),
    ])
    .areas(body);
    // Summaries take two lines when every lesson still fits; a cut line ends in `…`.
    let summary_w = usize::from(list_area.width.saturating_sub(4)).max(8);
    let summary_rows = if usize::from(list_area.height.saturating_sub(2)) >= app.lessons.len() * 3 {
        2
    } else {
        1
    };
    let items: Vec<ListItem> = app
        .lessons
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let mut lines = vec![Line::from(vec![
                Span::styled(format!("{} ", i + 1), theme.dim()),
                Span::styled(
                    l.title.get(lang).to_string(),
                    Style::default().add_modifier(Modifier::BOLD),
                ),
                Span::styled(goals_won(app, l), theme.fg(Color::Yellow)),
                Span::styled(format!("  {}", l.id), theme.dim()),
            ])];
            let wrapped = super::help::wrap_flush(l.summary.get(lang), summary_w);
            let shown = wrapped.len().min(summary_rows);
            for (k, text) in wrapped.iter().take(shown).enumerate() {
                let text = if k + 1 == shown && wrapped.len() > shown {
                    // The rest does not fit: cut what is left of the summary.
                    let mut rest = String::new();
                    let from = if k == 0 {
                        rest.push_str(l.summary.get(lang));
                        wrapped.len()
                    } else {
                        k
                    };
                    for part in &wrapped[from..] {
                        // Lines broken at a space get it back; CJK breaks had none.
                        if rest.ends_with(|c: char| c.is_ascii()) {
                            rest.push(' ');
                        }
                        rest.push_str(part);
                    }
                    super::help::ellipsize(&rest, summary_w)
                } else {
                    text.clone()
                };
                lines.push(Line::from(format!("  {text}")));
            }
            ListItem::new(lines)
        })
        .collect();
    let mut state = ListState::default().with_selected(Some(app.picked));
    frame.render_stateful_widget(
        List::new(items)
            .block(block(&format!("lockstep · {}", t.lessons)))
            .highlight_style(theme.selected()),
        list_area,
        &mut state,
    );
    if let Some(l) = app.lessons.get(app.picked) {
        let mut lines = vec![
            Line::styled(
                l.title.get(lang).to_string(),
                Style::default().add_modifier(Modifier::BOLD),
            ),
            Line::default(),
        ];
        // Wrapped here, not by the paragraph: ratatui wraps only at spaces,
        // which moves a whole run of Chinese to the next line.
        let width = usize::from(preview.width.saturating_sub(2));
        let para = |text: &str| -> Vec<Line<'static>> {
            super::help::wrap_flush(text, width)
                .into_iter()
                .map(Line::from)
                .collect()
        };
        lines.extend(para(l.story.get(lang)));
        if let Some(tr) = &l.try_this {
            lines.push(Line::default());
            lines.push(Line::styled(t.try_this.to_string(), theme.good()));
            lines.extend(para(tr.get(lang)));
        }
        if !l.goals.is_empty() {
            lines.push(Line::default());
            lines.push(Line::styled(t.goal.to_string(), theme.good()));
            for g in &l.goals {
                let mark = if app.progress.progress.has_won(&l.id, &g.id) {
                    "✓"
                } else {
                    "★"
                };
                lines.extend(para(&format!("{mark} {}", g.text.get(lang))));
            }
        }
        if let Some(e) = &app.error {
            lines.push(Line::default());
            lines.push(Line::styled(e.clone(), theme.bad()));
        }
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .block(block(t.story)),
            preview,
        );
    }
    let keys = keys::hint_line(Bar::Picker, lang, |_| true);
    frame.render_widget(Paragraph::new(keys).style(theme.dim()), footer);
}

/// "  ★ 1/2" after a lesson with challenges: how many the learner has won.
fn goals_won(app: &App, l: &crate::lesson::Lesson) -> String {
    if l.goals.is_empty() {
        return String::new();
    }
    let won = l
        .goals
        .iter()
        .filter(|g| app.progress.progress.has_won(&l.id, &g.id))
        .count();
    format!("  ★ {won}/{}", l.goals.len())
}

/// "steps: 1,1,2,2", or, when they do not fit, the newest ones after the
/// count: "steps (120): …,118,119,120".
fn steps_line(schedule: &[usize], width: usize, t: &Strings) -> Option<String> {
    if schedule.is_empty() {
        return None;
    }
    let all: Vec<String> = schedule.iter().map(usize::to_string).collect();
    let whole = format!("{}: {}", t.steps, all.join(","));
    if Line::from(whole.as_str()).width() <= width {
        return Some(whole);
    }
    let head = format!("{} ({}): …", t.steps, schedule.len());
    let room = width.saturating_sub(Line::from(head.as_str()).width());
    let mut tail: Vec<&str> = Vec::new();
    let mut used = 0;
    for s in all.iter().rev() {
        if used + s.len() + 1 > room {
            break;
        }
        used += s.len() + 1;
        tail.push(s);
    }
    tail.reverse();
    Some(format!("{head},{}", tail.join(",")))
}

fn mode_name(mode: Mode, lang: Lang) -> &'static str {
    match (mode, lang) {
        (Mode::Step, Lang::En) => "STEP",
        (Mode::Running, Lang::En) => "RUN",
        (Mode::Paused, Lang::En) => "PAUSED",
        (Mode::Done, Lang::En) => "DONE",
        (Mode::Step, Lang::Zh) => "单步",
        (Mode::Running, Lang::Zh) => "运行",
        (Mode::Paused, Lang::Zh) => "暂停",
        (Mode::Done, Lang::Zh) => "结束",
    }
}

fn draw_run(frame: &mut Frame, app: &App, s: &Session, theme: &Theme, t: &Strings) {
    let goal_lines = super::goal::height(app, s, frame.area().width);
    let [header, middle, verdict, goal, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(10),
        Constraint::Length(2),
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
    let [code, output] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(bottom);

    draw_header(frame, header, app, s, theme, t);
    if s.lesson.pool.is_some() {
        let areas = super::pool_view::Areas {
            top,
            output,
            middle,
        };
        if !super::pool_view::draw(frame, areas, app.lang, s, t, app.color) {
            draw_code(frame, code, s, app.selected, theme, t);
        }
    } else {
        if s.timing.shown {
            super::run_timing::draw(frame, top, s, t, app.color);
            // No lanes to click; the list keeps its scroll for when they return.
            app.lanes_at.set((Rect::default(), app.lanes_at.get().1));
        } else {
            draw_lanes(frame, lanes, app, s, theme, t);
            draw_resources(frame, resources, app.lang, s, theme, t);
        }
        draw_code(frame, code, s, app.selected, theme, t);
        draw_output(frame, output, app.lang, s, theme, t);
    }
    draw_verdict(frame, verdict, app.lang, s, theme, t);
    super::goal::draw(frame, goal, app, s, theme.color, t);
    let bar = match s.mode {
        _ if s.lesson.pool.is_some() => Bar::Pool,
        _ if s.timing.shown => Bar::Timing,
        Mode::Running => Bar::Running,
        Mode::Done => Bar::Done,
        _ => Bar::Step,
    };
    // A lesson without locks has nothing for `l` to switch.
    let has_locks = !s.state.locks.is_empty();
    let keys = keys::hint_line(bar, app.lang, |a| a != Action::Locks || has_locks);
    frame.render_widget(Paragraph::new(keys).style(theme.dim()), footer);
}

fn draw_header(frame: &mut Frame, area: Rect, app: &App, s: &Session, theme: &Theme, t: &Strings) {
    let mut spans = vec![
        Span::styled(" lockstep ", theme.selected()),
        Span::raw(" "),
        Span::styled(
            s.lesson.title.get(app.lang).to_string(),
            Style::default().add_modifier(Modifier::BOLD),
        ),
        Span::raw("  "),
        Span::styled(
            format!("[{}]", mode_name(s.mode, app.lang)),
            theme.fg(Color::Cyan).add_modifier(Modifier::BOLD),
        ),
    ];
    for l in &s.state.locks {
        let (word, style) = if l.off {
            (t.off, theme.bad())
        } else {
            (t.on, theme.good())
        };
        spans.push(Span::raw(format!("  {} ", l.name)));
        spans.push(Span::styled(word, style));
    }
    spans.push(Span::raw(format!(
        "  {} {}×  {}",
        t.speed,
        trim_float(s.speed),
        clock(s, app.lang)
    )));
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The header's clock: seconds since the run started, frozen while PAUSED
/// and once DONE. While the learner steps, sleeps take no time, so it shows
/// the steps taken instead: an idle screen never needs a redraw for it.
pub fn clock(s: &Session, lang: Lang) -> String {
    match s.mode {
        Mode::Running | Mode::Done | Mode::Paused => {
            format!("{:.2} s", s.clock_time().as_secs_f64())
        }
        Mode::Step => match lang {
            Lang::En if s.state.steps == 1 => "1 step".to_string(),
            Lang::En => format!("{} steps", s.state.steps),
            Lang::Zh => format!("{} 步", s.state.steps),
        },
    }
}

fn trim_float(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn signal_name(sig: i32) -> String {
    match sig {
        libc::SIGTERM => "SIGTERM".into(),
        libc::SIGKILL => "SIGKILL".into(),
        libc::SIGINT => "SIGINT".into(),
        _ => format!("SIG{sig}"),
    }
}

/// Our state of a process, in words.
fn state_text(p: &Proc, s: &Session, t: &Strings, width: usize) -> (String, bool) {
    if p.ending.is_none()
        && let Some(words) = super::tree::state_words(&s.state, p.number - 1, t)
    {
        return (words, s.state.is_zombie(p.number - 1));
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
        (Phase::Joining { child }, _) => (format!("{} P{}", t.joining, child + 1), false),
        (Phase::AtGate, _) => (t.ready.to_string(), false),
        (Phase::Blocked { on }, _) => (
            super::ipc::state_words(&s.state, on, super::ipc::lang_of(t)),
            true,
        ),
        (Phase::Waiting { lock }, _) => {
            let l = &s.state.locks[lock];
            // The same names as the lock panel's, a dead holder marked `†`.
            let holders: Vec<String> = l.holders.iter().map(|h| names(&[*h], &s.state)).collect();
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
            Some(Op::Sleep { .. }) if s.mode == Mode::Running => (t.sleeping.to_string(), false),
            _ => (t.running.to_string(), false),
        },
    }
}

/// What a lane's op column says: the next operation and its line; the
/// line is left out when both do not fit in `width` (a cut `:1` would
/// name the wrong line), and an operation still too long ends in `…`.
fn op_text(p: &Proc, width: usize) -> String {
    p.step()
        .filter(|_| p.ending.is_none() && p.phase != Phase::Finished)
        .map(|st| {
            let op = st.op.describe();
            let full = format!("{op}  :{}", st.line);
            if st.line != 0 && Line::from(full.as_str()).width() <= width {
                full
            } else {
                // Still too long: cut, and say so.
                super::help::ellipsize(&op, width)
            }
        })
        .unwrap_or_default()
}

/// Widths of the pid and state columns: what the texts need, so the op
/// column gets the rest. The state takes its short words when both do
/// not fit.
fn lane_widths(s: &Session, t: &Strings, room: usize) -> (u16, u16) {
    let procs = &s.state.procs;
    let widest = |w: usize| {
        procs
            .iter()
            .map(|p| Line::from(state_text(p, s, t, w).0).width())
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
        .map(|p| Line::from(op_text(p, usize::MAX)).width())
        .max()
        .unwrap_or(0)
        .max(Line::from(t.col_op).width());
    let full = widest(usize::MAX);
    // The state says what matters most: it keeps its (short) words, and
    // the op's end is cut only when both cannot fit.
    let state = if full + op <= room {
        full
    } else {
        widest(room.saturating_sub(op)).min(room.saturating_sub(8))
    };
    (pid as u16, state.min(36) as u16)
}

fn draw_lanes(frame: &mut Frame, area: Rect, app: &App, s: &Session, theme: &Theme, t: &Strings) {
    let rows_fit = area.height.saturating_sub(3) as usize;
    let n = s.state.procs.len();

    let labels = super::tree::labels(&s.state.procs);
    let label_w = super::tree::label_width(&labels);
    // Inside the borders, less the P and S columns and four spaces.
    let room = usize::from(area.width.saturating_sub(2 + label_w + 1 + 4));
    let (pid_width, state_width) = lane_widths(s, t, room);
    let op_width = room.saturating_sub(usize::from(pid_width + state_width));
    // Keep the list where it was while the selection shows; else scroll
    // only as far as it takes to show it.
    let (_, before) = app.lanes_at.get();
    let first = scroll_to_show(before, app.selected, rows_fit, n);
    let rows: Vec<Row> = s
        .state
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
            let (state, alarm) = state_text(p, s, t, usize::from(state_width));
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
                Span::raw(op_text(p, op_width)),
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

/// "P1 P2 P3 P4 P5" as "P1–P5": runs of three or more consecutive
/// processes in a row; a dead one (ended, or a zombie) is marked `P1†` and
/// never folded into a run.
fn names(ps: &[usize], state: &crate::state::RunState) -> String {
    let dead = |p: usize| {
        state.procs.get(p).is_some_and(|x| x.ending.is_some())
            || (p < state.procs.len() && state.is_zombie(p))
    };
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < ps.len() {
        let mut j = i;
        while j + 1 < ps.len() && ps[j + 1] == ps[j] + 1 && !dead(ps[j]) && !dead(ps[j + 1]) {
            j += 1;
        }
        if j >= i + 2 {
            out.push(format!("P{}–P{}", ps[i] + 1, ps[j] + 1));
        } else {
            j = i;
            let mark = if dead(ps[i]) { "†" } else { "" };
            out.push(format!("P{}{mark}", ps[i] + 1));
        }
        i = j + 1;
    }
    out.join(" ")
}

fn draw_resources(
    frame: &mut Frame,
    area: Rect,
    lang: Lang,
    s: &Session,
    theme: &Theme,
    t: &Strings,
) {
    let mut lines: Vec<Line> = Vec::new();
    for l in &s.state.locks {
        let state = if l.off {
            Span::styled(t.off, theme.bad())
        } else {
            Span::styled(t.on, theme.good())
        };
        let kind = if l.is_lock { t.lock } else { t.semaphore };
        let used = (i64::from(l.permits) - l.available).max(0);
        let mut head = vec![
            Span::styled(
                format!("{kind} {} ", l.name),
                Style::default().add_modifier(Modifier::BOLD),
            ),
            state,
        ];
        if !l.is_lock {
            head.push(Span::raw(format!("  {used}/{}", l.permits)));
        }
        lines.push(Line::from(head));
        let holders = if l.holders.is_empty() {
            t.nobody.to_string()
        } else {
            names(&l.holders, &s.state)
        };
        lines.push(Line::from(format!("  {}: {holders}", t.holder)));
        if !l.waiters.is_empty() {
            lines.push(Line::from(vec![
                Span::raw(format!("  {}: ", t.waiters)),
                Span::styled(names(&l.waiters, &s.state), theme.bad()),
            ]));
        }
    }
    for r in &s.state.rooms {
        let over = r.limit.is_some_and(|lim| r.inside.len() > lim as usize);
        let limit = r.limit.map(|l| format!("/{l}")).unwrap_or_default();
        let mut head = Line::from(vec![
            Span::styled(
                format!("{} {} ", t.room, r.name),
                Style::default().add_modifier(Modifier::BOLD),
            ),
            Span::styled(
                format!("{}{limit} {}", r.inside.len(), t.inside),
                if over { theme.bad() } else { Style::default() },
            ),
        ]);
        let who = names(&r.inside, &s.state);
        if head.width() + 2 + Line::from(who.as_str()).width() + 2 <= usize::from(area.width) {
            head.push_span(Span::raw(format!("  {who}")));
            lines.push(head);
        } else if !who.is_empty() {
            // Narrow: who is inside goes on a line of its own.
            lines.push(head);
            lines.push(Line::from(format!("  {who}")));
        } else {
            lines.push(head);
        }
    }
    let expected_value = match &s.lesson.check.measure {
        crate::lesson::Measure::FinalValue(name) => Some((name.clone(), s.lesson.check.expect)),
        _ => None,
    };
    // What comes below the values, drawn whole; the values' histories share
    // the rows left.
    let mut below: Vec<Line> = super::ipc::lines(&s.state, lang, theme.bad(), theme.good());
    let width = area.width.saturating_sub(2) as usize;
    let tree = super::tree::summary(&s.state, t, width);
    below.extend(tree.into_iter().map(Line::from));
    let values = s.state.values.len();
    for (k, v) in s.state.values.iter().enumerate() {
        let mut head = vec![
            Span::styled(
                format!("{} = {}", v.name, v.current),
                Style::default().add_modifier(Modifier::BOLD),
            ),
            Span::styled(format!("  {} {}", t.start, v.initial), theme.dim()),
        ];
        let expect = expected_value
            .as_ref()
            .filter(|(n, _)| *n == v.name)
            .map(|(_, e)| *e);
        if let Some(e) = expect {
            head.push(Span::styled(format!(" → {} {e}", t.expected), theme.dim()));
        }
        let mut head = Line::from(head);
        if head.width() + 2 > usize::from(area.width) {
            // Narrow: the numbers without their words.
            let arrow = expect.map(|e| format!(" → {e}")).unwrap_or_default();
            head = Line::from(vec![
                Span::styled(
                    format!("{} = {}", v.name, v.current),
                    Style::default().add_modifier(Modifier::BOLD),
                ),
                Span::styled(format!("  ({}{arrow})", v.initial), theme.dim()),
            ]);
        }
        lines.push(head);
        let room = (area.height.saturating_sub(2) as usize)
            .saturating_sub(lines.len() + below.len() + (values - k - 1));
        let show = (room / (values - k)).max(1);
        for a in v.history.iter().rev().take(show).rev() {
            let (verb, style) = match a.kind {
                AccessKind::Read => (t.read, Style::default()),
                AccessKind::Write if a.stale => (t.wrote, theme.bad()),
                AccessKind::Write => (t.wrote, Style::default()),
            };
            let mut spans = vec![
                Span::raw("  "),
                Span::styled(format!("P{}", a.proc + 1), theme.proc(a.proc)),
                Span::styled(format!(" {verb} {}", a.value), style),
            ];
            if a.stale {
                spans.push(Span::styled(format!("  {}", t.lost), theme.bad()));
            }
            lines.push(Line::from(spans));
        }
    }
    lines.extend(below);
    let _ = lang;
    // A long list of who is inside wraps rather than being cut.
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block(t.resources)),
        area,
    );
}

fn draw_code(
    frame: &mut Frame,
    area: Rect,
    s: &Session,
    selected: usize,
    theme: &Theme,
    t: &Strings,
) {
    let listing = &s.lesson.listing;
    let mut at_line: Vec<Vec<usize>> = vec![Vec::new(); listing.len() + 1];
    for (i, p) in s.state.procs.iter().enumerate() {
        if p.ending.is_none()
            && p.phase != Phase::Finished
            && let Some(l) = p.line()
            && (l as usize) < at_line.len()
        {
            at_line[l as usize].push(i);
        }
    }
    let height = area.height.saturating_sub(2) as usize;
    // Centre the busiest marked line, unless that hides the selected
    // process's line: then centre that one.
    let busiest = (1..at_line.len())
        .rev()
        .max_by_key(|l| at_line[*l].len())
        .filter(|l| !at_line[*l].is_empty())
        .unwrap_or(1);
    let window = |focus: usize| {
        focus
            .saturating_sub(height / 2)
            .min(listing.len().saturating_sub(height))
    };
    let mut start = window(busiest);
    if let Some(l) = at_line.iter().position(|ps| ps.contains(&selected))
        && (l <= start || l > start + height)
    {
        start = window(l);
    }
    let lines: Vec<Line> = listing
        .iter()
        .enumerate()
        .skip(start)
        .take(height)
        .map(|(i, text)| {
            let here = &at_line[i + 1];
            let marker = match here.len() {
                0 => "      ".to_string(),
                1 => format!("{:>5}▶", format!("P{}", here[0] + 1)),
                k => format!("{:>5}▶", format!("{k}×")),
            };
            let mstyle = here
                .first()
                .map_or(theme.dim(), |p| theme.proc(*p).add_modifier(Modifier::BOLD));
            Line::from(vec![
                Span::styled(marker, mstyle),
                Span::styled(format!("{:>3} ", i + 1), theme.dim()),
                Span::raw(text.clone()),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines).block(block(t.code)), area);
}

fn draw_output(frame: &mut Frame, area: Rect, lang: Lang, s: &Session, theme: &Theme, t: &Strings) {
    let height = area.height.saturating_sub(2) as usize;
    let out = &s.state.output;
    let lines: Vec<Line> = out[out.len().saturating_sub(height)..]
        .iter()
        .map(|l| {
            Line::from(vec![
                Span::styled(format!("P{:<3}", l.proc + 1), theme.proc(l.proc)),
                Span::raw(l.text(lang).to_string()),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines).block(block(t.output)), area);
}

fn draw_verdict(
    frame: &mut Frame,
    area: Rect,
    lang: Lang,
    s: &Session,
    theme: &Theme,
    t: &Strings,
) {
    let v = s.state.verdict(lang);
    let head = if s.lesson.pool.is_some() && s.mode != Mode::Done {
        Span::styled(t.measuring, theme.fg(Color::Yellow))
    } else if v.deadlock.is_some() {
        Span::styled(v.sentence.clone(), theme.bad())
    } else if v.ok {
        let word = if v.finished { t.ok_final } else { t.ok_so_far };
        Span::styled(format!("{word}: {}", v.sentence), theme.good())
    } else {
        let at = v
            .broken_at
            .map(|s| format!("  ({})", t.broken_at.replace("{n}", &s.to_string())))
            .unwrap_or_default();
        Span::styled(format!("✗ {}{at}", v.sentence), theme.bad())
    };
    let mut lines = vec![Line::from(head)];
    if let Some(m) = &s.message {
        lines.push(Line::styled(
            m.get(lang).to_string(),
            theme.fg(Color::Yellow),
        ));
    } else {
        if let Some(line) = steps_line(&s.schedule, usize::from(area.width), t) {
            lines.push(Line::styled(line, theme.dim()));
        }
    }
    // A long verdict (a deadlock naming everyone) wraps into the second line.
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), area);
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
