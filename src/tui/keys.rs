//! The one table of keys: each key with what it does and on which screen.
//! The app's key handling, the hint line at the bottom of each screen and
//! the help's paragraphs about keys are all read from here; what the keys
//! are called in each language is in `words::screen::keys`.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::lesson::Lang;
use crate::words::screen::keys::{
    HintWord, KeyHelp, KeyParagraph, help_panels, help_topics, hint_word, key_help, key_paragraph,
};

/// What the learner asks for with a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    ShowHelp,
    SwitchLanguage,
    /// The help's scrolling; any other key closes it.
    ScrollUp,
    ScrollDown,
    PageUp,
    PageDown,
    ScrollTop,
    ScrollBottom,
    /// The selection in the lesson list or among the lanes.
    Up,
    Down,
    /// The highlighted lesson, or the explorer's shortest bad schedule.
    Open,
    /// Lesson N of the list.
    OpenNumber,
    Explore,
    Back,
    Step,
    StepNext,
    /// Select process N and step it.
    StepNumber,
    PlayPause,
    Timing,
    ZoomOut,
    ZoomIn,
    Faster,
    Slower,
    Terminate,
    /// Fresh processes (or, in the explorer, a fresh search).
    Restart,
    Locks,
    /// As written (a virtual clock) or any timing, for the steps.
    TimingModel,
    Save,
    Undo,
    Hint,
    NextGoal,
    /// The lesson's story, what to try and its goals, over the run screen.
    ShowLesson,
    /// Run the lesson as its real program under CPython, or back on the
    /// built-in engine.
    RealPython,
}

/// Where a key is pressed: which screen, or the help over it, or the
/// notice that the terminal is too small.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    TooSmall,
    Help,
    Picker,
    Run,
    Explore,
}

/// A key as the table names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// The key, whatever modifiers are held.
    Code(KeyCode),
    /// The key with Ctrl held.
    Ctrl(char),
    /// Any of 1 to 9.
    Digit,
}

impl Key {
    fn matches(self, key: &KeyEvent) -> bool {
        match self {
            Key::Code(c) => key.code == c,
            Key::Ctrl(c) => {
                key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char(c)
            }
            Key::Digit => matches!(key.code, KeyCode::Char('1'..='9')),
        }
    }
}

/// One row of the table: these keys do `action` in `places`; `label` is
/// how a hint line names them.
pub struct Binding {
    pub keys: &'static [Key],
    pub action: Action,
    pub places: &'static [Place],
    pub label: &'static str,
}

use Place::{Explore as EXPLORE, Help as HELP, Picker as PICKER, Run as RUN, TooSmall};

const fn ch(c: char) -> Key {
    Key::Code(KeyCode::Char(c))
}
const fn code(c: KeyCode) -> Key {
    Key::Code(c)
}

const SCREENS: &[Place] = &[PICKER, RUN, EXPLORE];

const fn bind(
    keys: &'static [Key],
    action: Action,
    places: &'static [Place],
    label: &'static str,
) -> Binding {
    Binding {
        keys,
        action,
        places,
        label,
    }
}

/// Every key of the app. The first row that matches in a place wins.
#[rustfmt::skip]
pub const BINDINGS: &[Binding] = &[
    bind(&[ch('q')], Action::Quit, &[TooSmall, HELP, PICKER, RUN, EXPLORE], "q"),
    bind(&[Key::Ctrl('c')], Action::Quit, &[TooSmall, HELP, PICKER, RUN, EXPLORE], "^C"),
    bind(&[ch('?')], Action::ShowHelp, SCREENS, "?"),
    bind(&[ch('L')], Action::SwitchLanguage, SCREENS, "L"),
    bind(&[code(KeyCode::Up), ch('k')], Action::ScrollUp, &[HELP], "↑"),
    bind(&[code(KeyCode::Down), ch('j')], Action::ScrollDown, &[HELP], "↓"),
    bind(&[code(KeyCode::PageDown)], Action::PageDown, &[PICKER], "PgUp/PgDn"),
    bind(&[code(KeyCode::PageUp)], Action::PageUp, &[HELP, PICKER], "PgUp"),
    bind(&[code(KeyCode::PageDown), ch(' ')], Action::PageDown, &[HELP], "PgDn"),
    bind(&[code(KeyCode::Home)], Action::ScrollTop, &[HELP], "Home"),
    bind(&[code(KeyCode::End)], Action::ScrollBottom, &[HELP], "End"),
    bind(&[code(KeyCode::Up), ch('k')], Action::Up, &[PICKER, RUN], "↑↓"),
    bind(&[code(KeyCode::Down), ch('j')], Action::Down, &[PICKER, RUN], "↑↓"),
    bind(&[code(KeyCode::Enter)], Action::Open, &[PICKER, EXPLORE], "Enter"),
    bind(&[Key::Digit, ch('0')], Action::OpenNumber, &[PICKER], "1-N"),
    bind(&[ch('e')], Action::Explore, &[PICKER, RUN], "e"),
    bind(&[code(KeyCode::Esc)], Action::Back, &[RUN, EXPLORE], "Esc"),
    bind(&[ch(' ')], Action::Step, &[RUN], "␣"),
    bind(&[ch('n')], Action::StepNext, &[RUN], "n"),
    bind(&[Key::Digit], Action::StepNumber, &[RUN], "1-9"),
    bind(&[ch('p')], Action::PlayPause, &[RUN], "p"),
    bind(&[ch('v')], Action::Timing, &[RUN], "v"),
    bind(&[code(KeyCode::Left)], Action::ZoomOut, &[RUN], "←→"),
    bind(&[code(KeyCode::Right)], Action::ZoomIn, &[RUN], "←→"),
    bind(&[ch('+'), ch('=')], Action::Faster, &[RUN], "+/-"),
    bind(&[ch('-')], Action::Slower, &[RUN], "+/-"),
    bind(&[ch('t')], Action::Terminate, &[RUN], "t"),
    bind(&[ch('r')], Action::Restart, &[RUN, EXPLORE], "r"),
    bind(&[ch('l')], Action::Locks, &[RUN], "l"),
    bind(&[ch('w')], Action::TimingModel, &[RUN], "w"),
    bind(&[ch('s')], Action::Save, &[RUN], "s"),
    bind(&[ch('u')], Action::Undo, &[RUN], "u"),
    bind(&[ch('h')], Action::Hint, &[RUN], "h"),
    bind(&[ch('g')], Action::NextGoal, &[RUN], "g"),
    bind(&[ch('i')], Action::ShowLesson, &[RUN], "i"),
    bind(&[ch('c')], Action::RealPython, &[RUN], "c"),
];

/// What `key` does in `place`, if anything.
pub fn action(place: Place, key: &KeyEvent) -> Option<Action> {
    BINDINGS
        .iter()
        .find(|b| b.places.contains(&place) && b.keys.iter().any(|k| k.matches(key)))
        .map(|b| b.action)
}

/// Which of 0 to 9 was pressed.
pub fn digit_value(key: &KeyEvent) -> Option<usize> {
    match key.code {
        KeyCode::Char(c @ '0'..='9') => Some(c as usize - '0' as usize),
        _ => None,
    }
}

/// Which of 1 to 9 was pressed, counted from 0.
pub fn digit(key: &KeyEvent) -> Option<usize> {
    match key.code {
        KeyCode::Char(c @ '1'..='9') => Some(c as usize - '1' as usize),
        _ => None,
    }
}

/// How a hint line names the keys of `action`.
fn label(action: Action) -> &'static str {
    BINDINGS
        .iter()
        .find(|b| b.action == action)
        .map_or("", |b| b.label)
}

/// A line of key hints at the bottom of a screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bar {
    Picker,
    /// Stepping, or a free run paused.
    Step,
    Running,
    Done,
    Pool,
    /// The timing view of a lesson that is not the pool.
    Timing,
    /// The explorer, with a bad schedule to step through.
    ExploreReplay,
    Explore,
    /// The challenge line's keys, and once a goal is won.
    Goal,
    GoalWon,
}

/// The keys each hint line shows, in order, with the word after each.
#[rustfmt::skip]
fn bar_items(bar: Bar) -> &'static [(Action, HintWord)] {
    use Action as A;
    use HintWord as W;
    match bar {
        Bar::Picker => &[(A::Up, W::Choose), (A::Open, W::Open), (A::OpenNumber, W::OpenNumber),
            (A::PageDown, W::Scroll), (A::SwitchLanguage, W::OtherLanguage), (A::ShowHelp, W::Help),
            (A::Quit, W::Quit)],
        Bar::Step => &[(A::Step, W::Step), (A::StepNext, W::Next), (A::StepNumber, W::StepNumber),
            (A::Undo, W::Undo), (A::PlayPause, W::Play), (A::ShowLesson, W::Lesson),
            (A::Locks, W::Locks), (A::TimingModel, W::TimingModel), (A::Restart, W::Restart),
            (A::Terminate, W::Terminate), (A::Save, W::Save), (A::Explore, W::Explore),
            (A::Back, W::Back), (A::ShowHelp, W::Bare), (A::Quit, W::Bare)],
        Bar::Running => &[(A::PlayPause, W::Pause), (A::Faster, W::Speed), (A::Timing, W::Timing),
            (A::Locks, W::Locks), (A::Restart, W::Restart), (A::Terminate, W::Terminate),
            (A::Back, W::BackWhileRunning), (A::ShowHelp, W::HelpWhileRunning),
            (A::Quit, W::QuitWhileRunning)],
        Bar::Done => &[(A::Undo, W::Undo), (A::Save, W::Save), (A::Explore, W::Explore),
            (A::Timing, W::Timing), (A::ShowLesson, W::Lesson), (A::Restart, W::Restart),
            (A::Locks, W::Locks), (A::Back, W::BackWhenDone), (A::ShowHelp, W::Bare),
            (A::Quit, W::Bare)],
        Bar::Pool => &[(A::Timing, W::TimelineOrBars), (A::ZoomIn, W::Zoom),
            (A::Restart, W::MeasureAgain), (A::Back, W::Back), (A::ShowHelp, W::Help),
            (A::Quit, W::Quit)],
        Bar::Timing => &[(A::Timing, W::Lanes), (A::ZoomIn, W::Zoom), (A::PlayPause, W::Play),
            (A::Restart, W::Restart), (A::Back, W::Back), (A::ShowHelp, W::Help),
            (A::Quit, W::Quit)],
        Bar::ExploreReplay => &[(A::Open, W::ReplayShortest), (A::Restart, W::Again),
            (A::Back, W::Back), (A::Quit, W::Quit)],
        Bar::Explore => &[(A::Restart, W::ExploreAgain), (A::Back, W::Back), (A::Quit, W::Quit)],
        Bar::Goal => &[(A::Hint, W::Hint), (A::NextGoal, W::NextGoal)],
        Bar::GoalWon => &[(A::NextGoal, W::NextGoal)],
    }
}

/// The hint line `bar` in `lang`, leaving out the keys `shown` says no to
/// (`l` in a lesson without locks).
pub fn hint_line(bar: Bar, lang: Lang, shown: impl Fn(Action) -> bool) -> String {
    let items: Vec<String> = bar_items(bar)
        .iter()
        .filter(|(a, _)| shown(*a))
        .filter_map(|&(a, w)| {
            let word = hint_word(w, lang)?;
            Some(match word {
                "" => label(a).to_string(),
                word => format!("{} {word}", label(a)),
            })
        })
        .collect();
    items.join(" · ")
}

/// The hint line `bar` in at most `width` columns: the words after the
/// keys are left out from the end until it fits (the keys stay).
pub fn hint_line_within(
    bar: Bar,
    lang: Lang,
    shown: impl Fn(Action) -> bool,
    width: usize,
) -> String {
    fit_line(bar, lang, &shown, &|a| label(a).to_string(), width)
}

/// The picker's hint line for `lessons` lessons: `1-18 open N`.
pub fn picker_hint_line(lang: Lang, lessons: usize, width: usize) -> String {
    let label_of = |a: Action| match a {
        Action::OpenNumber => format!("1-{lessons}"),
        a => label(a).to_string(),
    };
    fit_line(Bar::Picker, lang, &|_| true, &label_of, width)
}

fn fit_line(
    bar: Bar,
    lang: Lang,
    shown: &dyn Fn(Action) -> bool,
    label: &dyn Fn(Action) -> String,
    width: usize,
) -> String {
    let items: Vec<(Action, &str)> = bar_items(bar)
        .iter()
        .filter(|(a, _)| shown(*a))
        .filter_map(|&(a, w)| Some((a, hint_word(w, lang)?)))
        .collect();
    let line = |bare_from: usize| -> String {
        let parts: Vec<String> = items
            .iter()
            .enumerate()
            .map(|(i, (a, word))| match *word {
                "" => label(*a),
                _ if i >= bare_from => label(*a),
                word => format!("{} {word}", label(*a)),
            })
            .collect();
        parts.join(" · ")
    };
    let cols = |s: &str| ratatui::text::Line::from(s).width();
    (0..=items.len())
        .rev()
        .map(line)
        .find(|l| cols(l) <= width)
        .unwrap_or_else(|| line(0))
}

/// The hint line `bar` with the keys alone ("h · g"), for a narrow line.
pub fn bare_hint_line(bar: Bar) -> String {
    let items: Vec<&str> = bar_items(bar).iter().map(|(a, _)| label(*a)).collect();
    items.join(" · ")
}

/// A paragraph of the help: prose about the panels, or keys with their
/// sentences.
enum Paragraph {
    Panels,
    Topics,
    Keys(KeyParagraph, &'static [(Action, KeyHelp)]),
}

/// The help, in order: which keys each paragraph explains.
#[rustfmt::skip]
const HELP_PARAGRAPHS: &[Paragraph] = {
    use Action as A;
    use KeyHelp as K;
    &[
        Paragraph::Keys(KeyParagraph::Lessons, &[(A::Up, K::Choose), (A::Open, K::Open),
            (A::Explore, K::Explore), (A::SwitchLanguage, K::Language), (A::Quit, K::Quit)]),
        Paragraph::Panels,
        Paragraph::Keys(KeyParagraph::Stepping, &[(A::Step, K::Step), (A::StepNext, K::StepNext),
            (A::StepNumber, K::StepNumber), (A::Up, K::Select), (A::Up, K::Click),
            (A::ShowLesson, K::Lesson)]),
        Paragraph::Keys(KeyParagraph::Playing, &[(A::PlayPause, K::PlayPause),
            (A::Faster, K::Speed), (A::Locks, K::Locks), (A::TimingModel, K::TimingModel),
            (A::RealPython, K::RealPython), (A::Restart, K::Restart),
            (A::Terminate, K::Terminate)]),
        Paragraph::Keys(KeyParagraph::Remaking, &[(A::Undo, K::Undo), (A::Save, K::Save)]),
        Paragraph::Topics,
        Paragraph::Keys(KeyParagraph::Everywhere, &[(A::SwitchLanguage, K::Language),
            (A::Back, K::Back), (A::Quit, K::Quit)]),
    ]
};

/// The help's paragraphs in `lang`, unwrapped; `progress` is the
/// progress file's path.
pub fn help_paragraphs(lang: Lang, progress: &str) -> Vec<String> {
    let mut out = Vec::new();
    for p in HELP_PARAGRAPHS {
        match p {
            Paragraph::Panels => out.extend(help_panels(lang).iter().map(|s| s.to_string())),
            Paragraph::Topics => out.extend(help_topics(lang, progress)),
            Paragraph::Keys(which, keys) => {
                let (head, tail) = key_paragraph(*which, lang);
                let said: Vec<&str> = keys.iter().map(|(_, k)| key_help(*k, lang)).collect();
                out.push(format!("{head}{}{tail}", said.join(" · ")));
            }
        }
    }
    out
}

#[cfg(test)]
#[path = "keys_tests.rs"]
mod tests;
