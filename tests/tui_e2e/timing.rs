//! The timing views: the pool lesson's measured phases and timeline, and a
//! played run's bars and timeline.

use crate::common::tmux::{Opts, Tui};
use crate::wait_run_screen;

#[test]
fn pool_lesson_measures_every_phase_and_v_shows_the_timeline() {
    let tui = Tui::start_with(Opts {
        args: &["pool"],
        width: 80,
        height: 24,
        ..Opts::default()
    });
    // The verdict follows the times measured: on a loaded machine starting
    // a process may cost little enough that the pool is not 2x faster, and
    // the app says so.
    let bars = tui.wait_screen("the pool's measured times", |s| {
        s.contains("100 processes")
            && (s.contains("OK: the pool (start, map, close+join) was")
                || s.contains("✗ the pool (start, map, close+join) was only"))
    });
    for phase in ["Pool(4).apply ", "Pool(4).apply_async ", "Pool(4).map "] {
        assert!(bars.contains(phase), "no {phase:?} bar:\n{bars}");
    }
    // The callbacks ran in the app itself: the pool's parent.
    let app = tui.app_pid();
    assert!(
        bars.contains(&format!("callback ×100: pid {app} = parent pid {app}")),
        "app pid {app}:\n{bars}"
    );
    assert!(bars.contains("exit 0, exit 0, exit 0, exit 0"), "{bars}");

    tui.keys(&["v"]);
    let timeline = tui.wait_text("Timeline · whole run");
    for row in ["│W1 ", "│W4 ", "│P1–10 ", "│P91–100"] {
        assert!(timeline.contains(row), "no row {row:?}:\n{timeline}");
    }
    assert!(
        timeline.lines().any(|l| l.starts_with("│ms ")),
        "{timeline}"
    );
    tui.keys(&["Right"]);
    tui.wait_text("Timeline · start");
    tui.keys(&["Right"]);
    tui.wait_text("Timeline · apply");
    tui.keys(&["v"]);
    tui.wait_text("Measured time");

    tui.quit();
    tui.assert_nothing_left(app);
}

/// The measured time right of `label` in the timing bars (`3.00 s`, `299 ms`), in ms.
fn bar_ms(screen: &str, label: &str) -> f64 {
    let rest = screen
        .lines()
        .find_map(|l| l.split_once(label).map(|(_, r)| r))
        .unwrap_or_else(|| panic!("no {label:?} bar:\n{screen}"));
    let mut words = rest.split_whitespace();
    let (n, unit) = (words.next(), words.next());
    let n: f64 = n
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no number after {label:?}:\n{screen}"));
    match unit {
        Some("s") => n * 1000.0,
        Some("ms") => n,
        other => panic!("unit {other:?} after {label:?}:\n{screen}"),
    }
}

#[test]
fn join_played_then_v_shows_the_total_below_the_sum_of_sleeps() {
    let tui = Tui::start_with(Opts {
        args: &["join"],
        width: 160,
        height: 48,
        ..Opts::default()
    });
    wait_run_screen(&tui, "Parallel sleeps and join");
    let app = tui.app_pid();
    tui.keys(&["p"]);
    tui.wait_text("[DONE]");
    tui.keys(&["v"]);
    let s = tui.wait_text("P2–4 took");
    // At the lesson's speed 1×, sleeps of 3, 1 and 2 s add up to 6 s.
    let (sum, took) = (bar_ms(&s, "P2–4 sum"), bar_ms(&s, "P2–4 took"));
    assert!((5900.0..8000.0).contains(&sum), "sum {sum}:\n{s}");
    assert!((2950.0..4500.0).contains(&took), "took {took}:\n{s}");
    assert!(took < sum * 0.8, "took {took} vs sum {sum}:\n{s}");
    for p in 2..=4 {
        assert!(s.contains(&format!("P{p} sleep")), "no P{p} bar:\n{s}");
    }
    assert!(s.contains("the sleeps overlapped"), "{s}");
    assert!(s.contains("Timeline · whole run"), "{s}");
    // Each process's row, to scale, with its exit code once joined.
    assert!(
        s.lines()
            .any(|l| l.starts_with("│P2 ") && l.contains('░') && l.contains("exit 0")),
        "{s}"
    );
    // v again: the lanes are back.
    tui.keys(&["v"]);
    tui.wait_screen("the lanes again", |s| {
        s.contains("┌ Processes") && !s.contains("Timeline ·")
    });
    tui.quit();
    tui.assert_nothing_left(app);
}

/// The seconds that end the header (`2.61 s`), if it ends in seconds.
fn header_seconds(screen: &str) -> Option<f64> {
    let head = screen.lines().next()?.trim_end().strip_suffix(" s")?;
    head.rsplit(' ').next()?.parse().ok()
}

#[test]
fn the_header_and_the_timeline_count_the_same_run_time() {
    let tui = Tui::start_with(Opts {
        args: &["guests"],
        width: 80,
        height: 24,
        ..Opts::default()
    });
    wait_run_screen(&tui, "Semaphore guests");
    let app = tui.app_pid();
    // The learner reads the screen a while before p: that time is no part
    // of the run (this pause is what is tested, not a wait for the app).
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let pressed = std::time::Instant::now();
    tui.keys(&["p"]);
    let done = tui.wait_text("[DONE]");
    let since_p = pressed.elapsed().as_secs_f64();
    let header = header_seconds(&done).unwrap_or_else(|| panic!("{done}"));
    tui.keys(&["v"]);
    let timeline = tui.wait_text("Timeline · whole run");
    let whole = bar_ms(&timeline, "Timeline · whole run") / 1000.0;
    assert!(
        (header - whole).abs() <= 0.02,
        "header {header} s, timeline {whole} s:\n{done}\n{timeline}"
    );
    // The header counts from the first process's start, after p: never the
    // 1.5 s before it.
    assert!(
        header <= since_p + 0.1,
        "the wait before p was counted: {header} s, {since_p} s since p"
    );
    tui.quit();
    tui.assert_nothing_left(app);
}

#[test]
fn the_timeline_names_the_pause_the_header_leaves_out() {
    let tui = Tui::start_with(Opts {
        args: &["guests"],
        width: 80,
        height: 24,
        ..Opts::default()
    });
    wait_run_screen(&tui, "Semaphore guests");
    let app = tui.app_pid();
    tui.keys(&["p"]);
    tui.wait_text("[RUN]");
    tui.keys(&["p"]);
    tui.wait_text("[PAUSED]");
    // The pause itself is what is tested: it lasts a second.
    std::thread::sleep(std::time::Duration::from_millis(1000));
    tui.keys(&["p"]);
    let done = tui.wait_text("[DONE]");
    let header = header_seconds(&done).unwrap_or_else(|| panic!("{done}"));
    tui.keys(&["v"]);
    let timeline = tui.wait_text("Timeline · whole run");
    let whole = bar_ms(&timeline, "Timeline · whole run") / 1000.0;
    let paused = bar_ms(&timeline, &format!("{} (", fmt_title_s(whole))) / 1000.0;
    assert!(paused >= 0.9, "paused {paused} s:\n{timeline}");
    assert!(
        (header + paused - whole).abs() <= 0.03,
        "header {header} s + paused {paused} s vs whole {whole} s:\n{done}\n{timeline}"
    );
    tui.quit();
    tui.assert_nothing_left(app);
}

/// The timeline title's seconds as it writes them (`4.34 s`).
fn fmt_title_s(s: f64) -> String {
    format!("{s:.2} s")
}
