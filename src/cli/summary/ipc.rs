//! The summary's `ipc` object: events, pipe ends, queues and sockets at the
//! end of a run, with processes as P-numbers.

use serde::Serialize;

use crate::model::RunState;
use crate::model::ipc::{EndState, EventState, QueueState};
use crate::model::sockets::{ConnState, ServerState, SideState, SocketState};

/// 0-based process indexes as P-numbers.
fn p_numbers(procs: &[usize]) -> Vec<usize> {
    procs.iter().map(|p| p + 1).collect()
}

#[derive(Serialize)]
pub struct IpcSummary<'a> {
    events: Vec<EventLine<'a>>,
    pipe_ends: Vec<PipeEndLine<'a>>,
    queues: Vec<QueueLine<'a>>,
    /// Only in a lesson with sockets.
    #[serde(skip_serializing_if = "Option::is_none")]
    sockets: Option<SocketsLine<'a>>,
}

impl<'a> IpcSummary<'a> {
    pub fn of(state: &'a RunState) -> IpcSummary<'a> {
        let ipc = &state.ipc;
        IpcSummary {
            events: ipc.events.iter().map(EventLine::of).collect(),
            pipe_ends: ipc.ends.iter().map(PipeEndLine::of).collect(),
            queues: ipc.queues.iter().map(QueueLine::of).collect(),
            sockets: (!ipc.sockets.is_empty()).then(|| SocketsLine::of(&ipc.sockets)),
        }
    }
}

#[derive(Serialize)]
struct EventLine<'a> {
    name: &'a str,
    set: bool,
    waiters: Vec<usize>,
}

impl<'a> EventLine<'a> {
    fn of(e: &'a EventState) -> EventLine<'a> {
        EventLine {
            name: &e.name,
            set: e.set,
            waiters: p_numbers(&e.waiters),
        }
    }
}

#[derive(Serialize)]
struct PipeEndLine<'a> {
    eof: Vec<usize>,
    in_flight: usize,
    name: &'a str,
    open_in: Vec<usize>,
    pipe: &'a str,
    received: u64,
}

impl<'a> PipeEndLine<'a> {
    fn of(e: &'a EndState) -> PipeEndLine<'a> {
        PipeEndLine {
            eof: p_numbers(&e.eof),
            in_flight: e.inbox.len(),
            name: &e.name,
            open_in: p_numbers(&e.holders),
            pipe: &e.pipe,
            received: e.received,
        }
    }
}

#[derive(Serialize)]
struct QueueLine<'a> {
    done: u64,
    done_at_join: Option<i64>,
    gets: u64,
    items: usize,
    joinable: bool,
    name: &'a str,
    puts: u64,
    unfinished: i64,
}

impl<'a> QueueLine<'a> {
    fn of(q: &'a QueueState) -> QueueLine<'a> {
        QueueLine {
            done: q.done,
            done_at_join: q.done_at_join,
            gets: q.gets,
            items: q.items.len(),
            joinable: q.joinable,
            name: &q.name,
            puts: q.puts,
            unfinished: q.unfinished,
        }
    }
}

#[derive(Serialize)]
struct SocketsLine<'a> {
    connections: Vec<ConnectionLine<'a>>,
    servers: Vec<ServerLine<'a>>,
}

impl<'a> SocketsLine<'a> {
    fn of(s: &'a SocketState) -> SocketsLine<'a> {
        SocketsLine {
            connections: (s.conns.iter().enumerate())
                .map(|(i, c)| ConnectionLine::of(i, c, s))
                .collect(),
            servers: s.servers.iter().map(ServerLine::of).collect(),
        }
    }
}

#[derive(Serialize)]
struct ServerLine<'a> {
    accepted: u64,
    address: &'static str,
    listening_in: Vec<usize>,
    name: &'a str,
    waiting: Vec<usize>,
}

impl<'a> ServerLine<'a> {
    fn of(s: &'a ServerState) -> ServerLine<'a> {
        ServerLine {
            accepted: s.accepted,
            address: "127.0.0.1",
            listening_in: p_numbers(&s.holders),
            name: &s.name,
            waiting: p_numbers(&s.waiters),
        }
    }
}

/// Something about both ends of a connection.
#[derive(Serialize)]
struct BothSides {
    client: Vec<usize>,
    server: Vec<usize>,
}

impl BothSides {
    fn of(sides: &[SideState; 2], pick: impl Fn(&SideState) -> Vec<usize>) -> BothSides {
        BothSides {
            client: pick(&sides[0]),
            server: pick(&sides[1]),
        }
    }
}

#[derive(Serialize)]
struct ConnectionLine<'a> {
    accepted_by: Option<usize>,
    client: Option<usize>,
    client_sent: u64,
    eof: BothSides,
    id: usize,
    open_in: BothSides,
    replies: u64,
    served_by: Vec<usize>,
    server: Option<&'a str>,
    upper_replies: u64,
}

impl<'a> ConnectionLine<'a> {
    fn of(i: usize, c: &ConnState, sockets: &'a SocketState) -> ConnectionLine<'a> {
        let holders = |side: &SideState| side.holders.iter().map(|(p, _)| p + 1).collect();
        ConnectionLine {
            accepted_by: c.accepted_by.map(|p| p + 1),
            client: c.client.map(|p| p + 1),
            client_sent: c.sides[0].sent,
            eof: BothSides::of(&c.sides, |side| p_numbers(&side.eof)),
            id: i + 1,
            open_in: BothSides::of(&c.sides, holders),
            replies: c.sides[0].received,
            served_by: p_numbers(&c.sides[1].users),
            server: sockets.servers.get(c.server).map(|s| s.name.as_str()),
            upper_replies: c.upper_replies,
        }
    }
}
