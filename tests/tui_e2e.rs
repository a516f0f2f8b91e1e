//! End-to-end tests of the interactive app: the real binary runs in a real
//! terminal (a private tmux server per test), keys go in with `send-keys`,
//! and the screen comes back with `capture-pane`. Every wait polls with a
//! deadline; nothing sleeps a fixed time.
//!
//! A failure prints the last screen, lockstep's stderr and the pane's
//! processes with their threads' kernel wait channels; with
//! `LOCKSTEP_E2E_GDB=1` also every thread's stack (needs gdb), which is how a
//! hang on quit is best told apart from a lost key.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::{BIN, Sandbox, ended, semaphores_of, wait_until, within};

/// How long one screen may take to show what a test waits for.
const SCREEN_LIMIT: f64 = 20.0;
/// Poll interval of every wait.
const POLL: Duration = Duration::from_millis(10);

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
struct Tui {
    socket: String,
    sandbox: Sandbox,
}

struct Opts<'a> {
    args: &'a [&'a str],
    width: u16,
    height: u16,
    env: &'a [(&'a str, &'a str)],
}

impl Default for Opts<'_> {
    fn default() -> Self {
        Opts {
            args: &[],
            width: 100,
            height: 30,
            env: &[],
        }
    }
}

impl Tui {
    /// `lockstep ARGS` in a 100×30 terminal, in English.
    fn start(args: &[&str]) -> Tui {
        Tui::start_with(Opts {
            args,
            ..Opts::default()
        })
    }

    fn start_with(o: Opts) -> Tui {
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
        cmd.push(BIN.to_string());
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

    fn dir(&self) -> &Path {
        self.sandbox.path()
    }

    /// The challenge progress file the app writes in this sandbox.
    fn progress(&self) -> String {
        std::fs::read_to_string(self.dir().join("state/lockstep/progress.json")).unwrap_or_default()
    }

    fn tmux_command(&self, args: &[&str]) -> Command {
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

    fn tmux(&self, args: &[&str]) -> Output {
        self.tmux_command(args).output().expect("run tmux")
    }

    fn tmux_ok(&self, args: &[&str]) -> String {
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
    fn screen(&self) -> String {
        self.tmux_ok(&["capture-pane", "-p"])
    }

    /// The pane's text with its colours and attributes as escape sequences.
    fn screen_with_escapes(&self) -> String {
        self.tmux_ok(&["capture-pane", "-p", "-e"])
    }

    /// One tmux format value of the pane (`#{alternate_on}` …).
    fn format(&self, f: &str) -> String {
        self.tmux_ok(&["display-message", "-p", f])
            .trim()
            .to_string()
    }

    /// Press keys (tmux key names: `n`, `Escape`, `Up`, …).
    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys"];
        args.extend_from_slice(keys);
        self.tmux_ok(&args);
    }

    /// Poll the screen until `cond` holds on a settled frame; fail with the
    /// last screen at the deadline. The app writes a frame in several chunks,
    /// so one capture may catch half of it: a screen counts only once a
    /// second capture finds it unchanged.
    fn wait_screen(&self, what: &str, cond: impl Fn(&str) -> bool) -> String {
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

    fn wait_text(&self, text: &str) -> String {
        self.wait_screen(&format!("{text:?} on screen"), |s| s.contains(text))
    }

    /// Press `key`, then wait until the screen is no longer `before`.
    fn press_and_wait_change(&self, key: &str, before: &str) -> String {
        self.keys(&[key]);
        self.wait_screen(&format!("the screen to change after {key:?}"), |s| {
            s != before
        })
    }

    fn stderr(&self) -> String {
        std::fs::read_to_string(self.dir().join("stderr")).unwrap_or_default()
    }

    /// The app's exit status, once the wrapper wrote it.
    fn read_status(&self) -> Option<i32> {
        let s = std::fs::read_to_string(self.dir().join("status")).ok()?;
        // `echo` writes the number and the newline at once; a half-written
        // file has no newline yet.
        s.strip_suffix('\n')?.trim().parse().ok()
    }

    /// Wait for the app to exit and return its status.
    fn wait_exit(&self) -> i32 {
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
    fn quit(&self) {
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
    fn shell_pid(&self) -> u32 {
        self.format("#{pane_pid}")
            .parse()
            .expect("tmux gives the pane's pid")
    }

    /// The pid of the lockstep app: the child of the pane's wrapper shell.
    fn app_pid(&self) -> u32 {
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
    fn run_dirs(&self) -> Vec<String> {
        self.sandbox.run_dirs()
    }

    /// After the app exited: no run directory, no semaphore of `app`, no
    /// worker (nor anything else started for this sandbox) still alive.
    fn assert_nothing_left(&self, app: u32) {
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

    /// Stderr, the status file and the processes of the pane (with each
    /// thread's state and kernel wait channel), for failure messages.
    fn diagnostics(&self) -> String {
        let mut out = format!(
            "lockstep stderr:\n{}\nstatus file: {:?}\nprocesses of the pane:\n",
            self.stderr(),
            std::fs::read_to_string(self.dir().join("status")).ok()
        );
        let Ok(shell) = self.format("#{pane_pid}").parse::<u32>() else {
            return out;
        };
        let mut todo = vec![shell];
        while let Some(pid) = todo.pop() {
            let cmdline = std::fs::read(format!("/proc/{pid}/cmdline"))
                .map(|c| String::from_utf8_lossy(&c).replace('\0', " "))
                .unwrap_or_default();
            out += &format!(
                "  {pid} ({}): {}\n",
                common::state_letter(pid).unwrap_or('?'),
                cmdline.trim_end()
            );
            let tasks = match std::fs::read_dir(format!("/proc/{pid}/task")) {
                Ok(tasks) => tasks.flatten().collect::<Vec<_>>(),
                Err(e) => {
                    out += &format!("    threads: {e}\n");
                    Vec::new()
                }
            };
            for t in tasks {
                let read = |f: &str| std::fs::read_to_string(t.path().join(f)).unwrap_or_default();
                let stat = read("stat");
                let state = stat
                    .rfind(')')
                    .map(|i| stat[i + 1..].split_whitespace().next().unwrap_or("?"))
                    .unwrap_or("?");
                out += &format!(
                    "    thread {} {:<16} {state} wchan={}\n",
                    t.file_name().to_string_lossy(),
                    read("comm").trim(),
                    read("wchan")
                );
            }
            // LOCKSTEP_E2E_GDB=1: the user-space stacks of every thread too.
            if std::env::var_os("LOCKSTEP_E2E_GDB").is_some() && pid != shell {
                let bt = Command::new("gdb")
                    .args([
                        "-batch",
                        "-p",
                        &pid.to_string(),
                        "-ex",
                        "thread apply all bt",
                    ])
                    .output();
                if let Ok(bt) = bt {
                    out += &String::from_utf8_lossy(&bt.stdout);
                }
            }
            todo.extend(children_of(pid));
        }
        out
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        // Also ends the app (SIGHUP) if a failed test left it running. Never
        // panics: a panic while a failed test unwinds aborts the whole binary.
        let _ = self.tmux_command(&["kill-server"]).output();
    }
}

/// Every test here drives the app in tmux. Without tmux on PATH, the first
/// test to get here says so in one line and ends this test binary with exit
/// 0 (a test cannot mark itself skipped at run time, and there is nothing
/// else in this file to run); the other test binaries run as usual. It is
/// called before a test makes anything, so nothing is left behind.
fn tmux_or_skip() {
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

/// Pids whose parent is `parent` (from /proc/PID/stat).
fn children_of(parent: u32) -> Vec<u32> {
    let mut kids = Vec::new();
    for e in std::fs::read_dir("/proc").expect("read /proc").flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        let Some(close) = stat.rfind(')') else {
            continue;
        };
        let ppid = stat[close + 1..]
            .split_whitespace()
            .nth(1)
            .and_then(|p| p.parse::<u32>().ok());
        if ppid == Some(parent) {
            kids.push(pid);
        }
    }
    kids
}

/// Live processes whose command line mentions `text`, with that command line.
fn processes_mentioning(text: &str) -> Vec<(u32, String)> {
    let mut found = Vec::new();
    for e in std::fs::read_dir("/proc").expect("read /proc").flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else {
            continue;
        };
        let Ok(raw) = std::fs::read(format!("/proc/{pid}/cmdline")) else {
            continue;
        };
        let cmdline = String::from_utf8_lossy(&raw).replace('\0', " ");
        if cmdline.contains(text) && !ended(pid) {
            found.push((pid, cmdline.trim_end().to_string()));
        }
    }
    found
}

/// The run screen of `title` in step mode, every visible lane at its gate.
fn wait_run_screen(tui: &Tui, title: &str) -> String {
    tui.wait_screen(&format!("the run screen of {title:?}, all ready"), |s| {
        s.contains(title) && s.contains("[STEP]") && lanes_settled(s) && s.contains(" ready ")
    })
}

/// Rows of the process table (`│P1  1234 …`), not its header.
fn lanes(screen: &str) -> impl Iterator<Item = &str> {
    screen.lines().filter(|l| {
        l.strip_prefix("│P")
            .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
    })
}

/// No visible lane is still starting or running its last step.
fn lanes_settled(screen: &str) -> bool {
    !lanes(screen).any(|l| l.contains(" starting ") || l.contains(" running "))
}

/// The lane of P`n`.
fn lane(screen: &str, n: usize) -> Option<&str> {
    let tag = format!("│P{n} ");
    screen.lines().find(|l| l.starts_with(&tag))
}

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
    assert_eq!(
        dirs,
        vec![format!("lockstep-{app}-0")],
        "the run directory is named after the app's pid"
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
fn terminal_is_restored_after_quit() {
    let tui = Tui::start(&["counter"]);
    wait_run_screen(&tui, "Shared counter race");
    assert_eq!(
        tui.format("#{alternate_on}"),
        "1",
        "the app draws on the alternate screen"
    );
    assert_eq!(
        tui.format("#{mouse_any_flag}"),
        "1",
        "the app takes mouse clicks"
    );
    let app = tui.app_pid();

    tui.quit();
    let screen = tui.wait_text("COOKED");
    // The wrapper's second line starts in column 0 only if the terminal
    // translates newlines again: raw mode is off.
    assert!(
        screen.lines().any(|l| l == "COOKED"),
        "the terminal is still in raw mode (newline without carriage return):\n{screen}"
    );
    assert!(screen.contains("AFTER 0"), "{screen}");
    for frame in ["lockstep", "Shared counter race", "[STEP]", "┌", "│"] {
        assert!(
            !screen.contains(frame),
            "the app's frame ({frame:?}) is still on the main screen:\n{screen}"
        );
    }
    assert_eq!(
        tui.format("#{alternate_on}"),
        "0",
        "left the alternate screen"
    );
    assert_eq!(tui.format("#{mouse_any_flag}"), "0", "mouse capture is off");
    assert_eq!(
        tui.format("#{cursor_flag}"),
        "1",
        "the cursor is visible again"
    );
    tui.assert_nothing_left(app);
}

#[test]
fn terminal_is_restored_after_sigterm() {
    let tui = Tui::start(&["counter"]);
    wait_run_screen(&tui, "Shared counter race");
    assert_eq!(
        tui.format("#{cursor_flag}"),
        "0",
        "the app hides the cursor"
    );
    let app = tui.app_pid();
    let status = Command::new("kill")
        .args(["-TERM", &app.to_string()])
        .status()
        .expect("run kill");
    assert!(status.success());
    tui.wait_exit();
    tui.wait_text("COOKED");
    assert_eq!(
        tui.format("#{alternate_on}"),
        "0",
        "left the alternate screen"
    );
    assert_eq!(tui.format("#{mouse_any_flag}"), "0", "mouse capture is off");
    assert_eq!(
        tui.format("#{cursor_flag}"),
        "1",
        "the cursor is visible again after SIGTERM"
    );
    tui.assert_nothing_left(app);
}

#[test]
fn lesson_picker_opens_a_lesson_and_esc_goes_back() {
    let titles = [
        "Ticket rush",
        "Bathroom lock",
        "Shared counter race",
        "Semaphore guests",
        "Pool timing",
    ];
    let tui = Tui::start(&[]);
    let picker = tui.wait_screen("the lesson picker", |s| {
        titles.iter().all(|t| s.contains(t))
    });
    assert!(picker.contains("Lessons"), "{picker}");
    let first = titles
        .iter()
        .map(|t| picker.find(t).unwrap())
        .collect::<Vec<_>>();
    assert!(
        first.windows(2).all(|w| w[0] < w[1]),
        "lessons listed in order:\n{picker}"
    );
    assert!(tui.run_dirs().is_empty(), "the picker starts no processes");

    tui.keys(&["3"]);
    let run = wait_run_screen(&tui, "Shared counter race");
    assert!(run.contains("Processes 1/20"), "twenty lanes:\n{run}");
    let app = tui.app_pid();
    assert_eq!(
        tui.run_dirs().len(),
        1,
        "one run directory while the lesson runs"
    );

    tui.keys(&["Escape"]);
    tui.wait_screen("the picker again", |s| {
        titles.iter().all(|t| s.contains(t)) && !s.contains("[STEP]")
    });
    // Going back ends the lesson's processes and removes their directory.
    wait_until(within(10.0), "Esc to remove the run directory", || {
        tui.run_dirs().is_empty()
    });

    tui.keys(&["L"]);
    let zh_titles = ["课程", "抢票", "洗手间", "共享计数器", "信号量"];
    let zh = tui.wait_screen("the picker in Chinese", |s| {
        zh_titles.iter().all(|t| s.contains(t))
    });
    for t in titles {
        assert!(!zh.contains(t), "{t:?} is still in English:\n{zh}");
    }

    tui.quit();
    tui.assert_nothing_left(app);
}

#[test]
fn help_explains_the_keys() {
    let tui = Tui::start(&["counter"]);
    wait_run_screen(&tui, "Shared counter race");
    let app = tui.app_pid();

    tui.keys(&["?"]);
    let help = tui.wait_screen("the help overlay", |s| {
        s.contains("PAUSED") && s.contains("zombie")
    });
    assert!(help.contains("Help"), "{help}");

    // Any key closes it, and that key does nothing else: `n` must not step.
    tui.keys(&["n"]);
    let back = tui.wait_screen("the help to close", |s| !s.contains("Help —"));
    assert!(back.contains("[STEP]"), "{back}");
    assert!(
        !back.contains("steps:"),
        "the closing key took a step:\n{back}"
    );
    let p1 = lane(&back, 1).unwrap_or_default();
    assert!(
        p1.contains(" ready ") && p1.contains("acquire lock  :5"),
        "P1 did not stay at its first gate: {p1:?}"
    );

    // q in the help quits the app, as it does everywhere.
    tui.keys(&["?"]);
    tui.wait_text("Help —");
    tui.quit();
    tui.assert_nothing_left(app);
}

#[test]
fn small_terminal_says_how_big_it_must_be() {
    let tui = Tui::start_with(Opts {
        args: &["counter"],
        width: 60,
        height: 20,
        ..Opts::default()
    });
    let screen = tui.wait_text("80×24");
    assert!(screen.contains("too small"), "{screen}");
    assert!(
        screen.contains("60×20"),
        "the current size is shown:\n{screen}"
    );
    // The lesson runs behind the message: growing the terminal shows it.
    let app = tui.app_pid();
    tui.tmux_ok(&["resize-window", "-x", "100", "-y", "30"]);
    wait_run_screen(&tui, "Shared counter race");

    tui.quit();
    tui.assert_nothing_left(app);
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
        s.contains("DEADLOCK: P2 waits for lock, held by P1 (killed by SIGTERM, exit code -15)")
    });
    let p1 = lane(&dead, 1).unwrap_or_default();
    assert!(p1.contains("exit -15 SIGTERM"), "P1's lane: {p1:?}\n{dead}");
    let p2 = lane(&dead, 2).unwrap_or_default();
    assert!(
        p2.contains("waits for lock (P1†)"),
        "P2's lane: {p2:?}\n{dead}"
    );
    assert!(dead.contains("[DONE]"), "a deadlock ends the run:\n{dead}");

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
    tui.wait_text("DEADLOCK: P2 waits for lock, held by P1 (killed by SIGTERM, exit code -15)");

    // Quitting must end P2 too, although it is stuck in sem_wait.
    tui.quit();
    tui.assert_nothing_left(app);
}

/// What the SGR sequences (`ESC [ … m`) in `text` set.
#[derive(Debug, Default)]
struct Sgr {
    /// Plain attributes: 1 bold, 7 reverse, …
    attrs: Vec<u32>,
    /// Colour parameters: 31, 38;5;6, 48;2;r;g;b, …
    colours: Vec<String>,
}

fn sgr(text: &str) -> Sgr {
    let mut out = Sgr::default();
    let mut rest = text;
    while let Some(i) = rest.find("\x1b[") {
        rest = &rest[i + 2..];
        let end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == ';' || c == ':'))
            .unwrap_or(rest.len());
        if rest[end..].starts_with('m') {
            let params: Vec<u32> = rest[..end]
                .split([';', ':'])
                .map(|p| p.parse().unwrap_or(0))
                .collect();
            let mut k = 0;
            while k < params.len() {
                let p = params[k];
                // 38/48 take `5;n` or `2;r;g;b`; 39/49 (default colour) set none.
                let len = match (p, params.get(k + 1)) {
                    (38 | 48, Some(5)) => 3,
                    (38 | 48, Some(2)) => 5,
                    _ => 1,
                };
                let group = &params[k..(k + len).min(params.len())];
                if matches!(p, 30..=38 | 40..=48 | 90..=97 | 100..=107) {
                    let g: Vec<String> = group.iter().map(u32::to_string).collect();
                    out.colours.push(g.join(";"));
                } else {
                    out.attrs.push(p);
                }
                k += len;
            }
        }
        rest = &rest[end..];
    }
    out
}

/// `text` without its escape sequences.
fn strip_escapes(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find("\x1b[") {
        out.push_str(&rest[..i]);
        rest = &rest[i + 2..];
        let end = rest
            .find(|c: char| ('@'..='~').contains(&c))
            .map_or(rest.len(), |e| e + 1);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[test]
fn no_color_keeps_the_selection_visible() {
    // With colour the same screen does use colours: the check below can fail.
    let coloured = Tui::start(&["counter"]);
    wait_run_screen(&coloured, "Shared counter race");
    let escapes = coloured.screen_with_escapes();
    assert!(
        !sgr(&escapes).colours.is_empty(),
        "expected colours without NO_COLOR:\n{escapes:?}"
    );
    coloured.quit();

    let tui = Tui::start_with(Opts {
        args: &["counter"],
        env: &[("NO_COLOR", "1")],
        ..Opts::default()
    });
    wait_run_screen(&tui, "Shared counter race");
    let app = tui.app_pid();
    // It still works: a step moves P1.
    tui.keys(&["1"]);
    let stepped = tui.wait_screen("P1 to take a step", |s| {
        s.contains("steps: 1") && lanes_settled(s)
    });
    let escapes = tui.screen_with_escapes();
    let set = sgr(&escapes);
    assert!(
        set.colours.is_empty(),
        "colours under NO_COLOR: {:?}\n{escapes:?}",
        set.colours
    );
    // The selected lane (P1) is the reversed one.
    let p1 = escapes
        .lines()
        .find(|l| strip_escapes(l).starts_with("│P1 "))
        .unwrap_or_else(|| panic!("no P1 lane:\n{stepped}"));
    assert!(
        sgr(p1).attrs.contains(&7),
        "reverse video does not mark the selected lane: {p1:?}"
    );

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
        p2.contains("read count"),
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

/// The lane of P`n` in a process tree, where children are drawn `│├─P2 …`.
fn tree_lane(screen: &str, n: usize) -> Option<&str> {
    let tag = format!("P{n} ");
    screen.lines().find(|l| {
        l.strip_prefix('│')
            .map(|r| r.trim_start_matches(['├', '└', '─', ' ']))
            .is_some_and(|r| r.starts_with(&tag))
    })
}

/// The pid column of a lane.
fn lane_pid(lane: &str) -> u32 {
    lane.split_whitespace()
        .nth(1)
        .and_then(|w| w.parse().ok())
        .unwrap_or_else(|| panic!("no pid in lane {lane:?}"))
}

/// State letter and parent pid of `pid`, from `/proc/PID/stat`.
fn proc_stat(pid: u32) -> Option<(char, u32)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let mut after = stat[stat.rfind(')')? + 1..].split_whitespace();
    let letter = after.next()?.chars().next()?;
    Some((letter, after.next()?.parse().ok()?))
}

#[test]
fn a_stepped_zombie_shows_z_from_proc_until_its_parent_joins_it() {
    let tui = Tui::start(&["zombie"]);
    let screen = wait_run_screen(&tui, "Zombie processes");
    assert!(
        tree_lane(&screen, 2).is_some_and(|l| l.contains("└─P2") && l.contains("not started")),
        "{screen}"
    );
    let app = tui.app_pid();
    // P1 prints, then starts its child: a real process, P1's own child.
    tui.keys(&["1"]);
    tui.wait_screen("P1 at its start", |s| {
        lane(s, 1).is_some_and(|l| l.contains("start child") && l.contains(" ready "))
    });
    tui.keys(&["1"]);
    let started = tui.wait_screen("P2 to be started", |s| {
        tree_lane(s, 2).is_some_and(|l| l.contains(" ready "))
            && lane(s, 1).is_some_and(|l| l.contains(" ready "))
    });
    let parent = lane_pid(lane(&started, 1).unwrap());
    let child = lane_pid(tree_lane(&started, 2).unwrap());
    assert_eq!(
        proc_stat(child).map(|s| s.1),
        Some(parent),
        "P2's ppid is P1"
    );
    // P2 runs its only step and exits; P1 does not join it yet.
    tui.keys(&["2"]);
    let zombie = tui.wait_screen("P2 to show Z", |s| {
        tree_lane(s, 2).is_some_and(|l| l.contains("Z zombie: not joined"))
    });
    assert!(zombie.contains("zombies seen: P2"), "{zombie}");
    assert_eq!(
        proc_stat(child),
        Some(('Z', parent)),
        "the kernel says zombie"
    );
    // P1 sleeps (no time under stepping), then joins: the zombie is reaped.
    tui.keys(&["1"]);
    tui.wait_screen("P1 at its join", |s| {
        lane(s, 1).is_some_and(|l| l.contains("join p") && l.contains(" ready "))
    });
    assert_eq!(proc_stat(child).map(|s| s.0), Some('Z'), "still a zombie");
    tui.keys(&["1"]);
    tui.wait_screen("P2 to be reaped", |s| {
        tree_lane(s, 2).is_some_and(|l| l.contains(" done"))
    });
    assert_eq!(proc_stat(child), None, "reaped: no /proc entry any more");

    tui.quit();
    tui.assert_nothing_left(app);
}

#[test]
fn pool_lesson_measures_every_phase_and_v_shows_the_timeline() {
    let tui = Tui::start_with(Opts {
        args: &["pool"],
        width: 80,
        height: 24,
        ..Opts::default()
    });
    let bars = tui.wait_screen("the pool's measured times", |s| {
        s.contains("100 processes") && s.contains("OK: the pool (start, map, close+join) was")
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

/// The shortest bad schedule the explorer screen shows, as P-numbers.
fn shortest_bad(screen: &str) -> Vec<String> {
    let line = screen
        .lines()
        .find(|l| l.starts_with("shortest bad schedule"))
        .unwrap_or_else(|| panic!("no shortest bad schedule:\n{screen}"));
    let list = line.rsplit(": ").next().unwrap_or_default();
    list.split(',').map(|p| p.trim().to_string()).collect()
}

#[test]
fn explorer_finds_bad_schedules_steps_through_one_saves_and_replays_it() {
    let tui = Tui::start(&["counter"]);
    wait_run_screen(&tui, "Shared counter race");
    let app = tui.app_pid();
    tui.keys(&["e"]);
    let ex = tui.wait_screen("both lock settings explored", |s| {
        s.contains("Explore every schedule")
            && s.matches(" schedules · ").count() == 2
            && s.contains("shortest bad schedule")
    });
    assert!(ex.contains("3 processes · every schedule"), "{ex}");
    // With the lock on no schedule goes wrong; off, some do.
    let on = ex
        .lines()
        .skip_while(|l| !l.contains("every lock ON"))
        .nth(1)
        .unwrap_or_default();
    assert!(on.contains(" 0 broke the check · 0 deadlocked"), "{ex}");
    assert!(
        ex.contains("final count 97") && ex.contains("final count 99"),
        "{ex}"
    );
    let steps = shortest_bad(&ex);
    assert!(steps.len() >= 6, "{steps:?}");

    // Enter opens it on three real processes with the lock off; n follows it.
    tui.keys(&["Enter"]);
    tui.wait_screen("the replay to start", |s| {
        s.contains("Processes 1/3") && s.contains("lock OFF") && s.contains("replay 0/")
    });
    for (i, p) in steps.iter().enumerate() {
        tui.keys(&["n"]);
        tui.wait_screen(&format!("step {} (P{p})", i + 1), |s| {
            lanes_settled(s)
                && (s.contains(&format!("replay {}/", i + 1)) || s.contains("replay done"))
        });
    }
    let done = tui.wait_screen("the replayed run to end", |s| {
        s.contains("replay done") && s.contains("[DONE]")
    });
    assert!(
        done.lines().any(|l| l.starts_with('✗')),
        "the shortest bad schedule goes wrong again:\n{done}"
    );

    // Undo in a replay: the replay goes on from one step earlier.
    tui.keys(&["u"]);
    tui.wait_screen("the last scripted step undone", |s| {
        s.contains("undid P") && !s.contains("[DONE]") && lanes_settled(s)
    });
    tui.keys(&["n"]);
    tui.wait_screen("the replay to end again", |s| {
        s.contains("replay done") && s.contains("[DONE]")
    });

    // s writes the schedule next to where the app runs; it opens again.
    tui.keys(&["s"]);
    let saved = tui.wait_text("schedule saved to");
    let files: Vec<_> = std::fs::read_dir(tui.dir())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".schedule.json"))
        .collect();
    assert_eq!(files.len(), 1, "{saved}");
    let text = std::fs::read_to_string(tui.dir().join(&files[0])).unwrap();
    let file: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(file["lesson"], "counter");
    assert_eq!(file["procs"], 3);
    assert_eq!(file["off"], serde_json::json!(["lock"]));
    let saved_steps: Vec<String> = file["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.to_string())
        .collect();
    assert_eq!(saved_steps, steps);
    tui.quit();
    tui.assert_nothing_left(app);

    let path = tui.dir().join(&files[0]);
    let again = Tui::start(&["--replay", path.to_str().unwrap()]);
    let replayed = again.wait_screen("the saved schedule replayed", |s| {
        s.contains(&format!("replayed all {} steps", steps.len())) && s.contains("[DONE]")
    });
    let verdict = |s: &str| s.lines().find(|l| l.starts_with('✗')).map(str::to_string);
    assert_eq!(
        verdict(&replayed),
        verdict(&done),
        "the same verdict:\n{replayed}"
    );
    let app = again.app_pid();
    again.quit();
    again.assert_nothing_left(app);
}

#[test]
fn help_scrolls_to_its_last_line_at_80x24() {
    let tui = Tui::start_with(Opts {
        args: &["counter"],
        width: 80,
        height: 24,
        ..Opts::default()
    });
    wait_run_screen(&tui, "Shared counter race");
    let app = tui.app_pid();
    tui.keys(&["?"]);
    let top = tui.wait_text("Help — ↑↓ scroll");
    assert!(top.contains("(1–"), "the help says where it is:\n{top}");
    assert!(!top.contains("any other key closes it."), "{top}");
    tui.keys(&["End"]);
    let end = tui.wait_text("any other key closes it.");
    assert!(end.contains("Challenges:"), "{end}");
    tui.keys(&["Up"]);
    tui.wait_screen("one line up", |s| !s.contains("any other key closes it."));
    tui.keys(&["x"]);
    tui.wait_screen("help closed", |s| !s.contains("Help —"));
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
        .position(|l| l.contains("lock.acquire()"))
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

#[test]
fn chat_the_server_waits_in_accept_and_a_child_of_it_serves_the_connection() {
    let tui = Tui::start(&["chat"]);
    wait_run_screen(&tui, "One process per connection");
    let app = tui.app_pid();
    // P1 alone: to its accept, then into it. Nobody has connected: it blocks.
    tui.keys(&["1"]);
    tui.wait_screen("P1 at its accept", |s| {
        lane(s, 1).is_some_and(|l| l.contains("server.accept") && l.contains(" ready "))
    });
    tui.keys(&["1"]);
    tui.wait_screen("P1 to wait in accept", |s| {
        lane(s, 1).is_some_and(|l| l.contains("waits: accept ")) && s.contains("accept: P1")
    });
    // P5 connects: the accept returns.
    tui.keys(&["5"]);
    tui.wait_screen("the accept to return", |s| {
        lane(s, 1).is_some_and(|l| l.contains(" ready ")) && s.contains("c1 P5 ⇄ P1")
    });
    // P1 starts the talk process with the connection.
    tui.keys(&["1"]);
    let started = tui.wait_screen("P2 to be started", |s| {
        tree_lane(s, 2).is_some_and(|l| l.contains(" ready "))
            && s.contains("c1 P5 ⇄ P2")
            && s.contains("open: P5 ⇄ P1 P2")
    });
    let server = lane_pid(lane(&started, 1).unwrap());
    let talk = lane_pid(tree_lane(&started, 2).unwrap());
    assert_eq!(
        proc_stat(talk).map(|s| s.1),
        Some(server),
        "P2's ppid is P1"
    );
    // P1 closes its copy; P5 sends; the text is in flight to P2.
    tui.keys(&["1"]);
    tui.wait_screen("P1 to close its copy", |s| {
        !s.contains("open: P5 ⇄ P1 P2") && lane(s, 1).is_some_and(|l| l.contains(" ready "))
    });
    tui.keys(&["5"]);
    tui.wait_screen("hello in flight", |s| s.contains("→ 'hello 5'"));
    // Play the rest: every reply comes back upper-cased.
    tui.keys(&["p"]);
    let done = tui.wait_text("all 6 replies came back upper-cased");
    assert!(done.contains("got HELLO 5"), "{done}");
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
    assert_eq!(
        header_clock(&screen).as_deref(),
        Some("0 steps"),
        "{screen}"
    );
    tui.keys(&["1"]);
    tui.wait_screen("one step in the header", |s| {
        header_clock(s).as_deref() == Some("1 step")
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

#[test]
fn a_zombie_shows_z_after_the_run_is_done() {
    let tui = Tui::start_with(Opts {
        args: &["event"],
        width: 80,
        height: 24,
        ..Opts::default()
    });
    tui.wait_screen("the event lesson", |s| s.contains("[STEP]"));
    let app = tui.app_pid();
    // Main starts the child and waits on the event; the child is then
    // terminated before it sets it: main waits for ever (DONE), the child is
    // a zombie nobody joins.
    for k in 1..=6 {
        tui.keys(&["1"]);
        let steps = format!("steps: {}", vec!["1"; k].join(","));
        tui.wait_screen(&format!("P1's step {k} to land"), |s| {
            s.lines().any(|l| l == steps) && lanes_settled(s)
        });
    }
    tui.keys(&["Down", "t"]);
    let done = tui.wait_screen("P2 a zombie in a DONE run, Z from /proc", |s| {
        s.contains("[DONE]") && tree_lane(s, 2).is_some_and(|l| l.contains("Z zombie: not joined"))
    });
    let child = lane_pid(tree_lane(&done, 2).unwrap());
    assert_eq!(proc_stat(child).map(|s| s.0), Some('Z'), "{done}");
    tui.quit();
    tui.assert_nothing_left(app);
}

/// Closing the terminal window (the pane's terminal is hung up, the app gets
/// SIGHUP and can no longer write to it) still ends every worker and removes
/// the run directory. Here lockstep is the pane's own process, with no
/// wrapper between, as when a user closes the window it runs in.
#[test]
fn closing_the_terminal_window_leaves_nothing_behind() {
    tmux_or_skip();
    let sandbox = Sandbox::new();
    let dir = sandbox
        .path()
        .to_str()
        .expect("UTF-8 temp path")
        .to_string();
    let socket = format!("lockstep-e2e-hup-{}", std::process::id());
    let tmux = |args: &[&str]| {
        Command::new("tmux")
            .arg("-L")
            .arg(&socket)
            .args(["-f", "/dev/null"])
            .args(args)
            .env("TMUX_TMPDIR", &dir)
            .env_remove("TMUX")
            .env_remove("TMUX_PANE")
            .output()
            .expect("run tmux")
    };
    let command = format!("exec env TMPDIR={dir} XDG_STATE_HOME={dir}/state LANG=C {BIN} counter");
    let out = tmux(&["new-session", "-d", "-x", "80", "-y", "24", &command]);
    assert!(out.status.success(), "{out:?}");
    let run_dirs = || -> Vec<String> {
        std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("lockstep-"))
            .collect()
    };
    wait_until(within(SCREEN_LIMIT), "the lesson's run directory", || {
        !run_dirs().is_empty()
    });
    let pid: u32 = String::from_utf8_lossy(&tmux(&["display-message", "-p", "#{pane_pid}"]).stdout)
        .trim()
        .parse()
        .expect("the pane's pid");
    // Workers running on their own, writing files in the run directory.
    tmux(&["send-keys", "p"]);
    wait_until(within(SCREEN_LIMIT), "the run to play", || {
        String::from_utf8_lossy(&tmux(&["capture-pane", "-p"]).stdout).contains("[RUN]")
    });
    let out = tmux(&["kill-session"]);
    assert!(out.status.success(), "{out:?}");
    wait_until(within(10.0), "the app to end", || ended(pid));
    wait_until(within(10.0), "the run directory to go", || {
        run_dirs().is_empty()
    });
    assert!(semaphores_of(pid).is_empty());
    let _ = tmux(&["kill-server"]);
}
