//! Every built-in goal won by a deadlock can be saved and handed in: a
//! schedule file with the SIGTERM the app's `t` sends (format 2: `sigterms`
//! and `timing`) replays to the deadlock, the goal is won on the replay
//! (checked live, as the app does), `lockstep run FILE` reports it, and the
//! app, opening the file, records the win in the progress file.

mod common;

use std::path::Path;

use common::tmux::Tui;
use common::{BIN, Sandbox, wait_until, within};
use lockstep::challenge::Pursuit;
use lockstep::drive::{Options, Pace, run_to_end};
use lockstep::lesson::builtins;
use lockstep::schedule::Policy;
use lockstep::schedule_file::ScheduleFile;

/// A winning schedule for each deadlock goal, every step to the deadlock,
/// as the app saves it after the win (`s`): lesson, goal, the file.
const WINS: &[(&str, &str, &str)] = &[
    (
        "bathroom",
        "stuck_door",
        // P1 takes the lock and goes inside; `t` on P1; P2 waits for ever.
        r#"{"lockstep_schedule": 2, "lesson": "bathroom", "timing": "any", "seed": 1,
            "steps": [1, 1, 2], "sigterms": [{"after_step": 2, "proc": 1}]}"#,
    ),
    (
        "event",
        "wait_forever",
        // Main starts the child; `t` on the child before it sets the event;
        // main goes on to wait for it.
        r#"{"lockstep_schedule": 2, "lesson": "event", "timing": "as_written", "seed": 1,
            "steps": [1, 1, 1, 1, 1, 1], "sigterms": [{"after_step": 3, "proc": 2}]}"#,
    ),
    (
        "queue",
        "never_done",
        // Main starts all four, P2 puts an item, P4 gets it; `t` on P4
        // before its task_done; the others go on round-robin until main
        // waits in q.join() and P5 on the empty queue.
        r#"{"lockstep_schedule": 2, "lesson": "queue", "timing": "any", "seed": 1,
            "steps": [1,1,1,1,2,2,2,2,2,2,4,5,1,2,3,2,3,2,3,2,3,2,3,2,3,5,2,3,5,2,3,5,2,3,
                      5,2,3,5,2,3,5,2,3,5,2,3,5,2,3,5,2,3,5,2,3,5,2,3,5,2,3,5,2,3,5,2,3,5,
                      2,3,5,1,3,5,3,5,3,5,3,5,3,5,3,5,1,5,5,5],
            "sigterms": [{"after_step": 11, "proc": 4}]}"#,
    ),
];

/// Replay the schedule file at `path` as `lockstep run FILE` does, checking
/// the goals live; the ids of the goals won.
fn goals_won_on_replay(path: &Path) -> Vec<String> {
    let replay = ScheduleFile::open(path).expect("the schedule file loads");
    let file = replay.file;
    let opts = Options {
        off: file.off.clone(),
        speed: replay.lesson.speed,
        pace: Pace::Scheduled(Policy::Steps(file.steps.clone())),
        seed: file.seed.unwrap_or(1),
        timing: Some(file.timing()),
        sigterms: file.sigterms.clone(),
    };
    let goals = replay.lesson.goals.clone();
    let mut pursuit = Pursuit::new(&goals, |_| false);
    let mut won = Vec::new();
    let mut watch = |_: &lockstep::wire::Event, state: &lockstep::model::RunState| {
        for i in pursuit.check(&goals, state) {
            won.push(goals[i].id.clone());
        }
    };
    run_to_end(&replay.lesson, &opts, Path::new(BIN), &mut watch).expect("the replay runs");
    won
}

#[test]
fn every_deadlock_goal_has_a_winning_schedule_here() {
    for lesson in builtins() {
        let id = lesson.id.as_str();
        for g in lesson.goals.iter().filter(|g| g.win.deadlock == Some(true)) {
            assert!(
                WINS.iter().any(|(l, goal, _)| *l == id && *goal == g.id),
                "{id}'s goal {} is won by a deadlock: add a winning schedule file to WINS",
                g.id
            );
        }
    }
}

#[test]
fn a_saved_deadlock_win_with_a_sigterm_is_won_again_on_replay() {
    let sb = Sandbox::new();
    for (lesson, goal, text) in WINS {
        let path = sb.path().join(format!("{lesson}.schedule.json"));
        std::fs::write(&path, text).unwrap();
        let won = goals_won_on_replay(&path);
        assert!(
            won.iter().any(|g| g == goal),
            "{lesson}: replaying the saved run wins {won:?}, not {goal}"
        );
        // Headless, the same file ends in the deadlock, with the SIGTERM
        // sent, and saves again with it.
        let again = sb.path().join(format!("{lesson}.again.schedule.json"));
        let f = path.to_str().unwrap();
        let (_, s) = sb.run_json(&["run", f, "--save", again.to_str().unwrap(), "--json"]);
        assert!(!s["deadlock"].is_null(), "{lesson}: {s}");
        let saved = ScheduleFile::load(&again).expect("saved again");
        let first = ScheduleFile::load(&path).unwrap();
        assert_eq!(saved.sigterms, first.sigterms, "{lesson}");
        assert_eq!(saved.timing, first.timing, "{lesson}");
        assert_eq!(goals_won_on_replay(&again), won, "{lesson}: saved again");
    }
}

#[test]
fn the_app_opening_a_saved_deadlock_win_records_it() {
    let files = tempfile::tempdir().unwrap();
    for (lesson, goal, text) in WINS {
        let path = files.path().join(format!("{lesson}.schedule.json"));
        std::fs::write(&path, text).unwrap();
        let tui = Tui::start(&[path.to_str().unwrap()]);
        wait_until(
            within(20.0),
            &format!("{lesson}'s {goal} in the progress file"),
            || tui.progress().contains(goal),
        );
        let screen = tui.wait_text("★ Challenge won");
        assert!(screen.contains("DEADLOCK"), "{lesson}:\n{screen}");
        let pid = tui.app_pid();
        tui.quit();
        tui.assert_nothing_left(pid);
    }
}
