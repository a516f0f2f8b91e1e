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
