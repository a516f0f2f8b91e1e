//! The words of the side panel's events, pipes, queues, servers and
//! connections, and of a lane whose process waits on one of them.

use crate::lesson::Lang;

/// What a process is blocked on, named.
pub enum Waiting<'a> {
    Event(&'a str),
    Recv(&'a str),
    Get(&'a str),
    /// `wait()` on a Condition.
    CondWait(&'a str),
    Join(&'a str),
    /// `put()` on a full queue.
    Put(&'a str),
    /// `send()` on an end whose pipe is full.
    Send(&'a str),
    /// `accept()`, on the named server when there is more than one.
    Accept(Option<&'a str>),
    /// `recv()` on connection c`n` (counted from 1).
    SockRecv(usize),
}

/// "waits: event done", "waits: recv conn1", "waits: get q", "waits: q.join()".
pub fn waiting(w: &Waiting, lang: Lang) -> String {
    match (w, lang) {
        (Waiting::Event(e), Lang::En) => format!("waits: event {e}"),
        (Waiting::Event(e), Lang::Zh) => format!("在等事件 {e}"),
        (Waiting::Recv(e), Lang::En) => format!("waits: recv {e}"),
        (Waiting::Recv(e), Lang::Zh) => format!("在等 {e} 接收"),
        (Waiting::Get(q), Lang::En) => format!("waits: get {q}"),
        (Waiting::Get(q), Lang::Zh) => format!("在等从 {q} 取"),
        (Waiting::CondWait(c), Lang::En) => format!("waits: {c}.wait()"),
        (Waiting::CondWait(c), Lang::Zh) => format!("在等 {c}.wait()"),
        (Waiting::Put(q), Lang::En) => format!("waits: put {q}"),
        (Waiting::Put(q), Lang::Zh) => format!("在等往 {q} 放"),
        (Waiting::Send(e), Lang::En) => format!("waits: send {e}"),
        (Waiting::Send(e), Lang::Zh) => format!("在等 {e} 发送"),
        (Waiting::Join(q), Lang::En) => format!("waits: {q}.join()"),
        (Waiting::Join(q), Lang::Zh) => format!("在等 {q}.join()"),
        (Waiting::Accept(Some(s)), Lang::En) => format!("waits: accept {s}"),
        (Waiting::Accept(Some(s)), Lang::Zh) => format!("在等 {s} accept"),
        (Waiting::Accept(None), Lang::En) => "waits: accept".to_string(),
        (Waiting::Accept(None), Lang::Zh) => "在等 accept".to_string(),
        (Waiting::SockRecv(c), Lang::En) => format!("waits: recv c{c}"),
        (Waiting::SockRecv(c), Lang::Zh) => format!("在等 c{c} 接收"),
    }
}

/// The side panel's fixed words for events, pipes, queues and sockets.
pub struct IpcWords {
    pub event: &'static str,
    pub set: &'static str,
    pub clear: &'static str,
    pub waiting: &'static str,
    pub pipe: &'static str,
    pub closed_everywhere: &'static str,
    pub open_in: &'static str,
    pub inbox: &'static str,
    /// Before who waits in a pipe's recv.
    pub recv: &'static str,
    pub queue: &'static str,
    pub items: &'static str,
    pub got: &'static str,
    pub done: &'static str,
    pub left: &'static str,
    /// Before who waits in a queue's get, and in its join.
    pub get_waiting: &'static str,
    pub join_waiting: &'static str,
    /// Before who sleeps in a Condition's `wait`.
    pub cond_waiting: &'static str,
    pub server: &'static str,
    pub server_closed: &'static str,
    pub listening_in: &'static str,
    pub accept_waiting: &'static str,
    pub not_accepted: &'static str,
    pub conn_closed: &'static str,
    pub open: &'static str,
    pub sock_recv_waiting: &'static str,
}

pub fn ipc_words(lang: Lang) -> &'static IpcWords {
    match lang {
        Lang::En => &EN,
        Lang::Zh => &ZH,
    }
}

/// "  3 accepted · in P1 P2" / "  已 accept 3 · 监听于 P1 P2".
pub fn accepted(n: u64, listening: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("  {n} accepted · {listening}"),
        Lang::Zh => format!("  已 accept {n} · {listening}"),
    }
}

/// A `Manager`'s server process: "  its server P2 keeps the data".
pub fn manager_server(server: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("  its server {server} keeps the data"),
        Lang::Zh => format!("  由服务进程 {server} 保存数据"),
    }
}

static EN: IpcWords = IpcWords {
    event: "Event",
    set: "set",
    clear: "clear",
    waiting: "waiting",
    pipe: "Pipe",
    closed_everywhere: "closed everywhere",
    open_in: "open in",
    inbox: "inbox",
    recv: "recv",
    queue: "Queue",
    items: "items",
    got: "got",
    done: "done",
    left: "left",
    get_waiting: "get",
    join_waiting: "join",
    cond_waiting: "wait",
    server: "Server",
    server_closed: "closed",
    listening_in: "in",
    accept_waiting: "accept",
    not_accepted: "(not accepted)",
    conn_closed: "closed",
    open: "open:",
    sock_recv_waiting: "recv",
};

static ZH: IpcWords = IpcWords {
    event: "事件",
    set: "已 set",
    clear: "未 set",
    waiting: "在等",
    pipe: "管道",
    closed_everywhere: "已全部关闭",
    open_in: "打开于",
    inbox: "待收",
    recv: "在等",
    queue: "队列 Queue",
    items: "数据",
    got: "get",
    done: "完成",
    left: "未完成",
    get_waiting: "在等 get",
    join_waiting: "在等 join",
    cond_waiting: "在等 wait",
    server: "服务器",
    server_closed: "已关闭",
    listening_in: "监听于",
    accept_waiting: "在等 accept",
    not_accepted: "（未 accept）",
    conn_closed: "已关闭",
    open: "打开:",
    sock_recv_waiting: "在等 recv",
};
