//! The learner's progress: which challenges were won, kept in a small JSON
//! file under the user's state directory (`$XDG_STATE_HOME/lockstep/`, else
//! `~/.local/state/lockstep/`). A file we cannot read is never overwritten:
//! progress made now is then kept for this session only, and every win says
//! it was not saved. A save merges with what is on disk under a file lock
//! (see `save`), so two apps open at once lose no win.

mod save;

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The challenges the learner has won, as saved in the file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WonChallenges {
    /// Lesson id → ids of the goals won.
    #[serde(default)]
    pub won: BTreeMap<String, BTreeSet<String>>,
}

/// The won challenges and where they live.
#[derive(Debug, Clone)]
pub struct Store {
    pub progress: WonChallenges,
    path: Option<PathBuf>,
    /// Why the file is not used (unreadable, no home): shown to the learner once.
    pub problem: Option<String>,
    /// Why the last win could not be saved, until a save succeeds.
    pub unsaved: Option<String>,
}

impl WonChallenges {
    pub fn has_won(&self, lesson: &str, goal: &str) -> bool {
        self.won.get(lesson).is_some_and(|g| g.contains(goal))
    }

    pub fn won_in(&self, lesson: &str) -> usize {
        self.won.get(lesson).map_or(0, BTreeSet::len)
    }
}

/// Where the progress file lives, from the environment.
pub fn default_path() -> Option<PathBuf> {
    let base = match std::env::var_os("XDG_STATE_HOME").filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(std::env::var_os("HOME").filter(|v| !v.is_empty())?)
            .join(".local")
            .join("state"),
    };
    Some(base.join("lockstep").join("progress.json"))
}

impl Store {
    /// A store that keeps progress in memory only.
    pub fn in_memory() -> Store {
        Store {
            progress: WonChallenges::default(),
            path: None,
            problem: None,
            unsaved: None,
        }
    }

    /// Load from `path`; a missing file is an empty progress.
    pub fn open(path: Option<PathBuf>) -> Store {
        let Some(path) = path else {
            return Store {
                problem: Some("no HOME or XDG_STATE_HOME: progress is not saved".into()),
                ..Store::in_memory()
            };
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => match serde_json::from_str(&text) {
                Ok(progress) => Store {
                    progress,
                    path: Some(path),
                    ..Store::in_memory()
                },
                Err(e) => Store {
                    problem: Some(format!(
                        "failed to read progress {}:{}:{}: {}; it is left as it is and progress is not saved",
                        path.display(),
                        e.line(),
                        e.column(),
                        e
                    )),
                    ..Store::in_memory()
                },
            },
            Err(e) if e.kind() == io::ErrorKind::NotFound => Store {
                path: Some(path),
                ..Store::in_memory()
            },
            Err(e) => Store {
                problem: Some(format!(
                    "failed to read progress {}: {e}; progress is not saved",
                    path.display()
                )),
                ..Store::in_memory()
            },
        }
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Record a win and save it, merged with what the file holds now (an
    /// app open beside this one may have won others); an error leaves the
    /// win in memory and is kept in `unsaved` until a save succeeds.
    pub fn record(&mut self, lesson: &str, goal: &str) -> io::Result<()> {
        let fresh = self
            .progress
            .won
            .entry(lesson.to_string())
            .or_default()
            .insert(goal.to_string());
        if !fresh && self.unsaved.is_none() {
            return Ok(());
        }
        let result = match (&self.path, &self.problem) {
            (Some(path), _) => save::merge_and_write(path, &self.progress).map(|now| {
                self.progress = now;
            }),
            (None, Some(problem)) => Err(io::Error::other(problem.clone())),
            (None, None) => Ok(()),
        };
        self.unsaved = result.as_ref().err().map(ToString::to_string);
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wins_are_saved_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lockstep").join("progress.json");
        let mut s = Store::open(Some(path.clone()));
        assert!(s.problem.is_none());
        assert!(!s.progress.has_won("ticket", "oversell"));
        s.record("ticket", "oversell").unwrap();
        s.record("ticket", "oversell").unwrap();
        let again = Store::open(Some(path));
        assert!(again.progress.has_won("ticket", "oversell"));
        assert_eq!(again.progress.won_in("ticket"), 1);
        assert_eq!(again.progress.won_in("counter"), 0);
    }

    #[test]
    fn a_broken_file_is_named_and_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("progress.json");
        std::fs::write(&path, "{\"won\": [oops").unwrap();
        let mut s = Store::open(Some(path.clone()));
        let problem = s.problem.clone().unwrap();
        assert!(
            problem.contains("progress.json:1:"),
            "names file and position: {problem}"
        );
        let err = s.record("ticket", "oversell").unwrap_err();
        assert!(err.to_string().contains("progress.json:1:"), "{err}");
        assert!(s.progress.has_won("ticket", "oversell"), "kept in memory");
        assert!(s.unsaved.is_some(), "the win says it was not saved");
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "{\"won\": [oops",
            "the broken file is left alone"
        );
    }
}
