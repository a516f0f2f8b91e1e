//! TCP sockets in a worker, as in the seed's chat server: a listening
//! socket made by the supervisor on 127.0.0.1 (`server.NAME`, inherited like
//! a module-level socket), `accept` and `connect` giving connected sockets
//! (`sock.NAME`) that a started child gets copies of, `send`, `recv(1024)`
//! (an empty read: the other side closed) and `close`. Every blocking call
//! first looks without blocking, then reports what it waits for.

use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::os::fd::OwnedFd;
use std::time::Duration;

use super::super::Raised;
use super::super::Worker;
use crate::lesson::{Lang, Text, fill};
use crate::platform;
use crate::wire::{PORTS_ENV, Report, SOCK_TOKEN_ENV, SOCK_TOKEN_WAIT_MS, SockRef};

/// One `recv(1024)`, as in the listing.
const RECV_SIZE: usize = 1024;

/// Each server's port, from [`PORTS_ENV`].
fn ports() -> Vec<(String, u16)> {
    std::env::var(PORTS_ENV)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default()
}

/// Which connection an inherited socket belongs to: an accepted socket has
/// a server's port on its side and the client's on the other.
pub(super) fn sock_ref(name: &str, fd: &OwnedFd) -> SockRef {
    let sock = name.trim_start_matches("sock.").to_string();
    let stream = fd.try_clone().map(TcpStream::from);
    let local = stream
        .as_ref()
        .ok()
        .and_then(|s| s.local_addr().ok())
        .map_or(0, |a| a.port());
    if ports().iter().any(|(_, p)| *p == local) {
        let peer = stream
            .as_ref()
            .ok()
            .and_then(|s| s.peer_addr().ok())
            .map_or(0, |a| a.port());
        SockRef {
            sock,
            port: peer,
            server_side: true,
        }
    } else {
        SockRef {
            sock,
            port: local,
            server_side: false,
        }
    }
}

/// The run's secret and a newline: what a lesson process sends first on
/// every connection it makes.
fn token_line() -> String {
    format!("{}\n", std::env::var(SOCK_TOKEN_ENV).unwrap_or_default())
}

/// A new connection sent the run's secret first, within the wait: it comes
/// from a process of this lesson, not from someone else on the machine.
fn from_the_lesson(stream: &TcpStream) -> bool {
    let want = token_line();
    let mut got = vec![0u8; want.len()];
    let wait = Some(Duration::from_millis(SOCK_TOKEN_WAIT_MS));
    stream.set_nonblocking(false).is_ok()
        && stream.set_read_timeout(wait).is_ok()
        && (&*stream).read_exact(&mut got).is_ok()
        && got == want.as_bytes()
        && stream.set_read_timeout(None).is_ok()
}

fn is_reset(e: &io::Error) -> bool {
    matches!(
        e.raw_os_error(),
        Some(libc::ECONNRESET) | Some(libc::EPIPE) | Some(libc::ENOTCONN)
    )
}

impl Worker {
    fn sock(&self, sock: &str) -> Result<(i32, SockRef), String> {
        let name = format!("sock.{sock}");
        match (
            self.ipc.fd(&name),
            self.ipc.socks.iter().find(|r| r.sock == sock),
        ) {
            (Some(fd), Some(r)) => Ok((fd, r.clone())),
            _ => Err(format!(
                "OSError: [Errno 9] Bad file descriptor ({sock} is not open in this process)"
            )),
        }
    }

    /// A new socket `sock` here: an older one of that name is closed, as
    /// Python closes a socket object nothing refers to any more.
    fn adopt_sock(&mut self, at: SockRef, fd: OwnedFd) -> io::Result<()> {
        self.close_sock(&at.sock)?;
        self.ipc.fds.push((format!("sock.{}", at.sock), fd));
        self.ipc.socks.push(at);
        Ok(())
    }

    pub(super) fn close_sock(&mut self, sock: &str) -> io::Result<()> {
        let name = format!("sock.{sock}");
        if let Some(i) = self.ipc.fds.iter().position(|(n, _)| *n == name) {
            if let Some(k) = self.ipc.socks.iter().position(|r| r.sock == sock) {
                let at = self.ipc.socks.remove(k);
                // Reported first: the other side's empty read must not come before it.
                self.report_now(Report::SockClosed { at })?;
            }
            self.ipc.fds.remove(i);
        }
        Ok(())
    }

    pub(super) fn accept(&mut self, server: &str, sock: &str) -> io::Result<Raised> {
        let Some(lfd) = self.ipc.fd(&format!("server.{server}")) else {
            return Ok(Err(format!(
                "OSError: server {server} is not open in this process"
            )));
        };
        let listener = self
            .ipc
            .fds
            .iter()
            .find(|(n, _)| *n == format!("server.{server}"))
            .map(|(_, f)| f.try_clone())
            .transpose()?
            .map(TcpListener::from);
        let Some(listener) = listener else {
            return Ok(Err(format!("server {server} is not open")));
        };
        // The listening socket is non-blocking (made so by the supervisor):
        // when another process takes the connection first, this one reports
        // its wait before it sleeps in poll, never blocks unannounced.
        let mut reported = false;
        let (stream, peer) = loop {
            match listener.accept() {
                Ok((stream, peer)) if from_the_lesson(&stream) => break (stream, peer),
                Ok((stream, peer)) => {
                    // Someone outside the lesson: closed, told, and the wait goes on.
                    drop(stream);
                    self.report_now(Report::Refused {
                        server: server.to_string(),
                        port: peer.port(),
                    })?;
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    if !reported {
                        self.report_now(Report::AcceptWaiting {
                            server: server.to_string(),
                        })?;
                        reported = true;
                    }
                    platform::poll_readable(&[lfd], -1)?;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        };
        drop(listener);
        stream.set_nonblocking(false)?;
        let at = SockRef {
            sock: sock.to_string(),
            port: peer.port(),
            server_side: true,
        };
        self.adopt_sock(at.clone(), stream.into())?;
        self.trace(Report::Accepted {
            server: server.to_string(),
            at,
        })?;
        Ok(Ok(()))
    }

    pub(super) fn connect(&mut self, server: &str, sock: &str) -> io::Result<Raised> {
        let Some(port) = ports()
            .into_iter()
            .find(|(n, _)| n == server)
            .map(|(_, p)| p)
        else {
            return Ok(Err(format!("no address for server {server}")));
        };
        let mut stream = match TcpStream::connect((Ipv4Addr::LOCALHOST, port)) {
            Ok(s) => s,
            Err(e) => return Ok(Err(format!("ConnectionRefusedError: {e}"))),
        };
        // First the run's secret: the server knows it for one of the lesson's.
        if let Err(e) = stream.write_all(token_line().as_bytes()) {
            return Ok(Err(format!("ConnectionResetError: {e}")));
        }
        let at = SockRef {
            sock: sock.to_string(),
            port: stream.local_addr()?.port(),
            server_side: false,
        };
        self.adopt_sock(at.clone(), stream.into())?;
        self.trace(Report::Connected {
            server: server.to_string(),
            at,
        })?;
        Ok(Ok(()))
    }

    pub(super) fn sock_send(&mut self, sock: &str, text: &str, upper: bool) -> io::Result<Raised> {
        let mut msg = fill(text, |n| match self.ipc.texts.get(n) {
            Some(got) => Some(got.get(Lang::En).to_string()),
            None => self.local(n).map(|v| v.to_string()),
        });
        if upper {
            // bytes.upper(): ASCII letters only.
            msg = msg.to_ascii_uppercase();
        }
        let (fd, at) = match self.sock(sock) {
            Ok(s) => s,
            Err(e) => return Ok(Err(e)),
        };
        self.report_now(Report::SockSent {
            at,
            text: msg.clone(),
        })?;
        match platform::send_packet(fd, msg.as_bytes()) {
            Ok(()) => Ok(Ok(())),
            Err(e) if is_reset(&e) => Ok(Err(format!(
                "BrokenPipeError: the other side of {sock} is closed"
            ))),
            Err(e) => Err(e),
        }
    }

    /// `Ok(Ok(true))`: an empty read (jump to the `eof` label).
    pub(super) fn sock_recv(&mut self, sock: &str, into: &str) -> io::Result<Result<bool, String>> {
        let (fd, at) = match self.sock(sock) {
            Ok(s) => s,
            Err(e) => return Ok(Err(e)),
        };
        let mut buf = [0u8; RECV_SIZE];
        let got = match platform::recv_now(fd, &mut buf) {
            Ok(Some(n)) => Ok(n),
            Ok(None) => {
                self.report_now(Report::SockWaiting { at: at.clone() })?;
                // Poll, then read without blocking: another holder of the
                // socket may read the bytes first, and then we wait again.
                loop {
                    platform::poll_readable(&[fd], -1)?;
                    match platform::recv_now(fd, &mut buf) {
                        Ok(Some(n)) => break Ok(n),
                        Ok(None) => {}
                        Err(e) => break Err(e),
                    }
                }
            }
            Err(e) => Err(e),
        };
        // A reset connection ends the loop like an empty read, as the
        // listing's `except Exception: break` does.
        let n = match got {
            Ok(n) => n,
            Err(e) if is_reset(&e) => 0,
            Err(e) => return Err(e),
        };
        if n == 0 {
            self.trace(Report::SockEof { at })?;
            return Ok(Ok(true));
        }
        let text = String::from_utf8_lossy(&buf[..n]).into_owned();
        self.locals.remove(into);
        self.ipc.texts.insert(
            into.to_string(),
            Text {
                en: text.clone(),
                zh: None,
            },
        );
        self.trace(Report::SockReceived { at, text, bytes: n })?;
        Ok(Ok(false))
    }

    /// At exit: every connected socket and listening copy, reported before
    /// the kernel closes them.
    pub(super) fn close_all_sockets(&mut self) -> io::Result<()> {
        let socks: Vec<String> = self.ipc.socks.iter().map(|r| r.sock.clone()).collect();
        for s in socks {
            self.close_sock(&s)?;
        }
        let servers: Vec<String> = self
            .ipc
            .fds
            .iter()
            .filter_map(|(n, _)| n.strip_prefix("server.").map(str::to_string))
            .collect();
        for server in servers {
            self.report_now(Report::ServerClosed { server })?;
        }
        Ok(())
    }
}
