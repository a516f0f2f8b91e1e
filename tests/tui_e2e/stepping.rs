//! Stepping a run from the keyboard and the mouse: round-robin to the end,
//! terminating a process, undo, a click that selects a lane, and the
//! header's clock.

use std::time::Instant;

use crate::common::tmux::{SCREEN_LIMIT, Tui};
use crate::common::within;
use crate::{lane, lanes, lanes_settled, wait_run_screen};

#[test]
fn counter_unlocked_stepped_round_robin_shows_the_lost_updates() {
    let started = Instant::now();
    let tui = Tui::start(&["counter", "--unlocked"]);
    let mut screen = wait_run_screen(&tui, "Shared counter race");
    assert!(
        screen.contains("lock OFF"),
        "locks should be off:\n{screen}"
    );
    let app = tui.app_pid();
    let dirs = tui.run_dirs();
    assert!(
        dirs.len() == 1 && dirs[0].starts_with(&format!("lockstep-{app}-")),
        "one run directory, named after the app's pid (and 64 random bits): {dirs:?}"
    );

    // Step round-robin until the run ends. A step refused because the last
    // one is still moving changes the message line and is simply retried:
    // the round-robin turn advances only on steps that were taken.
    let deadline = within(SCREEN_LIMIT);
    let mut presses = 0;
    while !screen.contains("[DONE]") {
        assert!(
            Instant::now() < deadline,
            "the run did not end after {presses} presses of n; screen:\n{screen}"
        );
        if !lanes_settled(&screen) {
            screen = tui.wait_screen("the stepped process to reach its next gate", |s| {
                s != screen
            });
            continue;
        }
        screen = tui.press_and_wait_change("n", &screen);
        presses += 1;
    }
    let stepping = started.elapsed();
    // The verdict line is drawn below the header: wait for the frame that
    // has both (a verdict still "so far" is not the final one).
    let screen = tui.wait_screen("the final verdict", |s| {
        s.contains("[DONE]")
            && s.lines()
                .any(|l| l.starts_with('✗') && !l.contains("so far"))
    });
    assert!(
        screen.contains("count is 99, expected 80: 19 updates lost"),
        "verdict under round-robin:\n{screen}"
    );
    assert!(screen.contains("broke at step 62"), "step:\n{screen}");
    assert!(
        presses >= 120,
        "120 steps take at least 120 presses, not {presses}"
    );
    assert!(
        lanes(&screen).all(|l| l.contains(" done")),
        "every visible lane should be done:\n{screen}"
    );
    // Ending at 99 is the lesson's first challenge: won, and remembered.
    assert!(
        screen.contains("★ Challenge won!  Make the count end at 99"),
        "the challenge line:\n{screen}"
    );
    let progress = tui.progress();
    assert!(
        progress.contains("\"counter\"") && progress.contains("\"end_at_99\""),
        "progress file: {progress:?}"
    );

    // Undo re-runs the 119 steps before the last with fresh processes.
    let undo_started = Instant::now();
    tui.keys(&["u"]);
    let back = tui.wait_screen("the run one step earlier", |s| {
        s.contains("undid P20's step") && s.contains("[STEP]") && lanes_settled(s)
    });
    eprintln!(
        "undo of step 120 took {:.2} s",
        undo_started.elapsed().as_secs_f64()
    );
    assert!(
        back.contains("19 updates lost so far"),
        "the verdict before the last step:\n{back}"
    );
    // The goal won before is marked as such.
    assert!(back.contains("✓ Goal 1/2"), "{back}");
    let dirs = tui.run_dirs();
    assert_eq!(dirs.len(), 1, "one run directory after undo: {dirs:?}");

    tui.quit();
    tui.assert_nothing_left(app);
    eprintln!(
        "stepped 120 steps with {presses} presses in {:.1} s, whole test {:.1} s",
        stepping.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
}

#[test]
fn terminating_the_lock_holder_deadlocks_the_waiters() {
    let tui = Tui::start(&["bathroom"]);
    let screen = wait_run_screen(&tui, "Bathroom lock");
    assert!(screen.contains("lock ON"), "{screen}");
    assert!(screen.contains("Processes 1/2"), "{screen}");
    let app = tui.app_pid();

    // P1 takes the lock.
    tui.keys(&["1"]);
    tui.wait_screen("P1 to hold the lock", |s| {
        s.contains("held by: P1") && lanes_settled(s)
    });
    // P2 asks for it and waits.
    tui.keys(&["2"]);
    let waiting = tui.wait_screen("P2 to wait for the lock", |s| {
        lane(s, 2).is_some_and(|l| l.contains("waits for lock (P1)"))
    });
    assert!(
        waiting.contains("Processes 2/2"),
        "2 selects P2:\n{waiting}"
    );
    assert!(waiting.contains("waiting: P2"), "{waiting}");

    // Select P1 (k moves up) and terminate it while it holds the lock.
    tui.keys(&["k"]);
    tui.wait_text("Processes 1/2");
    tui.keys(&["t"]);
    let dead = tui.wait_screen("the deadlock verdict", |s| {
        s.contains("DEADLOCK: P2 (task 1) waits for lock, held by P1 (task 0, killed by SIGTERM")
    });
    let p1 = lane(&dead, 1).unwrap_or_default();
    assert!(p1.contains("exit -15 SIGTERM"), "P1's lane: {p1:?}\n{dead}");
    let p2 = lane(&dead, 2).unwrap_or_default();
    assert!(
        p2.contains("waits for lock (P1†)"),
        "P2's lane: {p2:?}\n{dead}"
    );
    assert!(dead.contains("[DONE]"), "a deadlock ends the run:\n{dead}");
    // A stepped run keeps its step clock once done: no wall time, no speed.
    let head = dead.lines().next().unwrap_or_default();
    assert!(head.ends_with("any timing · 2 steps"), "{head}");
    assert!(!head.contains("speed"), "{head}");

    // Undo takes the SIGTERM back: fresh processes, P1 holds the lock again
    // and P2 waits for it.
    tui.keys(&["u"]);
    let undone = tui.wait_screen("the run before the SIGTERM", |s| {
        s.contains("undid the SIGTERM to P1") && !s.contains("DEADLOCK")
    });
    assert!(undone.contains("held by: P1"), "{undone}");
    assert!(
        lane(&undone, 2).is_some_and(|l| l.contains("waits for lock (P1)")),
        "{undone}"
    );
    assert!(
        !lane(&undone, 1).unwrap_or_default().contains("SIGTERM"),
        "{undone}"
    );
    // Terminate again: the same deadlock.
    tui.keys(&["t"]);
    tui.wait_text("DEADLOCK: P2 (task 1) waits for lock, held by P1 (task 0, killed by SIGTERM");

    // Quitting must end P2 too, although it is stuck in sem_wait.
    tui.quit();
    tui.assert_nothing_left(app);
}

#[test]
fn undo_lands_one_step_earlier() {
    let tui = Tui::start(&["counter", "--unlocked"]);
    wait_run_screen(&tui, "Shared counter race");
    let app = tui.app_pid();
    for (key, gate) in [
        ("1", "P1 "),
        ("1", "P1 read 100"),
        ("2", "P2 "),
        ("2", "P2 read 100"),
    ] {
        tui.keys(&[key]);
        tui.wait_screen(&format!("{gate:?} after pressing {key}"), |s| {
            s.contains(gate) && lanes_settled(s)
        });
    }
    let before = tui.wait_screen("steps 1,1,2,2", |s| s.contains("steps: 1,1,2,2"));
    assert!(before.contains("P2 read 100"), "{before}");

    tui.keys(&["u"]);
    let undone = tui.wait_screen("P2's read undone", |s| {
        s.contains("undid P2's step") && lanes_settled(s)
    });
    assert!(undone.contains("P1 read 100"), "P1's read stays:\n{undone}");
    assert!(
        !undone.contains("P2 read 100"),
        "P2's read is gone:\n{undone}"
    );
    let p2 = lane(&undone, 2).unwrap_or_default();
    assert!(
        p2.contains("count = shared['count']"),
        "P2 is back before its read: {p2:?}"
    );

    // The re-run goes on like the first: P2 reads 100 again.
    tui.keys(&["2"]);
    let again = tui.wait_screen("P2 to read again", |s| {
        s.contains("P2 read 100") && s.contains("steps: 1,1,2,2")
    });
    assert!(again.contains("P1 read 100"), "{again}");

    // Undo all four (P2's read and skip, P1's read and skip); a fifth has
    // nothing left.
    for n in (1..=4).rev() {
        let who = if n > 2 { 2 } else { 1 };
        tui.keys(&["u"]);
        tui.wait_screen(&format!("undo {n}"), |s| {
            s.contains(&format!("undid P{who}'s step"))
                && lanes_settled(s)
                && s.matches(" read 100").count() == usize::from(n >= 3)
        });
    }
    tui.keys(&["u"]);
    tui.wait_text("nothing to undo");

    tui.quit();
    tui.assert_nothing_left(app);
}

/// A left click, as the terminal sends it with mouse reporting on (SGR
/// encoding, 1-based column and row): press, then release.
fn click(tui: &Tui, col: u16, row: u16) {
    tui.tmux_ok(&["send-keys", "-l", &format!("\x1b[<0;{col};{row}M")]);
    tui.tmux_ok(&["send-keys", "-l", &format!("\x1b[<0;{col};{row}m")]);
}

#[test]
fn a_click_on_a_lane_selects_it_and_space_steps_that_process() {
    let tui = Tui::start(&["counter"]);
    let run = wait_run_screen(&tui, "Shared counter race");
    let app = tui.app_pid();
    assert!(run.contains("Processes 1/20"), "P1 selected first:\n{run}");

    // The lane of P4 is the screen row its text is on.
    let row = run
        .lines()
        .position(|l| l.starts_with("│P4 "))
        .expect("a lane for P4");
    click(&tui, 10, row as u16 + 1);
    tui.wait_screen("P4 to be selected", |s| s.contains("Processes 4/20"));

    // The selection is what space steps: P4 takes the lock, nobody else moves.
    tui.keys(&["Space"]);
    let stepped = tui.wait_screen("P4 to hold the lock", |s| {
        s.contains("held by: P4") && lanes_settled(s)
    });
    assert!(stepped.contains("steps: 4"), "{stepped}");

    // A click outside the lanes (on the code panel) changes nothing.
    let code_row = stepped
        .lines()
        .position(|l| l.contains("  5     lock.acquire()"))
        .expect("the listing's acquire line");
    click(&tui, 10, code_row as u16 + 1);
    tui.keys(&["?"]);
    tui.wait_screen("the help overlay", |s| s.contains("PAUSED"));
    tui.keys(&["Escape"]);
    // The help closed, and P4 is still the one selected.
    tui.wait_screen("the run screen again, P4 selected", |s| {
        !s.contains("Help —") && s.contains("Processes 4/20")
    });

    tui.quit();
    tui.assert_nothing_left(app);
}

/// The header's clock: what ends its first line (`3 steps`, `1.52 s`).
fn header_clock(screen: &str) -> Option<String> {
    let head = screen.lines().next()?;
    let at = head.rfind("  ")?;
    Some(head[at..].trim().to_string())
}

#[test]
fn the_header_counts_steps_while_stepping_and_seconds_while_running() {
    let tui = Tui::start(&["join"]);
    let screen = wait_run_screen(&tui, "Parallel sleeps and join");
    let app = tui.app_pid();
    // join's story needs its sleeps: the steps keep time as written.
    assert_eq!(
        header_clock(&screen).as_deref(),
        Some("as written 0.00 s · 0 steps"),
        "{screen}"
    );
    tui.keys(&["1"]);
    tui.wait_screen("one step in the header", |s| {
        header_clock(s).is_some_and(|c| c.ends_with("· 1 step"))
    });
    // Played, the seconds count on by themselves, with no key pressed.
    tui.keys(&["p"]);
    let first = tui.wait_screen("the clock in seconds", |s| {
        s.contains("[RUN]") && header_clock(s).is_some_and(|c| c.ends_with(" s"))
    });
    let first = header_clock(&first).unwrap();
    tui.wait_screen("the clock to move on by itself", |s| {
        header_clock(s).is_some_and(|c| c.ends_with(" s") && c != first)
    });
    tui.quit();
    tui.assert_nothing_left(app);
}
