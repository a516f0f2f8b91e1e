//! End-to-end tests of the interactive app: the real binary runs in a real
//! terminal (a private tmux server per test, `common::tmux`), keys go in with
//! `send-keys`, and the screen comes back with `capture-pane`. Every wait
//! polls with a deadline; nothing sleeps a fixed time.
//!
//! A failure prints the last screen, lockstep's stderr and the pane's
//! processes with their threads' kernel wait channels; with
//! `LOCKSTEP_E2E_GDB=1` also every thread's stack (needs gdb), which is how a
//! hang on quit is best told apart from a lost key.
//!
//! Grouped by what they check: the terminal the app runs in (`terminal`),
//! stepping a run with keys and clicks (`stepping`), the real processes
//! behind the lanes (`processes`), the lesson picker and the help
//! (`picker_and_help`), the timing views (`timing`) and the explorer
//! (`explorer`). The lane readers below are shared by them.

#[path = "../common/mod.rs"]
mod common;

mod explorer;
mod picker_and_help;
mod processes;
mod stepping;
mod terminal;
mod timing;

use common::tmux::Tui;

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

/// No visible lane is still starting or running its last step (the side
/// panel beside it aside).
fn lanes_settled(screen: &str) -> bool {
    !lanes(screen)
        .map(|l| l.split("││").next().unwrap_or(l))
        .any(|l| l.contains(" starting ") || l.contains(" running "))
}

/// The lane of P`n`.
fn lane(screen: &str, n: usize) -> Option<&str> {
    let tag = format!("│P{n} ");
    screen.lines().find(|l| l.starts_with(&tag))
}
