//! The explorer screen: every schedule explored, the shortest bad one
//! stepped through, saved, and replayed from its file.

use crate::common::tmux::Tui;
use crate::{lanes_settled, wait_run_screen};

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
            && s.matches(" broke the check · ").count() == 2
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
