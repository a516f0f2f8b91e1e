//! The challenge progress as the learner sees it in the real app (in tmux):
//! two apps open at once both keep their wins, and a win that could not be
//! written says so on the goal line for as long as it is shown.

mod common;

use std::path::Path;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

use common::{BIN, Sandbox, wait_until, within};

static NEXT: AtomicUsize = AtomicUsize::new(0);

/// One app in its own tmux server; dropping it kills the server.
struct App {
    socket: String,
}

impl App {
    /// `lockstep ARGS` in a 100×30 terminal with this TMPDIR and state home.
    fn start(sb: &Sandbox, state_home: &Path, args: &[&str]) -> Option<App> {
        if Command::new("tmux").arg("-V").output().is_err() {
            eprintln!("SKIPPED: tmux is not on PATH");
            return None;
        }
        let app = App {
            socket: format!(
                "lockstep-progress-{}-{}",
                std::process::id(),
                NEXT.fetch_add(1, Ordering::Relaxed)
            ),
        };
        let tmpdir = format!("TMPDIR={}", sb.path().display());
        let state = format!("XDG_STATE_HOME={}", state_home.display());
        let mut cmd = vec![
            "new-session",
            "-d",
            "-x",
            "100",
            "-y",
            "30",
            "--",
            "env",
            "-u",
            "LC_ALL",
            "-u",
            "LC_MESSAGES",
            &tmpdir,
            &state,
            "LANG=C",
            BIN,
        ];
        cmd.extend(args);
        let out = app.tmux(&cmd);
        assert!(out.status.success(), "tmux: {out:?}");
        Some(app)
    }

    fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .env_remove("TMUX")
            .output()
            .expect("run tmux")
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p"]).stdout).into_owned()
    }

    fn wait_text(&self, text: &str) -> String {
        let mut screen = String::new();
        wait_until(within(20.0), text, || {
            screen = self.screen();
            screen.contains(text)
        });
        screen
    }

    /// Step round-robin (`n`) until the goal line cheers; the screen then.
    fn step_until_won(&self) -> String {
        let deadline = within(30.0);
        loop {
            let before = self.screen();
            if before.contains("★ Challenge won") {
                return before;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "no win; screen:\n{before}"
            );
            self.tmux(&["send-keys", "n"]);
            wait_until(deadline, "the step to show", || self.screen() != before);
        }
    }
}

impl Drop for App {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}

fn won(file: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(file).unwrap_or_default();
    serde_json::from_str(&text).unwrap_or_default()
}

#[test]
fn two_apps_open_at_once_both_keep_their_win() {
    let sb = Sandbox::new();
    let state = sb.path().join("state");
    let Some(event) = App::start(&sb, &state, &["event"]) else {
        return;
    };
    let Some(bathroom) = App::start(&sb, &state, &["bathroom", "--unlocked"]) else {
        return;
    };
    // Both have read the (empty) progress before either wins.
    event.wait_text("[STEP]");
    bathroom.wait_text("[STEP]");
    event.step_until_won();
    bathroom.step_until_won();
    let file = state.join("lockstep/progress.json");
    let doc = won(&file);
    assert_eq!(doc["won"]["event"][0], "main_waits", "{doc}");
    assert_eq!(doc["won"]["bathroom"][0], "walk_in", "{doc}");
}

#[test]
fn a_win_that_could_not_be_saved_says_so() {
    let sb = Sandbox::new();
    // Two ways the file cannot be used: broken, or under a plain file.
    let broken = sb.path().join("broken");
    std::fs::create_dir_all(broken.join("lockstep")).unwrap();
    std::fs::write(broken.join("lockstep/progress.json"), "{\"won\": [oops").unwrap();
    let plain = sb.path().join("plain");
    std::fs::write(&plain, "not a directory").unwrap();
    for state in [broken, plain] {
        let Some(app) = App::start(&sb, &state, &["event"]) else {
            return;
        };
        app.wait_text("[STEP]");
        let screen = app.step_until_won();
        assert!(
            screen.contains("★ Challenge won, NOT SAVED!"),
            "the goal line does not say the win was not saved:\n{screen}"
        );
        // Another step: the line still says it.
        app.tmux(&["send-keys", "n"]);
        wait_until(within(20.0), "the next step", || app.screen() != screen);
        let screen = app.screen();
        assert!(screen.contains("NOT SAVED"), "{screen}");
    }
    assert_eq!(
        std::fs::read_to_string(sb.path().join("broken/lockstep/progress.json")).unwrap(),
        "{\"won\": [oops",
        "the broken file is left as it was"
    );
}
