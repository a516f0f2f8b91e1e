//! The lesson stays in view, end to end at 80×24 (issue 12): lesson 14
//! opens by two digits from the picker, `i` shows its story and goals over
//! the real run and any key closes it; then a free run's key bar no
//! longer offers undo or save, and the lanes carry the listing's names.

mod common;

use common::tmux::{Opts, Tui};

#[test]
fn two_digits_open_lesson_14_and_i_shows_its_story_over_the_run() {
    let tui = Tui::start_with(Opts {
        width: 80,
        height: 24,
        ..Opts::default()
    });
    tui.wait_text("Ticket rush");
    tui.keys(&["1"]);
    tui.wait_text("0-9 opens lesson 10-19");
    tui.keys(&["4"]);
    let run = tui.wait_screen("chat to open", |s| {
        s.contains("One process per connection") && s.contains("[STEP]")
    });
    let app = tui.app_pid();
    assert!(
        run.contains("P1 main") && run.contains("├─P2 talk 0"),
        "{run}"
    );
    assert!(run.contains("i lesson"), "{run}");

    tui.keys(&["i"]);
    let card = tui.wait_text("The lesson — ↑↓ scroll");
    assert!(card.contains("The server socket is made"), "{card}");
    tui.keys(&["End"]);
    tui.keys(&["x"]);
    let back = tui.wait_screen("the card to close", |s| !s.contains("The lesson —"));
    assert!(back.contains("[STEP]"), "{back}");

    // A free run to its end: nothing to undo or save, and the bar says so.
    tui.keys(&["p"]);
    let done = tui.wait_screen("the run to end", |s| s.contains("[DONE]"));
    let bar = done.lines().last().unwrap_or_default();
    for refused in ["u undo", "s save", "· u ·", "· s ·"] {
        assert!(!bar.contains(refused), "{refused:?} offered: {bar}");
    }
    assert!(bar.contains("i lesson") || bar.contains(" i "), "{bar}");
    tui.quit();
    tui.assert_nothing_left(app);
}
