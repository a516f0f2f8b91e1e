//! Events, pipes and queues in a worker, on real kernel objects as Python's
//! own are: an Event is a flag semaphore with a condition made of a lock, a
//! sleeper count and a wake-up semaphore (`set` wakes every sleeper); a pipe
//! end is one socket of a connected `SOCK_SEQPACKET` pair, inherited like a
//! fork's copy, and `recv` sees end-of-file once every copy of the other end
//! is closed; a queue is such a pair too (one message per item) and a
//! JoinableQueue adds an unfinished-tasks semaphore and a condition for `join`.
//! Every blocking operation first tries without blocking, then reports what
//! it waits for and blocks in the kernel.

use std::collections::HashMap;
use std::io::{self, Write};
use std::os::fd::{AsRawFd, OwnedFd};
use std::time::{Duration, Instant};

mod event;
mod pipe;
mod queue;
mod socket;

use super::Raised;
use super::Worker;
use crate::expr::Expr;
use crate::lesson::{Op, Text, fill};
use crate::platform::{self, NamedSemaphore};
use crate::wire::{FDS_ENV, Item, Report};

/// A worker's pipe ends and queue sides, and the texts its locals received.
#[derive(Default)]
pub struct Ipc {
    fds: Vec<(String, OwnedFd)>,
    /// Which connection each connected socket (`sock.NAME` in `fds`) is.
    socks: Vec<crate::wire::SockRef>,
    /// Locals that received a text (printed as the text).
    pub texts: HashMap<String, Text>,
}

impl Ipc {
    /// The descriptors this process was handed at its start ([`FDS_ENV`]).
    pub fn inherited() -> Ipc {
        let list: Vec<(String, i32)> = std::env::var(FDS_ENV)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default();
        let fds: Vec<(String, OwnedFd)> = list
            .into_iter()
            .filter_map(|(name, fd)| platform::adopt_fd(fd).map(|o| (name, o)))
            .collect();
        let socks = fds
            .iter()
            .filter(|(n, _)| n.starts_with("sock."))
            .map(|(n, f)| socket::sock_ref(n, f))
            .collect();
        Ipc {
            fds,
            socks,
            texts: HashMap::new(),
        }
    }

    /// What this process holds of servers and connections from its start.
    pub fn sockets(&self) -> Option<Report> {
        let servers: Vec<String> = self
            .fds
            .iter()
            .filter_map(|(n, _)| n.strip_prefix("server.").map(str::to_string))
            .collect();
        if servers.is_empty() && self.socks.is_empty() {
            return None;
        }
        Some(Report::Sockets {
            servers,
            socks: self.socks.clone(),
        })
    }

    /// Pipe ends held open (queue sides are not shown).
    pub fn pipe_ends(&self) -> Vec<String> {
        self.fds
            .iter()
            .map(|(n, _)| n.clone())
            .filter(|n| !n.contains('.'))
            .collect()
    }

    fn fd(&self, name: &str) -> Option<i32> {
        self.fds
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, f)| f.as_raw_fd())
    }

    /// What a started child inherits: every descriptor still open, as JSON for [`FDS_ENV`].
    pub fn for_child(&self) -> (String, Vec<i32>) {
        let list: Vec<(String, i32)> = self
            .fds
            .iter()
            .map(|(n, f)| (n.clone(), f.as_raw_fd()))
            .collect();
        let fds = list.iter().map(|(_, f)| *f).collect();
        (serde_json::to_string(&list).unwrap_or_default(), fds)
    }
}

const MAX_MESSAGE: usize = 64 * 1024;

/// A condition built from named semaphores: `PREFIX.lock`, `.sleepers`, `.wake`.
struct Cond<'a> {
    lock: &'a NamedSemaphore,
    sleepers: &'a NamedSemaphore,
    wake: &'a NamedSemaphore,
}

impl Cond<'_> {
    /// Wake everyone asleep (call holding the lock).
    fn notify_all(&self) -> io::Result<()> {
        while self.sleepers.try_acquire()? {
            self.wake.release()?;
        }
        Ok(())
    }
}

/// What a blocking operation came to.
enum Woke {
    Yes,
    TimedOut,
}

impl Worker {
    fn sem(&self, name: &str) -> io::Result<&NamedSemaphore> {
        self.semaphores
            .get(name)
            .ok_or_else(|| io::Error::other(format!("no semaphore {name}")))
    }

    fn cond(&self, prefix: &str) -> io::Result<Cond<'_>> {
        Ok(Cond {
            lock: self.sem(&format!("{prefix}.lock"))?,
            sleepers: self.sem(&format!("{prefix}.sleepers"))?,
            wake: self.sem(&format!("{prefix}.wake"))?,
        })
    }

    fn report_now(&mut self, r: Report) -> io::Result<()> {
        self.send(&r)?;
        self.out.flush()
    }

    /// Sleep on the condition's wake semaphore (registered as a sleeper,
    /// lock released). With a timeout: in a free run, poll until it passes
    /// (as Python's timed waits do); under a schedule time stands still, so
    /// it passes at once. A timed-out sleeper takes its registration back,
    /// unless a wake-up already counted it: then it takes that wake-up.
    fn sleep_on(&mut self, prefix: &str, timeout_ms: Option<u64>) -> io::Result<Woke> {
        let Some(limit) = timeout_ms else {
            self.cond(prefix)?.wake.acquire()?;
            return Ok(Woke::Yes);
        };
        if self.is_free() {
            let deadline =
                Instant::now() + Duration::from_secs_f64(limit as f64 / 1000.0 / self.speed_now());
            while Instant::now() < deadline {
                if self.cond(prefix)?.wake.try_acquire()? {
                    return Ok(Woke::Yes);
                }
                std::thread::sleep(Duration::from_millis(5));
            }
        } else {
            self.family.clock_ms += limit as f64;
        }
        let c = self.cond(prefix)?;
        c.lock.acquire()?;
        let woke = if c.sleepers.try_acquire()? {
            Woke::TimedOut
        } else {
            c.wake.acquire()?;
            Woke::Yes
        };
        c.lock.release()?;
        Ok(woke)
    }

    /// Take the later of our clock and `other` (a wake-up cannot come before its cause).
    fn catch_up(&mut self, other: f64) {
        self.tick();
        self.family.clock_ms = self.family.clock_ms.max(other);
    }

    fn item(&self, expr: &Option<Expr>, text: &Option<Text>) -> Result<Item, String> {
        let value = match expr {
            Some(e) => Some(
                e.eval(&|n: &str| self.local(n))
                    .map_err(|err| format!("{e}: {err}"))?,
            ),
            None => None,
        };
        let render = |t: &str, lang| {
            fill(t, |n| match self.ipc.texts.get(n) {
                Some(got) => Some(got.get(lang).to_string()),
                None => self.local(n).map(|v| v.to_string()),
            })
        };
        let text = text.as_ref().map(|t| Text {
            en: render(&t.en, crate::lesson::Lang::En),
            zh: t.zh.as_deref().map(|z| render(z, crate::lesson::Lang::Zh)),
        });
        Ok(Item {
            value,
            text,
            clock_ms: self.family.clock_ms,
        })
    }

    /// A received item becomes the local `into` (a text is kept for printing).
    fn take(&mut self, into: &str, item: &Item) -> io::Result<()> {
        self.catch_up(item.clock_ms);
        match (&item.value, &item.text) {
            (Some(v), _) => {
                self.ipc.texts.remove(into);
                self.locals.insert(into.to_string(), *v);
            }
            (None, Some(t)) => {
                self.locals.remove(into);
                self.ipc.texts.insert(into.to_string(), t.clone());
            }
            (None, None) => {}
        }
        Ok(())
    }

    /// Run one IPC operation; `Ok(Ok(Some(label)))` jumps there.
    pub(super) fn ipc_op(&mut self, op: &Op) -> io::Result<Result<Option<String>, String>> {
        self.tick();
        let done = |r: Raised| r.map(|()| None);
        match op {
            Op::EventSet { event } => self.event_set(event).map(done),
            Op::EventClear { event } => self.event_clear(event).map(done),
            Op::EventIsSet { event, into } => self.event_is_set(event, into).map(done),
            Op::EventWait {
                event,
                timeout_ms,
                into,
            } => self
                .event_wait(event, *timeout_ms, into.as_deref())
                .map(done),
            Op::PipeSend { end, expr, text } => self.pipe_send(end, expr, text).map(done),
            Op::PipeRecv { end, into, eof } => self.pipe_recv(end, into, eof),
            Op::PipeClose { end } => {
                self.close_end(end)?;
                Ok(Ok(None))
            }
            Op::QueuePut { queue, expr, text } => self.queue_put(queue, expr, text).map(done),
            Op::QueueGet {
                queue,
                into,
                timeout_ms,
                empty,
            } => self.queue_get(queue, into, *timeout_ms, empty.as_deref()),
            Op::TaskDone { queue } => self.task_done(queue).map(done),
            Op::QueueJoin { queue } => self.queue_join(queue).map(done),
            Op::Accept { server, sock } => self.accept(server, sock).map(done),
            Op::Connect { server, sock } => self.connect(server, sock).map(done),
            Op::SockSend { sock, text, upper } => self.sock_send(sock, text, *upper).map(done),
            Op::SockRecv { sock, into, eof } => Ok(self
                .sock_recv(sock, into)?
                .map(|empty| empty.then(|| eof.clone()))),
            Op::SockClose { sock } => {
                self.close_sock(sock)?;
                Ok(Ok(None))
            }
            _ => Ok(Ok(None)),
        }
    }

    /// At exit the kernel closes every descriptor; pipe ends are reported first.
    pub(super) fn close_all_ends(&mut self) -> io::Result<()> {
        for end in self.ipc.pipe_ends() {
            self.close_end(&end)?;
        }
        self.close_all_sockets()?;
        self.ipc.fds.clear();
        Ok(())
    }
}
