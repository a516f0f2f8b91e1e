//! The challenge progress as the learner sees it in the real app (in tmux):
//! two apps open at once both keep their wins, and a win that could not be
//! written says so on the goal line for as long as it is shown.

mod common;

use std::path::Path;

use common::tmux::{Opts, Tui};

/// `lockstep ARGS` with its progress under `state_home`.
fn app(state_home: &Path, args: &[&str]) -> Tui {
    let home = state_home.to_str().unwrap();
    Tui::start_with(Opts {
        args,
        env: &[("XDG_STATE_HOME", home)],
        ..Opts::default()
    })
}

/// Step round-robin (`n`) until the goal line cheers; the screen then.
fn step_until_won(tui: &Tui) -> String {
    let mut screen = tui.wait_text("[STEP]");
    for _ in 0..40 {
        if screen.contains("★ Challenge won") {
            return screen;
        }
        screen = tui.press_and_wait_change("n", &screen);
    }
    panic!("no win after 40 steps:\n{screen}");
}

fn won(file: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(file).unwrap_or_default();
    serde_json::from_str(&text).unwrap_or_default()
}

#[test]
fn two_apps_open_at_once_both_keep_their_win() {
    let shared = tempfile::tempdir().unwrap();
    let event = app(shared.path(), &["event"]);
    let bathroom = app(shared.path(), &["bathroom", "--unlocked"]);
    // Both have read the (empty) progress before either wins.
    event.wait_text("[STEP]");
    bathroom.wait_text("[STEP]");
    step_until_won(&event);
    step_until_won(&bathroom);
    let doc = won(&shared.path().join("lockstep/progress.json"));
    assert_eq!(doc["won"]["event"][0], "main_waits", "{doc}");
    assert_eq!(doc["won"]["bathroom"][0], "walk_in", "{doc}");
    for tui in [event, bathroom] {
        let pid = tui.app_pid();
        tui.quit();
        tui.assert_nothing_left(pid);
    }
}

#[test]
fn a_win_that_could_not_be_saved_says_so() {
    let dir = tempfile::tempdir().unwrap();
    // Two ways the file cannot be used: broken, or under a plain file.
    let broken = dir.path().join("broken");
    std::fs::create_dir_all(broken.join("lockstep")).unwrap();
    std::fs::write(broken.join("lockstep/progress.json"), "{\"won\": [oops").unwrap();
    let plain = dir.path().join("plain");
    std::fs::write(&plain, "not a directory").unwrap();
    for state in [&broken, &plain] {
        let tui = app(state, &["event"]);
        let screen = step_until_won(&tui);
        assert!(
            screen.contains("★ Challenge won, NOT SAVED!"),
            "the goal line does not say the win was not saved:\n{screen}"
        );
        // Another step: the line still says it.
        let screen = tui.press_and_wait_change("n", &screen);
        assert!(screen.contains("NOT SAVED"), "{screen}");
        tui.quit();
    }
    assert_eq!(
        std::fs::read_to_string(broken.join("lockstep/progress.json")).unwrap(),
        "{\"won\": [oops",
        "the broken file is left as it was"
    );
}
