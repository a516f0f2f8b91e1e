//! The lesson picker and the help: opening a lesson and going back, the
//! help's keys and its scrolling on a small terminal.

use crate::common::tmux::{Opts, Tui};
use crate::common::{wait_until, within};
use crate::{lane, wait_run_screen};

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
        p1.contains(" ready ") && p1.contains("lock.acquire()  :5"),
        "P1 did not stay at its first gate: {p1:?}"
    );

    // q in the help quits the app, as it does everywhere.
    tui.keys(&["?"]);
    tui.wait_text("Help —");
    tui.quit();
    tui.assert_nothing_left(app);
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
    assert!(end.contains("Other lessons:"), "{end}");
    tui.keys(&["Up"]);
    tui.wait_screen("one line up", |s| !s.contains("any other key closes it."));
    tui.keys(&["x"]);
    tui.wait_screen("help closed", |s| !s.contains("Help —"));
    tui.quit();
    tui.assert_nothing_left(app);
}
