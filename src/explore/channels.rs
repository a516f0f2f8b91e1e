//! What pipe, queue and socket steps touch. A channel is a line of items:
//! putting item `k` and taking item `k` meet only each other (and the puts,
//! the takes among themselves), so one producer and one consumer of a pipe
//! are not interleaved step by step: what arrives is the same either way.

use super::footprint::{Footprint, Kind, Obj};
use crate::lesson::Op;
use crate::model::RunState;

/// A pipe step: `send` puts the next item into the other end's inbox,
/// `recv` takes the next item of its own (or finds the end closed), a
/// `close` may end the other side's reading.
pub(super) fn pipe(state: &RunState, op: &Op, fp: &mut Footprint) {
    let ends = &state.ipc.ends;
    let (Op::PipeSend { end, .. } | Op::PipeRecv { end, .. } | Op::PipeClose { end }) = op else {
        return;
    };
    let Some(e) = ends.iter().position(|x| x.name == *end) else {
        fp.add(Obj::Tail(end.clone()), Kind::Write);
        return;
    };
    let peer = &ends[ends[e].peer];
    match op {
        Op::PipeSend { .. } => {
            let k = peer.received + peer.inbox.len() as u64;
            fp.add(Obj::Tail(peer.name.clone()), Kind::Write);
            fp.add(Obj::Item(peer.name.clone(), k), Kind::Write);
        }
        Op::PipeRecv { .. } => {
            let me = &ends[e];
            fp.add(Obj::Head(me.name.clone()), Kind::Write);
            fp.add(Obj::Item(me.name.clone(), me.received), Kind::Read);
            if me.inbox.is_empty() {
                // Nothing to take: it waits, or finds every writer gone.
                fp.add(Obj::Eof(me.name.clone()), Kind::Read);
            }
        }
        _ => {
            // Closing this end: the other side may read its end, and
            // nothing more is sent here.
            fp.add(Obj::Eof(peer.name.clone()), Kind::Write);
            fp.add(Obj::Tail(ends[e].name.clone()), Kind::Write);
        }
    }
}

/// A queue step: `put` adds item `k`, a `get` takes the next one (a timed
/// get that finds none meets the put it missed), `task_done` and `join`
/// meet on the count of items not yet done.
pub(super) fn queue(state: &RunState, op: &Op, fp: &mut Footprint) {
    let (Op::QueuePut { queue, .. }
    | Op::QueueGet { queue, .. }
    | Op::TaskDone { queue }
    | Op::QueueJoin { queue }) = op
    else {
        return;
    };
    let found = state.ipc.queues.iter().find(|q| q.name == *queue);
    let puts = found.map_or(0, |q| q.puts);
    let taken = found.map_or(0, |q| q.puts.saturating_sub(q.items.len() as u64));
    let name = || queue.clone();
    match op {
        Op::QueuePut { .. } => {
            fp.add(Obj::Tail(name()), Kind::Write);
            fp.add(Obj::Item(name(), puts), Kind::Write);
            fp.add(Obj::Unfinished(name()), Kind::Add);
        }
        Op::QueueGet { timeout_ms, .. } => {
            fp.add(Obj::Head(name()), Kind::Write);
            // A timed get gives up at once when the item is not there yet.
            let kind = if timeout_ms.is_some() {
                Kind::Write
            } else {
                Kind::Read
            };
            fp.add(Obj::Item(name(), taken), kind);
        }
        Op::TaskDone { .. } => fp.add(Obj::Unfinished(name()), Kind::Add),
        _ => fp.add(Obj::Unfinished(name()), Kind::Read),
    }
}

/// A socket step: a `connect` queues connection `k` at its server, an
/// `accept` takes the next one; the rest touch their own connection.
pub(super) fn socket(state: &RunState, p: usize, op: &Op, fp: &mut Footprint) {
    let sockets = &state.ipc.sockets;
    let backlog = |server: &str| format!("server {server}");
    match op {
        Op::Connect { server, .. } => {
            let s = sockets.servers.iter().position(|x| x.name == *server);
            let k = sockets.conns.iter().filter(|c| Some(c.server) == s).count() as u64;
            fp.add(Obj::Tail(backlog(server)), Kind::Write);
            fp.add(Obj::Item(backlog(server), k), Kind::Write);
            fp.add(Obj::Net, Kind::Read);
        }
        Op::Accept { server, .. } => {
            let k = (sockets.servers.iter())
                .find(|x| x.name == *server)
                .map_or(0, |x| x.accepted);
            fp.add(Obj::Head(backlog(server)), Kind::Write);
            fp.add(Obj::Item(backlog(server), k), Kind::Read);
            fp.add(Obj::Net, Kind::Read);
        }
        Op::SockSend { sock, .. } | Op::SockRecv { sock, .. } | Op::SockClose { sock } => {
            let Some((c, k)) = sockets.held(p, sock) else {
                fp.add(Obj::Net, Kind::Write);
                return;
            };
            fp.add(Obj::Net, Kind::Read);
            // A side's inbox: what the other side sent, not read yet.
            let (mine, theirs) = (
                format!("conn {c} side {k}"),
                format!("conn {c} side {}", 1 - k),
            );
            match op {
                Op::SockSend { .. } => fp.add(Obj::Tail(theirs), Kind::Write),
                Op::SockRecv { .. } => {
                    // A stream: a recv takes everything sent so far.
                    fp.add(Obj::Tail(mine.clone()), Kind::Read);
                    fp.add(Obj::Head(mine.clone()), Kind::Write);
                    if sockets.conns[c].sides[k].inbox.is_empty() {
                        fp.add(Obj::Eof(mine), Kind::Read);
                    }
                }
                _ => {
                    // Only the last copy's close is seen on the other side;
                    // closes of one side meet, so which is last stays so.
                    fp.add(Obj::Holders(mine.clone()), Kind::Write);
                    if sockets.conns[c].sides[k].holders.len() <= 1 {
                        fp.add(Obj::Eof(theirs), Kind::Write);
                        fp.add(Obj::Tail(mine), Kind::Write);
                    }
                }
            }
        }
        _ => {}
    }
}
