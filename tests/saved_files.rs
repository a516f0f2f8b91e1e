//! The app's `s` (save the schedule) never loses or overwrites a file: two
//! saves in one second make two files, and a symbolic link planted at the
//! name it would use is neither followed nor replaced.

mod app_in_tmux;
mod common;

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use app_in_tmux::App;
use common::{Sandbox, wait_until, within};

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

/// Open `counter` in `cwd` and take one step.
fn one_step_in(sb: &Sandbox, cwd: &Path) -> Option<App> {
    let app = App::start(sb, &sb.path().join("state"), cwd, &["counter"])?;
    app.wait_text("[STEP]");
    app.tmux(&["send-keys", "n"]);
    app.wait_text("steps: 1");
    Some(app)
}

fn is_schedule(path: &Path) -> bool {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    v["lockstep_schedule"] == 1 && v["steps"] == serde_json::json!([1])
}

#[test]
fn two_saves_in_one_second_make_two_files() {
    let sb = Sandbox::new();
    let cwd = sb.path().join("work");
    std::fs::create_dir(&cwd).unwrap();
    let Some(app) = one_step_in(&sb, &cwd) else {
        return;
    };
    app.tmux(&["send-keys", "s", "s"]);
    wait_until(within(20.0), "two schedule files", || {
        schedules(&cwd).len() >= 2
    });
    let names = schedules(&cwd);
    assert_eq!(names.len(), 2, "{names:?}");
    for n in &names {
        assert!(is_schedule(&cwd.join(n)), "{n} is not the run's schedule");
    }
}

#[test]
fn a_link_planted_at_the_name_is_not_followed() {
    let sb = Sandbox::new();
    let cwd = sb.path().join("shared");
    std::fs::create_dir(&cwd).unwrap();
    let victim = sb.path().join("victim.txt");
    std::fs::write(&victim, "precious").unwrap();
    // Another user plants links at every name `s` could pick in the next minute.
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    for stamp in now - 1..now + 60 {
        let name = cwd.join(format!("counter-{stamp}.schedule.json"));
        std::os::unix::fs::symlink(&victim, name).unwrap();
    }
    let Some(app) = one_step_in(&sb, &cwd) else {
        return;
    };
    app.tmux(&["send-keys", "s"]);
    let screen = app.wait_text("schedule saved to");
    assert_eq!(
        std::fs::read_to_string(&victim).unwrap(),
        "precious",
        "the save wrote through the planted link"
    );
    let written: Vec<String> = schedules(&cwd)
        .into_iter()
        .filter(|n| {
            let m = std::fs::symlink_metadata(cwd.join(n)).unwrap();
            !m.file_type().is_symlink()
        })
        .collect();
    assert_eq!(written.len(), 1, "one new file: {written:?}\n{screen}");
    assert!(written[0].ends_with("-2.schedule.json"), "{written:?}");
    assert!(is_schedule(&cwd.join(&written[0])));
    assert!(screen.contains(&written[0]), "the note names it:\n{screen}");
}
