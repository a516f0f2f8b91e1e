//! Nothing leaks: a run's private directory, the registry of what is alive
//! (process groups, semaphore names, directories) so a signal can clean up,
//! and the sweep that removes what a killed lockstep left behind.
//!
//! A run's names cannot be guessed (`lockstep-<pid>-<64 random bits>`), and
//! a live run holds a lock (`flock`) on its directory and on each of its
//! semaphores' files: the sweep removes only what no one holds, so runs in
//! other PID namespaces sharing TMPDIR or /dev/shm are left alone.

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::platform;

mod sweep;
mod tmpdir;

pub use sweep::sweep_stale;
pub use tmpdir::{Making, TmpDirProblem, in_tmpdir, tmpdir_problem};

/// Everything named after this prefix belongs to lockstep: `lockstep-<pid>-…`.
const PREFIX: &str = "lockstep-";

/// Environment variable with the run's private directory: a process that
/// carries it belongs to that run (the sweep ends it once its run is dead).
pub const RUN_DIR_ENV: &str = "LOCKSTEP_DIR";

/// A live semaphore's name, and the lock on its file that says it lives.
struct Claimed {
    name: String,
    _lock: Option<File>,
}

#[derive(Default)]
struct Registry {
    groups: Vec<u32>,
    semaphores: Vec<Claimed>,
    dirs: Vec<PathBuf>,
    /// A stop cleaned up: nothing new may be made (another thread could be
    /// starting a run while the process exits).
    stopping: bool,
}

static LIVE: Mutex<Registry> = Mutex::new(Registry {
    groups: Vec::new(),
    semaphores: Vec::new(),
    dirs: Vec::new(),
    stopping: false,
});

fn stopping_error() -> io::Error {
    io::Error::other("lockstep is stopping")
}

fn with_registry(f: impl FnOnce(&mut Registry)) {
    let mut guard = LIVE.lock().unwrap_or_else(|p| p.into_inner());
    f(&mut guard);
}

/// Register a started process group; once stopping, it is killed at once.
pub fn register_group(pgid: u32) {
    with_registry(|r| {
        if r.stopping {
            let _ = platform::kill_group(pgid);
        } else {
            r.groups.push(pgid);
        }
    });
}

pub fn forget_group(pgid: u32) {
    with_registry(|r| r.groups.retain(|g| *g != pgid));
}

/// Create a named semaphore and register it in one step, under the
/// registry's lock, so a stop cannot fall between the two; refused once stopping.
pub fn create_semaphore(name: &str, permits: u32) -> io::Result<platform::NamedSemaphore> {
    let mut r = LIVE.lock().unwrap_or_else(|p| p.into_inner());
    if r.stopping {
        return Err(stopping_error());
    }
    let sem = platform::NamedSemaphore::create(name, permits)?;
    // Held while the run lives: a sweep by another lockstep leaves it be.
    let lock = match claim_semaphore(name) {
        Ok(lock) => lock,
        Err(e) => {
            let _ = platform::unlink_semaphore(name);
            return Err(e);
        }
    };
    r.semaphores.push(Claimed {
        name: name.to_string(),
        _lock: lock,
    });
    Ok(sem)
}

/// A shared lock on the semaphore's file, if the platform shows one; an
/// error if a sweep took the name away before the lock was held.
fn claim_semaphore(name: &str) -> io::Result<Option<File>> {
    let Some(path) = platform::semaphore_file(name) else {
        return Ok(None);
    };
    let file = File::open(&path)?;
    if !platform::lock_file(&file, false, false)? || !same_file(&file, &path) {
        return Err(io::Error::other(format!(
            "semaphore {name} was removed as it was made"
        )));
    }
    Ok(Some(file))
}

/// `file` is still what `path` names (a sweep did not remove it meanwhile).
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

pub fn forget_semaphore(name: &str) {
    with_registry(|r| r.semaphores.retain(|s| s.name != name));
}

static ON_STOP: Mutex<Option<fn()>> = Mutex::new(None);

/// Something to run first when a signal stops lockstep (restoring the terminal).
pub fn on_stop(f: fn()) {
    *ON_STOP.lock().unwrap_or_else(|p| p.into_inner()) = Some(f);
}

/// Kill every live worker group, unlink every semaphore, remove every run
/// directory. Called on SIGINT/SIGTERM/SIGHUP before the process exits.
pub fn cleanup_all() {
    if let Some(f) = *ON_STOP.lock().unwrap_or_else(|p| p.into_inner()) {
        // Whatever happens there, the cleanup below must run.
        let _ = std::panic::catch_unwind(f);
    }
    with_registry(|r| {
        r.stopping = true;
        for g in r.groups.drain(..) {
            let _ = platform::kill_group(g);
        }
        for s in r.semaphores.drain(..) {
            let _ = platform::unlink_semaphore(&s.name);
        }
        for d in r.dirs.drain(..) {
            remove_while_dying(&d);
        }
    });
}

/// Remove a run directory whose workers were just sent SIGKILL: one still
/// on a CPU for a moment may add a file (a value's temporary copy) while
/// the directory is emptied, and the removal then fails. Try again, briefly.
fn remove_while_dying(dir: &Path) {
    for _ in 0..100 {
        if fs::remove_dir_all(dir).is_ok() || !dir.exists() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
}

/// A run's private directory (mode 0700): shared values, the socket, stderr
/// files. Locked while the run lives.
#[derive(Debug)]
pub struct RunDir {
    path: PathBuf,
    /// Unique per run, and not to be guessed; names the run's semaphores too.
    tag: String,
    /// The directory itself, opened and locked: the run lives while it is held.
    _lock: File,
}

impl RunDir {
    /// A new directory in TMPDIR under a name no one could have taken
    /// before: a name found taken is left alone and another drawn.
    pub fn create() -> io::Result<RunDir> {
        let mut r = LIVE.lock().unwrap_or_else(|p| p.into_inner());
        if r.stopping {
            return Err(stopping_error());
        }
        let mut last = None;
        for _ in 0..16 {
            let tag = format!(
                "{PREFIX}{}-{:016x}",
                std::process::id(),
                rand::random::<u64>()
            );
            let path = std::env::temp_dir().join(&tag);
            match platform::create_private_dir(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    last = Some(e);
                    continue;
                }
                Err(e) => return Err(in_tmpdir(Making::RunDir, &path, e)),
            }
            let lock = File::open(&path).map_err(|e| in_tmpdir(Making::RunDir, &path, e))?;
            // Another lockstep's sweep may have taken it in the moment between.
            if !platform::lock_file(&lock, true, false)? || !same_file(&lock, &path) {
                last = Some(io::Error::other(
                    "the run directory was swept as it was made",
                ));
                continue;
            }
            r.dirs.push(path.clone());
            return Ok(RunDir {
                path,
                tag,
                _lock: lock,
            });
        }
        Err(last.unwrap_or_else(|| io::Error::other("no free run directory name")))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn socket(&self) -> PathBuf {
        self.path.join("sock")
    }

    /// Kernel name of the run's `i`-th semaphore: `/lockstep-<pid>-<random>-<i>`.
    pub fn semaphore_name(&self, i: usize) -> String {
        format!("/{}-{i}", self.tag)
    }
}

/// Where a shared value lives inside a run directory. Names are validated to
/// `[a-z0-9_]`, so this never leaves the directory.
pub fn value_path(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!("v-{name}"))
}

impl Drop for RunDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.path);
        with_registry(|r| r.dirs.retain(|d| *d != self.path));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_dir_is_private_and_removed() {
        use std::os::unix::fs::PermissionsExt;
        let dir = RunDir::create().unwrap();
        let path = dir.path().to_path_buf();
        let mode = fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
        fs::write(value_path(&path, "count"), "1").unwrap();
        assert!(dir.semaphore_name(3).starts_with("/lockstep-"));
        drop(dir);
        assert!(!path.exists());
    }

    #[test]
    fn run_names_are_not_to_be_guessed() {
        let a = RunDir::create().unwrap();
        let b = RunDir::create().unwrap();
        let me = format!("lockstep-{}-", std::process::id());
        for d in [&a, &b] {
            let name = d.path().file_name().unwrap().to_string_lossy().into_owned();
            let random = name.strip_prefix(&me).unwrap();
            assert_eq!(random.len(), 16, "{name}");
            assert!(random.chars().all(|c| c.is_ascii_hexdigit()), "{name}");
        }
        assert_ne!(a.path(), b.path());
    }
}
