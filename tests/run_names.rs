//! A run's names cannot be guessed, and whether a run lives is told by a
//! lock the live run holds, not by its pid: runs in separate PID namespaces
//! sharing TMPDIR and /dev/shm both finish, another user's look-alike
//! directory is never removed, and what a dead run left is still swept.

mod common;

use std::ffi::CString;
use std::fs::File;
use std::os::fd::AsRawFd;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{BIN, Sandbox, int, within};

/// A pid that no process has, nor can have.
fn dead_pid(_sb: &Sandbox) -> u32 {
    // Above the kernel's pid_max no process can be alive, now or later (a
    // pid that was just freed may be reused at once on a busy machine).
    let max: u32 = std::fs::read_to_string("/proc/sys/kernel/pid_max")
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    max + 1
}

/// Hold an exclusive `flock` on `path` until the file is dropped, as a live
/// run does on its directory and its semaphores' files.
fn hold_lock(path: &Path) -> File {
    let f = File::open(path).unwrap();
    // SAFETY: flock on a descriptor this File owns.
    assert_eq!(unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_SH) }, 0);
    f
}

/// A named semaphore made by the test, unlinked when dropped.
struct Sem(String);

impl Sem {
    fn create(name: &str) -> Sem {
        let c = CString::new(name).unwrap();
        // SAFETY: valid name; mode and value as sem_open expects with O_CREAT.
        let s = unsafe { libc::sem_open(c.as_ptr(), libc::O_CREAT, 0o600 as libc::c_uint, 1) };
        assert_ne!(s, libc::SEM_FAILED, "sem_open {name}");
        // SAFETY: s came from sem_open.
        unsafe { libc::sem_close(s) };
        Sem(name.to_string())
    }

    fn file(&self) -> PathBuf {
        let bare = &self.0[1..];
        let glibc = PathBuf::from(format!("/dev/shm/sem.{bare}"));
        if glibc.exists() {
            glibc
        } else {
            PathBuf::from(format!("/dev/shm/{bare}"))
        }
    }

    fn exists(&self) -> bool {
        self.file().exists()
    }
}

impl Drop for Sem {
    fn drop(&mut self) {
        let c = CString::new(self.0.as_str()).unwrap();
        // SAFETY: unlinking a missing name just fails.
        unsafe { libc::sem_unlink(c.as_ptr()) };
    }
}

fn sweep(sb: &Sandbox) {
    let done = sb.command(&["list"]).output().unwrap();
    assert!(done.status.success());
}

#[test]
fn run_directory_and_semaphore_names_cannot_be_guessed() {
    let sb = Sandbox::new();
    let mut live = sb.spawn(&["run", "counter", "--json", "--speed", "0.5"]);
    live.until_event("acquired", within(15.0));
    let pid = live.pid();
    let dirs = sb.run_dirs();
    assert_eq!(dirs.len(), 1, "{dirs:?}");
    let random = dirs[0]
        .strip_prefix(&format!("lockstep-{pid}-"))
        .unwrap_or_else(|| panic!("{} is not named after lockstep's pid", dirs[0]));
    assert!(
        random.len() == 16 && random.chars().all(|c| c.is_ascii_hexdigit()),
        "the run directory's name ends in a counter, not 64 random bits: {}",
        dirs[0]
    );
    // Its semaphores (while their names last) are named after the run.
    for s in &common::semaphores_of(pid) {
        assert!(
            s.contains(&dirs[0]),
            "semaphore {s} is not named after the run"
        );
    }
    let done = live.finish(within(30.0));
    done.assert_success();
    sb.assert_clean(pid);
}

#[test]
fn a_locked_run_of_a_pid_not_seen_here_is_not_swept() {
    // As a run in another PID namespace looks from here: its pid is not
    // alive in ours, but it holds its locks.
    let sb = Sandbox::new();
    let dead = dead_pid(&sb);
    let dir = sb.path().join(format!("lockstep-{dead}-00000000000000aa"));
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("v-count"), "7").unwrap();
    let sem = Sem::create(&format!("/lockstep-{dead}-00000000000000aa-0"));
    let dir_lock = hold_lock(&dir);
    let sem_lock = hold_lock(&sem.file());
    sweep(&sb);
    assert!(dir.exists(), "a live run's directory was swept");
    assert!(sem.exists(), "a live run's semaphore was swept");
    // Once the run is gone (its locks with it), the next start sweeps both.
    drop((dir_lock, sem_lock));
    sweep(&sb);
    assert!(!dir.exists(), "a dead run's directory was left");
    assert!(!sem.exists(), "a dead run's semaphore was left");
}

#[test]
fn another_users_look_alike_directory_is_never_removed() {
    // SAFETY: geteuid cannot fail.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("SKIPPED: needs root to give a directory to another user");
        return;
    }
    let sb = Sandbox::new();
    let dead = dead_pid(&sb);
    let dir = sb.path().join(format!("lockstep-{dead}-0"));
    std::fs::create_dir(&dir).unwrap();
    std::os::unix::fs::chown(&dir, Some(65534), Some(65534)).unwrap();
    sweep(&sb);
    assert!(dir.exists(), "another user's directory was removed");
    assert_eq!(std::fs::metadata(&dir).unwrap().uid(), 65534);
}

/// `unshare` can give a process its own PID (and user) namespace here.
fn namespaces_work() -> bool {
    Command::new("unshare")
        .args(["-rpf", "--mount-proc", "true"])
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn runs_in_separate_pid_namespaces_sharing_tmpdir_both_finish() {
    if !namespaces_work() {
        eprintln!("SKIPPED: `unshare -rpf --mount-proc` is not allowed here");
        return;
    }
    let sb = Sandbox::new();
    // A: a free run of a few seconds, here.
    let mut a = sb.spawn(&["run", "counter", "--json", "--speed", "0.5"]);
    a.until_event("acquired", within(15.0));
    // B: two starts in a PID namespace of their own, sharing TMPDIR and
    // /dev/shm: where A's pid means nothing (and B's own pid is a small one).
    for _ in 0..2 {
        let b = Command::new("unshare")
            .args(["-rpf", "--mount-proc", BIN])
            .args(["run", "counter", "--schedule", "round-robin", "--json"])
            .env("TMPDIR", sb.path())
            .env("LANG", "C")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&b.stdout);
        assert!(
            b.status.success(),
            "the run in its own namespace failed: {}\n{}",
            String::from_utf8_lossy(&b.stderr),
            common::tail(&stdout, 3)
        );
    }
    let done = a.finish(within(30.0));
    done.assert_success().assert_no_panic();
    let s = done.summary();
    assert_eq!(s["ok"], true, "{s}");
    assert_eq!(int(&s["actual"]), 80, "{s}");
    assert!(
        s["errors"].as_array().is_none_or(Vec::is_empty),
        "A's run had errors: {s}"
    );
    sb.assert_clean(done.pid);
}
