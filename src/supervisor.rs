//! The supervisor side of one run: makes the run's real objects (private
//! directory, value files, named semaphores, socket), starts every process as
//! this binary in worker mode, and turns everything they do into [`Event`]s on
//! one crossbeam channel, stamped with the process and a monotonic time.
//!
//! Workers reach the supervisor through a Unix socket in the run directory,
//! not through inherited pipes, so a process started by another worker (a
//! process tree) can report just the same.

use std::io::{self, Write};
use std::os::fd::AsRawFd;
use std::os::unix::net::{UnixListener, UnixStream};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use crossbeam_channel::{Receiver, Sender, unbounded};

use crate::cleanup::{self, RunDir, value_path};
use crate::platform::{self, NamedSemaphore, WakePipe};
use crate::wire::{Command as Cmd, Report, Setup};

pub use crate::wire::{Ending, Event, EventKind};

struct Kid {
    pid: u32,
    reaped: Arc<AtomicBool>,
    waiter: Option<JoinHandle<()>>,
}

/// A running set of worker processes and everything they share.
pub struct Run {
    dir: RunDir,
    conns: Arc<Mutex<Vec<Option<UnixStream>>>>,
    /// By process; `None` for children that a worker starts.
    kids: Vec<Option<Kid>>,
    sem_names: Arc<Mutex<Vec<String>>>,
    _semaphores: Vec<NamedSemaphore>,
    /// Only while starting: afterwards the hub holds the one sender, so if
    /// it ever stops, a reader sees the channel close instead of waiting.
    tx: Option<Sender<Event>>,
    rx: Receiver<Event>,
    start_ns: u64,
    stop: Arc<AtomicBool>,
    wake: Arc<WakePipe>,
    exits: Arc<Mutex<Vec<Exit>>>,
    hub: Option<JoinHandle<()>>,
    /// Free-run flag and speed now, for processes that connect later.
    live: Arc<Mutex<Live>>,
    /// Each process's pid as it said hello (started children included).
    pids: Arc<Mutex<Vec<Option<u32>>>>,
}

/// Settings a process started during the run must begin with.
#[derive(Debug, Clone, Copy)]
struct Live {
    free: bool,
    speed: f64,
}

/// What a run needs besides each process's setup.
pub struct Plan<'a> {
    /// Shared values and their initial contents.
    pub values: Vec<(String, i64)>,
    /// Locks and semaphores with their permits.
    pub semaphores: Vec<(String, u32)>,
    /// One setup per process; `setups[i].number` must be `i + 1`.
    pub setups: Vec<Setup>,
    /// Connected socket pairs (pipe ends, queue sides) by the names of their
    /// two ends: every process started with the run gets a copy of each.
    pub channels: Vec<(String, String)>,
    /// TCP servers to open on 127.0.0.1 before anyone starts, each with the
    /// processes (0-based) started with the run that get a copy.
    pub servers: Vec<(String, Vec<usize>)>,
    /// The binary to start in worker mode.
    pub exe: &'a Path,
}

impl Run {
    pub fn start(mut plan: Plan) -> io::Result<Run> {
        let dir = RunDir::create()?;
        for (name, v) in &plan.values {
            std::fs::write(value_path(dir.path(), name), v.to_string())?;
        }
        let mut semaphores = Vec::new();
        let mut names = Vec::new();
        let mut kernel_names = Vec::new();
        for (i, (lock, permits)) in plan.semaphores.iter().enumerate() {
            let kernel = dir.semaphore_name(i);
            semaphores.push(cleanup::create_semaphore(&kernel, *permits)?);
            names.push(kernel.clone());
            kernel_names.push((lock.clone(), kernel));
        }
        let n = plan.setups.len();
        for s in &mut plan.setups {
            s.semaphores = kernel_names.clone();
        }
        let live = Arc::new(Mutex::new(Live {
            free: false,
            speed: plan.setups.first().map_or(1.0, |s| s.speed),
        }));
        let pids = Arc::new(Mutex::new(vec![None; n]));

        let socket = dir.socket();
        let listener = UnixListener::bind(&socket)?;
        let (tx, rx) = unbounded();
        let start_ns = platform::now_ns();
        let conns = Arc::new(Mutex::new((0..n).map(|_| None).collect::<Vec<_>>()));
        let sem_names = Arc::new(Mutex::new(names));
        let stop = Arc::new(AtomicBool::new(false));
        let wake = Arc::new(WakePipe::new()?);
        let exits = Arc::new(Mutex::new(Vec::new()));
        let hub = {
            let hub = Hub {
                listener,
                conns: Vec::new(),
                writers: conns.clone(),
                setups: plan.setups.clone(),
                live: live.clone(),
                pids: pids.clone(),
                tx: tx.clone(),
                start_ns,
                ready: 0,
                sem_names: sem_names.clone(),
                stop: stop.clone(),
                wake: wake.clone(),
                exits: exits.clone(),
                pending_exits: Vec::new(),
                connected: vec![false; n],
                closed: vec![None; n],
                held: Vec::new(),
                seq: 0,
            };
            std::thread::spawn(move || hub.run())
        };
        let mut run = Run {
            dir,
            conns,
            kids: (0..n).map(|_| None).collect(),
            sem_names,
            _semaphores: semaphores,
            tx: Some(tx),
            rx,
            start_ns,
            stop,
            wake,
            exits,
            hub: Some(hub),
            live,
            pids,
        };
        // Python's main process makes every Pipe and Queue before starting
        // anyone; the processes started now get copies, and ours close below.
        let mut pairs = Vec::new();
        let mut fds = Vec::new();
        for (a, b) in &plan.channels {
            let (x, y) = platform::socket_pair()?;
            fds.push((a.clone(), x.as_raw_fd()));
            fds.push((b.clone(), y.as_raw_fd()));
            pairs.push((x, y));
        }
        // Like the module-level `server = socket(...)` of the lesson's
        // listing: listening before any process starts, on loopback only.
        let mut listeners = Vec::new();
        let mut ports = Vec::new();
        for (name, _) in &plan.servers {
            let (fd, port) = platform::tcp_listen()?;
            ports.push((name.clone(), port));
            listeners.push(fd);
        }
        let ports = serde_json::to_string(&ports).map_err(io::Error::other)?;
        // Started children are forked by their parent worker, not by us.
        for i in 0..n {
            if plan.setups[i].parent.is_none() {
                let mut mine = fds.clone();
                for (k, (name, holders)) in plan.servers.iter().enumerate() {
                    if holders.contains(&i) {
                        mine.push((format!("server.{name}"), listeners[k].as_raw_fd()));
                    }
                }
                run.spawn(plan.exe, &socket, i, &mine, &ports)?;
            }
        }
        drop(pairs);
        drop(listeners);
        run.tx = None;
        Ok(run)
    }

    fn spawn(
        &mut self,
        exe: &Path,
        socket: &Path,
        proc: usize,
        fds: &[(String, std::os::fd::RawFd)],
        ports: &str,
    ) -> io::Result<()> {
        let err_path = self.dir.path().join(format!("err-{}", proc + 1));
        let err_file = std::fs::File::create(&err_path)?;
        let mut cmd = Command::new(exe);
        if !fds.is_empty() {
            let json = serde_json::to_string(fds).map_err(io::Error::other)?;
            cmd.env(crate::wire::FDS_ENV, json);
            platform::keep_on_exec(&mut cmd, fds.iter().map(|(_, fd)| *fd).collect());
        } else {
            cmd.env_remove(crate::wire::FDS_ENV);
        }
        let mut child: Child = cmd
            .env(crate::wire::PORTS_ENV, ports)
            .arg("__worker")
            .arg(socket)
            .arg((proc + 1).to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(err_file)
            // Its own process group: the terminal's Ctrl-C reaches only us,
            // and killing the group reaches anything it started.
            .process_group(0)
            .spawn()?;
        let pid = child.id();
        cleanup::register_group(pid);
        if let Some(tx) = &self.tx {
            let _ = tx.send(Event {
                proc,
                at: self.elapsed(),
                kind: EventKind::Spawned { pid },
            });
        }
        let reaped = Arc::new(AtomicBool::new(false));
        let waiter = {
            let reaped = reaped.clone();
            let exits = self.exits.clone();
            let wake = self.wake.clone();
            std::thread::spawn(move || {
                let status = child.wait();
                let at_ns = platform::now_ns();
                reaped.store(true, Ordering::SeqCst);
                cleanup::forget_group(pid);
                let stderr = std::fs::read_to_string(&err_path)
                    .map(|text| {
                        text.lines()
                            .filter(|l| !l.trim().is_empty())
                            .map(str::to_string)
                            .collect()
                    })
                    .unwrap_or_default();
                let ending = match status {
                    Ok(s) => match (s.code(), s.signal()) {
                        (Some(c), _) => Ending::Code(c),
                        (None, Some(sig)) => Ending::Signal(sig),
                        (None, None) => Ending::Code(-1),
                    },
                    Err(_) => Ending::Code(-1),
                };
                exits.lock().unwrap_or_else(|p| p.into_inner()).push(Exit {
                    proc,
                    ending,
                    stderr,
                    at_ns,
                });
                wake.wake();
            })
        };
        self.kids[proc] = Some(Kid {
            pid,
            reaped,
            waiter: Some(waiter),
        });
        Ok(())
    }

    pub fn events(&self) -> &Receiver<Event> {
        &self.rx
    }

    /// Time since the run started, on the clock the workers stamp with.
    pub fn elapsed(&self) -> Duration {
        Duration::from_nanos(platform::now_ns().saturating_sub(self.start_ns))
    }

    /// When the run started, on CLOCK_MONOTONIC (`Event::at` counts from here).
    pub fn start_ns(&self) -> u64 {
        self.start_ns
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    pub fn len(&self) -> usize {
        self.kids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.kids.is_empty()
    }

    /// The pid of a process the supervisor started (not of a started child).
    pub fn pid(&self, proc: usize) -> Option<u32> {
        self.kids.get(proc).and_then(Option::as_ref).map(|k| k.pid)
    }

    /// Switch free run on or off for every process, now and started later.
    pub fn set_free(&self, on: bool) {
        self.broadcast(&Cmd::Free { on }, |l| l.free = on);
    }

    /// Change the speed of every process, now and started later.
    pub fn set_speed(&self, speed: f64) {
        self.broadcast(&Cmd::Speed { speed }, |l| l.speed = speed);
    }

    /// Holding the connections' lock, as the hub does while it sets a new
    /// process up: every process gets either the command or the new setting.
    fn broadcast(&self, cmd: &Cmd, change: impl FnOnce(&mut Live)) {
        let mut conns = self.conns.lock().unwrap_or_else(|p| p.into_inner());
        change(&mut self.live.lock().unwrap_or_else(|p| p.into_inner()));
        let line = cmd.line();
        for conn in conns.iter_mut().flatten() {
            let _ = conn.write_all(line.as_bytes());
        }
    }

    /// Send a command to process `proc`. A process that has gone is not an error.
    pub fn send(&self, proc: usize, cmd: &Cmd) -> io::Result<()> {
        let mut conns = self.conns.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(Some(conn)) = conns.get_mut(proc) {
            match conn.write_all(cmd.line().as_bytes()) {
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
                other => other,
            }
        } else {
            Err(io::Error::other(format!("P{} is not connected", proc + 1)))
        }
    }

    /// Let `proc` through its gate once. Returns the `Granted` event for the
    /// caller to apply at once, so its state knows before the next choice.
    pub fn grant(&self, proc: usize) -> io::Result<Event> {
        self.send(proc, &Cmd::Go)?;
        Ok(Event {
            proc,
            at: self.elapsed(),
            kind: EventKind::Granted,
        })
    }

    /// Give a process queued for a lock its turn to take it. Returns the
    /// `TurnGiven` event for the caller to apply at once.
    pub fn give_turn(&self, proc: usize) -> io::Result<Event> {
        self.send(proc, &Cmd::YourTurn)?;
        Ok(Event {
            proc,
            at: self.elapsed(),
            kind: EventKind::TurnGiven,
        })
    }

    /// Send SIGTERM to one process (Python's `terminate()`).
    /// A started child is signalled by the pid it said hello with; the
    /// caller checks that its parent has not reaped it yet.
    pub fn terminate(&self, proc: usize) -> io::Result<()> {
        match self.kids.get(proc) {
            Some(Some(k)) if !k.reaped.load(Ordering::SeqCst) => platform::terminate(k.pid),
            Some(None) => {
                let pid = self.pids.lock().unwrap_or_else(|p| p.into_inner())[proc];
                pid.map_or(Ok(()), platform::terminate)
            }
            _ => Ok(()),
        }
    }
}

fn unlink_all(names: &Mutex<Vec<String>>) {
    let mut names = names.lock().unwrap_or_else(|p| p.into_inner());
    for name in names.drain(..) {
        let _ = platform::unlink_semaphore(&name);
        cleanup::forget_semaphore(&name);
    }
}

impl Drop for Run {
    fn drop(&mut self) {
        // A connection still open means a process of the run still lives,
        // maybe a child whose parent is gone: its group (the lesson's) still exists.
        let any_open = self
            .conns
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .any(Option::is_some);
        for k in self.kids.iter().flatten() {
            if any_open || !k.reaped.load(Ordering::SeqCst) {
                let _ = platform::kill_group(k.pid);
            }
        }
        for k in self.kids.iter_mut().flatten() {
            if let Some(w) = k.waiter.take() {
                let _ = w.join();
            }
        }
        unlink_all(&self.sem_names);
        self.stop.store(true, Ordering::SeqCst);
        self.wake.wake();
        if let Some(a) = self.hub.take() {
            let _ = a.join();
        }
        let mut conns = self.conns.lock().unwrap_or_else(|p| p.into_inner());
        conns.iter_mut().for_each(|c| *c = None);
    }
}

/// A process's end as its waiter thread saw it, for the hub to pass on.
struct Exit {
    proc: usize,
    ending: Ending,
    stderr: Vec<String>,
    at_ns: u64,
}

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
struct Hub {
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
}

impl Hub {
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
                    self.settle_started_child(proc);
                    let t = conn.last_t + 1;
                    self.closed[proc] = Some(t);
                    self.hold(t, proc, EventKind::Closed);
                }
                continue;
            }
            i += 1;
        }
    }

    /// A started child's socket closes as it exits, a moment before it
    /// becomes a zombie its parent's `waitpid` can see. Wait out that moment
    /// (briefly), so that once its close is passed on, the parent's
    /// `is_alive` or `join` sees the end under any schedule, every time.
    fn settle_started_child(&self, proc: usize) {
        if self.setups.get(proc).is_none_or(|s| s.parent.is_none()) {
            return;
        }
        let pid = self
            .pids
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(proc)
            .copied()
            .flatten();
        let Some(pid) = pid else { return };
        for _ in 0..2000 {
            match platform::state_letter(pid) {
                Some('Z') | Some('X') | None => return,
                _ => std::thread::sleep(std::time::Duration::from_micros(50)),
            }
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
                    let Some(setup) = self.setups.get(proc) else {
                        continue;
                    };
                    let mut setup = setup.clone();
                    let mut writers = self.writers.lock().unwrap_or_else(|p| p.into_inner());
                    if setup.parent.is_some() {
                        // Started during the run: as free and as fast as the others now.
                        let live = *self.live.lock().unwrap_or_else(|p| p.into_inner());
                        setup.free = live.free;
                        setup.speed = live.speed;
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

/// This executable, to start in worker mode.
pub fn current_exe() -> io::Result<PathBuf> {
    std::env::current_exe()
}
