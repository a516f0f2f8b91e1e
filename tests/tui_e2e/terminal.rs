//! The terminal the app runs in: restored after quit and after SIGTERM,
//! a closed window leaves nothing behind, a terminal too small says so, and
//! NO_COLOR keeps the selection visible.

use std::process::Command;

use crate::common::tmux::{Opts, SCREEN_LIMIT, Tui, tmux_or_skip};
use crate::common::{BIN, Sandbox, ended, semaphores_of, wait_until, within};
use crate::{lanes_settled, wait_run_screen};

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
