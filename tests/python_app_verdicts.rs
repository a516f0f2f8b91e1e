//! The app's verdict line on a real program whose expectation is not a
//! value: `max_inside(LOCK)` and `printed(TEXT)` say OK or BROKEN with the
//! quantity, as a value's expectation does, in English and Chinese. Every
//! wait polls with a deadline.

mod common;

use std::time::{Duration, Instant};

use common::tmux::{Opts, Tui};

fn app(args: &[&str]) -> Tui {
    Tui::start_with(Opts {
        args,
        height: 40,
        ..Opts::default()
    })
}

/// Press `n` (one step) until `text` is on screen (again after a while:
/// a key pressed while the run settles moves nothing).
fn step_until(tui: &Tui, text: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        tui.keys(&["n"]);
        let retry = Instant::now() + Duration::from_millis(500);
        while Instant::now() < retry {
            if tui.screen().contains(text) {
                return tui.wait_text(text);
            }
            std::thread::sleep(common::tmux::POLL);
        }
        assert!(Instant::now() < deadline, "no {text:?}:\n{}", tui.screen());
    }
}

/// Take the first step, then play the run to its end.
fn play(tui: &Tui, first_step: &str) {
    step_until(tui, first_step);
    tui.keys(&["p"]);
}

fn quit(tui: Tui) {
    let app = tui.app_pid();
    tui.quit();
    tui.assert_nothing_left(app);
}

#[test]
fn the_bathroom_program_says_how_many_were_inside() {
    let tui = app(&["bathroom", "--python"]);
    tui.wait_text("so far: max_inside(lock)");
    play(&tui, "· 1 step");
    tui.wait_text("OK: max_inside(lock) is 1, as the program expects");
    quit(tui);
    // Unlocked, stepped: both tasks pass the lock, and the check breaks.
    let tui = app(&["bathroom", "--python", "--unlocked"]);
    tui.wait_text("so far: max_inside(lock)");
    let screen = step_until(&tui, "max_inside(lock) is 2");
    assert!(screen.contains("the program expects at most 1"), "{screen}");
    quit(tui);
}

#[test]
fn the_ticket_program_counts_its_printed_lines_in_chinese() {
    let tui = app(&["ticket", "--python", "--lang", "zh"]);
    tui.wait_text("目前正常: printed(买到了一张票)：0");
    play(&tui, "· 1 步");
    tui.wait_text("printed(买到了一张票) 是 1，与程序的预期相符");
    quit(tui);
}
