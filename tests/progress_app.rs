//! The challenge progress as the learner sees it in the real app (in tmux):
//! two apps open at once both keep their wins, and a win that could not be
//! written says so on the goal line for as long as it is shown.

mod app_in_tmux;
mod common;

use std::path::Path;

use app_in_tmux::App;
use common::{Sandbox, wait_until, within};

fn won(file: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(file).unwrap_or_default();
    serde_json::from_str(&text).unwrap_or_default()
}

#[test]
fn two_apps_open_at_once_both_keep_their_win() {
    let sb = Sandbox::new();
    let state = sb.path().join("state");
    let Some(event) = App::start(&sb, &state, sb.path(), &["event"]) else {
        return;
    };
    let Some(bathroom) = App::start(&sb, &state, sb.path(), &["bathroom", "--unlocked"]) else {
        return;
    };
    // Both have read the (empty) progress before either wins.
    event.wait_text("[STEP]");
    bathroom.wait_text("[STEP]");
    event.step_until_won();
    bathroom.step_until_won();
    let file = state.join("lockstep/progress.json");
    let doc = won(&file);
    assert_eq!(doc["won"]["event"][0], "main_waits", "{doc}");
    assert_eq!(doc["won"]["bathroom"][0], "walk_in", "{doc}");
}

#[test]
fn a_win_that_could_not_be_saved_says_so() {
    let sb = Sandbox::new();
    // Two ways the file cannot be used: broken, or under a plain file.
    let broken = sb.path().join("broken");
    std::fs::create_dir_all(broken.join("lockstep")).unwrap();
    std::fs::write(broken.join("lockstep/progress.json"), "{\"won\": [oops").unwrap();
    let plain = sb.path().join("plain");
    std::fs::write(&plain, "not a directory").unwrap();
    for state in [broken, plain] {
        let Some(app) = App::start(&sb, &state, sb.path(), &["event"]) else {
            return;
        };
        app.wait_text("[STEP]");
        let screen = app.step_until_won();
        assert!(
            screen.contains("★ Challenge won, NOT SAVED!"),
            "the goal line does not say the win was not saved:\n{screen}"
        );
        // Another step: the line still says it.
        app.tmux(&["send-keys", "n"]);
        wait_until(within(20.0), "the next step", || app.screen() != screen);
        let screen = app.screen();
        assert!(screen.contains("NOT SAVED"), "{screen}");
    }
    assert_eq!(
        std::fs::read_to_string(sb.path().join("broken/lockstep/progress.json")).unwrap(),
        "{\"won\": [oops",
        "the broken file is left as it was"
    );
}
