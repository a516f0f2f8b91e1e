//! A run with a SIGTERM from the app (`t`) can be saved with `s` and
//! replayed headless to the same end: the schedule file keeps the signal
//! and the timing model.

mod common;

use common::Sandbox;
use common::tmux::Tui;

/// The "steps:" line under the verdict, once it lists `steps`.
fn steps_shown(screen: &str, steps: &str) -> bool {
    screen
        .lines()
        .any(|l| l.trim_start().starts_with("steps:") && l.trim_end().ends_with(steps))
}

#[test]
fn a_sigterm_sent_with_t_is_saved_and_replayed() {
    let tui = Tui::start(&["terminate"]);
    tui.wait_screen("the terminate lesson", |s| s.contains("[STEP]"));
    let app = tui.app_pid();
    // P1 starts p1; p1 (P2) takes the lock, prints, and goes to sleep in it.
    let mut taken = String::new();
    for p in ["1", "2", "2", "2"] {
        tui.keys(&[p]);
        taken = if taken.is_empty() {
            p.to_string()
        } else {
            format!("{taken},{p}")
        };
        tui.wait_screen(&format!("steps {taken}"), |s| steps_shown(s, &taken));
    }
    // P2 is selected (the last one stepped): terminate it while it holds the lock.
    tui.keys(&["t"]);
    // Dead, not yet reaped by its parent: a zombie, and a dead holder (†).
    tui.wait_screen("P2 killed", |s| s.contains("held by: P2†"));
    // Step on (round-robin) until the run is stuck on the dead holder.
    for _ in 0..30 {
        if tui.screen().contains("[DONE]") {
            break;
        }
        let before = tui.screen();
        tui.press_and_wait_change("n", &before);
    }
    let done = tui.wait_screen("the deadlock", |s| s.contains("[DONE]"));
    assert!(done.contains("DEADLOCK"), "{done}");
    tui.keys(&["s"]);
    // (The note saying so may be below a two-line verdict: look for the
    // file, until it is whole: it is created before it is written.)
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let (file, saved) = loop {
        let found = std::fs::read_dir(tui.dir())
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .find(|p| p.to_string_lossy().ends_with(".schedule.json"));
        let whole = found.and_then(|f| {
            let text = std::fs::read_to_string(&f).ok()?;
            let json = serde_json::from_str::<serde_json::Value>(&text).ok()?;
            Some((f, json))
        });
        match whole {
            Some(found) => break found,
            None if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            None => panic!("no schedule file saved:\n{}", tui.screen()),
        }
    };
    assert_eq!(saved["timing"], "as_written", "{saved}");
    assert_eq!(
        saved["sigterms"],
        serde_json::json!([{"after_step": 4, "proc": 2}]),
        "{saved}"
    );
    tui.quit();
    tui.assert_nothing_left(app);

    let sb = Sandbox::new();
    for _ in 0..2 {
        let (_, s) = sb.run_json(&["run", file.to_str().unwrap(), "--json"]);
        let deadlock = s["deadlock"].as_str().unwrap_or("");
        assert!(
            deadlock.contains("held by P2 (killed by SIGTERM, exit code -15)"),
            "{s}"
        );
        assert_eq!(s["processes"][1]["signal"], 15, "{s}");
    }
}
