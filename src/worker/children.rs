//! Child processes in a worker: `start` fork/execs this binary as a real child
//! (its ppid is this worker), `join` reaps it with `waitpid`, `terminate`
//! sends SIGTERM, and when the program ends, Python's exit handler runs:
//! daemon children are terminated, the others joined; a join takes the
//! later of both lesson clocks (the clock itself: `clock.rs`).
//!
//! As in CPython, `start` first reaps every child that has already ended
//! (`_cleanup()`), and `is_alive` and `exitcode` reap the child they ask
//! about if it has ended (`Popen.poll()`, a `waitpid` with `WNOHANG`): a
//! zombie lasts until its parent next calls one of these or `join`. How
//! children end (poll, join, terminate, the exit handler): `children/ends.rs`.

use std::collections::HashSet;
use std::io::{self, Write};
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use super::{Raised, Worker};
use crate::expr::Expr;
use crate::lesson::ProcessSlot;
use crate::platform;
use crate::wire::{INHERIT_ENV, Inherit, ProcId, Report};

mod ends;

/// Python's error when a daemon calls `start()`.
pub const DAEMON_CHILDREN: &str =
    "AssertionError: daemonic processes are not allowed to have children";

/// The slots process `number` may start, grouped by role, in P-number order.
pub fn children_of(slots: &[ProcessSlot], number: usize) -> Vec<(String, Vec<usize>)> {
    let mut out: Vec<(String, Vec<usize>)> = Vec::new();
    for s in slots.iter().filter(|s| s.parent == Some(number)) {
        match out.iter_mut().find(|(r, _)| *r == s.role) {
            Some((_, v)) => v.push(s.number),
            None => out.push((s.role.clone(), vec![s.number])),
        }
    }
    out
}

struct Kid {
    number: usize,
    child: Child,
    daemon: bool,
    /// Python's `exitcode` once reaped.
    exitcode: Option<i32>,
}

/// A worker's family: what its parent handed down, its children, and its
/// lesson clock.
pub struct Family {
    kids: Vec<Kid>,
    /// How many slots of each role were used.
    used: Vec<(String, usize)>,
    pub daemon: bool,
    /// `arg` given by the parent's `start`.
    pub arg: Option<i64>,
    /// The parent's globals at the moment of `start` (a fork's copy).
    pub inherited: Vec<(String, i64)>,
    pub clock_ms: f64,
    pub(super) mark: Instant,
    /// Children whose end the supervisor has told of (their connection
    /// closed), filled by the command reader.
    ended: Arc<Mutex<HashSet<usize>>>,
}

impl Family {
    /// A root process starts fresh; a started one takes what its parent
    /// handed down. `ended` is where the command reader notes children's ends.
    pub fn new(started: bool, ended: Arc<Mutex<HashSet<usize>>>) -> Family {
        let inherit = started
            .then(|| std::env::var(INHERIT_ENV).ok())
            .flatten()
            .and_then(|text| serde_json::from_str::<Inherit>(&text).ok())
            .unwrap_or_default();
        Family {
            kids: Vec::new(),
            used: Vec::new(),
            daemon: inherit.daemon,
            arg: inherit.arg,
            inherited: inherit.globals,
            clock_ms: inherit.clock_ms,
            mark: Instant::now(),
            ended,
        }
    }

    /// The supervisor has told that child `number` has exited (or is exiting).
    fn has_ended(&self, number: usize) -> bool {
        self.ended
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains(&number)
    }
}

impl Worker {
    fn eval_proc(&self, proc: &Expr) -> Result<usize, String> {
        let n = proc
            .eval(&|name: &str| self.local(name))
            .map_err(|e| format!("{proc}: {e}"))?;
        usize::try_from(n).map_err(|_| format!("{proc} is {n}: not a process number"))
    }

    fn kid(&self, number: usize, what: &str) -> Result<usize, String> {
        self.family
            .kids
            .iter()
            .position(|k| k.number == number)
            .ok_or_else(|| {
                // 0 names no process, so no `ProcId` can show it: it reads as written.
                let named = crate::wire::typed_number(number);
                format!("AssertionError: can only {what} a child process ({named} is not a child of this process)")
            })
    }

    /// The P-number the next `start` of `role` takes, or why there is none.
    fn next_slot(&self, role: &str) -> Result<usize, String> {
        let slots = self
            .setup
            .children
            .iter()
            .find(|(r, _)| r == role)
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        let used = self
            .family
            .used
            .iter()
            .find(|(r, _)| r == role)
            .map_or(0, |(_, n)| *n);
        let Some(&number) = slots.get(used) else {
            return Err(format!(
                "cannot start another `{role}`: {} (raise its count in processes)",
                match slots.len() {
                    1 => "its one slot is used".to_string(),
                    n => format!("all its {n} slots are used"),
                }
            ));
        };
        Ok(number)
    }

    pub(super) fn op_start(
        &mut self,
        role: &str,
        handle: &str,
        arg: Option<&Expr>,
        daemon: bool,
    ) -> io::Result<Raised> {
        if self.family.daemon {
            return Ok(Err(DAEMON_CHILDREN.to_string()));
        }
        let number = match self.next_slot(role) {
            Ok(n) => n,
            Err(e) => return Ok(Err(e)),
        };
        let arg = match arg.map(|e| e.eval(&|n: &str| self.local(n))) {
            Some(Ok(v)) => Some(v),
            Some(Err(e)) => return Ok(Err(format!("arg: {e}"))),
            None => None,
        };
        self.reap_ended()?;
        self.tick();
        let child = match self.spawn_child(number, arg, daemon)? {
            Ok(c) => c,
            Err(e) => return Ok(Err(e)),
        };
        let pid = child.id();
        match self.family.used.iter_mut().find(|(r, _)| r == role) {
            Some((_, n)) => *n += 1,
            None => self.family.used.push((role.to_string(), 1)),
        }
        self.family.kids.push(Kid {
            number,
            child,
            daemon,
            exitcode: None,
        });
        self.locals.insert(handle.to_string(), number as i64);
        self.send(&Report::Started {
            child: number,
            pid,
            daemon,
        })?;
        self.out.flush()?;
        Ok(Ok(()))
    }

    /// Fork/exec this binary as process `number`, handing down what a fork's
    /// child would have: `arg`, the globals, the clock and every open end.
    fn spawn_child(
        &mut self,
        number: usize,
        arg: Option<i64>,
        daemon: bool,
    ) -> io::Result<Result<Child, String>> {
        let globals = self
            .setup
            .globals
            .iter()
            .map(|(name, v)| (name.clone(), self.locals.get(name).copied().unwrap_or(*v)))
            .collect();
        let inherit = Inherit {
            arg,
            globals,
            daemon,
            clock_ms: self.family.clock_ms,
        };
        let json = serde_json::to_string(&inherit).map_err(io::Error::other)?;
        let exe = platform::this_program()?;
        // A fork's copies: every pipe end and queue side still open here.
        let (fds, raw) = self.ipc.for_child();
        // No process_group: the child stays in this lesson's group, so
        // killing the run's group reaches it too.
        let mut cmd = platform::command_for(&exe);
        // Sockets this process accepted or connected are close-on-exec
        // (inherited ones are not): the child keeps a copy of each.
        platform::keep_on_exec(&mut cmd, raw);
        Ok(cmd
            .arg("__worker")
            .arg(&self.socket)
            .arg(number.to_string())
            .env(INHERIT_ENV, json)
            .env(crate::wire::FDS_ENV, fds)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .spawn()
            .map_err(|e| format!("failed to start {}: {e}", ProcId::from_number(number))))
    }

    pub(super) fn set_local(&mut self, local: &str, to: i64) -> io::Result<()> {
        // A number replaces a text this local held (an `exitcode` of None).
        self.ipc.texts.remove(local);
        self.locals.insert(local.to_string(), to);
        self.trace(Report::Set {
            local: local.to_string(),
            to,
        })
    }
}
