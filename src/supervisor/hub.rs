//! The hub thread: reads every worker's socket and turns its lines, and
//! each process's exit, into events in an order that could have happened.

use std::io::Write;
use std::os::fd::AsRawFd;
use std::os::unix::net::{UnixListener, UnixStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use crossbeam_channel::Sender;

use super::reap::Exit;
use super::{Event, EventKind, Live, Run, unlink_all};
use crate::platform::{self, WakePipe};
use crate::wire::{Command as Cmd, Report, Setup};

struct Conn {
    stream: UnixStream,
    proc: Option<usize>,
    buf: Vec<u8>,
    /// Stamp of its latest report, so `Closed` sorts after all of them.
    last_t: u64,
}

/// An event waiting for the cut-off that makes it safe to pass on.
struct Held {
    t: u64,
    seq: u64,
    proc: usize,
    kind: EventKind,
}

/// The one thread that reads every worker. Reports carry the worker's
/// CLOCK_MONOTONIC stamp; after each wake-up the hub notes the time T, reads
/// everything readable from every socket, and passes on, in stamp order, the
/// reports stamped before T. A report that happened before another (a release
/// before the acquire it allows) was written before that one was stamped, so
/// it is always read in the same round or an earlier one: the reducer sees
/// events across processes in an order that could have happened.
/// A process's exit is passed on only after its connection has closed, so it
/// always follows the process's last report.
pub(super) struct Hub {
    listener: UnixListener,
    conns: Vec<Conn>,
    writers: Arc<Mutex<Vec<Option<UnixStream>>>>,
    setups: Vec<Setup>,
    live: Arc<Mutex<Live>>,
    pids: Arc<Mutex<Vec<Option<u32>>>>,
    tx: Sender<Event>,
    start_ns: u64,
    ready: usize,
    sem_names: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
    wake: Arc<WakePipe>,
    exits: Arc<Mutex<Vec<Exit>>>,
    /// Exits waiting for their process's connection to close.
    pending_exits: Vec<Exit>,
    connected: Vec<bool>,
    closed: Vec<Option<u64>>,
    held: Vec<Held>,
    seq: u64,
    /// A real program's run: a hello with a new P-number adds a process.
    open: bool,
}

impl Hub {
    /// Start the hub thread of `run`, reading the processes of `setups`
    /// and sending their events on `tx`.
    pub(super) fn start(
        run: &Run,
        listener: UnixListener,
        setups: Vec<Setup>,
        open: bool,
        tx: Sender<Event>,
    ) -> JoinHandle<()> {
        let n = setups.len();
        let hub = Hub {
            listener,
            conns: Vec::new(),
            writers: run.conns.clone(),
            setups,
            live: run.live.clone(),
            pids: run.pids.clone(),
            tx,
            start_ns: run.start_ns,
            ready: 0,
            sem_names: run.sem_names.clone(),
            stop: run.stop.clone(),
            wake: run.wake.clone(),
            exits: run.exits.clone(),
            pending_exits: Vec::new(),
            connected: vec![false; n],
            closed: vec![None; n],
            held: Vec::new(),
            seq: 0,
            open,
        };
        std::thread::spawn(move || hub.run())
    }

    fn hold(&mut self, t: u64, proc: usize, kind: EventKind) {
        self.seq += 1;
        self.held.push(Held {
            t,
            seq: self.seq,
            proc,
            kind,
        });
    }

    fn run(mut self) {
        if self.listener.set_nonblocking(true).is_err() {
            return;
        }
        loop {
            let mut fds = vec![self.listener.as_raw_fd(), self.wake.read_fd()];
            fds.extend(self.conns.iter().map(|c| c.stream.as_raw_fd()));
            let timeout = if self.held.is_empty() && self.pending_exits.is_empty() {
                -1
            } else {
                1
            };
            if platform::poll_readable(&fds, timeout).is_err() {
                return;
            }
            // Drain before looking at `stop`: a stop that comes in between
            // leaves its wake-up byte in the pipe, so the next poll returns.
            // (The other order could eat that byte and then wait forever.)
            self.wake.drain();
            if self.stop.load(Ordering::SeqCst) {
                return;
            }
            // Exits first: a process that exited connected (if at all) before
            // this point, so its connection is read below in this round.
            let exits: Vec<Exit> =
                std::mem::take(&mut *self.exits.lock().unwrap_or_else(|p| p.into_inner()));
            self.pending_exits.extend(exits);
            let cutoff = platform::now_ns();
            self.accept_all();
            self.read_all();
            self.release_exits(cutoff);
            if !self.pass_on(cutoff) {
                return;
            }
        }
    }

    fn accept_all(&mut self) {
        while let Ok((stream, _)) = self.listener.accept() {
            // Accepted sockets are blocking; reads use MSG_DONTWAIT.
            self.conns.push(Conn {
                stream,
                proc: None,
                buf: Vec::new(),
                last_t: 0,
            });
        }
    }

    fn read_all(&mut self) {
        let mut chunk = vec![0u8; 64 * 1024];
        let mut i = 0;
        while i < self.conns.len() {
            let fd = self.conns[i].stream.as_raw_fd();
            let mut eof = false;
            loop {
                match platform::recv_now(fd, &mut chunk) {
                    Ok(Some(0)) | Err(_) => {
                        eof = true;
                        break;
                    }
                    Ok(Some(n)) => self.conns[i].buf.extend_from_slice(&chunk[..n]),
                    Ok(None) => break,
                }
            }
            self.take_lines(i);
            if eof {
                let conn = self.conns.swap_remove(i);
                if let Some(proc) = conn.proc {
                    if let Some(w) = self
                        .writers
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .get_mut(proc)
                    {
                        *w = None;
                    }
                    self.tell_parent(proc);
                    let t = conn.last_t + 1;
                    self.closed[proc] = Some(t);
                    self.hold(t, proc, EventKind::Closed);
                }
                continue;
            }
            i += 1;
        }
    }

    /// A started child's socket closes as it exits, a moment before its
    /// parent's `waitpid` can see the end (a moment that grows under load).
    /// Tell the parent now, before the child's `Closed` is passed on: under
    /// a schedule its next step comes after that, so its `is_alive`, `start`
    /// or `join` sees the end in every run, whatever the kernel's timing.
    fn tell_parent(&self, proc: usize) {
        let Some(parent) = self.setups.get(proc).and_then(|s| s.parent) else {
            return;
        };
        let line = Cmd::ChildEnded { child: proc + 1 }.line();
        let mut writers = self.writers.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(Some(w)) = writers.get_mut(parent.wrapping_sub(1)) {
            // A parent that has gone cannot be told, and needs not be.
            let _ = w.write_all(line.as_bytes());
        }
    }

    /// Turn the complete lines of connection `i` into held events.
    fn take_lines(&mut self, i: usize) {
        while let Some(nl) = self.conns[i].buf.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = self.conns[i].buf.drain(..=nl).collect();
            let line = String::from_utf8_lossy(&line[..line.len() - 1]).into_owned();
            let (t, report) = match Report::parse_stamped(&line) {
                Ok(x) => x,
                Err(message) => (self.conns[i].last_t, Report::Failed { message }),
            };
            self.conns[i].last_t = self.conns[i].last_t.max(t);
            let proc = match self.conns[i].proc {
                Some(p) => p,
                None => {
                    let Report::Hello { number, pid, .. } = report else {
                        continue;
                    };
                    let proc = number.wrapping_sub(1);
                    self.admit(proc);
                    let Some(setup) = self.setups.get(proc) else {
                        continue;
                    };
                    let mut setup = setup.clone();
                    let mut writers = self.writers.lock().unwrap_or_else(|p| p.into_inner());
                    let live = *self.live.lock().unwrap_or_else(|p| p.into_inner());
                    if setup.parent.is_some() {
                        // Started during the run: as free and as fast as the others now.
                        setup.free = live.free;
                        setup.speed = live.speed;
                    } else {
                        // Started with the run, but a free run may have begun
                        // before it said hello (a CPython program starts slowly).
                        setup.free |= live.free;
                    }
                    let mut w = &self.conns[i].stream;
                    if w.write_all(Cmd::Setup(Box::new(setup)).line().as_bytes())
                        .is_err()
                    {
                        continue;
                    }
                    if let Ok(writer) = self.conns[i].stream.try_clone()
                        && let Some(slot) = writers.get_mut(proc)
                    {
                        *slot = Some(writer);
                    }
                    drop(writers);
                    if let Some(slot) = self
                        .pids
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .get_mut(proc)
                    {
                        *slot = Some(pid);
                    }
                    self.conns[i].proc = Some(proc);
                    self.connected[proc] = true;
                    proc
                }
            };
            if let Report::Started { child, .. } = report {
                // A real program's process started by another: its end is
                // told to that parent (see `tell_parent`).
                self.admit(child.wrapping_sub(1));
                if let Some(setup) = self.setups.get_mut(child.wrapping_sub(1))
                    && setup.parent.is_some()
                {
                    setup.parent = Some(proc + 1);
                }
            }
            if report == Report::Ready {
                self.ready += 1;
                if self.ready == self.setups.len() {
                    // Every worker has the semaphores open: drop their names
                    // now, so even a SIGKILLed supervisor leaves none behind.
                    unlink_all(&self.sem_names);
                }
            }
            self.hold(t, proc, EventKind::Report(report));
        }
    }

    /// In a real program's run, make room for process `proc` (0-based), new
    /// to the run: it was started by another process of the run.
    fn admit(&mut self, proc: usize) {
        let Some(first) = self.setups.first() else {
            return;
        };
        if !self.open || proc >= crate::wire::MAX_PROCS {
            return;
        }
        let first = first.clone();
        while self.setups.len() <= proc {
            let number = self.setups.len() + 1;
            self.setups.push(Setup {
                number,
                parent: Some(1),
                ..first.clone()
            });
            self.connected.push(false);
            self.closed.push(None);
            lock(&self.writers).push(None);
            lock(&self.pids).push(None);
        }
    }

    fn release_exits(&mut self, cutoff: u64) {
        let pending = std::mem::take(&mut self.pending_exits);
        for exit in pending {
            let t = match (self.connected[exit.proc], self.closed[exit.proc]) {
                (true, Some(closed)) => closed.max(exit.at_ns) + 1,
                // It never connected: nothing else will come from it.
                (false, _) => exit.at_ns.min(cutoff.saturating_sub(1)),
                (true, None) => {
                    self.pending_exits.push(exit);
                    continue;
                }
            };
            for line in exit.stderr {
                self.hold(t, exit.proc, EventKind::Stderr(line));
            }
            self.hold(t, exit.proc, EventKind::Exited(exit.ending));
        }
    }

    /// Send, in stamp order, every held event stamped before `cutoff`.
    fn pass_on(&mut self, cutoff: u64) -> bool {
        self.held.sort_by_key(|h| (h.t, h.seq));
        let keep = self.held.partition_point(|h| h.t < cutoff);
        let later = self.held.split_off(keep);
        for h in std::mem::replace(&mut self.held, later) {
            let at = Duration::from_nanos(h.t.saturating_sub(self.start_ns));
            let ev = Event {
                proc: h.proc,
                at,
                kind: h.kind,
            };
            if self.tx.send(ev).is_err() {
                return false;
            }
        }
        true
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}
