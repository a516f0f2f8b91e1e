//! The supervisor side of one run: makes the run's real objects (private
//! directory, value files, named semaphores, socket), starts every process as
//! this binary in worker mode, and turns everything they do into [`Event`]s on
//! one crossbeam channel, stamped with the process and a monotonic time.
//!
//! Workers reach the supervisor through a Unix socket in the run directory,
//! not through inherited pipes, so a process started by another worker (a
//! process tree) can report just the same.

use std::io::{self, BufRead, BufReader, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender, unbounded};

use crate::cleanup::{self, RunDir, value_path};
use crate::posix::{self, NamedSemaphore};
use crate::wire::{Command as Cmd, Report, Setup};

/// How a process ended, as Python shows it: an exit code, or `-N` for signal N.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Ending {
    Code(i32),
    Signal(i32),
}

impl Ending {
    /// Python's `Process.exitcode`: the code, or minus the signal.
    pub fn exitcode(self) -> i32 {
        match self {
            Ending::Code(c) => c,
            Ending::Signal(s) => -s,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum EventKind {
    /// The OS process exists (fork/exec done).
    Spawned {
        pid: u32,
    },
    Report(Report),
    /// The worker's connection closed: no more reports will come.
    Closed,
    /// Reaped: the exit code or the signal.
    Exited(Ending),
    /// A line the worker wrote to stderr (errors only).
    Stderr(String),
    /// The supervisor let this process through its gate (not from the worker).
    Granted,
}

/// One thing that happened, to process `proc` (0-based; P-number is `proc + 1`).
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub proc: usize,
    pub at: Duration,
    pub kind: EventKind,
}

struct Kid {
    pid: u32,
    reaped: Arc<AtomicBool>,
    waiter: Option<JoinHandle<()>>,
}

/// A running set of worker processes and everything they share.
pub struct Run {
    dir: RunDir,
    conns: Arc<Mutex<Vec<Option<UnixStream>>>>,
    kids: Vec<Kid>,
    sem_names: Arc<Mutex<Vec<String>>>,
    _semaphores: Vec<NamedSemaphore>,
    tx: Sender<Event>,
    rx: Receiver<Event>,
    started: Instant,
    stop: Arc<AtomicBool>,
    acceptor: Option<JoinHandle<()>>,
}

/// What a run needs besides each process's setup.
pub struct Plan<'a> {
    /// Shared values and their initial contents.
    pub values: Vec<(String, i64)>,
    /// Locks and semaphores with their permits.
    pub semaphores: Vec<(String, u32)>,
    /// One setup per process; `setups[i].number` must be `i + 1`.
    pub setups: Vec<Setup>,
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
            semaphores.push(NamedSemaphore::create(&kernel, *permits)?);
            cleanup::register_semaphore(&kernel);
            names.push(kernel.clone());
            kernel_names.push((lock.clone(), kernel));
        }
        let n = plan.setups.len();
        let setup_lines: Vec<String> = plan
            .setups
            .iter_mut()
            .map(|s| {
                s.semaphores = kernel_names.clone();
                Cmd::Setup(s.clone()).line()
            })
            .collect();

        let socket = dir.socket();
        let listener = UnixListener::bind(&socket)?;
        let (tx, rx) = unbounded();
        let started = Instant::now();
        let conns = Arc::new(Mutex::new((0..n).map(|_| None).collect::<Vec<_>>()));
        let sem_names = Arc::new(Mutex::new(names));
        let stop = Arc::new(AtomicBool::new(false));
        let acceptor = {
            let ctx = Acceptor {
                conns: conns.clone(),
                setups: Arc::new(setup_lines),
                tx: tx.clone(),
                started,
                ready: Arc::new(AtomicUsize::new(0)),
                sem_names: sem_names.clone(),
                stop: stop.clone(),
            };
            std::thread::spawn(move || ctx.accept(listener))
        };
        let mut run = Run {
            dir,
            conns,
            kids: Vec::with_capacity(n),
            sem_names,
            _semaphores: semaphores,
            tx,
            rx,
            started,
            stop,
            acceptor: Some(acceptor),
        };
        for i in 0..n {
            run.spawn(plan.exe, &socket, i)?;
        }
        Ok(run)
    }

    fn spawn(&mut self, exe: &Path, socket: &Path, proc: usize) -> io::Result<()> {
        let err_path = self.dir.path().join(format!("err-{}", proc + 1));
        let err_file = std::fs::File::create(&err_path)?;
        let mut child: Child = Command::new(exe)
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
        let _ = self.tx.send(Event {
            proc,
            at: self.started.elapsed(),
            kind: EventKind::Spawned { pid },
        });
        let reaped = Arc::new(AtomicBool::new(false));
        let waiter = {
            let reaped = reaped.clone();
            let tx = self.tx.clone();
            let started = self.started;
            std::thread::spawn(move || {
                let status = child.wait();
                reaped.store(true, Ordering::SeqCst);
                cleanup::forget_group(pid);
                if let Ok(text) = std::fs::read_to_string(&err_path) {
                    for line in text.lines().filter(|l| !l.trim().is_empty()) {
                        let _ = tx.send(Event {
                            proc,
                            at: started.elapsed(),
                            kind: EventKind::Stderr(line.to_string()),
                        });
                    }
                }
                let ending = match status {
                    Ok(s) => match (s.code(), s.signal()) {
                        (Some(c), _) => Ending::Code(c),
                        (None, Some(sig)) => Ending::Signal(sig),
                        (None, None) => Ending::Code(-1),
                    },
                    Err(_) => Ending::Code(-1),
                };
                let _ = tx.send(Event {
                    proc,
                    at: started.elapsed(),
                    kind: EventKind::Exited(ending),
                });
            })
        };
        self.kids.push(Kid {
            pid,
            reaped,
            waiter: Some(waiter),
        });
        Ok(())
    }

    pub fn events(&self) -> &Receiver<Event> {
        &self.rx
    }

    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
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

    pub fn pid(&self, proc: usize) -> Option<u32> {
        self.kids.get(proc).map(|k| k.pid)
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
            at: self.started.elapsed(),
            kind: EventKind::Granted,
        })
    }

    /// Send SIGTERM to one process (Python's `terminate()`).
    pub fn terminate(&self, proc: usize) -> io::Result<()> {
        match self.kids.get(proc) {
            Some(k) if !k.reaped.load(Ordering::SeqCst) => {
                posix::signal_process(k.pid, libc::SIGTERM)
            }
            _ => Ok(()),
        }
    }

    /// The named semaphores are still linked (not every worker has opened them).
    pub fn semaphores_linked(&self) -> bool {
        !self
            .sem_names
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .is_empty()
    }
}

fn unlink_all(names: &Mutex<Vec<String>>) {
    let mut names = names.lock().unwrap_or_else(|p| p.into_inner());
    for name in names.drain(..) {
        let _ = posix::unlink_semaphore(&name);
        cleanup::forget_semaphore(&name);
    }
}

impl Drop for Run {
    fn drop(&mut self) {
        for k in &self.kids {
            if !k.reaped.load(Ordering::SeqCst) {
                let _ = posix::signal_group(k.pid, libc::SIGKILL);
            }
        }
        for k in &mut self.kids {
            if let Some(w) = k.waiter.take() {
                let _ = w.join();
            }
        }
        unlink_all(&self.sem_names);
        self.stop.store(true, Ordering::SeqCst);
        // Wake the acceptor so it sees the stop flag.
        let _ = UnixStream::connect(self.dir.socket());
        if let Some(a) = self.acceptor.take() {
            let _ = a.join();
        }
        let mut conns = self.conns.lock().unwrap_or_else(|p| p.into_inner());
        conns.iter_mut().for_each(|c| *c = None);
    }
}

/// Accepts worker connections and starts one reader thread per worker.
struct Acceptor {
    conns: Arc<Mutex<Vec<Option<UnixStream>>>>,
    setups: Arc<Vec<String>>,
    tx: Sender<Event>,
    started: Instant,
    ready: Arc<AtomicUsize>,
    sem_names: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
}

impl Acceptor {
    fn accept(self, listener: UnixListener) {
        let ctx = Arc::new(self);
        for stream in listener.incoming() {
            if ctx.stop.load(Ordering::SeqCst) {
                return;
            }
            let Ok(stream) = stream else { continue };
            let ctx = ctx.clone();
            std::thread::spawn(move || ctx.read(stream));
        }
    }

    fn emit(&self, proc: usize, kind: EventKind) -> bool {
        self.tx
            .send(Event {
                proc,
                at: self.started.elapsed(),
                kind,
            })
            .is_ok()
    }

    fn read(&self, stream: UnixStream) {
        let Ok(writer) = stream.try_clone() else {
            return;
        };
        let mut lines = BufReader::new(stream).lines();
        let Some(Ok(first)) = lines.next() else {
            return;
        };
        let Ok(hello @ Report::Hello { number, .. }) = serde_json::from_str::<Report>(&first)
        else {
            return;
        };
        let proc = number.wrapping_sub(1);
        let Some(setup) = self.setups.get(proc) else {
            return;
        };
        {
            let mut w = &writer;
            if w.write_all(setup.as_bytes()).is_err() {
                return;
            }
        }
        if let Some(slot) = self
            .conns
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get_mut(proc)
        {
            *slot = Some(writer);
        }
        self.emit(proc, EventKind::Report(hello));
        for line in lines {
            let Ok(line) = line else { break };
            let report = match serde_json::from_str::<Report>(&line) {
                Ok(r) => r,
                Err(e) => Report::Failed {
                    message: format!("unreadable report {line:?}: {e}"),
                },
            };
            if report == Report::Ready
                && self.ready.fetch_add(1, Ordering::SeqCst) + 1 == self.setups.len()
            {
                // Every worker has the semaphores open: drop their names now,
                // so even a SIGKILLed supervisor leaves none behind.
                unlink_all(&self.sem_names);
            }
            if !self.emit(proc, EventKind::Report(report)) {
                return;
            }
        }
        self.emit(proc, EventKind::Closed);
    }
}

/// This executable, to start in worker mode.
pub fn current_exe() -> io::Result<PathBuf> {
    std::env::current_exe()
}
