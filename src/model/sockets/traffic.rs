//! The bytes in flight on each connection: what is sent, who waits in `recv`,
//! what it read, and who read the empty read of a closed other side.

use super::super::Phase;
use super::{SocketState, Wait, add, side};
use crate::wire::Report;

impl SocketState {
    /// A report of bytes sent or received on a connection, or of a `recv` waiting;
    /// the phase it puts process `p` in, if any.
    pub(super) fn traffic_report(&mut self, p: usize, r: &Report) -> Option<Phase> {
        match r {
            Report::SockSent { at, text } => {
                let c = self.conn_at(0, at.port);
                let k = side(at);
                let conn = &mut self.conns[c];
                conn.sides[1 - k].inbox.extend_from_slice(text.as_bytes());
                conn.sides[k].sent += 1;
                add(&mut conn.sides[k].users, p);
                if k == 0 {
                    conn.last_sent = Some(text.clone());
                }
                None
            }
            Report::SockWaiting { at } => {
                let c = self.conn_at(0, at.port);
                let k = side(at);
                add(&mut self.conns[c].sides[k].waiters, p);
                Some(Phase::Blocked {
                    on: Wait::SockRecv(c, k),
                })
            }
            Report::SockReceived { at, text, bytes } => {
                let c = self.conn_at(0, at.port);
                let k = side(at);
                let conn = &mut self.conns[c];
                let st = &mut conn.sides[k];
                let n = (*bytes).min(st.inbox.len());
                st.inbox.drain(..n);
                st.received += 1;
                st.waiters.retain(|h| *h != p);
                add(&mut st.users, p);
                if k == 0
                    && conn
                        .last_sent
                        .as_ref()
                        .is_some_and(|sent| sent.to_ascii_uppercase() == *text)
                {
                    conn.upper_replies += 1;
                }
                Some(Phase::Running)
            }
            Report::SockEof { at } => {
                let c = self.conn_at(0, at.port);
                let st = &mut self.conns[c].sides[side(at)];
                st.waiters.retain(|h| *h != p);
                add(&mut st.eof, p);
                Some(Phase::Running)
            }
            _ => None,
        }
    }
}
