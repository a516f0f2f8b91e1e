//! A run goes on when lockstep's own file is replaced or deleted under it
//! (a rebuild or an upgrade while the app is open): a process still starts
//! its children from the program that runs, not from the path it was
//! started by; and a restart (`r`) starts the run from that program too.

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
    // `ps` names each of its processes by the program's path, not by
    // /proc/self/exe, which it was started from.
    let names = worker_names(&copy);
    assert!(names.len() >= 2, "the run's processes: {names:?}");
    assert!(names.iter().all(|n| *n == copy), "{names:?}");
    tui.quit();
    tui.assert_nothing_left(app);
}

#[test]
fn a_restart_after_the_binary_was_replaced_starts_the_run_again() {
    let dir = tempfile::tempdir().expect("temp dir");
    let copy = dir.path().join("lockstep-copy");
    std::fs::copy(common::BIN, &copy).expect("copy the binary");
    let copy_str = copy.to_str().expect("UTF-8 path").to_string();
    let tui = Tui::start_with(Opts {
        args: &["bathroom"],
        bin: Some(&copy_str),
        ..Opts::default()
    });
    tui.wait_text("Bathroom lock");
    let app = tui.app_pid();
    tui.keys(&["1"]);
    tui.wait_screen("P1 took a step", |s| s.contains("steps: 1"));
    // A rebuild: the file is unlinked and a new one (here, one that cannot
    // run) takes its path.
    std::fs::remove_file(&copy).expect("delete the copy the app runs");
    std::fs::write(&copy, "#!/bin/sh\nexit 3\n").expect("write the replacement");
    tui.keys(&["r"]);
    tui.wait_screen("a fresh run", |s| !s.contains("steps: 1"));
    tui.keys(&["1"]);
    tui.wait_screen("P1 stepped again", |s| s.contains("steps: 1"));
    let stepped = step_until(&tui, "2", "steps: 1,2");
    assert!(
        !stepped.contains("failed") && !stepped.contains("exit 3"),
        "{stepped}"
    );
    tui.quit();
    tui.assert_nothing_left(app);
}

/// The first argument (`ps`'s name) of every lesson process running the
/// program at `path`.
fn worker_names(path: &str) -> Vec<String> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir("/proc").expect("/proc").flatten() {
        let exe = std::fs::read_link(entry.path().join("exe")).unwrap_or_default();
        let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else {
            continue;
        };
        let args: Vec<String> = cmdline
            .split(|b| *b == 0)
            .map(|a| String::from_utf8_lossy(a).into_owned())
            .collect();
        if exe.to_string_lossy().starts_with(path) && args.iter().any(|a| a == "__worker") {
            names.push(args[0].clone());
        }
    }
    names
}

/// Press `key` until the screen shows `want`: a key pressed while the last
/// step's process has not come back to its gate is refused ("another
/// process is still moving: try again"), so it is pressed again.
fn step_until(tui: &Tui, key: &str, want: &str) -> String {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(40);
    loop {
        tui.keys(&[key]);
        let retry = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while std::time::Instant::now() < retry {
            let screen = tui.screen();
            if screen.contains(want) {
                return screen;
            }
            std::thread::sleep(common::tmux::POLL);
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no {want:?}:\n{}",
            tui.screen()
        );
    }
}
