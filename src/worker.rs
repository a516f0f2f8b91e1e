//! Worker mode: one lesson process. It connects to the supervisor's socket,
//! takes its program, and runs it one operation at a time on real objects
//! (files for shared values, POSIX named semaphores for locks), reporting
//! before each operation and, unless in a free run, waiting at its gate.

use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use crossbeam_channel::{Receiver, unbounded};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

pub mod ipc;
pub mod tree;

use crate::cleanup::value_path;
use crate::lesson::{Op, fill};
use crate::posix::{self, NamedSemaphore};
use crate::wire::{Command, PROTOCOL, Report, Setup};

/// A runaway loop in a lesson file ends with an error instead of spinning forever.
const MAX_OPERATIONS: u64 = 1_000_000;

/// What the socket reader hands to the interpreter.
enum Gate {
    Go,
    /// The lock this process queued for is its to take.
    YourTurn,
    /// Free run switched on: a waiting gate should re-check.
    Resume,
    Task {
        task: u32,
        arg: i64,
    },
    Close,
}

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
    socket: PathBuf,
    /// Started children and the lesson clock.
    tree: tree::Tree,
    /// When the current run of the program (a pool task) began, CLOCK_MONOTONIC ns.
    began: u64,
    /// Pipe ends and queue sides this process holds.
    ipc: ipc::Ipc,
}

/// Entry point of `lockstep __worker SOCKET NUMBER`; returns the exit code.
pub fn main(socket: &Path, number: usize) -> i32 {
    posix::unblock_stop_signals();
    match run(socket, number) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("lockstep worker P{number}: {e}");
            1
        }
    }
}

fn run(socket: &Path, number: usize) -> io::Result<i32> {
    let stream = UnixStream::connect(socket)?;
    let mut out = BufWriter::new(stream.try_clone()?);
    let mut input = BufReader::new(stream);
    let hello = Report::Hello {
        version: PROTOCOL,
        number,
        pid: std::process::id(),
        ppid: std::os::unix::process::parent_id(),
    };
    out.write_all(hello.stamped_line(posix::now_ns()).as_bytes())?;
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
    out.write_all(Report::Ready.stamped_line(posix::now_ns()).as_bytes())?;
    out.flush()?;

    let free = Arc::new(AtomicBool::new(setup.free));
    let speed = Arc::new(AtomicU64::new(setup.speed.to_bits()));
    let (tx, gates) = unbounded();
    let reader_free = free.clone();
    let reader_speed = speed.clone();
    std::thread::spawn(move || {
        for line in input.lines() {
            let Ok(line) = line else { break };
            let gate = match serde_json::from_str::<Command>(&line) {
                Ok(Command::Go) => Gate::Go,
                Ok(Command::YourTurn) => Gate::YourTurn,
                Ok(Command::Free { on }) => {
                    reader_free.store(on, Ordering::SeqCst);
                    Gate::Resume
                }
                Ok(Command::Speed { speed }) => {
                    reader_speed.store(speed.to_bits(), Ordering::SeqCst);
                    continue;
                }
                Ok(Command::Task { task, arg }) => Gate::Task { task, arg },
                Ok(Command::Close) => Gate::Close,
                Ok(Command::Setup(_)) | Err(_) => continue,
            };
            if tx.send(gate).is_err() {
                return;
            }
        }
        // The supervisor is gone (closed or killed): nobody can step us any
        // more, so end now even if the main thread is blocked in sem_wait.
        posix::exit_now(3)
    });

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
        free,
        speed,
        locals: HashMap::new(),
        rng,
        trace,
        ops: 0,
        socket: socket.to_path_buf(),
        tree: tree::Tree::new(setup.parent.is_some()),
        began: 0,
        ipc: ipc::Ipc::inherited(),
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
        let arg = w.setup.arg.or(w.tree.arg);
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
            .write_all(r.stamped_line(posix::now_ns()).as_bytes())
    }

    fn trace(&mut self, r: Report) -> io::Result<()> {
        if self.trace { self.send(&r) } else { Ok(()) }
    }

    /// Report arrival at the gate before `pc`; in step mode wait for `Go`.
    fn gate(&mut self, pc: usize) -> io::Result<()> {
        self.trace(Report::At { pc })?;
        self.tick();
        if !self.free.load(Ordering::SeqCst) {
            self.out.flush()?;
            loop {
                match self.gates.recv() {
                    Ok(Gate::Go) => break,
                    Ok(Gate::Resume) if self.free.load(Ordering::SeqCst) => break,
                    Ok(_) => {}
                    Err(_) => return Err(io::Error::other("supervisor went away")),
                }
            }
            self.restart_clock();
        }
        self.trace(Report::Run { pc })
    }

    fn serve_pool(&mut self) -> io::Result<i32> {
        self.out.flush()?;
        loop {
            match self.gates.recv() {
                Ok(Gate::Task { task, arg }) => {
                    let code = self.interpret(Some(arg), Some(task))?;
                    if code != 0 {
                        return Ok(code);
                    }
                }
                Ok(Gate::Close) | Err(_) => return Ok(0),
                Ok(_) => {}
            }
        }
    }

    fn local(&self, name: &str) -> Option<i64> {
        match name {
            "n" => Some(self.setup.number as i64),
            "pid" => Some(i64::from(std::process::id())),
            "index" => Some(self.setup.index as i64),
            _ => self.locals.get(name).copied(),
        }
    }

    fn fail(&mut self, message: String) -> io::Result<i32> {
        self.send(&Report::Failed { message })?;
        Ok(1)
    }

    /// Run the program once; `task` is set for a pool task. Returns the exit code.
    fn interpret(&mut self, arg: Option<i64>, task: Option<u32>) -> io::Result<i32> {
        self.locals.clear();
        for (name, v) in self.setup.globals.iter().chain(&self.tree.inherited) {
            self.locals.insert(name.clone(), *v);
        }
        self.began = posix::now_ns();
        if let Some(a) = arg {
            self.locals.insert("arg".into(), a);
        }
        let program = std::mem::take(&mut self.setup.program);
        let result = self.steps(&program, task);
        self.setup.program = program;
        let code = result?;
        self.out.flush()?;
        Ok(code)
    }

    fn steps(&mut self, program: &[crate::lesson::Step], task: Option<u32>) -> io::Result<i32> {
        let label = |to: &str| {
            program
                .iter()
                .position(|s| s.label.as_deref() == Some(to))
                .unwrap_or(program.len())
        };
        let mut pc = 0;
        while pc < program.len() {
            self.ops += 1;
            if self.ops > MAX_OPERATIONS {
                return self.fail(format!(
                    "stopped after {MAX_OPERATIONS} operations: is there an endless loop?"
                ));
            }
            self.gate(pc)?;
            let mut next = pc + 1;
            let lookup = |w: &Worker, name: &str| w.local(name);
            match &program[pc].op {
                Op::Sleep { ms, max_ms } => {
                    let ms = match max_ms {
                        Some(max) => self.rng.random_range(*ms..=*max),
                        None => *ms,
                    };
                    // Under a schedule (or paused) sleeps take no wall time.
                    self.sleep_ms(ms)?;
                }
                Op::SleepFor { expr } => match expr.eval(&|n: &str| lookup(self, n)) {
                    Ok(ms) => self.sleep_ms(ms.clamp(0, 600_000) as u64)?,
                    Err(e) => return self.fail(format!("{expr}: {e}")),
                },
                Op::Start {
                    role,
                    handle,
                    arg,
                    daemon,
                } => {
                    if let Err(e) = self.op_start(role, handle, arg.as_ref(), *daemon)? {
                        return self.fail(e);
                    }
                }
                Op::Join { proc, timeout_ms } => {
                    if let Err(e) = self.op_join(proc, *timeout_ms)? {
                        return self.fail(e);
                    }
                }
                Op::Terminate { proc } => {
                    if let Err(e) = self.op_terminate(proc)? {
                        return self.fail(e);
                    }
                }
                Op::IsAlive { proc, into } => {
                    if let Err(e) = self.op_is_alive(proc, into)? {
                        return self.fail(e);
                    }
                }
                Op::Exitcode { proc, into } => {
                    if let Err(e) = self.op_exitcode(proc, into)? {
                        return self.fail(e);
                    }
                }
                Op::Clock { into } => self.op_clock(into)?,
                op @ (Op::EventSet { .. }
                | Op::EventClear { .. }
                | Op::EventWait { .. }
                | Op::EventIsSet { .. }
                | Op::PipeSend { .. }
                | Op::PipeRecv { .. }
                | Op::PipeClose { .. }
                | Op::QueuePut { .. }
                | Op::QueueGet { .. }
                | Op::TaskDone { .. }
                | Op::QueueJoin { .. }
                | Op::Accept { .. }
                | Op::Connect { .. }
                | Op::SockSend { .. }
                | Op::SockRecv { .. }
                | Op::SockClose { .. }) => match self.ipc_op(op)? {
                    Ok(None) => {}
                    Ok(Some(to)) => next = label(&to),
                    Err(e) => return self.fail(e),
                },
                Op::Read { value, into } => {
                    let got = match self.read_value(value) {
                        Ok(v) => v,
                        Err(e) => return self.fail(format!("failed to read {value}: {e}")),
                    };
                    self.locals.insert(into.clone(), got);
                    self.trace(Report::Read {
                        value: value.clone(),
                        got,
                    })?;
                }
                Op::Write { value, expr } => {
                    let put = match expr.eval(&|n: &str| lookup(self, n)) {
                        Ok(v) => v,
                        Err(e) => return self.fail(format!("{expr}: {e}")),
                    };
                    // Reported (and flushed) before the file changes, so no
                    // reader of the new value can be ordered before this write.
                    self.trace(Report::Wrote {
                        value: value.clone(),
                        put,
                    })?;
                    self.out.flush()?;
                    if let Err(e) = self.write_value(value, put) {
                        return self.fail(format!("failed to write {value}: {e}"));
                    }
                }
                Op::Set { local, expr } => {
                    let to = match expr.eval(&|n: &str| lookup(self, n)) {
                        Ok(v) => v,
                        Err(e) => return self.fail(format!("{expr}: {e}")),
                    };
                    self.locals.insert(local.clone(), to);
                    self.trace(Report::Set {
                        local: local.clone(),
                        to,
                    })?;
                }
                Op::Jump { to } => next = label(to),
                Op::JumpIf { cond, to } => {
                    let taken = match cond.eval(&|n: &str| lookup(self, n)) {
                        Ok(v) => v,
                        Err(e) => return self.fail(format!("{cond}: {e}")),
                    };
                    if taken {
                        next = label(to);
                    }
                    self.trace(Report::Branch { taken })?;
                }
                Op::Print { text, count } => {
                    let render = |t: &str, lang| {
                        fill(t, |n| match self.ipc.texts.get(n) {
                            Some(got) => Some(got.get(lang).to_string()),
                            None => self.local(n).map(|v| v.to_string()),
                        })
                    };
                    let en = render(&text.en, crate::lesson::Lang::En);
                    let zh = text
                        .zh
                        .as_deref()
                        .map(|t| render(t, crate::lesson::Lang::Zh));
                    self.send(&Report::Printed { en, zh })?;
                    if let Some(outcome) = count {
                        self.send(&Report::Outcome {
                            name: outcome.clone(),
                        })?;
                        // Both lines leave in one write: a kill comes before or after both.
                        self.out.flush()?;
                    }
                }
                Op::Acquire { lock } => self.acquire(lock)?,
                Op::Release { lock } => {
                    if let Some(e) = self.release_too_many(lock)? {
                        return self.fail(e);
                    }
                    self.release(lock)?
                }
                Op::Enter { room } => self.trace(Report::Entered { room: room.clone() })?,
                Op::Leave { room } => self.trace(Report::Left { room: room.clone() })?,
                Op::Count { outcome } => self.trace(Report::Outcome {
                    name: outcome.clone(),
                })?,
                Op::Return { expr } => {
                    let value = match expr.eval(&|n: &str| lookup(self, n)) {
                        Ok(v) => v,
                        Err(e) => return self.fail(format!("{expr}: {e}")),
                    };
                    let task = task.unwrap_or(0);
                    let busy_ns = posix::now_ns().saturating_sub(self.began);
                    self.send(&Report::Result {
                        task,
                        value,
                        busy_ns,
                    })?;
                    return Ok(0);
                }
                Op::Exit { code } => return Ok(*code),
            }
            pc = next;
        }
        Ok(0)
    }

    fn is_off(&self, lock: &str) -> bool {
        self.setup.off.iter().any(|o| o == lock)
    }

    fn acquire(&mut self, lock: &str) -> io::Result<()> {
        if self.is_off(lock) {
            return self.trace(Report::Skipped {
                lock: lock.to_string(),
                release: false,
            });
        }
        let sem = self
            .semaphores
            .get(lock)
            .ok_or_else(|| io::Error::other(format!("no semaphore for {lock}")))?;
        if !sem.try_acquire()? {
            if !self.free.load(Ordering::SeqCst) {
                self.wait_for_turn(lock)?;
            }
            self.send(&Report::Waiting {
                lock: lock.to_string(),
            })?;
            self.out.flush()?;
            let sem = &self.semaphores[lock];
            sem.acquire()?;
        }
        self.trace(Report::Acquired {
            lock: lock.to_string(),
        })
    }

    /// Under a schedule, queue for `lock` until the supervisor says it is
    /// this process's turn (or a free run begins, when the kernel decides).
    fn wait_for_turn(&mut self, lock: &str) -> io::Result<()> {
        self.send(&Report::Queued {
            lock: lock.to_string(),
        })?;
        self.out.flush()?;
        loop {
            match self.gates.recv() {
                Ok(Gate::YourTurn) => return Ok(()),
                Ok(Gate::Resume) if self.free.load(Ordering::SeqCst) => return Ok(()),
                Ok(_) => {}
                Err(_) => return Err(io::Error::other("supervisor went away")),
            }
        }
    }

    /// Python's check before a Lock's release: a Lock whose permit is free
    /// was released by nobody holding it, which would let two through.
    fn release_too_many(&self, lock: &str) -> io::Result<Option<String>> {
        if self.is_off(lock) || !self.setup.locks.iter().any(|l| l == lock) {
            return Ok(None);
        }
        let Some(sem) = self.semaphores.get(lock) else {
            return Ok(None);
        };
        Ok((sem.value()? >= 1).then(|| {
            format!("release {lock}: ValueError: semaphore or lock released too many times")
        }))
    }

    fn release(&mut self, lock: &str) -> io::Result<()> {
        if self.is_off(lock) {
            return self.trace(Report::Skipped {
                lock: lock.to_string(),
                release: true,
            });
        }
        // Report first, so the supervisor learns of the release before the
        // waiter that the kernel wakes can report its acquire.
        self.trace(Report::Released {
            lock: lock.to_string(),
        })?;
        self.out.flush()?;
        let sem = self
            .semaphores
            .get(lock)
            .ok_or_else(|| io::Error::other(format!("no semaphore for {lock}")))?;
        sem.release()
    }

    fn read_value(&self, name: &str) -> io::Result<i64> {
        let text = std::fs::read_to_string(value_path(&self.dir, name))?;
        text.trim()
            .parse()
            .map_err(|_| io::Error::other(format!("not a number: {text:?}")))
    }

    /// Replace the whole file at once (write a temporary, then rename), so a
    /// reader never sees half a value: the race is only between read and write.
    fn write_value(&self, name: &str, v: i64) -> io::Result<()> {
        let tmp = self.dir.join(format!(".v-{name}.{}", std::process::id()));
        std::fs::write(&tmp, v.to_string())?;
        std::fs::rename(&tmp, value_path(&self.dir, name))
    }
}
