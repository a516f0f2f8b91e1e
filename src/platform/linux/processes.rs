//! Processes: whether one lives, signals to one or to a process group,
//! what a started child inherits, and ending this process at once.

use std::io;

/// Whether a process with this pid exists (a zombie counts).
pub fn alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // SAFETY: signal 0 only checks for existence and permission.
    let r = unsafe { libc::kill(pid, 0) };
    r == 0 || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// Send `signal` to one process.
pub fn signal_process(pid: u32, signal: i32) -> io::Result<()> {
    let pid = libc::pid_t::try_from(pid).map_err(|_| io::Error::other("pid out of range"))?;
    // SAFETY: plain kill(2) on a positive pid.
    if unsafe { libc::kill(pid, signal) } == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Send `signal` to every process of a process group.
pub fn signal_group(pgid: u32, signal: i32) -> io::Result<()> {
    let pgid = libc::pid_t::try_from(pgid).map_err(|_| io::Error::other("pid out of range"))?;
    if pgid <= 1 {
        return Err(io::Error::other("refusing to signal group 0 or 1"));
    }
    // SAFETY: kill(2) with a negative pid addresses the process group; pgid > 1 was checked.
    if unsafe { libc::kill(-pgid, signal) } == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Ask one process to end (SIGTERM), as `Process.terminate()` does.
pub fn terminate(pid: u32) -> io::Result<()> {
    signal_process(pid, libc::SIGTERM)
}

/// End every process of a process group at once (SIGKILL).
pub fn kill_group(pgid: u32) -> io::Result<()> {
    signal_group(pgid, libc::SIGKILL)
}

/// Let the child of `cmd` keep `fds` open across its exec (a fork's copies),
/// without clearing close-on-exec in this process, where other threads may
/// be starting processes that must not get them.
pub fn keep_on_exec(cmd: &mut std::process::Command, fds: Vec<std::os::fd::RawFd>) {
    use std::os::unix::process::CommandExt;
    // SAFETY: the closure runs in the forked child before exec and only
    // calls fcntl, which is async-signal-safe; it allocates nothing.
    unsafe {
        cmd.pre_exec(move || {
            for &fd in &fds {
                if libc::fcntl(fd, libc::F_SETFD, 0) != 0 {
                    return Err(io::Error::last_os_error());
                }
            }
            Ok(())
        });
    }
}

/// End the process at once with `code`, from any thread, without running
/// destructors or exit handlers that another (blocked) thread could be in
/// the middle of.
pub fn exit_now(code: i32) -> ! {
    // SAFETY: _exit takes no pointers and never returns.
    unsafe { libc::_exit(code) }
}

/// A command that starts `exe` (this program, from [`this_program`]) with
/// the program's own path as its name, so `ps` shows that, not
/// `/proc/self/exe`.
pub fn command_for(exe: &std::path::Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(exe);
    if let Ok(path) = std::env::current_exe() {
        // The kernel names a program whose file is gone `PATH (deleted)`.
        let path = path.to_string_lossy();
        let name = path.strip_suffix(" (deleted)").unwrap_or(&path);
        std::os::unix::process::CommandExt::arg0(&mut cmd, name);
    }
    cmd
}

/// This running program, to start again as a child: `/proc/self/exe`,
/// which still opens the program that runs even after its file was
/// replaced (a rebuild or an upgrade while a run goes on), where the path
/// `current_exe` gives would then be another program or none.
pub fn this_program() -> std::io::Result<std::path::PathBuf> {
    let proc_exe = std::path::PathBuf::from("/proc/self/exe");
    if proc_exe.exists() {
        Ok(proc_exe)
    } else {
        std::env::current_exe()
    }
}

/// This user's processes whose environment has `name`, with its value
/// (as the process was started: `/proc/PID/environ`). None when `/proc` is
/// not this PID namespace's (its pids would name other processes here).
pub fn processes_with_env(name: &str) -> Vec<(u32, String)> {
    use std::os::unix::fs::MetadataExt;
    let uid = super::files::effective_uid();
    let key = format!("{name}=");
    let mut found = Vec::new();
    let me = std::fs::read_link("/proc/self").ok();
    if me.as_deref() != Some(std::path::Path::new(&std::process::id().to_string())) {
        return found;
    }
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return found;
    };
    for e in entries.flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else {
            continue;
        };
        if e.metadata().map(|m| m.uid()).ok() != Some(uid) {
            continue;
        }
        let Ok(environ) = std::fs::read(e.path().join("environ")) else {
            continue;
        };
        let value = environ
            .split(|b| *b == 0)
            .find_map(|kv| kv.strip_prefix(key.as_bytes()))
            .map(|v| String::from_utf8_lossy(v).into_owned());
        if let Some(v) = value {
            found.push((pid, v));
        }
    }
    found
}
