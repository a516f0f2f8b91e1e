//! What the kernel says about processes: whether one has ended, its state
//! letter, a signal to it, and the named semaphores a run made.

use std::time::{Duration, Instant};

/// `/dev/shm` entries of the named semaphores that lockstep process `owner`
/// made: glibc names the file of `/NAME` `sem.NAME`, musl plain `NAME`.
pub fn semaphores_of(owner: u32) -> Vec<String> {
    let prefix = format!("lockstep-{owner}-");
    match std::fs::read_dir("/dev/shm") {
        Ok(entries) => entries
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.strip_prefix("sem.").unwrap_or(n).starts_with(&prefix))
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// No process has this pid any more: `kill(pid, 0)` fails with ESRCH.
pub fn gone(pid: u32) -> bool {
    let pid = libc::pid_t::try_from(pid).expect("pid fits pid_t");
    // SAFETY: signal 0 only checks whether the process exists.
    let r = unsafe { libc::kill(pid, 0) };
    r == -1 && std::io::Error::last_os_error().raw_os_error() == Some(libc::ESRCH)
}

/// The process has ended: gone, or a zombie waiting for its (new) parent to
/// reap it. Workers whose supervisor died are reaped by init, on init's time.
pub fn ended(pid: u32) -> bool {
    gone(pid) || state_letter(pid) == Some('Z')
}

/// The kernel's state letter for `pid` (`R`, `S`, `Z`, …).
pub fn state_letter(pid: u32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = &stat[stat.rfind(')')? + 1..];
    after.split_whitespace().next()?.chars().next()
}

/// Send `sig` to one process that this test started (or that lockstep started for it).
pub fn signal(pid: u32, sig: i32) {
    let p = libc::pid_t::try_from(pid).expect("pid fits pid_t");
    // SAFETY: plain kill(2) on one positive pid.
    let r = unsafe { libc::kill(p, sig) };
    assert_eq!(
        r,
        0,
        "kill({pid}, {sig}) failed: {}",
        std::io::Error::last_os_error()
    );
}

/// Wait until every pid has ended (`ended`), or fail naming the ones still alive.
pub fn wait_all_ended(pids: &[u32], deadline: Instant, what: &str) {
    let started = Instant::now();
    let mut alive: Vec<u32> = pids.to_vec();
    loop {
        alive.retain(|p| !ended(*p));
        if alive.is_empty() {
            return;
        }
        if Instant::now() >= deadline {
            panic!(
                "{what}: {} of {} processes still alive after {:.1} s: {alive:?}",
                alive.len(),
                pids.len(),
                started.elapsed().as_secs_f64()
            );
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Pids whose parent is `parent` (from /proc/PID/stat).
pub fn children_of(parent: u32) -> Vec<u32> {
    let mut kids = Vec::new();
    for e in std::fs::read_dir("/proc").expect("read /proc").flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        let Some(close) = stat.rfind(')') else {
            continue;
        };
        let ppid = stat[close + 1..]
            .split_whitespace()
            .nth(1)
            .and_then(|p| p.parse::<u32>().ok());
        if ppid == Some(parent) {
            kids.push(pid);
        }
    }
    kids
}

/// Live processes whose command line mentions `text`, with that command line.
pub fn processes_mentioning(text: &str) -> Vec<(u32, String)> {
    let mut found = Vec::new();
    for e in std::fs::read_dir("/proc").expect("read /proc").flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else {
            continue;
        };
        let Ok(raw) = std::fs::read(format!("/proc/{pid}/cmdline")) else {
            continue;
        };
        let cmdline = String::from_utf8_lossy(&raw).replace('\0', " ");
        if cmdline.contains(text) && !ended(pid) {
            found.push((pid, cmdline.trim_end().to_string()));
        }
    }
    found
}
