//! TCP servers and connections in the reducer: which processes hold each
//! listening socket, who sleeps in `accept`, and for each connection (known
//! by its client's port) who holds each side open, the bytes in flight each
//! way, who waits in `recv` and who read the empty read. From these it knows
//! when an accept or a recv is about to return, and who served whom.

use super::ipc::Wait;
use crate::lesson::{Lesson, Op};
use crate::wire::{Report, SockRef};

mod holders;
mod traffic;

#[derive(Debug, Clone, Default)]
pub struct ServerState {
    pub name: String,
    /// Processes holding the listening socket open.
    pub holders: Vec<usize>,
    pub was_open: bool,
    /// Asleep in `accept`.
    pub waiters: Vec<usize>,
    pub accepted: u64,
    /// A real program's `Manager`: the process of its server, which holds
    /// the shared objects (0-based), once started.
    pub manager: Option<usize>,
}

/// One side of a connection: 0 is the client's, 1 the server's.
#[derive(Debug, Clone, Default)]
pub struct SideState {
    /// Processes holding this side's socket open, with its name there.
    pub holders: Vec<(usize, String)>,
    /// Every process that has held it (a child handed the connection too).
    pub ever: Vec<usize>,
    pub was_open: bool,
    /// Sent from the other side, not read here yet.
    pub inbox: Vec<u8>,
    /// Asleep in `recv` here.
    pub waiters: Vec<usize>,
    /// Processes whose `recv` here read nothing: the other side had closed.
    pub eof: Vec<usize>,
    /// Processes that sent or received on this side.
    pub users: Vec<usize>,
    pub sent: u64,
    pub received: u64,
}

#[derive(Debug, Clone, Default)]
pub struct ConnState {
    pub server: usize,
    /// The client's port: what names the connection on both sides.
    pub port: u16,
    /// The process that connected.
    pub client: Option<usize>,
    /// The process whose `accept` returned it.
    pub accepted_by: Option<usize>,
    pub sides: [SideState; 2],
    /// What the client sent last, to judge its reply.
    pub last_sent: Option<String>,
    /// Replies the client received that were its last text upper-cased.
    pub upper_replies: u64,
}

#[derive(Debug, Clone, Default)]
pub struct SocketState {
    pub servers: Vec<ServerState>,
    pub conns: Vec<ConnState>,
}

fn add<T: PartialEq>(v: &mut Vec<T>, x: T) {
    if !v.contains(&x) {
        v.push(x);
    }
}

fn side(at: &SockRef) -> usize {
    usize::from(at.server_side)
}

impl SocketState {
    pub fn new(lesson: &Lesson) -> SocketState {
        SocketState {
            servers: lesson
                .servers
                .iter()
                .map(|s| ServerState {
                    name: s.name.clone(),
                    ..ServerState::default()
                })
                .collect(),
            conns: Vec::new(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.servers.is_empty()
    }

    fn server(&self, name: &str) -> Option<usize> {
        self.servers.iter().position(|s| s.name == name)
    }

    /// The connection of this client port (the latest, should a port come back).
    fn conn_at(&mut self, server: usize, port: u16) -> usize {
        match self.conns.iter().rposition(|c| c.port == port) {
            Some(c) => c,
            None => {
                self.conns.push(ConnState {
                    server,
                    port,
                    ..ConnState::default()
                });
                self.conns.len() - 1
            }
        }
    }

    /// The connection and side process `p` holds as `sock`.
    pub fn held(&self, p: usize, sock: &str) -> Option<(usize, usize)> {
        self.conns.iter().enumerate().find_map(|(c, conn)| {
            (0..2)
                .find(|k| {
                    conn.sides[*k]
                        .holders
                        .iter()
                        .any(|(h, n)| *h == p && n == sock)
                })
                .map(|k| (c, k))
        })
    }

    /// A `recv` on side `k` of `c` reads nothing at once: every copy of the
    /// other side is closed, or the server that would accept it is gone.
    pub fn other_gone(&self, c: usize, k: usize) -> bool {
        let conn = &self.conns[c];
        let other = &conn.sides[1 - k];
        if other.was_open {
            return other.holders.is_empty();
        }
        k == 0 && {
            let s = &self.servers[conn.server];
            s.was_open && s.holders.is_empty()
        }
    }

    /// A connection waits on server `s` for an accept.
    fn pending(&self, s: usize) -> bool {
        self.conns
            .iter()
            .any(|c| c.server == s && c.accepted_by.is_none() && c.sides[0].was_open)
    }

    /// The kernel is about to return an accept or a recv.
    pub fn wake_pending(&self) -> bool {
        (0..self.servers.len()).any(|s| !self.servers[s].waiters.is_empty() && self.pending(s))
            || (0..self.conns.len()).any(|c| {
                (0..2).any(|k| {
                    let st = &self.conns[c].sides[k];
                    !st.waiters.is_empty() && (!st.inbox.is_empty() || self.other_gone(c, k))
                })
            })
    }

    /// Process `p` has ended: the kernel closed its sockets.
    pub fn forget(&mut self, p: usize) {
        for s in &mut self.servers {
            s.holders.retain(|h| *h != p);
            s.waiters.retain(|h| *h != p);
        }
        for c in &mut self.conns {
            for st in &mut c.sides {
                st.holders.retain(|(h, _)| *h != p);
                st.waiters.retain(|h| *h != p);
            }
        }
    }

    /// Would process `p`'s operation block now? `None`: not a socket wait.
    pub fn would_block(&self, p: usize, op: &Op) -> Option<bool> {
        match op {
            Op::Accept { server, .. } => self.server(server).map(|s| !self.pending(s)),
            Op::SockRecv { sock, .. } => Some(self.held(p, sock).is_some_and(|(c, k)| {
                self.conns[c].sides[k].inbox.is_empty() && !self.other_gone(c, k)
            })),
            _ => None,
        }
    }

    /// Replies clients of `server` received that were their text upper-cased.
    pub fn upper_replies(&self, server: &str) -> i64 {
        let Some(s) = self.server(server) else {
            return 0;
        };
        self.conns
            .iter()
            .filter(|c| c.server == s)
            .map(|c| c.upper_replies as i64)
            .sum()
    }

    /// Fold a socket report; the phase it puts process `p` in, if any.
    pub fn report(&mut self, p: usize, r: &Report) -> Option<super::Phase> {
        match r {
            Report::Sockets { .. }
            | Report::AcceptWaiting { .. }
            | Report::Accepted { .. }
            | Report::Connected { .. }
            | Report::SockClosed { .. }
            | Report::ServerClosed { .. } => self.holder_report(p, r),
            Report::SockSent { .. }
            | Report::SockWaiting { .. }
            | Report::SockReceived { .. }
            | Report::SockEof { .. } => self.traffic_report(p, r),
            _ => None,
        }
    }
}

#[cfg(test)]
#[path = "sockets_tests.rs"]
mod tests;
