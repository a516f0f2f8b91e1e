//! One real lockstep app in its own tmux server, for the tests that check
//! what the learner sees: start it, press keys, read the screen, always
//! with a deadline. Dropping it kills the server (and the app with it).
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::common::{BIN, Sandbox, wait_until, within};

static NEXT: AtomicUsize = AtomicUsize::new(0);

/// One app in its own tmux server; dropping it kills the server.
pub struct App {
    socket: String,
}

impl App {
    /// `lockstep ARGS` in a 100×30 terminal with the sandbox as TMPDIR, this
    /// state home, working in `cwd`; `None` (the test skips) without tmux.
    pub fn start(sb: &Sandbox, state_home: &Path, cwd: &Path, args: &[&str]) -> Option<App> {
        if Command::new("tmux").arg("-V").output().is_err() {
            eprintln!("SKIPPED: tmux is not on PATH");
            return None;
        }
        let app = App {
            socket: format!(
                "lockstep-app-{}-{}",
                std::process::id(),
                NEXT.fetch_add(1, Ordering::Relaxed)
            ),
        };
        let tmpdir = format!("TMPDIR={}", sb.path().display());
        let state = format!("XDG_STATE_HOME={}", state_home.display());
        let cwd = cwd.display().to_string();
        let mut cmd = vec![
            "new-session",
            "-d",
            "-c",
            &cwd,
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

    pub fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .env_remove("TMUX")
            .output()
            .expect("run tmux")
    }

    pub fn screen(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p"]).stdout).into_owned()
    }

    pub fn wait_text(&self, text: &str) -> String {
        let mut screen = String::new();
        wait_until(within(20.0), text, || {
            screen = self.screen();
            screen.contains(text)
        });
        screen
    }

    /// Step round-robin (`n`) until the goal line cheers; the screen then.
    pub fn step_until_won(&self) -> String {
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
