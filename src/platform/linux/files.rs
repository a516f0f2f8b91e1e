//! Files: a run's private directory, and `/proc`, where the kernel shows
//! each process's state.

use std::io;
use std::os::unix::fs::DirBuilderExt;
use std::path::Path;

/// Create a directory only this user may enter (mode 0700).
pub fn create_private_dir(path: &Path) -> io::Result<()> {
    std::fs::DirBuilder::new().mode(0o700).create(path)
}

/// The state letter the kernel shows for a process (`R`, `S`, `D`, `Z`, `T`…),
/// read from `/proc/PID/stat`.
pub fn state_letter(pid: u32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name is in parentheses and may itself hold spaces or ')'.
    let after = &stat[stat.rfind(')')? + 1..];
    after.split_whitespace().next()?.chars().next()
}

/// Take an advisory lock (`flock`) on an open file or directory: exclusive
/// or shared, waiting for it or not. `Ok(false)`: held by someone else and
/// `wait` was false. The lock lasts until every copy of the descriptor is closed.
pub fn lock_file(file: &std::fs::File, exclusive: bool, wait: bool) -> io::Result<bool> {
    use std::os::fd::AsRawFd;
    let mut how = if exclusive {
        libc::LOCK_EX
    } else {
        libc::LOCK_SH
    };
    if !wait {
        how |= libc::LOCK_NB;
    }
    loop {
        // SAFETY: flock on a descriptor this File owns; no memory is passed.
        if unsafe { libc::flock(file.as_raw_fd(), how) } == 0 {
            return Ok(true);
        }
        let err = io::Error::last_os_error();
        match err.raw_os_error() {
            Some(libc::EINTR) => continue,
            Some(libc::EWOULDBLOCK) if !wait => return Ok(false),
            _ => return Err(err),
        }
    }
}

/// The user id this process acts as (files it makes are owned by it).
pub fn effective_uid() -> u32 {
    // SAFETY: geteuid cannot fail and touches no memory.
    unsafe { libc::geteuid() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_state_is_read_from_proc() {
        // The test harness's main thread sleeps while this test runs.
        let letter = state_letter(std::process::id()).unwrap();
        assert!("RS".contains(letter), "{letter}");
        assert!(super::super::processes::alive(std::process::id()));
    }
}
