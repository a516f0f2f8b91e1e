//! The supervisor side of one run: makes the run's real objects (private
//! directory, value files, named semaphores, socket), starts every process as
//! this binary in worker mode, and turns everything they do into [`Event`]s on
//! one crossbeam channel, stamped with the process and a monotonic time.
//!
//! Workers reach the supervisor through a Unix socket in the run directory,
//! not through inherited pipes, so a process started by another worker (a
//! process tree) can report just the same.

mod commands;
mod hub;
mod launch;
mod reap;
mod start;

use std::io;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use crossbeam_channel::{Receiver, Sender};

use crate::cleanup::{self, RunDir};
use crate::platform::{self, NamedSemaphore, WakePipe};
use crate::wire::Setup;

use reap::Exit;

pub use launch::{DIR_ENV, Launch, NUMBER_ENV, SOCKET_ENV};

pub use crate::wire::{Ending, Event, EventKind};

/// A process the supervisor started itself, and the thread waiting for its end.
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
    /// Start a real program instead (one process, which starts the rest:
    /// the hub takes every process that says hello with a new P-number).
    pub launch: Option<Launch>,
}

impl Run {
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
}

fn unlink_all(names: &Mutex<Vec<String>>) {
    let mut names = names.lock().unwrap_or_else(|p| p.into_inner());
    for name in names.drain(..) {
        let _ = platform::unlink_semaphore(&name);
        cleanup::forget_semaphore(&name);
    }
}

/// This executable, to start in worker mode: the program that runs, even
/// after its file was replaced on disk (a rebuild while the app is open).
pub fn current_exe() -> io::Result<PathBuf> {
    platform::this_program()
}
