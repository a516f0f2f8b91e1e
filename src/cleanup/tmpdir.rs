//! What went wrong making a run's files in TMPDIR, named: what was being
//! made, where, which directory TMPDIR is, and the system's reason. The
//! sentences are in `words::report::tmpdir`.

use std::io;
use std::path::{Path, PathBuf};

/// What was being made when TMPDIR failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Making {
    /// The run's private directory.
    RunDir,
    /// A file in it (a shared value, a process's stderr).
    File,
    /// The run's Unix socket.
    Socket,
}

/// A failure in TMPDIR, carried inside an `io::Error` (of the same kind).
#[derive(Debug)]
pub struct TmpDirProblem {
    pub making: Making,
    /// The directory TMPDIR names (or `/tmp` when it is not set).
    pub tmpdir: PathBuf,
    pub path: PathBuf,
    pub source: io::Error,
}

impl std::error::Error for TmpDirProblem {}

/// `e` as an error that names TMPDIR and `path` (its kind kept).
pub fn in_tmpdir(making: Making, path: &Path, e: io::Error) -> io::Error {
    if tmpdir_problem(&e).is_some() {
        return e;
    }
    let kind = e.kind();
    io::Error::new(
        kind,
        TmpDirProblem {
            making,
            tmpdir: std::env::temp_dir(),
            path: path.to_path_buf(),
            source: e,
        },
    )
}

/// The TMPDIR failure inside `e`, if it is one.
pub fn tmpdir_problem(e: &io::Error) -> Option<&TmpDirProblem> {
    e.get_ref()?.downcast_ref()
}
