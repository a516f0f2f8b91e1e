//! The small module that talks to POSIX: named semaphores, signals, process
//! liveness and the process state letter. Every `unsafe` block lives here.

use std::ffi::CString;
use std::io;

/// A POSIX named semaphore (`sem_open`), what Python's `multiprocessing.Lock`
/// and `Semaphore` are on Linux.
pub struct NamedSemaphore {
    sem: *mut libc::sem_t,
    name: String,
}

// SAFETY: a sem_t from sem_open may be used from any thread of the process.
unsafe impl Send for NamedSemaphore {}
// SAFETY: sem_wait/sem_post/sem_trywait are thread-safe by POSIX.
unsafe impl Sync for NamedSemaphore {}

fn c_name(name: &str) -> io::Result<CString> {
    CString::new(name).map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "NUL in name"))
}

impl NamedSemaphore {
    /// Create a new semaphore with `value` permits; fails if the name exists.
    pub fn create(name: &str, value: u32) -> io::Result<NamedSemaphore> {
        let c = c_name(name)?;
        // SAFETY: c is a valid NUL-terminated string; mode and value are passed as c_uint as sem_open expects.
        let sem = unsafe {
            libc::sem_open(
                c.as_ptr(),
                libc::O_CREAT | libc::O_EXCL,
                0o600 as libc::c_uint,
                value as libc::c_uint,
            )
        };
        if sem == libc::SEM_FAILED {
            return Err(io::Error::last_os_error());
        }
        Ok(NamedSemaphore {
            sem,
            name: name.to_string(),
        })
    }

    /// Open an existing semaphore by name.
    pub fn open(name: &str) -> io::Result<NamedSemaphore> {
        let c = c_name(name)?;
        // SAFETY: c is a valid NUL-terminated string; no O_CREAT, so no extra arguments.
        let sem = unsafe { libc::sem_open(c.as_ptr(), 0) };
        if sem == libc::SEM_FAILED {
            return Err(io::Error::last_os_error());
        }
        Ok(NamedSemaphore {
            sem,
            name: name.to_string(),
        })
    }

    /// Take a permit if one is free, without blocking.
    pub fn try_acquire(&self) -> io::Result<bool> {
        loop {
            // SAFETY: self.sem came from a successful sem_open and is not closed until drop.
            if unsafe { libc::sem_trywait(self.sem) } == 0 {
                return Ok(true);
            }
            let err = io::Error::last_os_error();
            match err.raw_os_error() {
                Some(libc::EAGAIN) => return Ok(false),
                Some(libc::EINTR) => continue,
                _ => return Err(err),
            }
        }
    }

    /// Block in the kernel until a permit is free.
    pub fn acquire(&self) -> io::Result<()> {
        loop {
            // SAFETY: as in try_acquire.
            if unsafe { libc::sem_wait(self.sem) } == 0 {
                return Ok(());
            }
            let err = io::Error::last_os_error();
            if err.raw_os_error() != Some(libc::EINTR) {
                return Err(err);
            }
        }
    }

    pub fn release(&self) -> io::Result<()> {
        // SAFETY: as in try_acquire.
        if unsafe { libc::sem_post(self.sem) } == 0 {
            Ok(())
        } else {
            Err(io::Error::last_os_error())
        }
    }

    /// Permits free right now.
    pub fn value(&self) -> io::Result<i32> {
        let mut v: libc::c_int = 0;
        // SAFETY: as in try_acquire; v is a valid out pointer.
        if unsafe { libc::sem_getvalue(self.sem, &mut v) } == 0 {
            Ok(v)
        } else {
            Err(io::Error::last_os_error())
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }
}

impl Drop for NamedSemaphore {
    fn drop(&mut self) {
        // SAFETY: closes the handle opened in create/open exactly once.
        unsafe {
            libc::sem_close(self.sem);
        }
    }
}

/// Remove a semaphore's name; processes that have it open keep using it.
pub fn unlink_semaphore(name: &str) -> io::Result<()> {
    let c = c_name(name)?;
    // SAFETY: c is a valid NUL-terminated string.
    if unsafe { libc::sem_unlink(c.as_ptr()) } == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

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

const STOP_SIGNALS: [libc::c_int; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];

fn stop_signal_set() -> libc::sigset_t {
    // SAFETY: sigset_t is plain data; sigemptyset/sigaddset initialise it.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        for s in STOP_SIGNALS {
            libc::sigaddset(&mut set, s);
        }
        set
    }
}

/// Block SIGINT, SIGTERM and SIGHUP in this thread (and threads started after),
/// so that one thread can take them with [`wait_stop_signal`].
pub fn block_stop_signals() {
    let set = stop_signal_set();
    // SAFETY: set is initialised; the old mask is not needed.
    unsafe {
        libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
    }
}

/// Undo [`block_stop_signals`] (workers start with a clean mask).
pub fn unblock_stop_signals() {
    let set = stop_signal_set();
    // SAFETY: set is initialised.
    unsafe {
        libc::pthread_sigmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
    }
}

/// Wait for one of the blocked stop signals and return its number.
pub fn wait_stop_signal() -> i32 {
    let set = stop_signal_set();
    let mut sig: libc::c_int = 0;
    loop {
        // SAFETY: set is initialised and sig is a valid out pointer.
        if unsafe { libc::sigwait(&set, &mut sig) } == 0 {
            return sig;
        }
    }
}

/// Nanoseconds on CLOCK_MONOTONIC: one clock for every process on the machine,
/// so reports from different workers can be put in the order they happened.
pub fn now_ns() -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: ts is a valid out pointer; CLOCK_MONOTONIC always exists on Linux.
    unsafe {
        libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts);
    }
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

/// A pipe whose read end wakes a `poll` when another thread writes a byte.
pub struct WakePipe {
    read: std::os::fd::OwnedFd,
    write: std::os::fd::OwnedFd,
}

impl WakePipe {
    pub fn new() -> io::Result<WakePipe> {
        use std::os::fd::FromRawFd;
        let mut fds = [0 as libc::c_int; 2];
        // SAFETY: fds has room for the two descriptors pipe2 writes.
        if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC | libc::O_NONBLOCK) } != 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: pipe2 succeeded, so both descriptors are open and owned by us alone.
        let (read, write) = unsafe {
            (
                std::os::fd::OwnedFd::from_raw_fd(fds[0]),
                std::os::fd::OwnedFd::from_raw_fd(fds[1]),
            )
        };
        Ok(WakePipe { read, write })
    }

    pub fn wake(&self) {
        use std::os::fd::AsRawFd;
        // SAFETY: writes one byte from a valid buffer to our own pipe; a full pipe (EAGAIN) already wakes.
        unsafe {
            libc::write(self.write.as_raw_fd(), [1u8].as_ptr().cast(), 1);
        }
    }

    pub fn read_fd(&self) -> std::os::fd::RawFd {
        use std::os::fd::AsRawFd;
        self.read.as_raw_fd()
    }

    /// Empty the pipe after a wake-up.
    pub fn drain(&self) {
        let mut buf = [0u8; 64];
        // SAFETY: reads into a valid buffer from our own non-blocking pipe.
        while unsafe { libc::read(self.read_fd(), buf.as_mut_ptr().cast(), buf.len()) } > 0 {}
    }
}

/// Wait until one of `fds` is readable (or hung up); `timeout_ms` −1 waits forever.
/// Returns which descriptors are ready.
pub fn poll_readable(fds: &[std::os::fd::RawFd], timeout_ms: i32) -> io::Result<Vec<bool>> {
    let mut pfds: Vec<libc::pollfd> = fds
        .iter()
        .map(|&fd| libc::pollfd {
            fd,
            events: libc::POLLIN,
            revents: 0,
        })
        .collect();
    loop {
        // SAFETY: pfds is a valid array of pfds.len() pollfd structures.
        let r = unsafe { libc::poll(pfds.as_mut_ptr(), pfds.len() as libc::nfds_t, timeout_ms) };
        if r >= 0 {
            return Ok(pfds.iter().map(|p| p.revents != 0).collect());
        }
        let err = io::Error::last_os_error();
        if err.raw_os_error() != Some(libc::EINTR) {
            return Err(err);
        }
    }
}

/// Read what is there without blocking: `Ok(None)` when nothing is, `Ok(Some(0))` at end of stream.
pub fn recv_now(fd: std::os::fd::RawFd, buf: &mut [u8]) -> io::Result<Option<usize>> {
    loop {
        // SAFETY: buf is valid for buf.len() bytes; MSG_DONTWAIT makes this one call non-blocking.
        let r = unsafe { libc::recv(fd, buf.as_mut_ptr().cast(), buf.len(), libc::MSG_DONTWAIT) };
        if r >= 0 {
            return Ok(Some(r as usize));
        }
        let err = io::Error::last_os_error();
        match err.raw_os_error() {
            Some(libc::EINTR) => continue,
            Some(libc::EAGAIN) => return Ok(None),
            _ => return Err(err),
        }
    }
}

/// A connected pair of `SOCK_SEQPACKET` Unix sockets (close-on-exec): each
/// send is one message, a receive sees end-of-file once every copy of the
/// other end is closed. What a pipe end or a queue side is made of.
pub fn socket_pair() -> io::Result<(std::os::fd::OwnedFd, std::os::fd::OwnedFd)> {
    use std::os::fd::FromRawFd;
    let mut fds = [0 as libc::c_int; 2];
    // SAFETY: fds has room for the two descriptors socketpair writes.
    let r = unsafe {
        libc::socketpair(
            libc::AF_UNIX,
            libc::SOCK_SEQPACKET | libc::SOCK_CLOEXEC,
            0,
            fds.as_mut_ptr(),
        )
    };
    if r != 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: socketpair succeeded: both descriptors are open and owned by us alone.
    Ok(unsafe {
        (
            std::os::fd::OwnedFd::from_raw_fd(fds[0]),
            std::os::fd::OwnedFd::from_raw_fd(fds[1]),
        )
    })
}

/// A TCP socket listening on 127.0.0.1 (never another interface) on a port
/// the kernel picks, with `SO_REUSEADDR` (std sets it) and `listen(5)` as in
/// the lesson's listing; close-on-exec and non-blocking. Returns it and its port.
pub fn tcp_listen() -> io::Result<(std::os::fd::OwnedFd, u16)> {
    use std::os::fd::AsRawFd;
    let listener = std::net::TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, 0))?;
    let port = listener.local_addr()?.port();
    // Accepting processes poll, then accept without blocking (see the worker).
    listener.set_nonblocking(true)?;
    // SAFETY: listen on a socket we own; a second listen only sets the backlog.
    if unsafe { libc::listen(listener.as_raw_fd(), 5) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok((listener.into(), port))
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

/// Take ownership of an inherited descriptor if it is open.
pub fn adopt_fd(fd: std::os::fd::RawFd) -> Option<std::os::fd::OwnedFd> {
    use std::os::fd::FromRawFd;
    // SAFETY: F_GETFD only asks whether fd is open.
    if fd < 0 || unsafe { libc::fcntl(fd, libc::F_GETFD) } < 0 {
        return None;
    }
    // SAFETY: the descriptor is open and was handed down to this process
    // for this use alone (its name came with it); nothing else owns it.
    Some(unsafe { std::os::fd::OwnedFd::from_raw_fd(fd) })
}

/// Send one message, blocking while the socket is full (never raising SIGPIPE).
pub fn send_packet(fd: std::os::fd::RawFd, msg: &[u8]) -> io::Result<()> {
    loop {
        // SAFETY: msg is valid for msg.len() bytes.
        let r = unsafe { libc::send(fd, msg.as_ptr().cast(), msg.len(), libc::MSG_NOSIGNAL) };
        if r >= 0 {
            return Ok(());
        }
        let err = io::Error::last_os_error();
        if err.raw_os_error() != Some(libc::EINTR) {
            return Err(err);
        }
    }
}

/// Receive one message, blocking until one comes; `Ok(0)` at end of file.
pub fn recv_packet(fd: std::os::fd::RawFd, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        // SAFETY: buf is valid for buf.len() bytes.
        let r = unsafe { libc::recv(fd, buf.as_mut_ptr().cast(), buf.len(), 0) };
        if r >= 0 {
            return Ok(r as usize);
        }
        let err = io::Error::last_os_error();
        if err.raw_os_error() != Some(libc::EINTR) {
            return Err(err);
        }
    }
}

/// The state letter the kernel shows for a process (`R`, `S`, `D`, `Z`, `T`…),
/// read from `/proc/PID/stat`.
pub fn state_letter(pid: u32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name is in parentheses and may itself hold spaces or ')'.
    let after = &stat[stat.rfind(')')? + 1..];
    after.split_whitespace().next()?.chars().next()
}

/// End the process at once with `code`, from any thread, without running
/// destructors or exit handlers that another (blocked) thread could be in
/// the middle of.
pub fn exit_now(code: i32) -> ! {
    // SAFETY: _exit takes no pointers and never returns.
    unsafe { libc::_exit(code) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_semaphore_counts_permits() {
        let name = format!("/lockstep-test-{}-sem", std::process::id());
        let a = NamedSemaphore::create(&name, 2).unwrap();
        let b = NamedSemaphore::open(&name).unwrap();
        unlink_semaphore(&name).unwrap();
        assert!(a.try_acquire().unwrap());
        assert!(b.try_acquire().unwrap());
        assert!(!a.try_acquire().unwrap());
        b.release().unwrap();
        assert_eq!(a.value().unwrap(), 1);
        a.acquire().unwrap();
        assert_eq!(b.value().unwrap(), 0);
        assert!(NamedSemaphore::open(&name).is_err(), "name was unlinked");
    }

    #[test]
    fn own_state_is_read_from_proc() {
        // The test harness's main thread sleeps while this test runs.
        let letter = state_letter(std::process::id()).unwrap();
        assert!("RS".contains(letter), "{letter}");
        assert!(alive(std::process::id()));
    }
}
