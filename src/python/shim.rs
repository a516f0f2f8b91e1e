//! The shim: a small Python package shipped inside the binary, written into
//! the run's private directory (`py/`) and put first on `PYTHONPATH`, so
//! every Python process of the run imports it at start-up (`sitecustomize`)
//! and reports to the run's socket. Its files live under `assets/python/`.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::Program;
use crate::platform;
use crate::supervisor::Launch;

/// The folder of the run directory that holds the shim.
pub const FOLDER: &str = "py";

/// The shim's files: name, text.
pub const FILES: [(&str, &str); 13] = [
    (
        "sitecustomize.py",
        include_str!("../../assets/python/sitecustomize.py"),
    ),
    (
        "_lockstep.py",
        include_str!("../../assets/python/_lockstep.py"),
    ),
    (
        "_lockstep_locks.py",
        include_str!("../../assets/python/_lockstep_locks.py"),
    ),
    (
        "_lockstep_processes.py",
        include_str!("../../assets/python/_lockstep_processes.py"),
    ),
    (
        "_lockstep_hooks.py",
        include_str!("../../assets/python/_lockstep_hooks.py"),
    ),
    (
        "_lockstep_ipc.py",
        include_str!("../../assets/python/_lockstep_ipc.py"),
    ),
    (
        "_lockstep_ipc_sync.py",
        include_str!("../../assets/python/_lockstep_ipc_sync.py"),
    ),
    (
        "_lockstep_ipc_pipes.py",
        include_str!("../../assets/python/_lockstep_ipc_pipes.py"),
    ),
    (
        "_lockstep_ipc_shared.py",
        include_str!("../../assets/python/_lockstep_ipc_shared.py"),
    ),
    (
        "_lockstep_clock.py",
        include_str!("../../assets/python/_lockstep_clock.py"),
    ),
    (
        "_lockstep_pool.py",
        include_str!("../../assets/python/_lockstep_pool.py"),
    ),
    (
        "_lockstep_pool_worker.py",
        include_str!("../../assets/python/_lockstep_pool_worker.py"),
    ),
    (
        "_lockstep_pool_results.py",
        include_str!("../../assets/python/_lockstep_pool_results.py"),
    ),
];

/// Environment variable with the prefix of the named semaphores the
/// program makes (CPython's `semprefix`, `/mp` by default).
pub const SEMPREFIX_ENV: &str = "LOCKSTEP_SEMPREFIX";

static RUNS: AtomicUsize = AtomicUsize::new(0);

/// A fresh prefix for the named semaphores of one run of a program:
/// `/lockstep-<pid>-py<n>`, so the sweep of a later start finds them if
/// this lockstep is SIGKILLed, and [`sweep_semaphores`] after the run.
pub fn semaphore_prefix() -> String {
    let n = RUNS.fetch_add(1, Ordering::Relaxed);
    format!("/lockstep-{}-py{n}", std::process::id())
}

/// Unlink every named semaphore the run with `prefix` left: with `spawn`
/// and `forkserver` CPython names them, and a killed program (a stuck run)
/// cannot unlink its own. Returns how many.
pub fn sweep_semaphores(prefix: &str) -> usize {
    let mine = format!("{prefix}-");
    let ours = platform::named_semaphores()
        .into_iter()
        .filter(|name| name.starts_with(&mine))
        .filter(|name| platform::unlink_semaphore(name).is_ok())
        .count();
    // CPython made them with its own C library, which may keep them in
    // another form than ours (a glibc python beside a musl lockstep).
    ours + platform::remove_semaphore_files(&mine)
}

/// After a run whose main process was `pgid`: CPython's helpers (a
/// `forkserver`, the `resource_tracker`) stay in its process group and end
/// a moment after the main process, once their pipes close. Wait for that
/// (briefly), then end what is left.
pub fn end_helpers(pgid: u32) {
    let deadline = Instant::now() + Duration::from_secs(2);
    while platform::signal_group(pgid, 0).is_ok() {
        if Instant::now() >= deadline {
            let _ = platform::kill_group(pgid);
            return;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// How to start `program` with the shim; its semaphores named after `semprefix`.
pub fn launch(program: &Program, semprefix: &str) -> Launch {
    Launch {
        program: program.interpreter.path.clone(),
        // Unbuffered (what a process wrote before it died is not lost), and
        // no bytecode files written beside the program.
        args: vec![
            "-u".into(),
            "-B".into(),
            program.path.clone().into_os_string(),
        ],
        files: FILES
            .iter()
            .map(|(name, text)| (PathBuf::from(FOLDER).join(name), text.to_string()))
            // A program lockstep carries is written beside the shim's folder.
            .chain(
                program
                    .carried
                    .then(|| (program.path.clone(), program.source.clone())),
            )
            .collect(),
        path_env: vec![("PYTHONPATH".into(), PathBuf::from(FOLDER))],
        env: vec![(SEMPREFIX_ENV.into(), semprefix.into())],
        in_dir: program.carried,
    }
}
