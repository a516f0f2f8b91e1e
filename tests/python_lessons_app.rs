//! The app on a lesson's real program (`lockstep LESSON --python`) in a
//! real terminal: the code panel is the lesson's listing with its
//! expectation after the last line, the program's processes appear as it
//! starts them, and nothing is left behind. Every wait polls with a deadline.

mod common;

use std::time::{Duration, Instant};

use common::tmux::{Opts, Tui};

/// Press `n` until the header counts `n` steps (again only if the step did
/// not come within a while: a key pressed while the run settles moves nothing).
fn step_to(tui: &Tui, n: usize) {
    let want = format!("· {n} step");
    let deadline = Instant::now() + Duration::from_secs(40);
    loop {
        tui.keys(&["n"]);
        let retry = Instant::now() + Duration::from_secs(10);
        while Instant::now() < retry {
            if tui.screen().contains(&want) {
                return;
            }
            std::thread::sleep(common::tmux::POLL);
        }
        assert!(Instant::now() < deadline, "no step {n}:\n{}", tui.screen());
    }
}

#[test]
fn the_bathroom_lessons_program_steps_in_the_app() {
    let tui = Tui::start_with(Opts {
        args: &["bathroom", "--python"],
        height: 40,
        ..Opts::default()
    });
    let first = tui.wait_text("lockstep: expect max_inside(lock) <= 1");
    assert!(first.contains("lock.acquire()"), "{first}");
    assert!(
        first.contains("P1▶ 15"),
        "main at its first start:\n{first}"
    );
    step_to(&tui, 1);
    step_to(&tui, 2);
    let screen = tui.wait_screen("both tasks started, at their acquire", |s| {
        s.contains("└─P3") && s.matches("acquire lock").count() == 2
    });
    assert!(screen.contains("join tasks[0]"), "{screen}");
    let app = tui.app_pid();
    tui.quit();
    tui.assert_nothing_left(app);
}
