//! The app in a real terminal: a private tmux server per test, keys in with
//! `send-keys`, the screen back with `capture-pane`. Every wait polls with a
//! deadline; nothing sleeps a fixed time. A failure prints the last screen
//! and [`Tui::diagnostics`].

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::{BIN, Sandbox, children_of, ended, processes_mentioning, semaphores_of, within};

/// How long one screen may take to show what a test waits for.
pub const SCREEN_LIMIT: f64 = 20.0;
/// Poll interval of every wait.
pub const POLL: Duration = Duration::from_millis(10);

/// Run by the pane: `$1` is the sandbox, the rest is the command. It keeps
/// lockstep's stderr, writes its exit status to `status` (the test's signal
/// that it ended), then prints two lines: the second must start in column 0,
/// which it does only if the terminal left raw mode. Then it waits for a line
/// of input, keeping the pane alive (and idle) until the server is killed.
const WRAPPER: &str = r#"d=$1; shift
"$@" 2>"$d/stderr"
s=$?
echo "$s" > "$d/status"
printf 'AFTER %s\nCOOKED\n' "$s"
read -r _"#;

static NEXT: AtomicUsize = AtomicUsize::new(0);

/// One lockstep app inside its own tmux server (`tmux -L <unique>`), with its
/// own `TMPDIR`. Dropping it kills the server (and with it the app), also
/// when the test fails.
pub struct Tui {
    socket: String,
    sandbox: Sandbox,
}

pub struct Opts<'a> {
    pub args: &'a [&'a str],
    pub width: u16,
    pub height: u16,
    pub env: &'a [(&'a str, &'a str)],
    /// Another copy of the binary to run (default: the one under test).
    pub bin: Option<&'a str>,
}

impl Default for Opts<'_> {
    fn default() -> Self {
        Opts {
            args: &[],
            width: 100,
            height: 30,
            env: &[],
            bin: None,
        }
    }
}

impl Tui {
    /// `lockstep ARGS` in a 100×30 terminal, in English.
    pub fn start(args: &[&str]) -> Tui {
        Tui::start_with(Opts {
            args,
            ..Opts::default()
        })
    }

    pub fn start_with(o: Opts) -> Tui {
        tmux_or_skip();
        let sandbox = Sandbox::new();
        let socket = format!(
            "lockstep-e2e-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let dir = sandbox
            .path()
            .to_str()
            .expect("UTF-8 temp path")
            .to_string();
        let tmpdir = format!("TMPDIR={dir}");
        let state_home = format!("XDG_STATE_HOME={dir}/state");
        let mut cmd: Vec<String> = ["sh", "-c", WRAPPER, "lockstep-e2e", &dir]
            .iter()
            .map(|s| s.to_string())
            .collect();
        // A clean, known environment for the app whatever the test runner has.
        cmd.extend(
            [
                "env",
                "-u",
                "NO_COLOR",
                "-u",
                "LC_ALL",
                "-u",
                "LC_MESSAGES",
                &tmpdir,
                // Challenge progress goes to the sandbox, never the user's own.
                &state_home,
                "LANG=C",
            ]
            .iter()
            .map(|s| s.to_string()),
        );
        cmd.extend(o.env.iter().map(|(k, v)| format!("{k}={v}")));
        cmd.push(o.bin.unwrap_or(BIN).to_string());
        cmd.extend(o.args.iter().map(|s| s.to_string()));

        let tui = Tui { socket, sandbox };
        let (w, h) = (o.width.to_string(), o.height.to_string());
        let mut tmux_args: Vec<&str> = vec![
            "new-session",
            "-d",
            "-x",
            &w,
            "-y",
            &h,
            "-e",
            &tmpdir,
            "-c",
            &dir,
            "--",
        ];
        tmux_args.extend(cmd.iter().map(String::as_str));
        // Keep the pane (and its last screen) should the wrapper end early.
        tmux_args.extend([";", "set-option", "-g", "remain-on-exit", "on"]);
        tui.tmux_ok(&tmux_args);
        tui
    }

    pub fn dir(&self) -> &Path {
        self.sandbox.path()
    }

    /// The challenge progress file the app writes in this sandbox.
    pub fn progress(&self) -> String {
        std::fs::read_to_string(self.dir().join("state/lockstep/progress.json")).unwrap_or_default()
    }

    pub fn tmux_command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new("tmux");
        cmd.arg("-L")
            .arg(&self.socket)
            .args(["-f", "/dev/null"])
            .args(args)
            // The server's socket lives in the sandbox (and goes with it);
            // never talk to (or nest in) the tmux the tests may be run from.
            .env("TMUX_TMPDIR", self.dir())
            .env_remove("TMUX")
            .env_remove("TMUX_PANE");
        cmd
    }

    pub fn tmux(&self, args: &[&str]) -> Output {
        self.tmux_command(args).output().expect("run tmux")
    }

    pub fn tmux_ok(&self, args: &[&str]) -> String {
        let out = self.tmux(args);
        assert!(
            out.status.success(),
            "tmux {args:?} failed: {}\n{}",
            String::from_utf8_lossy(&out.stderr),
            self.diagnostics()
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The pane's text, one line per row.
    pub fn screen(&self) -> String {
        self.tmux_ok(&["capture-pane", "-p"])
    }

    /// The pane's text with its colours and attributes as escape sequences.
    pub fn screen_with_escapes(&self) -> String {
        self.tmux_ok(&["capture-pane", "-p", "-e"])
    }

    /// One tmux format value of the pane (`#{alternate_on}` …).
    pub fn format(&self, f: &str) -> String {
        self.tmux_ok(&["display-message", "-p", f])
            .trim()
            .to_string()
    }

    /// Press keys (tmux key names: `n`, `Escape`, `Up`, …).
    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys"];
        args.extend_from_slice(keys);
        self.tmux_ok(&args);
    }

    /// Poll the screen until `cond` holds on a settled frame; fail with the
    /// last screen at the deadline. The app writes a frame in several chunks,
    /// so one capture may catch half of it: a screen counts only once a
    /// second capture finds it unchanged.
    pub fn wait_screen(&self, what: &str, cond: impl Fn(&str) -> bool) -> String {
        let started = Instant::now();
        let deadline = within(SCREEN_LIMIT);
        let mut last: Option<String> = None;
        loop {
            let s = self.screen();
            if cond(&s) && last.as_ref() == Some(&s) {
                return s;
            }
            if Instant::now() >= deadline {
                panic!(
                    "timed out after {:.1} s waiting for {what}; screen:\n{s}\n{}",
                    started.elapsed().as_secs_f64(),
                    self.diagnostics()
                );
            }
            last = Some(s);
            std::thread::sleep(POLL);
        }
    }

    pub fn wait_text(&self, text: &str) -> String {
        self.wait_screen(&format!("{text:?} on screen"), |s| s.contains(text))
    }

    /// Press `key`, then wait until the screen is no longer `before`.
    pub fn press_and_wait_change(&self, key: &str, before: &str) -> String {
        self.keys(&[key]);
        self.wait_screen(&format!("the screen to change after {key:?}"), |s| {
            s != before
        })
    }

    pub fn stderr(&self) -> String {
        std::fs::read_to_string(self.dir().join("stderr")).unwrap_or_default()
    }

    /// The app's exit status, once the wrapper wrote it.
    pub fn read_status(&self) -> Option<i32> {
        let s = std::fs::read_to_string(self.dir().join("status")).ok()?;
        // `echo` writes the number and the newline at once; a half-written
        // file has no newline yet.
        s.strip_suffix('\n')?.trim().parse().ok()
    }

    /// Wait for the app to exit and return its status.
    pub fn wait_exit(&self) -> i32 {
        let started = Instant::now();
        let deadline = within(SCREEN_LIMIT);
        loop {
            if let Some(code) = self.read_status() {
                return code;
            }
            if Instant::now() >= deadline {
                panic!(
                    "lockstep did not exit within {:.1} s; screen:\n{}\n{}",
                    started.elapsed().as_secs_f64(),
                    self.screen(),
                    self.diagnostics()
                );
            }
            std::thread::sleep(POLL);
        }
    }

    /// `q`, then the app must exit with status 0 and a clean stderr.
    pub fn quit(&self) {
        self.keys(&["q"]);
        let code = self.wait_exit();
        assert_eq!(
            code,
            0,
            "lockstep exited with {code}\n{}",
            self.diagnostics()
        );
        let err = self.stderr();
        assert!(!err.contains("panicked"), "lockstep panicked:\n{err}");
    }

    /// The pid of the pane's wrapper shell.
    pub fn shell_pid(&self) -> u32 {
        self.format("#{pane_pid}")
            .parse()
            .expect("tmux gives the pane's pid")
    }

    /// The pid of the lockstep app: the child of the pane's wrapper shell.
    pub fn app_pid(&self) -> u32 {
        let shell = self.shell_pid();
        let kids = children_of(shell);
        assert_eq!(
            kids.len(),
            1,
            "the wrapper shell {shell} should have exactly one child (lockstep): {kids:?}"
        );
        kids[0]
    }

    /// Names of `lockstep-*` run directories in the sandbox.
    pub fn run_dirs(&self) -> Vec<String> {
        self.sandbox.run_dirs()
    }

    /// After the app exited: no run directory, no semaphore of `app`, no
    /// worker (nor anything else started for this sandbox) still alive.
    pub fn assert_nothing_left(&self, app: u32) {
        let deadline = within(10.0);
        let dir = self.dir().to_str().expect("UTF-8 temp path").to_string();
        // The tmux server's and the wrapper's command lines name the sandbox.
        let server: u32 = self.format("#{pid}").parse().expect("tmux server pid");
        let shell = self.shell_pid();
        let me = std::process::id();
        let mut left;
        loop {
            left = processes_mentioning(&dir)
                .into_iter()
                .filter(|(p, _)| ![server, shell, me].contains(p))
                .collect::<Vec<_>>();
            if left.is_empty() && ended(app) {
                break;
            }
            if Instant::now() >= deadline {
                panic!(
                    "processes left behind after the app exited: {left:?} (app {app} ended: {})",
                    ended(app)
                );
            }
            std::thread::sleep(POLL);
        }
        let dirs = self.run_dirs();
        assert!(dirs.is_empty(), "run directories left behind: {dirs:?}");
        let sems = semaphores_of(app);
        assert!(sems.is_empty(), "named semaphores left behind: {sems:?}");
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        // Also ends the app (SIGHUP) if a failed test left it running. Never
        // panics: a panic while a failed test unwinds aborts the whole binary.
        let _ = self.tmux_command(&["kill-server"]).output();
    }
}

/// Every test of the end-to-end binary (`tests/tui_e2e/`) drives the app in
/// tmux. Without tmux on PATH, the first test to get here says so in one
/// line and ends that test binary with exit 0 (a test cannot mark itself
/// skipped at run time, and there is nothing else in it to run); the other
/// test binaries run as usual. It is called before a test makes anything,
/// so nothing is left behind.
pub fn tmux_or_skip() {
    static FOUND: OnceLock<()> = OnceLock::new();
    FOUND.get_or_init(|| {
        let found = Command::new("tmux")
            .arg("-V")
            .output()
            .is_ok_and(|o| o.status.success());
        if !found {
            // Straight to stderr: the test harness would capture eprintln!.
            let _ = writeln!(
                std::io::stderr(),
                "tui_e2e: SKIPPED, tmux is not on PATH: the end-to-end tests drive the app in tmux (install tmux to run them)"
            );
            std::process::exit(0);
        }
    });
}
