//! Nothing outlives a run: worker processes, named semaphores and the run
//! directory are gone after a normal end, after Ctrl-C / SIGTERM / SIGHUP,
//! and (swept by the next start) even after the supervisor is SIGKILLed.

mod common;

use std::ffi::CString;
use std::os::unix::fs::PermissionsExt;

use common::{
    Live, Sandbox, gone, int, pid_of, semaphores_of, signal, wait_all_ended, within, worker_pids,
};

/// Read a locked free run of counter up to its first `run` event: every
/// worker is spawned and at work. Returns the worker pids.
fn start_counter(live: &mut Live) -> Vec<u32> {
    let deadline = within(15.0);
    let mut pids = Vec::new();
    loop {
        let ev = live
            .next_event(deadline)
            .expect("lockstep ended before any process ran");
        if ev["ev"] == "spawned" {
            pids.push(pid_of(&ev["pid"]));
        }
        if ev["ev"] == "run" {
            break;
        }
    }
    assert_eq!(pids.len(), 20, "all 20 workers are spawned before any runs");
    pids
}

#[test]
fn a_normal_run_leaves_nothing_behind() {
    let sb = Sandbox::new();
    for args in [
        &["run", "counter", "--json", "--schedule", "round-robin"][..],
        &["run", "counter", "--json", "--unlocked"],
    ] {
        // `run_json` checks for run directories and semaphores itself.
        let (done, s) = sb.run_json(args);
        assert!(semaphores_of(done.pid).is_empty());
        let pids = worker_pids(&s);
        assert_eq!(pids.len(), 20);
        for pid in pids {
            assert!(gone(pid), "worker {pid} outlived the run ({args:?})");
        }
    }
}

#[test]
fn a_live_run_has_a_private_directory_and_no_linked_semaphores() {
    let sb = Sandbox::new();
    let mut live = sb.spawn(&["run", "counter", "--json"]);
    start_counter(&mut live);
    let dirs = sb.run_dirs();
    assert_eq!(dirs.len(), 1, "{dirs:?}");
    assert!(
        dirs[0].starts_with(&format!("lockstep-{}-", live.pid())),
        "{dirs:?}"
    );
    let mode = std::fs::metadata(sb.path().join(&dirs[0]))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o700, "the run directory must be private");
    // Every worker has opened the semaphores, so their names are already gone.
    assert!(
        semaphores_of(live.pid()).is_empty(),
        "{:?}",
        semaphores_of(live.pid())
    );
    let done = live.finish(within(20.0));
    done.assert_success();
    sb.assert_clean(done.pid);
}

/// Stop lockstep with `sig` in the middle of a free run: it cleans up and exits 128+sig.
fn stop_mid_run(sig: i32) {
    let sb = Sandbox::new();
    let mut live = sb.spawn(&["run", "counter", "--json"]);
    let pids = start_counter(&mut live);
    signal(live.pid(), sig);
    let done = live.finish(within(5.0));
    assert_eq!(
        done.code(),
        Some(128 + sig),
        "lockstep should exit 128+{sig}, got {:?}; stderr:\n{}",
        done.status,
        done.stderr
    );
    done.assert_no_panic();
    assert!(
        !done.stdout.contains("\"ev\":\"summary\""),
        "an interrupted run printed a summary"
    );
    wait_all_ended(&pids, within(2.0), &format!("workers after signal {sig}"));
    sb.assert_clean(done.pid);
}

#[test]
fn sigterm_mid_run_cleans_up() {
    stop_mid_run(libc::SIGTERM);
}

#[test]
fn sigint_mid_run_cleans_up() {
    stop_mid_run(libc::SIGINT);
}

#[test]
fn sighup_mid_run_cleans_up() {
    stop_mid_run(libc::SIGHUP);
}

#[test]
fn sigkill_mid_run_workers_exit_and_the_next_start_sweeps() {
    let sb = Sandbox::new();
    let mut live = sb.spawn(&["run", "counter", "--json"]);
    let pids = start_counter(&mut live);
    let killed = live.pid();
    signal(killed, libc::SIGKILL);
    let done = live.finish(within(5.0));
    assert_eq!(done.code(), None, "SIGKILL cannot be handled");
    // With the supervisor gone nobody can step them: workers end by themselves.
    wait_all_ended(&pids, within(2.0), "workers of a SIGKILLed lockstep");
    // Nothing could remove the run directory...
    assert!(
        !sb.run_dirs().is_empty(),
        "expected the killed run's directory to remain"
    );
    // ...until the next start sweeps it (`run` also checks the sandbox is clean).
    sb.run(&["list"]).assert_success();
    assert!(sb.run_dirs().is_empty(), "{:?}", sb.run_dirs());
    assert!(
        semaphores_of(killed).is_empty(),
        "{:?}",
        semaphores_of(killed)
    );
}

/// A named semaphore made by the test, unlinked when dropped.
struct TestSemaphore(String);

impl TestSemaphore {
    fn create(name: &str) -> TestSemaphore {
        let c = CString::new(name).unwrap();
        // SAFETY: c is NUL-terminated; mode and value are passed as c_uint as sem_open expects.
        let sem = unsafe {
            libc::sem_open(
                c.as_ptr(),
                libc::O_CREAT | libc::O_EXCL,
                0o600 as libc::c_uint,
                1 as libc::c_uint,
            )
        };
        assert_ne!(
            sem,
            libc::SEM_FAILED,
            "sem_open {name}: {}",
            std::io::Error::last_os_error()
        );
        // SAFETY: sem came from a successful sem_open and is closed once.
        unsafe { libc::sem_close(sem) };
        TestSemaphore(name.to_string())
    }

    /// glibc's file is /dev/shm/sem.NAME, musl's /dev/shm/NAME.
    fn exists(&self) -> bool {
        let name = &self.0[1..];
        std::path::Path::new(&format!("/dev/shm/sem.{name}")).exists()
            || std::path::Path::new(&format!("/dev/shm/{name}")).exists()
    }
}

impl Drop for TestSemaphore {
    fn drop(&mut self) {
        let c = CString::new(self.0.as_str()).unwrap();
        // SAFETY: c is NUL-terminated; unlinking a missing name just fails.
        unsafe { libc::sem_unlink(c.as_ptr()) };
    }
}

#[test]
fn the_sweep_removes_only_what_dead_lockstep_processes_left() {
    let sb = Sandbox::new();
    // A pid that surely belonged to a process that has ended.
    let mut short = sb.command(&["--version"]).spawn().unwrap();
    let dead = short.id();
    assert!(short.wait().unwrap().success());
    let me = std::process::id();

    let stale_dir = sb.path().join(format!("lockstep-{dead}-3"));
    std::fs::create_dir(&stale_dir).unwrap();
    std::fs::write(stale_dir.join("v-count"), "7").unwrap();
    let stale_sem = TestSemaphore::create(&format!("/lockstep-{dead}-3-0"));
    // Named after a live process: a running lockstep's run must not be swept.
    let live_dir = sb.path().join(format!("lockstep-{me}-0"));
    std::fs::create_dir(&live_dir).unwrap();
    let live_sem = TestSemaphore::create(&format!("/lockstep-{me}-900-0"));
    assert!(stale_sem.exists() && live_sem.exists());

    let done = sb.command(&["list"]).output().unwrap();
    assert!(done.status.success());
    assert!(
        !stale_dir.exists(),
        "the dead run's directory was not swept"
    );
    assert!(
        !stale_sem.exists(),
        "the dead run's semaphore was not swept"
    );
    assert!(
        live_dir.exists(),
        "a live process's run directory was swept"
    );
    assert!(live_sem.exists(), "a live process's semaphore was swept");
}

#[test]
fn a_worker_killed_holding_the_lock_ends_the_run_as_a_deadlock() {
    // A slow free run (each holder keeps the lock 1 s) so the kill surely
    // lands while the first process to get the lock still holds it.
    let sb = Sandbox::new();
    let mut live = sb.spawn(&["run", "counter", "--json", "--speed", "0.1"]);
    let acquired = live.until_event("acquired", within(15.0));
    let victim = int(&acquired["p"]);
    let victim_pid = pid_of(&acquired["pid"]);
    signal(victim_pid, libc::SIGKILL);

    let done = live.finish(within(10.0));
    done.assert_success().assert_no_panic();
    let s = done.summary();
    let deadlock = s["deadlock"]
        .as_str()
        .unwrap_or_else(|| panic!("no deadlock reported: {s}"));
    assert!(
        // The other 19 wait, grouped: "P1–P13, P15–P20 wait for lock, held by …".
        deadlock.contains(&format!(
            " wait for lock, held by P{victim} (killed by SIGKILL, exit code -9)"
        )),
        "the deadlock does not name the dead holder P{victim}: {deadlock}"
    );
    assert_eq!(s["ok"], false);
    let procs = s["processes"].as_array().unwrap();
    let entry = procs.iter().find(|p| int(&p["id"]) == victim).unwrap();
    assert_eq!(entry["signal"], 9, "{entry}");
    assert_eq!(int(&entry["pid"]), i64::from(victim_pid));
    for pid in worker_pids(&s) {
        assert!(gone(pid), "worker {pid} outlived the run");
    }
    sb.assert_clean(done.pid);
}
