//! The app on a real Python program (`lockstep PROGRAM.py`) in a real
//! terminal: the code panel is the program, lanes appear as the program
//! starts processes, stepping and undo work as for a lesson, and nothing
//! is left behind. Every wait polls with a deadline.

mod common;

use common::python::program;

use std::time::{Duration, Instant};

use common::tmux::Tui;

/// Press `key` until the header counts `n` steps: once, and again only if
/// the step did not come within a while (a key pressed while the run is
/// still settling moves nothing).
fn step_to(tui: &Tui, key: &str, n: usize) {
    let want = format!("· {n} step");
    let deadline = Instant::now() + Duration::from_secs(40);
    loop {
        tui.keys(&[key]);
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
fn stepping_a_program_in_the_app_shows_its_processes_and_lines() {
    let path = program("locked_pair.py");
    let tui = Tui::start(&[path.as_str()]);
    let first = tui.wait_text("first.start()");
    assert!(first.contains("locked_pair"), "{first}");
    assert!(
        first.contains("P1▶ 17"),
        "P1 at its first gate, line 17:\n{first}"
    );
    for n in 1..=5 {
        step_to(&tui, "n", n);
    }
    let screen = tui.wait_screen("P2 and P3 started, P3 waits for the lock", |s| {
        s.contains("└─P3") && s.contains("waits for lock (P2)")
    });
    assert!(
        screen.contains("P2 first") && screen.contains("P3 second"),
        "{screen}"
    );
    assert!(screen.contains("waits: join P2 (first)"), "{screen}");
    assert!(screen.contains("steps: 1,1,2,3,1"), "{screen}");
    // Undo re-runs the program to one step before.
    tui.keys(&["u"]);
    tui.wait_text("4 steps");
    let app = tui.app_pid();
    tui.quit();
    tui.assert_nothing_left(app);
}

#[test]
fn a_child_that_ended_unreaped_shows_as_a_zombie_from_proc() {
    let path = program("seed_zombie.py");
    let tui = Tui::start(&[path.as_str()]);
    tui.wait_text("p.start()");
    // P1 starts the child; the child prints, sleeps and prints; P1 has not
    // joined it (it is at its print), so the child is a zombie.
    for (n, key) in ["1", "2", "2", "2"].into_iter().enumerate() {
        step_to(&tui, key, n + 1);
    }
    let screen = tui.wait_screen("P2 a zombie, Z in /proc", |s| {
        s.lines()
            .any(|l| l.starts_with("│└─P2") && l.contains(" Z zombie"))
    });
    assert!(screen.contains("zombies seen: P2"), "{screen}");
    // P1 prints, then at its exit CPython's cleanup reaps the child (it has
    // ended, so no join waits): the run is done.
    tui.keys(&["1"]);
    let mut screen = tui.wait_screen("P1's print", |s| {
        s.contains("· 5 step") || s.contains("[DONE]")
    });
    while !screen.contains("[DONE]") {
        screen = tui.press_and_wait_change("1", &screen);
    }
    let app = tui.app_pid();
    tui.quit();
    tui.assert_nothing_left(app);
}

#[test]
fn a_saved_schedule_of_a_program_replays_in_the_app_with_its_verdict() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("lost.json");
    let schedule = serde_json::json!({
        "lockstep_schedule": 2,
        "lesson": program("unlocked_counter.py"),
        "off": [],
        "procs": null,
        "seed": 0,
        "timing": "any",
        "steps": [1, 1, 1, 2, 3, 2, 1, 3, 1, 1],
        "sigterms": []
    });
    std::fs::write(&file, schedule.to_string()).unwrap();
    let tui = Tui::start(&[file.to_str().unwrap()]);
    let screen = tui.wait_text("replayed all 10 steps");
    assert!(screen.contains("counter.value = 1"), "{screen}");
    assert!(
        screen.contains("counter.value is 1, the program expects 2"),
        "the verdict is the program's expectation:\n{screen}"
    );
    let app = tui.app_pid();
    tui.quit();
    tui.assert_nothing_left(app);
}

#[test]
fn the_explorer_screen_searches_a_program_and_steps_its_shortest_bad_schedule() {
    let path = program("locked_pair.py");
    let tui = Tui::start(&[path.as_str()]);
    tui.wait_text("first.start()");
    tui.keys(&["e"]);
    // Some 60 runs of CPython: longer than a screen's usual wait.
    let deadline = Instant::now() + Duration::from_secs(120);
    let searched = |s: &str| {
        s.contains("shortest bad schedule (every lock OFF") && s.contains("0 broke the check")
    };
    while !searched(&tui.screen()) {
        assert!(
            Instant::now() < deadline,
            "the search did not end:\n{}",
            tui.screen()
        );
        std::thread::sleep(common::tmux::POLL);
    }
    let screen = tui.wait_screen("both lock settings searched", searched);
    assert!(screen.contains("every lock ON"), "{screen}");
    assert!(screen.contains("counter.value 2"), "{screen}");
    tui.keys(&["Enter"]);
    tui.wait_screen("the program's run, stepped from its start", |s| {
        s.contains("[STEP]") && s.contains("0 steps")
    });
    // `n` follows the schedule, one step a press, to the end of the run.
    let mut screen = tui.screen();
    for _ in 0..40 {
        if screen.contains("[DONE]") {
            break;
        }
        screen = tui.press_and_wait_change("n", &screen);
    }
    let done = tui.wait_screen("the run done, the replay's note final", |s| {
        s.contains("[DONE]") && !s.contains("n goes on in turn")
    });
    assert!(
        done.contains("counter.value is 1, the program expects 2"),
        "{done}"
    );
    let app = tui.app_pid();
    tui.quit();
    tui.assert_nothing_left(app);
}

#[test]
fn t_sends_sigterm_to_a_child_the_program_started() {
    let path = program("locked_pair.py");
    let tui = Tui::start(&[path.as_str()]);
    tui.wait_text("first.start()");
    // P1 starts both workers: P3, the program's second child, is selected
    // with ↓ ↓ and terminated with t; it ends by the signal, unreaped.
    for n in 1..=2 {
        step_to(&tui, "1", n);
    }
    tui.wait_screen("both workers started", |s| s.contains("└─P3"));
    tui.keys(&["Down", "Down", "t"]);
    let screen = tui.wait_screen("P3 ended by SIGTERM, a zombie", |s| {
        s.lines()
            .any(|l| l.starts_with("│└─P3") && l.contains(" Z zombie"))
    });
    assert!(screen.contains("sent SIGTERM to P3"), "{screen}");
    let app = tui.app_pid();
    tui.quit();
    tui.assert_nothing_left(app);
}

#[test]
fn a_program_opens_under_the_timing_model_asked_for_and_w_switches_it() {
    let path = program("timed_pair.py");
    let tui = Tui::start(&[path.as_str(), "--timing", "as-written"]);
    let first = tui.wait_text("CPython");
    assert!(first.contains("as written"), "{first}");
    assert!(first.contains("w sleeps"), "w is offered:\n{first}");
    tui.keys(&["w"]);
    tui.wait_screen("any timing after w", |s| {
        s.contains("any timing") && s.contains("0 steps")
    });
    let app = tui.app_pid();
    tui.quit();
    tui.assert_nothing_left(app);
}

#[test]
fn i_shows_a_programs_card_with_what_it_expects() {
    let path = program("unlocked_counter.py");
    let tui = Tui::start(&[path.as_str()]);
    tui.wait_text("first.start()");
    tui.keys(&["i"]);
    let card = tui.wait_text("Your own program, run by CPython");
    assert!(card.contains("counter.value == 2"), "{card}");
    let app = tui.app_pid();
    tui.quit();
    tui.assert_nothing_left(app);
}

#[test]
fn a_program_without_locks_is_explored_once() {
    let path = program("unlocked_counter.py");
    let tui = Tui::start(&[path.as_str()]);
    tui.wait_text("first.start()");
    tui.keys(&["e"]);
    let deadline = Instant::now() + Duration::from_secs(120);
    while !tui.screen().contains("shortest bad schedule") {
        assert!(
            Instant::now() < deadline,
            "the search did not end:\n{}",
            tui.screen()
        );
        std::thread::sleep(common::tmux::POLL);
    }
    let screen = tui.screen();
    assert!(screen.contains("no locks"), "one setting:\n{screen}");
    assert!(!screen.contains("every lock O"), "{screen}");
    assert!(
        screen.contains("6 schedules · 4 broke the check"),
        "{screen}"
    );
    let app = tui.app_pid();
    tui.quit();
    tui.assert_nothing_left(app);
}

#[test]
fn at_80_columns_a_programs_locks_are_counted_so_its_name_shows() {
    let path = program("condition_buffer.py");
    let tui = Tui::start_with(common::tmux::Opts {
        args: &[path.as_str()],
        width: 80,
        height: 24,
        ..Default::default()
    });
    // The program makes its locks (cond, and each Value's) before its
    // first process starts.
    let screen = tui.wait_text("3 locks ON");
    let header = screen.lines().next().unwrap_or_default();
    assert!(header.contains("condition_buffer"), "{header}");
    assert!(header.contains("3 locks ON"), "{header}");
    let app = tui.app_pid();
    tui.quit();
    tui.assert_nothing_left(app);
}
