//! The interpreter: runs a program one step at a time, each step one
//! operation, stopping at the gate before each.

use std::borrow::Cow;
use std::io::{self, Write};

use rand::RngExt;

use super::{MAX_OPERATIONS, Worker};
use crate::lesson::{Op, Step, Text, fill};
use crate::platform;
use crate::wire::Report;

/// Where the program goes after a step.
enum Flow<'p> {
    Next,
    /// To the step with this label (past the end if there is none).
    Jump(Cow<'p, str>),
    /// The program ends with this exit code.
    End(i32),
}

impl Worker {
    /// Run the program once; `task` is set for a pool task. Returns the exit code.
    pub(super) fn interpret(&mut self, arg: Option<i64>, task: Option<u32>) -> io::Result<i32> {
        self.locals.clear();
        for (name, v) in self.setup.globals.iter().chain(&self.family.inherited) {
            self.locals.insert(name.clone(), *v);
        }
        self.began = platform::now_ns();
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

    fn steps(&mut self, program: &[Step], task: Option<u32>) -> io::Result<i32> {
        let label = |to: &str| {
            program
                .iter()
                .position(|s| s.label.as_deref() == Some(to))
                .unwrap_or(program.len())
        };
        let mut pc = 0;
        let mut slept = false;
        while pc < program.len() {
            self.ops += 1;
            if self.ops > MAX_OPERATIONS {
                return self.fail(format!(
                    "stopped after {MAX_OPERATIONS} operations: is there an endless loop?"
                ));
            }
            self.gate(pc)?;
            self.follow_parent()?;
            self.pc = pc;
            slept = matches!(program[pc].op, Op::Sleep { .. } | Op::SleepFor { .. });
            pc = match self.step(&program[pc].op, task)? {
                Flow::Next => pc + 1,
                Flow::Jump(to) => label(&to),
                Flow::End(code) => return Ok(code),
            };
        }
        // As written, the last sleep lasts until the clock gets there: the
        // end waits at a gate of its own.
        if slept && self.setup.sleeps_hold && !self.is_free() {
            self.gate(program.len())?;
        }
        Ok(0)
    }

    /// An orphan's parent pid is init's (or a subreaper's) now: say so once,
    /// so the lane shows the parent it really has.
    fn follow_parent(&mut self) -> io::Result<()> {
        let now = std::os::unix::process::parent_id();
        if now != self.ppid {
            self.ppid = now;
            self.send(&Report::Reparented { ppid: now })?;
        }
        Ok(())
    }

    /// The program ends here with an error, reported as Python would raise it.
    fn failed<'p>(&mut self, message: String) -> io::Result<Flow<'p>> {
        self.fail(message).map(Flow::End)
    }

    fn step<'p>(&mut self, op: &'p Op, task: Option<u32>) -> io::Result<Flow<'p>> {
        match op {
            Op::Sleep { ms, max_ms } => {
                let ms = match max_ms {
                    Some(max) => self.rng.random_range(*ms..=*max),
                    None => *ms,
                };
                // Under a schedule (or paused) sleeps take no wall time.
                self.sleep_ms(ms)?;
            }
            Op::SleepFor { expr } => match expr.eval(&|n: &str| self.local(n)) {
                Ok(ms) => self.sleep_ms(ms.clamp(0, 600_000) as u64)?,
                Err(e) => return self.failed(format!("{expr}: {e}")),
            },
            Op::Start { .. }
            | Op::Join { .. }
            | Op::Terminate { .. }
            | Op::IsAlive { .. }
            | Op::Exitcode { .. } => return self.children_op(op),
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
            | Op::SockClose { .. }) => {
                return match self.ipc_op(op)? {
                    Ok(None) => Ok(Flow::Next),
                    Ok(Some(to)) => Ok(Flow::Jump(Cow::Owned(to))),
                    Err(e) => self.failed(e),
                };
            }
            Op::Read { .. }
            | Op::Write { .. }
            | Op::Set { .. }
            | Op::JumpIf { .. }
            | Op::Return { .. } => return self.value_op(op, task),
            Op::Jump { to } => return Ok(Flow::Jump(Cow::Borrowed(to))),
            Op::Print { text, count } => self.print(text, count.as_deref())?,
            Op::Acquire { lock } => self.acquire(lock)?,
            Op::Release { lock } => {
                if let Some(e) = self.release_too_many(lock)? {
                    return self.failed(e);
                }
                self.release(lock)?
            }
            Op::Enter { room } => self.trace(Report::Entered { room: room.clone() })?,
            Op::Leave { room } => self.trace(Report::Left { room: room.clone() })?,
            Op::Count { outcome } => self.trace(Report::Outcome {
                name: outcome.clone(),
            })?,
            Op::Exit { code } => return Ok(Flow::End(*code)),
        }
        Ok(Flow::Next)
    }

    /// `start`, `join`, `terminate`, `is_alive`, `exitcode`: see `children.rs`.
    fn children_op<'p>(&mut self, op: &Op) -> io::Result<Flow<'p>> {
        let raised = match op {
            Op::Start {
                role,
                handle,
                arg,
                daemon,
            } => self.op_start(role, handle, arg.as_ref(), *daemon)?,
            Op::Join { proc, timeout_ms } => self.op_join(proc, *timeout_ms)?,
            Op::Terminate { proc } => self.op_terminate(proc)?,
            Op::IsAlive { proc, into } => self.op_is_alive(proc, into)?,
            Op::Exitcode { proc, into } => self.op_exitcode(proc, into)?,
            _ => Ok(()),
        };
        match raised {
            Ok(()) => Ok(Flow::Next),
            Err(e) => self.failed(e),
        }
    }

    /// Operations on shared values and locals: `read`, `write`, `set`,
    /// `jump_if` and a pool task's `return`.
    fn value_op<'p>(&mut self, op: &'p Op, task: Option<u32>) -> io::Result<Flow<'p>> {
        match op {
            Op::Read { value, into } => {
                let value = &match self.slot(value) {
                    Ok(v) => v,
                    Err(e) => return self.failed(e),
                };
                let got = match self.read_value(value) {
                    Ok(v) => v,
                    Err(e) => return self.failed(format!("failed to read {value}: {e}")),
                };
                self.locals.insert(into.clone(), got);
                self.trace(Report::Read {
                    value: value.clone(),
                    got,
                })?;
            }
            Op::Write { value, expr } => {
                let value = &match self.slot(value) {
                    Ok(v) => v,
                    Err(e) => return self.failed(e),
                };
                let put = match expr.eval(&|n: &str| self.local(n)) {
                    Ok(v) => v,
                    Err(e) => return self.failed(format!("{expr}: {e}")),
                };
                // Reported (and flushed) before the file changes, so no
                // reader of the new value can be ordered before this write.
                self.trace(Report::Wrote {
                    value: value.clone(),
                    put,
                })?;
                self.out.flush()?;
                if let Err(e) = self.write_value(value, put) {
                    return self.failed(format!("failed to write {value}: {e}"));
                }
            }
            Op::Set { local, expr } => {
                let to = match expr.eval(&|n: &str| self.local(n)) {
                    Ok(v) => v,
                    Err(e) => return self.failed(format!("{expr}: {e}")),
                };
                self.locals.insert(local.clone(), to);
                self.trace(Report::Set {
                    local: local.clone(),
                    to,
                })?;
            }
            Op::JumpIf { cond, to } => {
                let taken = match cond.eval(&|n: &str| self.local(n)) {
                    Ok(v) => v,
                    Err(e) => return self.failed(format!("{cond}: {e}")),
                };
                self.trace(Report::Branch { taken })?;
                if taken {
                    return Ok(Flow::Jump(Cow::Borrowed(to)));
                }
            }
            Op::Return { expr } => {
                let value = match expr.eval(&|n: &str| self.local(n)) {
                    Ok(v) => v,
                    Err(e) => return self.failed(format!("{expr}: {e}")),
                };
                let task = task.unwrap_or(0);
                let busy_ns = platform::now_ns().saturating_sub(self.began);
                self.send(&Report::Result {
                    task,
                    value,
                    busy_ns,
                })?;
                return Ok(Flow::End(0));
            }
            _ => {}
        }
        Ok(Flow::Next)
    }

    /// `print`, its `{name}`s filled from locals (a received text prints as
    /// the text), with the outcome it counts in the same write.
    fn print(&mut self, text: &Text, count: Option<&str>) -> io::Result<()> {
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
                name: outcome.to_string(),
            })?;
            // Both lines leave in one write: a kill comes before or after both.
            self.out.flush()?;
        }
        Ok(())
    }
}
