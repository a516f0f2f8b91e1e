//! Nothing leaks: a run's private directory, the registry of what is alive
//! (process groups, semaphore names, directories) so a signal can clean up,
//! and the sweep that removes what a killed lockstep left behind.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::platform;

/// Everything named after this prefix belongs to lockstep: `lockstep-<pid>-…`.
const PREFIX: &str = "lockstep-";

#[derive(Default)]
struct Registry {
    groups: Vec<u32>,
    semaphores: Vec<String>,
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

static RUN_SEQ: AtomicUsize = AtomicUsize::new(0);

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
    r.semaphores.push(name.to_string());
    Ok(sem)
}

pub fn forget_semaphore(name: &str) {
    with_registry(|r| r.semaphores.retain(|s| s != name));
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
            let _ = platform::unlink_semaphore(&s);
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

/// A run's private directory (mode 0700): shared values, the socket, stderr files.
#[derive(Debug)]
pub struct RunDir {
    path: PathBuf,
    /// Unique per run within this process; names the run's semaphores too.
    tag: String,
}

impl RunDir {
    pub fn create() -> io::Result<RunDir> {
        let seq = RUN_SEQ.fetch_add(1, Ordering::Relaxed);
        let tag = format!("{PREFIX}{}-{seq}", std::process::id());
        let path = std::env::temp_dir().join(&tag);
        if path.exists() {
            fs::remove_dir_all(&path)?;
        }
        let mut r = LIVE.lock().unwrap_or_else(|p| p.into_inner());
        if r.stopping {
            return Err(stopping_error());
        }
        platform::create_private_dir(&path)?;
        r.dirs.push(path.clone());
        drop(r);
        Ok(RunDir { path, tag })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn socket(&self) -> PathBuf {
        self.path.join("sock")
    }

    /// Kernel name of the run's `i`-th semaphore: `/lockstep-<pid>-<seq>-<i>`.
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

/// The pid in a `lockstep-<pid>-…` name, if it is one of ours.
fn owner(name: &str) -> Option<u32> {
    name.strip_prefix(PREFIX)?.split('-').next()?.parse().ok()
}

/// Remove run directories and named semaphores whose owner has died (a
/// lockstep killed with SIGKILL cannot clean up itself). Like Python's
/// `resource_tracker`, but done by the next start.
pub fn sweep_stale() -> usize {
    let mut removed = 0;
    let me = std::process::id();
    let dead = |pid: u32| pid != me && !platform::alive(pid);
    if let Ok(entries) = fs::read_dir(std::env::temp_dir()) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if owner(&name).is_some_and(dead) && fs::remove_dir_all(e.path()).is_ok() {
                removed += 1;
            }
        }
    }
    for name in platform::named_semaphores() {
        if let Some(sem) = name.strip_prefix('/')
            && owner(sem).is_some_and(dead)
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
    fn owner_pid_is_parsed() {
        assert_eq!(owner("lockstep-123-4"), Some(123));
        assert_eq!(owner("lockstep-123-4-0"), Some(123));
        assert_eq!(owner("other-123"), None);
    }
}
