//! The sweep at start: remove the run directories and named semaphores a
//! killed lockstep left behind (it could not clean up itself), like Python's
//! `resource_tracker`, but done by the next start.
//!
//! Something is taken only when all three hold: it is this user's, the pid
//! in its name is not alive here, and no one holds its lock. The pid alone
//! means nothing across PID namespaces (two containers sharing TMPDIR); the
//! lock, held by every live run, does.

use std::fs::{self, File};
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use super::PREFIX;
use crate::platform;

/// The pid in a `lockstep-<pid>-…` name, if it is one of ours.
pub(super) fn owner(name: &str) -> Option<u32> {
    name.strip_prefix(PREFIX)?.split('-').next()?.parse().ok()
}

/// The pid named is not alive in this PID namespace.
fn dead(pid: u32) -> bool {
    pid != std::process::id() && !platform::alive(pid)
}

/// `path` is this user's and no live run holds it: its lock, held until
/// the returned file is dropped (remove it before that).
fn unclaimed(path: &Path) -> Option<File> {
    let meta = fs::symlink_metadata(path).ok()?;
    if meta.uid() != platform::effective_uid() || meta.file_type().is_symlink() {
        return None;
    }
    let file = File::open(path).ok()?;
    platform::lock_file(&file, true, false)
        .ok()
        .filter(|got| *got)
        .map(|_| file)
}

/// End the processes a dead run left running: a real program's child that
/// never reached a gate again (a loop that reports nothing) does not see
/// its run go. Each carries its run's directory in its environment.
fn end_stale_processes() -> usize {
    let mut ended = 0;
    for (pid, dir) in platform::processes_with_env(super::RUN_DIR_ENV) {
        let run = Path::new(&dir)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned());
        // As for the directory itself: its run's pid is not alive here and
        // no live run holds its lock (a run of another PID namespace does).
        if pid != std::process::id()
            && run.as_deref().and_then(owner).is_some_and(dead)
            && unclaimed(Path::new(&dir)).is_some()
            && platform::signal_process(pid, libc::SIGKILL).is_ok()
        {
            ended += 1;
        }
    }
    ended
}

/// Remove what dead runs left; how many things were removed.
pub fn sweep_stale() -> usize {
    let mut removed = end_stale_processes();
    if let Ok(entries) = fs::read_dir(std::env::temp_dir()) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if !owner(&name).is_some_and(dead) {
                continue;
            }
            if let Some(_lock) = unclaimed(&e.path())
                && fs::remove_dir_all(e.path()).is_ok()
            {
                removed += 1;
            }
        }
    }
    for name in platform::named_semaphores() {
        let Some(sem) = name.strip_prefix('/') else {
            continue;
        };
        if !owner(sem).is_some_and(dead) {
            continue;
        }
        let Some(file) = platform::semaphore_file(&name) else {
            continue;
        };
        if let Some(_lock) = unclaimed(&file)
            && platform::unlink_semaphore(&name).is_ok()
        {
            removed += 1;
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owner_pid_is_parsed() {
        assert_eq!(owner("lockstep-123-4"), Some(123));
        assert_eq!(owner("lockstep-123-00ff00ff00ff00ff-0"), Some(123));
        assert_eq!(owner("other-123"), None);
    }
}
