//! Why a process cannot move, and a deadlock, told in a sentence:
//! "P3 waits for lock, held by P1", "P2–P10 wait for mutex, held by P1 (killed
//! by SIGTERM, exit code -15)".

use super::numbers;
use crate::lesson::Lang;
use crate::model::facts::{Blocked, BlockedOn, Deadlock, Holder};
use crate::model::{ProcId, RunState, signal_name};
use crate::wire::Ending;

/// How a sentence calls processes: by P-number (headless reports), or with
/// the listing's name beside it as the lanes show it ("P3 (p2)").
#[derive(Clone, Copy)]
pub enum Names<'a> {
    Numbers,
    Listing(&'a RunState),
}

impl Names<'_> {
    fn one(self, p: ProcId) -> String {
        match self {
            Names::Numbers => p.to_string(),
            Names::Listing(state) => state.named(p.index()),
        }
    }

    fn name_of(self, p: ProcId) -> Option<String> {
        match self {
            Names::Numbers => None,
            Names::Listing(state) => state.procs.get(p.index())?.name.clone(),
        }
    }

    /// A group: "P2–P5" by numbers; named, each one (three at most, else
    /// the numbers' ranges).
    fn many(self, procs: &[ProcId]) -> String {
        let who: Vec<usize> = procs.iter().map(|p| p.index()).collect();
        match self {
            Names::Listing(_) if procs.len() <= 3 => {
                let named: Vec<String> = procs.iter().map(|p| self.one(*p)).collect();
                named.join(", ")
            }
            _ => numbers(&who),
        }
    }
}

/// A lock's holder, with its name and how it ended if it has, in one
/// bracket: "P1 (task 0, killed by SIGTERM, exit code -15)".
fn holder(h: &Holder, lang: Lang, names: Names) -> String {
    let p = h.proc;
    let name = signal_name;
    let ended = match (h.ending, lang) {
        (Some(Ending::Signal(s)), Lang::En) => {
            Some(format!("killed by {}, exit code -{s}", name(s)))
        }
        (Some(Ending::Signal(s)), Lang::Zh) => Some(format!("已被 {} 终止，退出码 -{s}", name(s))),
        (Some(Ending::Code(c)), Lang::En) => Some(format!("exited with code {c}")),
        (Some(Ending::Code(c)), Lang::Zh) => Some(format!("已退出，退出码 {c}")),
        (None, _) => None,
    };
    let said: Vec<String> = names.name_of(p).into_iter().chain(ended).collect();
    match (said.is_empty(), lang) {
        (true, _) => p.to_string(),
        (false, Lang::En) => format!("{p} ({})", said.join(", ")),
        (false, Lang::Zh) => format!("{p}（{}）", said.join("，")),
    }
}

fn listed(procs: &[ProcId], lang: Lang, names: Names) -> String {
    if procs.is_empty() {
        return match lang {
            Lang::En => "nobody".into(),
            Lang::Zh => "无人".into(),
        };
    }
    let named: Vec<String> = procs.iter().map(|p| names.one(*p)).collect();
    named.join(", ")
}

/// The sentence for one group of processes blocked for the same reason.
pub fn blocked(b: &Blocked, lang: Lang) -> String {
    blocked_as(b, lang, Names::Numbers)
}

/// [`blocked`] with processes called as `names` says.
pub fn blocked_as(b: &Blocked, lang: Lang, names: Names) -> String {
    let n = names.many(&b.who);
    let many = b.who.len() > 1;
    match (&b.on, lang) {
        (BlockedOn::Lock { name, holders }, _) => lock_wait(&n, many, (name, holders), lang, names),
        (BlockedOn::OwnLock { name }, Lang::En) => {
            format!("{n} waits for {name}, which it holds itself")
        }
        (BlockedOn::OwnLock { name }, Lang::Zh) => {
            format!("{n} 在等 {name}，而这把锁正由它自己持有")
        }
        (BlockedOn::Asleep { .. }, _) => asleep(&n, &b.on, lang),
        (BlockedOn::NotStarted, Lang::En) => format!("{n} has not been started yet"),
        (BlockedOn::NotStarted, Lang::Zh) => format!("{n} 还没有被启动"),
        (BlockedOn::Finished, Lang::En) => format!("{n} has finished"),
        (BlockedOn::Finished, Lang::Zh) => format!("{n} 已经结束"),
        (BlockedOn::Starting, Lang::En) => format!("{n} is still starting"),
        (BlockedOn::Starting, Lang::Zh) => format!("{n} 还在启动"),
        (BlockedOn::Running, Lang::En) => format!("{n} is still running its last step"),
        (BlockedOn::Running, Lang::Zh) => format!("{n} 还在执行上一步"),
        (BlockedOn::Join { child }, Lang::En) => {
            format!("{n} waits for {} to end (join)", names.one(*child))
        }
        (BlockedOn::Join { child }, Lang::Zh) => {
            format!("{n} 在等 {} 结束（join）", names.one(*child))
        }
        (BlockedOn::Event { name }, Lang::En) => format!("{n} waits for event {name} (not set)"),
        (BlockedOn::Event { name }, Lang::Zh) => format!("{n} 在等事件 {name}（还没有 set）"),
        (BlockedOn::Recv { end, peer, writers }, Lang::En) => format!(
            "{n} waits to receive on {end} (nothing sent; {peer} still open in {})",
            listed(writers, lang, names)
        ),
        (BlockedOn::Recv { end, peer, writers }, Lang::Zh) => format!(
            "{n} 在等从 {end} 接收（没有消息；{peer} 仍在 {} 中打开）",
            listed(writers, lang, names)
        ),
        (BlockedOn::Get { queue }, Lang::En) => {
            format!("{n} waits to get from queue {queue} (empty)")
        }
        (BlockedOn::Get { queue }, Lang::Zh) => {
            format!("{n} 在等从队列 {queue} 取数据（队列为空）")
        }
        (BlockedOn::CondWait { condition }, Lang::En) => {
            format!("{n} waits in {condition}.wait() (not notified)")
        }
        (BlockedOn::CondWait { condition }, Lang::Zh) => {
            format!("{n} 在 {condition}.wait() 中等待（没有被 notify）")
        }
        (BlockedOn::Put { .. } | BlockedOn::Send { .. }, _) => full(&n, &b.on, lang, names),
        (BlockedOn::QueueJoin { queue, unfinished }, Lang::En) => {
            format!("{n} waits in {queue}.join(): {unfinished} item(s) not marked done")
        }
        (BlockedOn::QueueJoin { queue, unfinished }, Lang::Zh) => {
            format!("{n} 在 {queue}.join() 里等：还有 {unfinished} 个任务没有 task_done")
        }
        (BlockedOn::Accept { server }, Lang::En) => {
            format!("{n} waits in {server}.accept() (no client is waiting to connect)")
        }
        (BlockedOn::Accept { server }, Lang::Zh) => {
            format!("{n} 在 {server}.accept() 里等（没有客户端在等连接）")
        }
        (BlockedOn::SockRecv { conn, others }, Lang::En) => format!(
            "{n} waits in recv on connection c{} (nothing sent; the other side still open in {})",
            conn + 1,
            listed(others, lang, names)
        ),
        (BlockedOn::SockRecv { conn, others }, Lang::Zh) => format!(
            "{n} 在连接 c{} 上等 recv（没有数据；另一端仍在 {} 中打开）",
            conn + 1,
            listed(others, lang, names)
        ),
    }
}

fn lock_wait(
    who: &str,
    many: bool,
    (lock, holders): (&str, &[Holder]),
    lang: Lang,
    names: Names,
) -> String {
    let held: Vec<String> = holders.iter().map(|h| holder(h, lang, names)).collect();
    let wait = if many { "wait" } else { "waits" };
    match (lang, held.is_empty()) {
        (Lang::En, true) => format!("{who} {wait} for {lock}, no permit free"),
        (Lang::En, false) => format!("{who} {wait} for {lock}, held by {}", held.join(", ")),
        (Lang::Zh, true) => format!("{who} 在等 {lock}，没有空闲的许可"),
        (Lang::Zh, false) => format!("{who} 在等 {lock}，持有者：{}", held.join("、")),
    }
}

/// "P2 sleeps until 1.00 s; now 0.30 s; P3 wakes first".
fn asleep(who: &str, on: &BlockedOn, lang: Lang) -> String {
    let BlockedOn::Asleep {
        until_ms,
        now_ms,
        first,
        first_awake,
    } = on
    else {
        return String::new();
    };
    let (until, now) = (clock_time(*until_ms), clock_time(*now_ms));
    match (lang, first_awake) {
        (Lang::En, true) => format!("{who} sleeps until {until}; now {now}; {first} can move now"),
        (Lang::En, false) => format!("{who} sleeps until {until}; now {now}; {first} wakes first"),
        (Lang::Zh, true) => format!("{who} 睡到 {until}；现在是 {now}；{first} 现在就能走"),
        (Lang::Zh, false) => format!("{who} 睡到 {until}；现在是 {now}；{first} 先醒"),
    }
}

/// Virtual time as the header shows it: "1.00 s".
pub fn clock_time(ms: u64) -> String {
    format!("{:.2} s", ms as f64 / 1000.0)
}

/// Who waits for what, one part per group.
pub fn deadlock(d: &Deadlock, lang: Lang, names: Names) -> String {
    let parts: Vec<String> = d.waits.iter().map(|b| blocked_as(b, lang, names)).collect();
    parts.join(if lang == Lang::Zh { "；" } else { "; " })
}

/// A put or send that waits for room: "P2 waits to put into queue q (full: 2 of 2 items)".
fn full(n: &str, on: &BlockedOn, lang: Lang, names: Names) -> String {
    match (on, lang) {
        (
            BlockedOn::Put {
                queue, capacity: 0, ..
            },
            Lang::En,
        ) => {
            format!("{n} waits to put into queue {queue} (its pipe is full: nobody reads)")
        }
        (
            BlockedOn::Put {
                queue, capacity: 0, ..
            },
            Lang::Zh,
        ) => {
            format!("{n} 在等往队列 {queue} 放数据（管道已满：没有人在读）")
        }
        (
            BlockedOn::Put {
                queue,
                items,
                capacity,
            },
            Lang::En,
        ) => {
            format!("{n} waits to put into queue {queue} (full: {items} of {capacity} items)")
        }
        (
            BlockedOn::Put {
                queue,
                items,
                capacity,
            },
            Lang::Zh,
        ) => {
            format!("{n} 在等往队列 {queue} 放数据（队列已满：{items}/{capacity}）")
        }
        (BlockedOn::Send { end, peer, readers }, Lang::En) => format!(
            "{n} waits to send on {end} (the pipe is full; {peer} still open in {})",
            listed(readers, lang, names)
        ),
        (BlockedOn::Send { end, peer, readers }, Lang::Zh) => format!(
            "{n} 在等从 {end} 发送（管道已满；{peer} 仍在 {} 中打开）",
            listed(readers, lang, names)
        ),
        _ => String::new(),
    }
}
