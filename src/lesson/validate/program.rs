//! Checks on the programs: labels and locals are given before they are used,
//! and every step names something declared, with numbers in range.

use std::collections::BTreeSet;

use super::super::locate::Seg;
use super::super::{Lesson, Op, Step, Text, placeholders, split_index};
use super::declarations::Names;
use super::{
    BUILTIN_LOCALS, Failure, MAX_SLEEP_MS, MAX_STEPS, MAX_TEXT_BYTES, at, check_name, key, list,
};
use crate::expr::Expr;

/// What a program may name, besides its own labels and locals.
struct Ctx<'a> {
    names: &'a Names<'a>,
    role: &'a str,
    has_arg: bool,
}

/// Check every program; returns the outcomes their steps count.
pub(super) fn check_programs<'a>(
    lesson: &'a Lesson,
    names: &Names<'a>,
) -> Result<BTreeSet<&'a str>, Failure> {
    let mut outcomes = BTreeSet::new();
    for (role, steps) in &lesson.programs {
        let path = vec![key("programs"), key(role)];
        let pool_task = lesson.pool.as_ref().is_some_and(|p| p.program == *role);
        let ctx = Ctx {
            names,
            role,
            // `arg` comes from the pool, or from the `start` that starts this role.
            has_arg: pool_task || super::super::started_by::is_started(lesson, role),
        };
        check_program(lesson, &path, steps, &ctx)?;
        for step in steps {
            if let Op::Count { outcome }
            | Op::Print {
                count: Some(outcome),
                ..
            } = &step.op
            {
                outcomes.insert(outcome.as_str());
            }
        }
    }
    Ok(outcomes)
}

fn check_program(lesson: &Lesson, path: &[Seg], steps: &[Step], ctx: &Ctx) -> Result<(), Failure> {
    if steps.is_empty() {
        return Err((
            path.to_vec(),
            "a program needs at least one operation".into(),
        ));
    }
    if steps.len() > MAX_STEPS {
        return Err((
            path.to_vec(),
            format!("a program may have at most {MAX_STEPS} operations"),
        ));
    }
    let (labels, assigned) = labels_and_locals(path, steps, ctx)?;
    for (i, step) in steps.iter().enumerate() {
        let check = StepCheck {
            lesson,
            ctx,
            at: at(path, &[Seg::Index(i)]),
            labels: &labels,
            assigned: &assigned,
        };
        check.step(step)?;
    }
    Ok(())
}

/// The labels a program defines and the locals it gives a value, in a first
/// pass over it: a jump may land on a later label, a local be set further down.
fn labels_and_locals<'a>(
    path: &[Seg],
    steps: &'a [Step],
    ctx: &Ctx<'a>,
) -> Result<(BTreeSet<&'a str>, BTreeSet<&'a str>), Failure> {
    let mut labels = BTreeSet::new();
    // `arg` exists only in a pool task or a started child, which get it given.
    let mut assigned: BTreeSet<&str> = BUILTIN_LOCALS
        .into_iter()
        .filter(|b| ctx.has_arg || *b != "arg")
        .collect();
    assigned.extend(ctx.names.globals.iter().copied());
    for (i, step) in steps.iter().enumerate() {
        if let Some(label) = &step.label {
            let p = at(path, &[Seg::Index(i), key("label")]);
            check_name(p.clone(), label)?;
            if !labels.insert(label.as_str()) {
                return Err((p, format!("label `{label}` is used twice in this program")));
            }
        }
        let local = match &step.op {
            Op::Read { into, .. } => Some(("into", into.as_str())),
            Op::Set { local, .. } => Some(("local", local.as_str())),
            Op::Start { handle, .. } => Some(("as", handle.as_str())),
            Op::IsAlive { into, .. } | Op::Exitcode { into, .. } | Op::Clock { into } => {
                Some(("into", into.as_str()))
            }
            op => super::super::ipc::assigned_local(op),
        };
        if let Some((field, into)) = local {
            check_name(at(path, &[Seg::Index(i), key(field)]), into)?;
            not_builtin(at(path, &[Seg::Index(i), key(field)]), into)?;
            assigned.insert(into);
        }
    }
    Ok((labels, assigned))
}

fn not_builtin(p: Vec<Seg>, name: &str) -> Result<(), Failure> {
    if BUILTIN_LOCALS.contains(&name) {
        Err((
            p,
            format!(
                "`{name}` is a built-in local (n, pid, ppid, index, arg) and cannot be assigned: pick another name"
            ),
        ))
    } else {
        Ok(())
    }
}

/// One step of a program, checked against what the lesson and the program declare.
struct StepCheck<'a> {
    lesson: &'a Lesson,
    ctx: &'a Ctx<'a>,
    /// The step's own path, `programs.ROLE[i]`.
    at: Vec<Seg>,
    labels: &'a BTreeSet<&'a str>,
    assigned: &'a BTreeSet<&'a str>,
}

impl StepCheck<'_> {
    fn here(&self, field: &str) -> Vec<Seg> {
        at(&self.at, &[key(field)])
    }

    fn need(
        &self,
        set: &BTreeSet<&str>,
        name: &str,
        field: &str,
        what: &str,
    ) -> Result<(), Failure> {
        if set.contains(name) {
            Ok(())
        } else {
            Err((
                self.here(field),
                format!("no {what} named `{name}` ({})", list(set)),
            ))
        }
    }

    /// A `read` or `write` names a declared Value (`v`), or a slot of a
    /// declared Array (`a[i]`) by an index expression of given locals.
    fn value_ref(&self, value: &str) -> Result<(), Failure> {
        let names = self.ctx.names;
        let Some((base, index)) = split_index(value) else {
            return Err((
                self.here("value"),
                format!("`{value}` is neither a value's name nor a slot `NAME[INDEX]`"),
            ));
        };
        self.need(&names.values, base, "value", "shared value")?;
        let array = names.arrays.contains(base);
        let Some(index) = index else {
            return match array {
                true => Err((
                    self.here("value"),
                    format!("`{base}` is an Array: name a slot, `{base}[i]`"),
                )),
                false => Ok(()),
            };
        };
        if !array {
            return Err((
                self.here("value"),
                format!("`{base}` is a single Value, not an Array: it has no `[{index}]`"),
            ));
        }
        match index.parse::<Expr>() {
            Ok(e) => self.uses(e.locals(), "value"),
            Err(e) => Err((self.here("value"), format!("index `{index}`: {e}"))),
        }
    }

    fn uses(&self, names: Vec<String>, field: &str) -> Result<(), Failure> {
        for n in names {
            if !self.assigned.contains(n.as_str()) {
                return Err((
                    self.here(field),
                    format!(
                        "local `{n}` is never given a value (read or set it first; built-in: n, pid, ppid, index; arg in a pool task or a started child)"
                    ),
                ));
            }
        }
        Ok(())
    }

    fn step(&self, step: &Step) -> Result<(), Failure> {
        let lesson = self.lesson;
        if !lesson.listing.is_empty() && step.line as usize > lesson.listing.len() {
            return Err((
                self.here("line"),
                format!(
                    "line {} is past the end of the listing ({} lines)",
                    step.line,
                    lesson.listing.len()
                ),
            ));
        }
        let names = self.ctx.names;
        let (locks, rooms) = (&names.locks, &names.rooms);
        match &step.op {
            Op::Sleep { ms, max_ms } => self.sleep(*ms, *max_ms),
            Op::Read { value, .. } => self.value_ref(value),
            Op::Write { value, expr } => {
                self.value_ref(value)?;
                self.uses(expr.locals(), "expr")
            }
            Op::Set { expr, .. } => self.uses(expr.locals(), "expr"),
            Op::Return { expr } => self.uses(expr.locals(), "expr"),
            Op::JumpIf { cond, to } => {
                self.uses(cond.locals(), "cond")?;
                self.need(self.labels, to, "to", "label")
            }
            Op::Jump { to } => self.need(self.labels, to, "to", "label"),
            Op::Print { text, count } => self.print(text, count.as_deref()),
            Op::SockSend { text, .. } => self.sock_send(&step.op, text),
            Op::Acquire { lock } | Op::Release { lock } => {
                self.need(locks, lock, "lock", "lock or semaphore")
            }
            Op::Enter { room } | Op::Leave { room } => self.need(rooms, room, "room", "room"),
            Op::Count { outcome } => check_name(self.here("outcome"), outcome),
            // A process's exit status is one byte: 300 would read as 44, -9 as 247.
            Op::Exit { code } if !(0..=255).contains(code) => Err((
                self.here("code"),
                format!("exit code {code} is out of range: it must be between 0 and 255"),
            )),
            Op::Exit { .. } | Op::Clock { .. } => Ok(()),
            Op::SleepFor { expr } => self.uses(expr.locals(), "expr"),
            op => self.process_or_ipc(op),
        }
    }

    fn sleep(&self, ms: u64, max_ms: Option<u64>) -> Result<(), Failure> {
        if ms > MAX_SLEEP_MS {
            return Err((self.here("ms"), format!("at most {MAX_SLEEP_MS} ms")));
        }
        if let Some(max) = max_ms
            && (max < ms || max > MAX_SLEEP_MS)
        {
            return Err((
                self.here("max_ms"),
                format!("max_ms must be between ms ({ms}) and {MAX_SLEEP_MS}"),
            ));
        }
        Ok(())
    }

    fn print(&self, text: &Text, count: Option<&str>) -> Result<(), Failure> {
        if let Some(c) = count {
            check_name(self.here("count"), c)?;
        }
        for (lang, t) in [("en", Some(&text.en)), ("zh", text.zh.as_ref())] {
            let Some(t) = t else { continue };
            let p = at(&self.at, &[key("text"), key(lang)]);
            if t.len() > MAX_TEXT_BYTES {
                return Err((p, too_long(t)));
            }
            let names = placeholders(t).map_err(|m| (p.clone(), m))?;
            for n in names {
                if !self.assigned.contains(n) {
                    return Err((
                        p,
                        format!(
                            "placeholder `{{{n}}}` names no local (read or set it first; built-in: n, pid, ppid, index; arg in a pool task or a started child)"
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    fn sock_send(&self, op: &Op, text: &str) -> Result<(), Failure> {
        let names = placeholders(text).map_err(|m| (self.here("text"), m))?;
        if let Some(n) = names.into_iter().find(|n| !self.assigned.contains(n)) {
            return Err((
                self.here("text"),
                format!(
                    "placeholder `{{{n}}}` names no local (read, set or receive it first; built-in: n, pid, ppid, index)"
                ),
            ));
        }
        super::super::ipc::check_op(self.lesson, op, &|l| self.labels.contains(l), &|_| Ok(()))
            .map_err(|(field, m)| (self.here(field), m))
    }

    /// `start`, `join`, `terminate`, `is_alive`, `exitcode`, then every IPC operation.
    fn process_or_ipc(&self, op: &Op) -> Result<(), Failure> {
        match op {
            Op::Start { role, arg, .. } => {
                super::super::started_by::check_start(self.lesson, self.ctx.role, role)
                    .map_err(|m| (self.here("role"), m))?;
                if let Some(arg) = arg {
                    self.uses(arg.locals(), "arg")?;
                }
                Ok(())
            }
            Op::Join { proc, timeout_ms } => {
                self.uses(proc.locals(), "proc")?;
                if timeout_ms.is_some_and(|t| t > MAX_SLEEP_MS) {
                    return Err((
                        self.here("timeout_ms"),
                        format!("at most {MAX_SLEEP_MS} ms"),
                    ));
                }
                Ok(())
            }
            Op::Terminate { proc } | Op::IsAlive { proc, .. } | Op::Exitcode { proc, .. } => {
                self.uses(proc.locals(), "proc")
            }
            op => {
                let uses_expr =
                    |e: &crate::expr::Expr| self.uses(e.locals(), "expr").map_err(|f| f.1);
                super::super::ipc::check_op(
                    self.lesson,
                    op,
                    &|l| self.labels.contains(l),
                    &uses_expr,
                )
                .map_err(|(field, m)| (self.here(field), m))
            }
        }
    }
}

fn too_long(text: &str) -> String {
    format!(
        "a text may have at most {MAX_TEXT_BYTES} bytes; this one has {}",
        text.len()
    )
}
