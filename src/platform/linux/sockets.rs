//! Descriptors and sockets: the wake-up pipe, polling, the socket pairs
//! pipes and queues are made of, the lesson's TCP servers, and whole
//! messages sent and received.

use std::io;

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
