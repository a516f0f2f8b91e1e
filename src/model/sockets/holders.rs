//! Who holds each listening socket and each side of a connection open: the
//! hand-off report, accept (and who sleeps in it), connect and the closes.

use super::super::Phase;
use super::{SocketState, Wait, add, side};
use crate::wire::Report;

impl SocketState {
    /// A report of a socket opened, handed on or closed, or of an `accept`;
    /// the phase it puts process `p` in, if any.
    pub(super) fn holder_report(&mut self, p: usize, r: &Report) -> Option<Phase> {
        match r {
            Report::Sockets { servers, socks } => {
                for name in servers {
                    if let Some(s) = self.server(name) {
                        add(&mut self.servers[s].holders, p);
                        self.servers[s].was_open = true;
                    }
                }
                for at in socks {
                    let c = self.conn_at(0, at.port);
                    let st = &mut self.conns[c].sides[side(at)];
                    add(&mut st.holders, (p, at.sock.clone()));
                    add(&mut st.ever, p);
                    st.was_open = true;
                }
                None
            }
            Report::AcceptWaiting { server } => {
                let s = self.server(server)?;
                add(&mut self.servers[s].waiters, p);
                Some(Phase::Blocked {
                    on: Wait::Accept(s),
                })
            }
            Report::Accepted { server, at } => {
                let s = self.server(server)?;
                self.servers[s].waiters.retain(|h| *h != p);
                self.servers[s].accepted += 1;
                let c = self.conn_at(s, at.port);
                let conn = &mut self.conns[c];
                conn.server = s;
                conn.accepted_by = Some(p);
                add(&mut conn.sides[1].holders, (p, at.sock.clone()));
                add(&mut conn.sides[1].ever, p);
                conn.sides[1].was_open = true;
                Some(Phase::Running)
            }
            Report::Connected { server, at } => {
                let s = self.server(server)?;
                let c = self.conn_at(s, at.port);
                let conn = &mut self.conns[c];
                conn.server = s;
                conn.client = Some(p);
                add(&mut conn.sides[0].holders, (p, at.sock.clone()));
                add(&mut conn.sides[0].ever, p);
                conn.sides[0].was_open = true;
                None
            }
            Report::SockClosed { at } => {
                let c = self.conn_at(0, at.port);
                self.conns[c].sides[side(at)]
                    .holders
                    .retain(|(h, n)| !(*h == p && *n == at.sock));
                None
            }
            Report::ServerClosed { server } => {
                let s = self.server(server)?;
                self.servers[s].holders.retain(|h| *h != p);
                None
            }
            _ => None,
        }
    }
}
