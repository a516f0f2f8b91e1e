//! The commands a caller sends to the run's processes: one step, a turn,
//! free run and speed, and Python's `terminate()`.

use std::io::{self, Write};
use std::sync::atomic::Ordering;

use super::{Event, EventKind, Live, Run};
use crate::platform;
use crate::wire::{Command as Cmd, ProcId};

impl Run {
    /// Switch free run on or off for every process, now and started later.
    pub fn set_free(&self, on: bool) {
        self.broadcast(&Cmd::Free { on }, |l| l.free = on);
    }

    /// Change the speed of every process, now and started later.
    pub fn set_speed(&self, speed: f64) {
        self.broadcast(&Cmd::Speed { speed }, |l| l.speed = speed);
    }

    /// Tell every process the virtual clock at the next step (as written).
    pub fn tell_clock(&self, ms: u64) {
        self.broadcast(&Cmd::Clock { ms }, |_| ());
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
            Err(io::Error::other(format!(
                "{} is not connected",
                ProcId(proc)
            )))
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
            Some(Some(_)) => Ok(()),
            // Started by another process: a lesson's child, or any process
            // a real program starts (past the slots the run began with).
            Some(None) | None => {
                let pids = self.pids.lock().unwrap_or_else(|p| p.into_inner());
                pids.get(proc)
                    .copied()
                    .flatten()
                    .map_or(Ok(()), platform::terminate)
            }
        }
    }
}
