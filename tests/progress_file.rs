//! The challenge progress file loses nothing: apps open at once each keep
//! their wins (a file lock and a merge on every save), a save keeps the
//! fields it does not know, a symbolic link stays a link and a file keeps
//! its mode. The app's side (a win not saved says so) is in `progress_app`.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use lockstep::progress::Store;

fn progress_path(dir: &Path) -> PathBuf {
    dir.join("lockstep").join("progress.json")
}

fn read(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn two_apps_open_at_once_keep_both_wins() {
    let dir = tempfile::tempdir().unwrap();
    let path = progress_path(dir.path());
    // Both read the (missing) file before either wins.
    let mut first = Store::open(Some(path.clone()));
    let mut second = Store::open(Some(path.clone()));
    first.record("event", "main_waits").unwrap();
    second.record("chat", "accept_blocks").unwrap();
    let again = Store::open(Some(path));
    assert!(
        again.progress.has_won("event", "main_waits"),
        "the first app's win was overwritten: {:?}",
        again.progress
    );
    assert!(again.progress.has_won("chat", "accept_blocks"));
    assert!(
        second.progress.has_won("event", "main_waits"),
        "the second app now knows the first one's win too"
    );
}

#[test]
fn many_writers_at_once_lose_no_win() {
    let dir = tempfile::tempdir().unwrap();
    let path = progress_path(dir.path());
    let writers: Vec<_> = (0..8)
        .map(|i| {
            let path = path.clone();
            std::thread::spawn(move || {
                let mut s = Store::open(Some(path));
                for g in 0..5 {
                    s.record(&format!("lesson{i}"), &format!("goal{g}"))
                        .unwrap();
                }
            })
        })
        .collect();
    for w in writers {
        w.join().unwrap();
    }
    let all = Store::open(Some(path.clone()));
    for i in 0..8 {
        assert_eq!(
            all.progress.won_in(&format!("lesson{i}")),
            5,
            "lesson{i}: {:?}",
            all.progress
        );
    }
    let left: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
}

#[test]
fn a_save_keeps_fields_it_does_not_know() {
    let dir = tempfile::tempdir().unwrap();
    let path = progress_path(dir.path());
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(
        &path,
        r#"{"won": {"ticket": ["oversell"], "future": ["x"]}, "theme": "dark", "stats": {"runs": 7}}"#,
    )
    .unwrap();
    let mut s = Store::open(Some(path.clone()));
    s.record("counter", "end_at_99").unwrap();
    let doc = read(&path);
    assert_eq!(doc["theme"], "dark", "{doc}");
    assert_eq!(doc["stats"]["runs"], 7, "{doc}");
    assert_eq!(doc["won"]["future"][0], "x", "{doc}");
    assert_eq!(doc["won"]["ticket"][0], "oversell", "{doc}");
    assert_eq!(doc["won"]["counter"][0], "end_at_99", "{doc}");
}

#[test]
fn a_symlinked_file_stays_a_link_and_its_target_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = progress_path(dir.path());
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let real = dir.path().join("dotfiles").join("progress.json");
    std::fs::create_dir_all(real.parent().unwrap()).unwrap();
    std::fs::write(&real, r#"{"won": {}}"#).unwrap();
    std::os::unix::fs::symlink(&real, &path).unwrap();
    let mut s = Store::open(Some(path.clone()));
    s.record("ticket", "oversell").unwrap();
    let meta = std::fs::symlink_metadata(&path).unwrap();
    assert!(
        meta.file_type().is_symlink(),
        "progress.json is no longer a link"
    );
    assert_eq!(read(&real)["won"]["ticket"][0], "oversell");
}

#[test]
fn a_save_keeps_the_files_mode() {
    let dir = tempfile::tempdir().unwrap();
    let path = progress_path(dir.path());
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, r#"{"won": {}}"#).unwrap();
    for mode in [0o444, 0o600] {
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        let mut s = Store::open(Some(path.clone()));
        s.record("ticket", &format!("goal{mode}")).unwrap();
        let now = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(now, mode, "mode {mode:o} became {now:o}");
    }
}

#[test]
fn a_file_broken_while_the_app_runs_is_left_alone_and_the_win_is_unsaved() {
    let dir = tempfile::tempdir().unwrap();
    let path = progress_path(dir.path());
    let mut s = Store::open(Some(path.clone()));
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, "{\"won\": [oops").unwrap();
    let err = s.record("ticket", "oversell").unwrap_err();
    assert!(err.to_string().contains("progress.json"), "{err}");
    assert!(s.unsaved.is_some());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "{\"won\": [oops");
    // Fixed by hand: the next save writes the win kept in memory too.
    std::fs::write(&path, "{}").unwrap();
    s.record("counter", "end_at_99").unwrap();
    assert!(s.unsaved.is_none());
    let again = Store::open(Some(path));
    assert!(again.progress.has_won("ticket", "oversell"));
    assert!(again.progress.has_won("counter", "end_at_99"));
}
