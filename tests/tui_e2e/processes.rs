//! The real processes behind the lanes: a zombie the kernel reports as Z
//! until its parent joins it (or after the run), and the chat server whose
//! child serves the connection it accepted.

use crate::common::tmux::{Opts, Tui};
use crate::{lane, lanes_settled, wait_run_screen};

/// The lane of P`n` in a process tree, where children are drawn `│├─P2 …`.
fn tree_lane(screen: &str, n: usize) -> Option<&str> {
    let tag = format!("P{n} ");
    screen.lines().find(|l| {
        l.strip_prefix('│')
            .map(|r| r.trim_start_matches(['├', '└', '─', ' ']))
            .is_some_and(|r| r.starts_with(&tag))
    })
}

/// The pid column of a lane: the first number of three digits or more
/// (the listing's name before it may hold a small one: `buyer 0`).
fn lane_pid(lane: &str) -> u32 {
    lane.split_whitespace()
        .find(|w| w.len() >= 3 && w.chars().all(|c| c.is_ascii_digit()))
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
        lane(s, 1).is_some_and(|l| l.contains("p.start()") && l.contains(" ready "))
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
    // P1 sleeps (as written: until 3.00 s on the lesson's clock, which
    // jumps there since nobody else can move), then joins: the zombie is reaped.
    tui.keys(&["1"]);
    tui.wait_screen("P1 asleep before its join", |s| {
        lane(s, 1).is_some_and(|l| l.contains("p.join()") && l.contains("sleeping → 3.00 s"))
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
fn a_zombie_shows_z_after_the_run_is_done() {
    let tui = Tui::start_with(Opts {
        args: &["event"],
        width: 80,
        height: 24,
        ..Opts::default()
    });
    // A key pressed while P1 is still starting is refused: wait for its gate.
    tui.wait_screen("the event lesson, P1 at its gate", |s| {
        s.contains("[STEP]") && lanes_settled(s)
    });
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

#[test]
fn chat_the_server_waits_in_accept_and_a_child_of_it_serves_the_connection() {
    let tui = Tui::start(&["chat"]);
    wait_run_screen(&tui, "One process per connection");
    let app = tui.app_pid();
    // P1 alone: to its accept, then into it. Nobody has connected: it blocks.
    tui.keys(&["1"]);
    tui.wait_screen("P1 at its accept", |s| {
        lane(s, 1).is_some_and(|l| l.contains("conn, addr =") && l.contains(" ready "))
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
    assert!(done.contains("HELLO 5"), "{done}");
    tui.quit();
    tui.assert_nothing_left(app);
}
