//! A run goes on when lockstep's own file is replaced or deleted under it
//! (a rebuild or an upgrade while the app is open): a process still starts
//! its children from the program that runs, not from the path it was
//! started by.

mod common;

use common::tmux::{Opts, Tui};

#[test]
fn children_start_after_the_binary_was_deleted() {
    let dir = tempfile::tempdir().expect("temp dir");
    let copy = dir.path().join("lockstep-copy");
    std::fs::copy(common::BIN, &copy).expect("copy the binary");
    let copy = copy.to_str().expect("UTF-8 path").to_string();
    let tui = Tui::start_with(Opts {
        args: &["zombie"],
        bin: Some(&copy),
        ..Opts::default()
    });
    tui.wait_text("Zombie processes");
    let app = tui.app_pid();
    std::fs::remove_file(&copy).expect("delete the copy the app runs");
    // P1 prints, then starts its child: a real process from the running program.
    tui.keys(&["1"]);
    tui.wait_screen("P1 at its start", |s| {
        s.contains("p.start()") && s.contains(" ready ")
    });
    tui.keys(&["1"]);
    let started = tui.wait_screen("P2 started", |s| {
        s.lines()
            .any(|l| l.contains("└─P2") && l.contains(" ready "))
    });
    assert!(!started.contains("failed to start"), "{started}");
    tui.quit();
    tui.assert_nothing_left(app);
}
