//! What keys and clicks do in the app, and what it says back: the help's
//! keys, the too-small notice, the selection, the pool lesson's refusals,
//! goals won; drawn into a test backend from known states.

mod screens;

use lockstep::lesson::{Lang, builtin};
use lockstep::model::RunState;
use lockstep::tui::app::App;
use lockstep::tui::session::RunMode;
use screens::fold::{Fold, app, with_session};
use screens::screen;

fn press(app: &mut App, c: char) {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    app.on_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
}

#[test]
fn q_in_the_help_quits_and_other_keys_only_close_it() {
    let mut a = app(Lang::En);
    a.help = true;
    press(&mut a, 'x');
    assert!(!a.help && !a.quit, "x closes the help, nothing more");
    a.help = true;
    press(&mut a, '3');
    assert!(!a.help && a.picked == 0, "3 closes the help, opens nothing");
    a.help = true;
    press(&mut a, 'q');
    assert!(a.quit, "q quits from the help");
}

#[test]
fn keys_do_nothing_behind_the_too_small_message() {
    let mut a = app(Lang::En);
    let small = screen(&a, 80, 23);
    assert!(small.contains("80×24"), "{small}");
    for c in ['3', 'j', '?', 'L', 'e'] {
        press(&mut a, c);
    }
    assert_eq!(a.picked, 0, "no lesson chosen");
    assert!(a.session().is_none() && a.error.is_none() && !a.help);
    assert_eq!(a.lang, Lang::En);
    press(&mut a, 'q');
    assert!(a.quit, "q still quits");
    // Once big enough again, keys act.
    let mut a = app(Lang::En);
    screen(&a, 80, 24);
    press(&mut a, 'j');
    assert_eq!(a.picked, 1);
}

#[test]
fn a_click_on_a_lane_keeps_the_list_where_it_is_and_the_ends_stop_the_selection() {
    use crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
    let mut a = with_session(
        Lang::En,
        "counter",
        &[],
        Fold::new("counter", &[]).state,
        RunMode::Step,
    );
    a.selected = 18;
    let before = screen(&a, 80, 24);
    let row = before
        .lines()
        .position(|l| l.starts_with("│P13 "))
        .unwrap_or_else(|| panic!("P13 shown:\n{before}"));
    let first_lane = |s: &str| {
        s.lines()
            .find(|l| l.starts_with("│P") && l.as_bytes()[2].is_ascii_digit())
            .map(|l| l.split_whitespace().next().unwrap().to_string())
    };
    a.on_mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: 5,
        row: row as u16,
        modifiers: KeyModifiers::NONE,
    });
    assert_eq!(a.selected, 12, "the click selects P13");
    let after = screen(&a, 80, 24);
    assert_eq!(first_lane(&after), first_lane(&before), "{before}\n{after}");
    assert!(after.contains("Processes 13/20"), "{after}");

    // ↑ at P1 stays on P1; ↓ at P20 stays on P20.
    use crossterm::event::{KeyCode, KeyEvent};
    a.selected = 0;
    a.on_key(KeyEvent::new(KeyCode::Up, KeyModifiers::NONE));
    assert_eq!(a.selected, 0);
    a.selected = 19;
    a.on_key(KeyEvent::new(KeyCode::Down, KeyModifiers::NONE));
    a.on_key(KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE));
    assert_eq!(a.selected, 19);
}

#[test]
fn help_explains_every_panel_in_both_languages() {
    for lang in [Lang::En, Lang::Zh] {
        let a = app(lang);
        let t = lockstep::tui::text::strings(lang);
        let text: String = lockstep::tui::help::lines(&a, 1000)
            .iter()
            .map(|l| l.to_string() + "\n")
            .collect();
        let pool_workers = lockstep::words::report::pool::worker_tasks("Pool(4).map", lang);
        let pool_workers = pool_workers.trim_end_matches([':', '：']);
        let mut must = vec![
            "STEP",
            "RUN",
            "PAUSED",
            "DONE",
            "N×",
            "2/20",
            "18×▶",
            "P4▶",
            "P1†",
            "P1–P5",
            t.output,
            t.steps,
            t.timing,
            t.callbacks_title,
            pool_workers,
            t.on,
            t.off,
            t.speed,
        ];
        must.extend(["ms"]);
        for word in must {
            assert!(text.contains(word), "{lang:?} help lacks {word:?}:\n{text}");
        }
    }
}

#[test]
fn pool_lesson_keys_say_why_they_do_nothing_and_no_message_goes_stale() {
    let state = RunState::new(&builtin("pool").unwrap(), &[]);
    let mut a = with_session(Lang::En, "pool", &[], state, RunMode::Done);
    let msg = |a: &App| {
        a.session()
            .and_then(|s| s.message.as_ref())
            .map(|m| m.get(Lang::En).to_string())
    };
    for c in [' ', 't'] {
        press(&mut a, c);
        let m = msg(&a).unwrap_or_default();
        assert!(m.contains("runs by itself"), "{c:?}: {m:?}");
        let zh = a.session().unwrap().message.as_ref().unwrap();
        assert!(zh.get(Lang::Zh).contains("自己运行"), "{c:?}");
    }
    for c in ['n', 'p'] {
        press(&mut a, c);
        assert_eq!(
            msg(&a).as_deref(),
            Some("the run is over: r measures again")
        );
    }
    press(&mut a, 's');
    assert!(
        msg(&a).unwrap_or_default().contains("no schedule"),
        "{:?}",
        msg(&a)
    );
    press(&mut a, 'l');
    assert!(msg(&a).unwrap_or_default().contains("no lock"));
    // The next key's answer replaces it; a key with nothing to say clears it.
    press(&mut a, 'j');
    assert_eq!(msg(&a), None, "a stale message stayed");
    let s = screen(&a, 80, 24);
    assert!(!s.contains("both phases"), "{s}");
}

#[test]
fn measuring_says_every_phase() {
    let state = RunState::new(&builtin("pool").unwrap(), &[]);
    let a = with_session(Lang::En, "pool", &[], state, RunMode::Running);
    let s = screen(&a, 80, 24);
    assert!(s.contains("measuring every phase"), "{s}");
    let state = RunState::new(&builtin("pool").unwrap(), &[]);
    let a = with_session(Lang::Zh, "pool", &[], state, RunMode::Running);
    let s = screen(&a, 80, 24);
    assert!(s.contains("每个阶段"), "{s}");
}

#[test]
fn a_goal_won_in_an_earlier_run_is_not_celebrated_again() {
    let state = RunState::new(&builtin("pool").unwrap(), &[]);
    let mut a = with_session(Lang::En, "pool", &[], state, RunMode::Done);
    let goal = builtin("pool").unwrap().goals[0].id.clone();
    let win = |a: &mut App| {
        let s = a.session_mut().unwrap();
        s.pursuit.goal = 0;
        s.pursuit.won_now = true;
        s.wins.push(goal.clone());
        a.record_wins();
        a.session().unwrap().pursuit.won_now
    };
    assert!(win(&mut a), "the first win is celebrated");
    assert!(screen(&a, 80, 24).contains("Challenge won!"));
    // `r` measures again and the goal holds again: marked, not cheered.
    assert!(!win(&mut a), "a second win of the same goal is not");
    let s = screen(&a, 80, 24);
    assert!(
        !s.contains("Challenge won!") && s.contains("✓ Goal 1/1"),
        "{s}"
    );
}

#[test]
fn a_long_op_at_80_columns_drops_its_line_then_ends_with_an_ellipsis() {
    let mut f = Fold::new("ticket", &["mutex"]);
    // P1 reaches its first print, the longest statement of the lesson.
    f.step(0, vec![]).step(0, vec![]);
    let a = with_session(
        Lang::En,
        "ticket",
        &["mutex"],
        f.state.clone(),
        RunMode::Step,
    );
    let s = screen(&a, 80, 24);
    let p1 = s.lines().find(|l| l.starts_with("│P1 ")).unwrap();
    assert!(p1.contains("print(os.getpid(),…"), "{p1}");
    let p3 = s.lines().find(|l| l.starts_with("│P3 ")).unwrap();
    assert!(p3.contains("time.sleep(1)  :9"), "{p3}");
    let big = screen(&a, 160, 48);
    assert!(
        big.contains("print(os.getpid(), 'sees', left, 'tickets left')  :11"),
        "{big}"
    );
}

#[test]
fn the_code_panel_keeps_the_selected_process_in_view() {
    let mut f = Fold::new("ticket", &[]);
    // P1 walks on to line 14 or later; the nine others stay at line 9.
    for _ in 0..30 {
        if f.state.procs[0].line().is_some_and(|l| l >= 14) {
            break;
        }
        f.step(0, vec![]);
    }
    let line = f.state.procs[0].line().unwrap();
    assert!(line >= 14, "P1 at line {line}");
    let mut a = with_session(Lang::En, "ticket", &[], f.state.clone(), RunMode::Step);
    a.selected = 0;
    let s = screen(&a, 80, 24);
    let marker = format!("P1▶ {line:>2} ");
    assert!(s.contains(&marker), "P1's line {line} is not shown:\n{s}");
    // Another selection at the busy line brings that back.
    a.selected = 4;
    let s = screen(&a, 80, 24);
    assert!(s.contains("9×▶  9 "), "{s}");
}
