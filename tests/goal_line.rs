//! The goal line stays on the goal the learner chose with `g` (issue 12):
//! a run that meets another goal records it and says so in a note, and the
//! line does not jump back. Without a choice, a won goal is the one shown.
//! The run's events are folded into the app's session as the engine would
//! hand them over; drawn at 80×24 in English and Chinese.

mod screens;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use lockstep::lesson::Lang;
use lockstep::tui::app::App;
use lockstep::tui::session::RunMode;
use lockstep::wire::Report;
use screens::fold::{Fold, rep, with_session};
use screens::screen;

fn key(app: &mut App, c: char) {
    app.on_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
}

/// bathroom (goal 1: both inside at once; goal 2: a deadlock), P1 and P2
/// at their first gate.
fn bathroom(lang: Lang) -> App {
    let state = Fold::new("bathroom", &[]).state;
    with_session(lang, "bathroom", &[], state, RunMode::Step)
}

/// Both tasks walk in: goal 1 is met.
fn both_walk_in(app: &mut App) {
    let s = app.session_mut().unwrap();
    for p in 0..2 {
        s.on_event(&rep(
            p,
            Report::Entered {
                room: "bathroom".into(),
            },
        ));
    }
}

#[test]
fn the_goal_chosen_with_g_stays_when_the_run_meets_another() {
    for (lang, line, note, other) in [
        (
            Lang::En,
            "★ Goal 2/2: Lock the door for good",
            "★ goal 1 won too: Get both tasks into the bathroom at the same time.",
            "Challenge won!",
        ),
        (
            Lang::Zh,
            "★ 目标 2/2: 让门永远锁上",
            "★ 也完成了目标 1：让两个任务同时进入洗手间。",
            "挑战成功！",
        ),
    ] {
        let mut a = bathroom(lang);
        key(&mut a, 'g');
        assert!(screen(&a, 80, 24).contains(line), "g shows goal 2");
        both_walk_in(&mut a);
        let s = screen(&a, 80, 24);
        assert!(s.contains(line), "the line jumped away from goal 2:\n{s}");
        assert!(!s.contains(other), "goal 2 was not won:\n{s}");
        assert!(s.contains(note), "the other win is not told:\n{s}");
        // It is recorded all the same.
        let session = a.session().unwrap();
        assert_eq!(session.wins, vec!["walk_in".to_string()]);
        assert_eq!(session.pursuit.goal, 1);
    }
}

#[test]
fn without_a_choice_the_won_goal_is_shown() {
    let mut a = bathroom(Lang::En);
    // Goal 1 is shown first; press g twice to come back to it: still chosen.
    let mut b = bathroom(Lang::En);
    key(&mut b, 'g');
    key(&mut b, 'g');
    both_walk_in(&mut b);
    let chosen = screen(&b, 80, 24);
    assert!(
        chosen.contains("★ Challenge won!  Get both tasks into the bathroom"),
        "{chosen}"
    );
    // Nobody chose: the goal won is the one celebrated, no note needed.
    both_walk_in(&mut a);
    let s = screen(&a, 80, 24);
    assert!(
        s.contains("★ Challenge won!  Get both tasks into the bathroom"),
        "{s}"
    );
    assert!(!s.contains("won too"), "{s}");
}
