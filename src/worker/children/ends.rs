//! How a worker's children end: Python's `Popen.poll()` (`is_alive`,
//! `exitcode`, the `_cleanup()` at `start`), `join` (with or without a
//! timeout), `terminate`, and the exit handler. A child the supervisor has
//! told us has ended is waited for, so that under a schedule what a poll
//! sees follows the schedule's order, not the kernel's timing.

use std::io::{self, Write};
use std::os::unix::process::ExitStatusExt;
use std::process::ExitStatus;
use std::time::{Duration, Instant};

use super::super::{Raised, Worker};
use crate::expr::Expr;
use crate::lesson::Text;
use crate::platform;
use crate::wire::Report;

fn exitcode(status: ExitStatus) -> i32 {
    match (status.code(), status.signal()) {
        (Some(c), _) => c,
        (None, Some(sig)) => -sig,
        (None, None) => -1,
    }
}

impl Worker {
    /// Record a reaped child and tell the supervisor.
    fn reaped(&mut self, k: usize, status: ExitStatus) -> io::Result<()> {
        let code = exitcode(status);
        let number = self.family.kids[k].number;
        self.family.kids[k].exitcode = Some(code);
        self.tick();
        self.send(&Report::Reaped {
            child: number,
            exitcode: code,
        })?;
        self.out.flush()
    }

    /// A join takes the later of both lesson clocks: the child's as it left it.
    fn take_clock(&mut self, k: usize) {
        let number = self.family.kids[k].number;
        if let Ok(text) = std::fs::read_to_string(self.dir.join(format!("clock-{number}")))
            && let Ok(child_clock) = text.trim().parse::<f64>()
        {
            self.family.clock_ms = self.family.clock_ms.max(child_clock);
        }
    }

    /// Python's `Popen.poll()`: true if the child had ended (now reaped).
    /// A child the supervisor has told us has ended is waited for (it has
    /// exited, or is between closing its files and becoming a zombie), so
    /// under a schedule the answer follows the schedule's order, not how
    /// soon the kernel lets `waitpid` see the end. Any other child is
    /// polled (`waitpid` with `WNOHANG`).
    fn poll_kid(&mut self, k: usize) -> io::Result<bool> {
        if self.family.kids[k].exitcode.is_some() {
            return Ok(true);
        }
        let ended = self.family.has_ended(self.family.kids[k].number);
        let child = &mut self.family.kids[k].child;
        let status = if ended {
            Some(child.wait()?)
        } else {
            child.try_wait()?
        };
        match status {
            Some(status) => {
                self.reaped(k, status)?;
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// Python's `_cleanup()`: reap every child that has already ended.
    pub(super) fn reap_ended(&mut self) -> io::Result<()> {
        for k in 0..self.family.kids.len() {
            self.poll_kid(k)?;
        }
        Ok(())
    }

    /// Block in `waitpid` until child `k` ends, saying first that we wait.
    fn wait_kid(&mut self, k: usize) -> io::Result<()> {
        if self.poll_kid(k)? {
            return Ok(());
        }
        self.send(&Report::Joining {
            child: self.family.kids[k].number,
        })?;
        self.out.flush()?;
        let status = self.family.kids[k].child.wait()?;
        self.reaped(k, status)
    }

    pub(in crate::worker) fn op_join(
        &mut self,
        proc: &Expr,
        timeout_ms: Option<u64>,
    ) -> io::Result<Raised> {
        let k = match self.eval_proc(proc).and_then(|n| self.kid(n, "join")) {
            Ok(k) => k,
            Err(e) => return Ok(Err(e)),
        };
        match timeout_ms {
            None => self.wait_kid(k)?,
            Some(limit) => self.join_for(k, limit)?,
        }
        // Whoever reaped it (this join, or an earlier start or is_alive),
        // the join returns after the child's end.
        if self.family.kids[k].exitcode.is_some() {
            self.take_clock(k);
        }
        Ok(Ok(()))
    }

    /// `join(timeout)`: wait at most `limit` lesson ms for child `k`.
    fn join_for(&mut self, k: usize, limit: u64) -> io::Result<()> {
        if self.poll_kid(k)? {
            return Ok(());
        }
        let number = self.family.kids[k].number;
        if self.is_free() {
            self.send(&Report::Joining { child: number })?;
            self.out.flush()?;
            let deadline =
                Instant::now() + Duration::from_secs_f64(limit as f64 / 1000.0 / self.speed_now());
            while Instant::now() < deadline {
                // Python's join(timeout) polls the same way.
                std::thread::sleep(Duration::from_millis(5));
                if self.poll_kid(k)? {
                    return Ok(());
                }
            }
        } else if self.setup.sleeps_hold {
            // As written: the wait lasts until the child ends or the clock
            // has moved on `limit`; the schedule decides which comes first.
            self.send(&Report::TimedJoin {
                child: number,
                ms: limit,
            })?;
            self.gate(self.pc)?;
            if self.poll_kid(k)? {
                return Ok(());
            }
            self.family.clock_ms += limit as f64;
        } else {
            // Under any timing time stands still: the timeout passes at once.
            self.family.clock_ms += limit as f64;
        }
        self.send(&Report::JoinTimedOut { child: number })
    }

    pub(in crate::worker) fn op_terminate(&mut self, proc: &Expr) -> io::Result<Raised> {
        let k = match self.eval_proc(proc).and_then(|n| self.kid(n, "terminate")) {
            Ok(k) => k,
            Err(e) => return Ok(Err(e)),
        };
        self.terminate_kid(k)?;
        Ok(Ok(()))
    }

    fn terminate_kid(&mut self, k: usize) -> io::Result<()> {
        let kid = &self.family.kids[k];
        if kid.exitcode.is_some() {
            return Ok(());
        }
        let (number, pid) = (kid.number, kid.child.id());
        // Reported first, so the supervisor knows who sent the signal before it sees the end.
        self.send(&Report::Terminated { child: number })?;
        self.out.flush()?;
        // Not yet reaped, so the pid is still this child's (maybe a zombie).
        platform::terminate(pid)
    }

    pub(in crate::worker) fn op_is_alive(&mut self, proc: &Expr, into: &str) -> io::Result<Raised> {
        let k = match self.eval_proc(proc).and_then(|n| self.kid(n, "test")) {
            Ok(k) => k,
            Err(e) => return Ok(Err(e)),
        };
        let alive = !self.poll_kid(k)?;
        self.set_local(into, i64::from(alive))?;
        Ok(Ok(()))
    }

    pub(in crate::worker) fn op_exitcode(&mut self, proc: &Expr, into: &str) -> io::Result<Raised> {
        let k = match self
            .eval_proc(proc)
            .and_then(|n| self.kid(n, "read the exit code of"))
        {
            Ok(k) => k,
            Err(e) => return Ok(Err(e)),
        };
        self.poll_kid(k)?;
        match self.family.kids[k].exitcode {
            Some(code) => {
                self.set_local(into, i64::from(code))?;
                Ok(Ok(()))
            }
            None => {
                // Python's None: a text that prints as `None` and cannot
                // be used in an expression.
                self.locals.remove(into);
                self.ipc.texts.insert(into.to_string(), Text::from("None"));
                Ok(Ok(()))
            }
        }
    }
    /// Python's exit handler: reap the children that have ended
    /// (`active_children()`), terminate the daemon children still running,
    /// then join every child. Then leave the clock for a parent's join.
    pub(in crate::worker) fn at_exit(&mut self) -> io::Result<()> {
        self.reap_ended()?;
        for k in 0..self.family.kids.len() {
            if self.family.kids[k].daemon && self.family.kids[k].exitcode.is_none() {
                self.terminate_kid(k)?;
            }
        }
        for k in 0..self.family.kids.len() {
            self.wait_kid(k)?;
            self.take_clock(k);
        }
        self.tick();
        let path = self.dir.join(format!("clock-{}", self.setup.number));
        let _ = std::fs::write(path, format!("{}", self.family.clock_ms));
        Ok(())
    }
}
