//! What the supervisor says to a worker: a reader thread turns each command
//! into a [`Gate`] for the interpreter, which waits at its gate before each
//! step; a pool worker waits for tasks instead.

use std::collections::HashSet;
use std::io::{self, BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crossbeam_channel::{Receiver, unbounded};

use super::Worker;
use crate::platform;
use crate::wire::{Command, Report};

/// What the socket reader hands to the interpreter.
pub(super) enum Gate {
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

/// What the reader thread changes at once, for the interpreter to see.
#[derive(Clone)]
pub(super) struct Live {
    pub(super) free: Arc<AtomicBool>,
    /// Speed factor as f64 bits.
    pub(super) speed: Arc<AtomicU64>,
    /// Children (P-numbers) whose connection has closed: they have exited.
    pub(super) ended: Arc<Mutex<HashSet<usize>>>,
}

/// Read the supervisor's commands on a thread of their own: a free run, a
/// new speed or a child's end takes effect at once, everything else waits
/// in the channel. A child's end is noted before any later `Go` is passed
/// on, so the step it comes before sees it. When the supervisor is gone
/// the whole process ends.
pub(super) fn spawn_reader(input: BufReader<UnixStream>, live: Live) -> Receiver<Gate> {
    let (tx, gates) = unbounded();
    std::thread::spawn(move || {
        for line in input.lines() {
            let Ok(line) = line else { break };
            let gate = match serde_json::from_str::<Command>(&line) {
                Ok(Command::Go) => Gate::Go,
                Ok(Command::YourTurn) => Gate::YourTurn,
                Ok(Command::Free { on }) => {
                    live.free.store(on, Ordering::SeqCst);
                    Gate::Resume
                }
                Ok(Command::Speed { speed }) => {
                    live.speed.store(speed.to_bits(), Ordering::SeqCst);
                    continue;
                }
                Ok(Command::ChildEnded { child }) => {
                    live.ended
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .insert(child);
                    continue;
                }
                Ok(Command::Task { task, arg }) => Gate::Task { task, arg },
                Ok(Command::Close) => Gate::Close,
                // The built-in worker keeps its own lesson clock.
                Ok(Command::Setup(_) | Command::Clock { .. }) | Err(_) => continue,
            };
            if tx.send(gate).is_err() {
                return;
            }
        }
        // The supervisor is gone (closed or killed): nobody can step us any
        // more, so end now even if the main thread is blocked in sem_wait.
        platform::exit_now(3)
    });
    gates
}

impl Worker {
    /// Report arrival at the gate before `pc`; in step mode wait for `Go`.
    pub(super) fn gate(&mut self, pc: usize) -> io::Result<()> {
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

    pub(super) fn serve_pool(&mut self) -> io::Result<i32> {
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
}
