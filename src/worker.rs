//! Worker mode: one lesson process. It connects to the supervisor's socket,
//! takes its program, and runs it one operation at a time on real objects
//! (files for shared values, POSIX named semaphores for locks), reporting
//! before each operation and, unless in a free run, waiting at its gate.
//!
//! The room: `gate` (the supervisor's commands), `interpret` (the program,
//! step by step), `shared` (locks, semaphores, shared values), `children`
//! (started processes), `clock` (the lesson clock), `ipc` (events, pipes,
//! queues, sockets).

use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64};

use crossbeam_channel::Receiver;
use rand::SeedableRng;
use rand::rngs::StdRng;

pub mod children;
mod clock;
mod gate;
mod interpret;
pub mod ipc;
mod shared;

use crate::platform::{self, NamedSemaphore};
use crate::wire::{Command, PROTOCOL, Report, Setup};
use gate::Gate;

/// A runaway loop in a lesson file ends with an error instead of spinning forever.
const MAX_OPERATIONS: u64 = 1_000_000;

/// An operation that failed the way Python would raise: the message to show.
pub type Raised = Result<(), String>;

struct Worker {
    out: BufWriter<UnixStream>,
    setup: Setup,
    dir: PathBuf,
    semaphores: HashMap<String, NamedSemaphore>,
    gates: Receiver<Gate>,
    free: Arc<AtomicBool>,
    /// Speed factor as f64 bits (the interface may change it during a run).
    speed: Arc<AtomicU64>,
    locals: HashMap<String, i64>,
    rng: StdRng,
    /// One-task processes and pool workers report only results (timing lesson).
    trace: bool,
    ops: u64,
    /// The operation being run (the gate a timed wait stops at again).
    pc: usize,
    socket: PathBuf,
    /// Started children and the lesson clock.
    family: children::Family,
    /// When the current run of the program (a pool task) began, CLOCK_MONOTONIC ns.
    began: u64,
    /// Pipe ends and queue sides this process holds.
    ipc: ipc::Ipc,
    /// The parent pid last reported (an orphan's changes to init's).
    ppid: u32,
    /// How many times this process holds each RLock it owns.
    depth: HashMap<String, u32>,
}

/// Entry point of `lockstep __worker SOCKET NUMBER`; returns the exit code.
pub fn main(socket: &Path, number: usize) -> i32 {
    platform::unblock_stop_signals();
    match run(socket, number) {
        Ok(code) => code,
        Err(e) => {
            eprintln!(
                "lockstep worker {}: {e}",
                crate::wire::ProcId::from_number(number)
            );
            1
        }
    }
}

/// What the handshake gives: the two sides of the socket, the setup and
/// the semaphores by lock name.
type Handshake = (
    BufWriter<UnixStream>,
    BufReader<UnixStream>,
    Setup,
    HashMap<String, NamedSemaphore>,
);

/// Greet the supervisor, take the setup, open the lesson's semaphores and
/// say we are ready.
fn handshake(socket: &Path, number: usize) -> io::Result<Handshake> {
    let stream = UnixStream::connect(socket)?;
    let mut out = BufWriter::new(stream.try_clone()?);
    let mut input = BufReader::new(stream);
    let hello = Report::Hello {
        version: PROTOCOL,
        number,
        pid: std::process::id(),
        ppid: std::os::unix::process::parent_id(),
    };
    out.write_all(hello.stamped_line(platform::now_ns()).as_bytes())?;
    out.flush()?;

    let mut line = String::new();
    input.read_line(&mut line)?;
    let setup = match serde_json::from_str::<Command>(&line) {
        Ok(Command::Setup(s)) => *s,
        Ok(other) => return Err(io::Error::other(format!("expected setup, got {other:?}"))),
        Err(e) => return Err(io::Error::other(format!("bad setup: {e}"))),
    };
    let mut semaphores = HashMap::new();
    for (lock, kernel_name) in &setup.semaphores {
        semaphores.insert(lock.clone(), NamedSemaphore::open(kernel_name)?);
    }
    out.write_all(Report::Ready.stamped_line(platform::now_ns()).as_bytes())?;
    out.flush()?;
    Ok((out, input, setup, semaphores))
}

fn run(socket: &Path, number: usize) -> io::Result<i32> {
    let (out, input, setup, semaphores) = handshake(socket, number)?;
    let live = gate::Live {
        free: Arc::new(AtomicBool::new(setup.free)),
        speed: Arc::new(AtomicU64::new(setup.speed.to_bits())),
        ended: Arc::default(),
    };
    let gates = gate::spawn_reader(input, live.clone());

    let dir = socket
        .parent()
        .map(Path::to_path_buf)
        .ok_or_else(|| io::Error::other("socket has no directory"))?;
    let trace = !setup.pool_worker && setup.arg.is_none();
    let rng =
        StdRng::seed_from_u64(setup.seed ^ (number as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let mut w = Worker {
        out,
        dir,
        semaphores,
        gates,
        free: live.free,
        speed: live.speed,
        locals: HashMap::new(),
        rng,
        trace,
        ops: 0,
        pc: 0,
        socket: socket.to_path_buf(),
        family: children::Family::new(setup.parent.is_some(), live.ended),
        began: 0,
        ipc: ipc::Ipc::inherited(),
        ppid: std::os::unix::process::parent_id(),
        depth: HashMap::new(),
        setup,
    };
    let ends = w.ipc.pipe_ends();
    if !ends.is_empty() {
        w.trace(Report::PipeEnds { ends })?;
    }
    if let Some(r) = w.ipc.sockets() {
        w.trace(r)?;
    }
    let code = if w.setup.pool_worker {
        w.serve_pool()?
    } else {
        let arg = w.setup.arg.or(w.family.arg);
        let code = w.interpret(arg, None)?;
        w.at_exit()?;
        w.close_all_ends()?;
        code
    };
    w.send(&Report::Done { code })?;
    w.out.flush()?;
    Ok(code)
}

impl Worker {
    fn send(&mut self, r: &Report) -> io::Result<()> {
        self.out
            .write_all(r.stamped_line(platform::now_ns()).as_bytes())
    }

    fn trace(&mut self, r: Report) -> io::Result<()> {
        if self.trace { self.send(&r) } else { Ok(()) }
    }

    fn local(&self, name: &str) -> Option<i64> {
        match name {
            "n" => Some(self.setup.number as i64),
            "pid" => Some(i64::from(std::process::id())),
            // Read each time, as `os.getppid()`: an orphan's changes.
            "ppid" => Some(i64::from(std::os::unix::process::parent_id())),
            "index" => Some(self.setup.index as i64),
            _ => self.locals.get(name).copied(),
        }
    }

    fn fail(&mut self, message: String) -> io::Result<i32> {
        self.send(&Report::Failed { message })?;
        Ok(1)
    }
}
