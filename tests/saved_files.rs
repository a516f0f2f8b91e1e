//! The app's `s` (save the schedule) never loses or overwrites a file: two
//! saves in one second make two files, and a symbolic link planted at the
//! name it would use is neither followed nor replaced.

mod common;

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use common::tmux::Tui;
use common::{wait_until, within};

/// Names of the `*.schedule.json` entries in `dir`, sorted.
fn schedules(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".schedule.json"))
        .collect();
    names.sort();
    names
}

/// `counter` (working in its sandbox) after one step.
fn one_step() -> Tui {
    let tui = Tui::start(&["counter"]);
    let screen = tui.wait_text("[STEP]");
    tui.press_and_wait_change("n", &screen);
    tui.wait_text("steps: 1");
    tui
}

fn is_schedule(path: &Path) -> bool {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    let ok = v["lockstep_schedule"].is_u64() && v["steps"] == serde_json::json!([1]);
    if !ok {
        eprintln!("{}: {text}", path.display());
    }
    ok
}

#[test]
fn two_saves_in_one_second_make_two_files() {
    let tui = one_step();
    tui.keys(&["s", "s"]);
    wait_until(within(20.0), "two schedule files", || {
        schedules(tui.dir()).len() >= 2
    });
    let names = schedules(tui.dir());
    assert_eq!(names.len(), 2, "{names:?}");
    for n in &names {
        assert!(
            is_schedule(&tui.dir().join(n)),
            "{n} is not the run's schedule"
        );
    }
    let pid = tui.app_pid();
    tui.quit();
    tui.assert_nothing_left(pid);
}

#[test]
fn a_link_planted_at_the_name_is_not_followed() {
    let tui = one_step();
    let dir = tui.dir().to_path_buf();
    let victim = dir.join("victim.txt");
    std::fs::write(&victim, "precious").unwrap();
    // Another user plants links at every name `s` could pick in the next minute.
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    for stamp in now - 1..now + 60 {
        let name = dir.join(format!("counter-{stamp}.schedule.json"));
        std::os::unix::fs::symlink(&victim, name).unwrap();
    }
    tui.keys(&["s"]);
    let screen = tui.wait_text("schedule saved to");
    assert_eq!(
        std::fs::read_to_string(&victim).unwrap(),
        "precious",
        "the save wrote through the planted link"
    );
    let written: Vec<String> = schedules(&dir)
        .into_iter()
        .filter(|n| {
            let m = std::fs::symlink_metadata(dir.join(n)).unwrap();
            !m.file_type().is_symlink()
        })
        .collect();
    assert_eq!(written.len(), 1, "one new file: {written:?}\n{screen}");
    assert!(written[0].ends_with("-2.schedule.json"), "{written:?}");
    assert!(is_schedule(&dir.join(&written[0])));
    assert!(screen.contains(&written[0]), "the note names it:\n{screen}");
    tui.quit();
}
