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
        height: 60,
        ..Opts::default()
    });
    let first = tui.wait_screen("main at its first start", |s| s.contains("P1▶ 15"));
    assert!(
        first.contains("lockstep: expect max_inside(lock) <= 1"),
        "{first}"
    );
    assert!(first.contains("lock.acquire()"), "{first}");
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

/// `c` switches the lesson shown to its real program under CPython and
/// back: the header says which runs, the code panel keeps the listing, and
/// the built-in engine's lesson comes back with its own title and goals.
#[test]
fn c_switches_a_lesson_to_cpython_and_back() {
    let tui = Tui::start_with(Opts {
        args: &["bathroom"],
        height: 60,
        ..Opts::default()
    });
    tui.wait_text("Bathroom lock");
    tui.keys(&["c"]);
    let python = tui.wait_text("now the listing itself runs under CPython");
    assert!(python.contains("[STEP] CPython"), "{python}");
    assert!(
        python.contains("lockstep: expect max_inside(lock) <= 1"),
        "{python}"
    );
    step_to(&tui, 1);
    // Its steps are saved as a schedule file of the lesson under CPython.
    assert!(tui.screen().contains("· s ·"), "{}", tui.screen());
    tui.keys(&["s"]);
    tui.wait_text("schedule saved to");
    let saved: Vec<_> = std::fs::read_dir(tui.dir())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".schedule.json"))
        .collect();
    assert_eq!(saved.len(), 1, "{saved:?}");
    let text = std::fs::read_to_string(&saved[0]).unwrap();
    assert!(
        text.contains("\"lesson\": \"bathroom\"")
            && text.contains("\"python\": {\"listing\":\"en\"}"),
        "{text}"
    );
    tui.keys(&["c"]);
    let builtin = tui.wait_text("back on the built-in engine");
    assert!(!builtin.contains("CPython "), "{builtin}");
    assert!(builtin.contains("Bathroom lock"), "{builtin}");
    assert!(builtin.contains("· 0 steps"), "a fresh run:\n{builtin}");
    let app = tui.app_pid();
    tui.quit();
    tui.assert_nothing_left(app);
}

/// `p` pressed at once, before CPython has started the program's first
/// process: the free run still reaches it, and the run ends.
#[test]
fn play_pressed_before_the_program_started_still_runs_it() {
    let tui = Tui::start_with(Opts {
        args: &["bathroom", "--python"],
        height: 60,
        ..Opts::default()
    });
    tui.wait_text("[STEP]");
    tui.keys(&["p"]);
    let done = tui.wait_screen("the free run to end", |s| s.contains("[DONE]"));
    assert!(done.contains("OK: max_inside(lock) is 1"), "{done}");
    let app = tui.app_pid();
    tui.quit();
    tui.assert_nothing_left(app);
}
