//! Meaning checks on a parsed lesson: every name it uses is declared, every
//! jump lands, every number is in range. Each error carries the field path.

use std::collections::BTreeSet;

use super::locate::Seg;
use super::{Lesson, MAX_PROCESSES, Measure, Op, placeholders};

type Failure = (Vec<Seg>, String);

/// Names become file and semaphore names, so they are kept to a safe alphabet.
pub fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && name.len() <= 32
}

/// Locals every process has without assigning them.
pub const BUILTIN_LOCALS: [&str; 4] = ["n", "pid", "index", "arg"];

const MAX_SLEEP_MS: u64 = 600_000;
const MAX_PERMITS: u32 = 10_000;
const MAX_STEPS: usize = 10_000;

fn key(k: &str) -> Seg {
    Seg::Key(k.to_string())
}

fn at(path: &[Seg], more: &[Seg]) -> Vec<Seg> {
    let mut p = path.to_vec();
    p.extend_from_slice(more);
    p
}

fn list(names: &BTreeSet<&str>) -> String {
    if names.is_empty() {
        "none declared".to_string()
    } else {
        let v: Vec<&str> = names.iter().copied().collect();
        format!("declared: {}", v.join(", "))
    }
}

fn check_name(path: Vec<Seg>, name: &str) -> Result<(), Failure> {
    if valid_name(name) {
        Ok(())
    } else {
        Err((
            path,
            format!(
                "`{name}` is not a valid name: use 1–32 lowercase letters, digits or `_`, starting with a letter or `_`"
            ),
        ))
    }
}

/// Declared names of one kind, refusing duplicates and bad names.
fn declared<'a>(
    items: impl Iterator<Item = (Vec<Seg>, &'a str)>,
    what: &str,
) -> Result<BTreeSet<&'a str>, Failure> {
    let mut set = BTreeSet::new();
    for (path, name) in items {
        check_name(path.clone(), name)?;
        if !set.insert(name) {
            return Err((path, format!("{what} `{name}` is declared twice")));
        }
    }
    Ok(set)
}

pub fn check(lesson: &Lesson) -> Result<(), Failure> {
    check_name(vec![key("id")], &lesson.id)?;
    if !(lesson.speed.is_finite() && lesson.speed > 0.0) {
        return Err((vec![key("speed")], "speed must be a number above 0".into()));
    }
    let values = declared(
        lesson
            .values
            .iter()
            .enumerate()
            .map(|(i, v)| (vec![key("values"), Seg::Index(i), key("name")], &*v.name)),
        "shared value",
    )?;
    let lock_items = lesson
        .locks
        .iter()
        .enumerate()
        .map(|(i, l)| (vec![key("locks"), Seg::Index(i), key("name")], &*l.name));
    let sem_items = lesson.semaphores.iter().enumerate().map(|(i, s)| {
        (
            vec![key("semaphores"), Seg::Index(i), key("name")],
            &*s.name,
        )
    });
    let locks = declared(lock_items.chain(sem_items), "lock or semaphore")?;
    for (i, s) in lesson.semaphores.iter().enumerate() {
        if s.permits == 0 || s.permits > MAX_PERMITS {
            return Err((
                vec![key("semaphores"), Seg::Index(i), key("permits")],
                format!("permits must be between 1 and {MAX_PERMITS}"),
            ));
        }
    }
    super::ipc::check_decls(lesson)?;
    let rooms = declared(
        lesson
            .rooms
            .iter()
            .enumerate()
            .map(|(i, r)| (vec![key("rooms"), Seg::Index(i), key("name")], &*r.name)),
        "room",
    )?;
    let roles: BTreeSet<&str> = lesson.programs.keys().map(String::as_str).collect();
    for role in &roles {
        check_name(vec![key("programs"), key(role)], role)?;
    }

    let mut total = 0usize;
    let mut seen_roles: Vec<(&str, usize)> = Vec::new();
    for (i, p) in lesson.processes.iter().enumerate() {
        let path = vec![key("processes"), Seg::Index(i)];
        if !roles.contains(p.role.as_str()) {
            return Err((
                at(&path, &[key("role")]),
                format!("no program for role `{}` ({})", p.role, list(&roles)),
            ));
        }
        if seen_roles.iter().any(|(r, _)| *r == p.role) {
            return Err((
                at(&path, &[key("role")]),
                format!("role `{}` is declared twice in processes", p.role),
            ));
        }
        if p.count == 0 {
            return Err((
                at(&path, &[key("count")]),
                "count must be at least 1".into(),
            ));
        }
        let parents = match &p.started_by {
            None => 1,
            Some(by) => match seen_roles.iter().find(|(r, _)| r == by) {
                Some((_, n)) => *n,
                None => {
                    return Err((
                        at(&path, &[key("started_by")]),
                        format!(
                            "`{by}` is not a role declared before `{}` in processes",
                            p.role
                        ),
                    ));
                }
            },
        };
        let here = (p.count as usize).saturating_mul(parents);
        seen_roles.push((&p.role, here));
        total = total.saturating_add(here);
        if total > MAX_PROCESSES {
            return Err((
                at(&path, &[key("count")]),
                format!("too many processes: at most {MAX_PROCESSES} in one lesson"),
            ));
        }
    }
    let globals = declared(
        lesson
            .globals
            .iter()
            .enumerate()
            .map(|(i, g)| (vec![key("globals"), Seg::Index(i), key("name")], &*g.name)),
        "global",
    )?;
    for (i, g) in lesson.globals.iter().enumerate() {
        if BUILTIN_LOCALS.contains(&g.name.as_str()) {
            return Err((
                vec![key("globals"), Seg::Index(i), key("name")],
                format!("`{}` is a built-in local: pick another name", g.name),
            ));
        }
    }
    if total == 0 && lesson.pool.is_none() {
        return Err((
            vec![key("processes")],
            "a lesson needs at least one process".into(),
        ));
    }

    let mut outcomes = BTreeSet::new();
    for (role, steps) in &lesson.programs {
        let path = vec![key("programs"), key(role)];
        let pool_task = lesson.pool.as_ref().is_some_and(|p| p.program == *role);
        let ctx = Ctx {
            values: &values,
            locks: &locks,
            rooms: &rooms,
            globals: &globals,
            role,
            // `arg` comes from the pool, or from the `start` that starts this role.
            has_arg: pool_task || super::tree_roles::is_started(lesson, role),
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

    if let Some(pool) = &lesson.pool {
        let path = vec![key("pool")];
        if !roles.contains(pool.program.as_str()) {
            return Err((
                at(&path, &[key("program")]),
                format!("no program named `{}` ({})", pool.program, list(&roles)),
            ));
        }
        if pool.workers == 0 || pool.workers > 64 {
            return Err((
                at(&path, &[key("workers")]),
                "workers must be between 1 and 64".into(),
            ));
        }
        if pool.tasks == 0 || pool.tasks as usize > MAX_PROCESSES * 4 {
            return Err((
                at(&path, &[key("tasks")]),
                format!("tasks must be between 1 and {}", MAX_PROCESSES * 4),
            ));
        }
        check_pool_phases(&pool.phases, &lesson.check.measure)?;
    }

    let measure_path = vec![key("check"), key("measure")];
    match &lesson.check.measure {
        Measure::Outcome(name) if !outcomes.contains(name.as_str()) => Err((
            measure_path,
            format!("no `count` operation counts outcome `{name}`"),
        )),
        Measure::OutcomeAfter(m) if m.outcome == m.after => Err((
            measure_path,
            format!(
                "`outcome` and `after` are both `{}`: name two outcomes",
                m.outcome
            ),
        )),
        Measure::OutcomeAfter(m) => match [&m.outcome, &m.after]
            .into_iter()
            .find(|n| !outcomes.contains(n.as_str()))
        {
            Some(name) => Err((
                measure_path,
                format!("no `count` operation counts outcome `{name}`"),
            )),
            None => Ok(()),
        },
        Measure::FinalValue(name) if !values.contains(name.as_str()) => Err((
            measure_path,
            format!("no shared value named `{name}` ({})", list(&values)),
        )),
        Measure::MaxInside(name) if !rooms.contains(name.as_str()) => Err((
            measure_path,
            format!("no room named `{name}` ({})", list(&rooms)),
        )),
        Measure::Speedup if lesson.pool.is_none() => {
            Err((measure_path, "`speedup` needs a `pool` section".into()))
        }
        Measure::DoneAtJoin(q) => {
            super::ipc::check_measure(lesson, q).map_err(|m| (measure_path, m))
        }
        Measure::UpperReplies(s) => {
            super::sockets::check_measure(lesson, s).map_err(|m| (measure_path, m))
        }
        Measure::FinalLocal(r) if !lesson.processes.iter().any(|p| p.role == r.role) => Err((
            measure_path,
            format!("no process of role `{}` in processes", r.role),
        )),
        Measure::FinalLocal(r)
            if !globals.contains(r.name.as_str())
                && !super::tree_roles::assigns(lesson.program(&r.role), &r.name) =>
        {
            Err((
                measure_path,
                format!(
                    "program `{}` never gives local `{}` a value",
                    r.role, r.name
                ),
            ))
        }
        _ => Ok(()),
    }?;
    if let Some(k) = lesson.check.expect_per_process
        && (lesson.pool.is_some() || k.unsigned_abs() > 1_000_000)
    {
        let why = if lesson.pool.is_some() {
            "a pool lesson has no processes to add or remove".to_string()
        } else {
            "must be between -1000000 and 1000000".to_string()
        };
        return Err((vec![key("check"), key("expect_per_process")], why));
    }
    let texts = [
        ("ok", Some(&lesson.check.ok)),
        ("broken", Some(&lesson.check.broken)),
        ("so_far", lesson.check.so_far.as_ref()),
    ];
    for (field, text) in texts {
        let Some(text) = text else { continue };
        for (lang, t) in [("en", Some(&text.en)), ("zh", text.zh.as_ref())] {
            let Some(t) = t else { continue };
            let path = vec![key("check"), key(field), key(lang)];
            for name in placeholders(t).map_err(|m| (path.clone(), m))? {
                if !crate::words::run::PLACEHOLDERS.contains(&name) {
                    return Err((
                        path,
                        format!(
                            "unknown placeholder `{{{name}}}`: use {{actual}}, {{expected}}, {{diff}} or {{s}}"
                        ),
                    ));
                }
            }
        }
    }
    check_goals(lesson)
}

const MAX_HINTS: usize = 10;

fn check_goals(lesson: &Lesson) -> Result<(), Failure> {
    declared(
        lesson
            .goals
            .iter()
            .enumerate()
            .map(|(i, g)| (vec![key("goals"), Seg::Index(i), key("id")], &*g.id)),
        "goal",
    )?;
    for (i, g) in lesson.goals.iter().enumerate() {
        let path = vec![key("goals"), Seg::Index(i)];
        if g.win.is_empty() {
            return Err((
                at(&path, &[key("win")]),
                "a goal needs at least one condition: `quantity`, `lost_updates`, `waiting` or `deadlock`"
                    .into(),
            ));
        }
        if let Some(role) = &g.win.waiting_role {
            let path = at(&path, &[key("win"), key("waiting_role")]);
            if g.win.waiting.is_none() {
                return Err((path, "`waiting_role` needs `waiting`".into()));
            }
            if !lesson.processes.iter().any(|p| p.role == *role) {
                return Err((path, format!("no role `{role}` in `processes`")));
            }
        }
        if g.hints.len() > MAX_HINTS {
            return Err((
                at(&path, &[key("hints")]),
                format!("at most {MAX_HINTS} hints"),
            ));
        }
    }
    Ok(())
}

/// What a program may name, besides its own labels and locals.
struct Ctx<'a> {
    values: &'a BTreeSet<&'a str>,
    locks: &'a BTreeSet<&'a str>,
    rooms: &'a BTreeSet<&'a str>,
    globals: &'a BTreeSet<&'a str>,
    role: &'a str,
    has_arg: bool,
}

fn check_program(
    lesson: &Lesson,
    path: &[Seg],
    steps: &[super::Step],
    ctx: &Ctx,
) -> Result<(), Failure> {
    let (values, locks, rooms) = (ctx.values, ctx.locks, ctx.rooms);
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
    let mut labels = BTreeSet::new();
    // `arg` exists only in a pool task or a started child, which get it given.
    let mut assigned: BTreeSet<&str> = BUILTIN_LOCALS
        .into_iter()
        .filter(|b| ctx.has_arg || *b != "arg")
        .collect();
    assigned.extend(ctx.globals.iter().copied());
    let builtin = |p: Vec<Seg>, name: &str| -> Result<(), Failure> {
        if BUILTIN_LOCALS.contains(&name) {
            Err((
                p,
                format!(
                    "`{name}` is a built-in local (n, pid, index, arg) and cannot be assigned: pick another name"
                ),
            ))
        } else {
            Ok(())
        }
    };
    for (i, step) in steps.iter().enumerate() {
        if let Some(label) = &step.label {
            let p = at(path, &[Seg::Index(i), key("label")]);
            check_name(p.clone(), label)?;
            if !labels.insert(label.as_str()) {
                return Err((p, format!("label `{label}` is used twice in this program")));
            }
        }
        match &step.op {
            Op::Read { into, .. } => {
                check_name(at(path, &[Seg::Index(i), key("into")]), into)?;
                builtin(at(path, &[Seg::Index(i), key("into")]), into)?;
                assigned.insert(into);
            }
            Op::Set { local, .. } => {
                check_name(at(path, &[Seg::Index(i), key("local")]), local)?;
                builtin(at(path, &[Seg::Index(i), key("local")]), local)?;
                assigned.insert(local);
            }
            Op::Start { handle, .. } => {
                check_name(at(path, &[Seg::Index(i), key("as")]), handle)?;
                builtin(at(path, &[Seg::Index(i), key("as")]), handle)?;
                assigned.insert(handle);
            }
            Op::IsAlive { into, .. } | Op::Exitcode { into, .. } | Op::Clock { into } => {
                check_name(at(path, &[Seg::Index(i), key("into")]), into)?;
                builtin(at(path, &[Seg::Index(i), key("into")]), into)?;
                assigned.insert(into);
            }
            op => {
                if let Some((field, into)) = super::ipc::assigned_local(op) {
                    check_name(at(path, &[Seg::Index(i), key(field)]), into)?;
                    builtin(at(path, &[Seg::Index(i), key(field)]), into)?;
                    assigned.insert(into);
                }
            }
        }
    }
    for (i, step) in steps.iter().enumerate() {
        let here = |field: &str| at(path, &[Seg::Index(i), key(field)]);
        let need = |set: &BTreeSet<&str>, name: &str, field: &str, what: &str| {
            if set.contains(name) {
                Ok(())
            } else {
                Err((
                    here(field),
                    format!("no {what} named `{name}` ({})", list(set)),
                ))
            }
        };
        let uses = |names: Vec<String>, field: &str| -> Result<(), Failure> {
            for n in names {
                if !assigned.contains(n.as_str()) {
                    return Err((
                        here(field),
                        format!(
                            "local `{n}` is never given a value (read or set it first; built-in: n, pid, index; arg in a pool task)"
                        ),
                    ));
                }
            }
            Ok(())
        };
        if !lesson.listing.is_empty() && step.line as usize > lesson.listing.len() {
            return Err((
                here("line"),
                format!(
                    "line {} is past the end of the listing ({} lines)",
                    step.line,
                    lesson.listing.len()
                ),
            ));
        }
        match &step.op {
            Op::Sleep { ms, max_ms } => {
                if *ms > MAX_SLEEP_MS {
                    return Err((here("ms"), format!("at most {MAX_SLEEP_MS} ms")));
                }
                if let Some(max) = max_ms
                    && (*max < *ms || *max > MAX_SLEEP_MS)
                {
                    return Err((
                        here("max_ms"),
                        format!("max_ms must be between ms ({ms}) and {MAX_SLEEP_MS}"),
                    ));
                }
            }
            Op::Read { value, .. } => need(values, value, "value", "shared value")?,
            Op::Write { value, expr } => {
                need(values, value, "value", "shared value")?;
                uses(expr.locals(), "expr")?;
            }
            Op::Set { expr, .. } => uses(expr.locals(), "expr")?,
            Op::Return { expr } => uses(expr.locals(), "expr")?,
            Op::JumpIf { cond, to } => {
                uses(cond.locals(), "cond")?;
                need(&labels, to, "to", "label")?;
            }
            Op::Jump { to } => need(&labels, to, "to", "label")?,
            Op::Print { text, count } => {
                if let Some(c) = count {
                    check_name(here("count"), c)?;
                }
                for (lang, t) in [("en", Some(&text.en)), ("zh", text.zh.as_ref())] {
                    let Some(t) = t else { continue };
                    let p = at(path, &[Seg::Index(i), key("text"), key(lang)]);
                    let names = placeholders(t).map_err(|m| (p.clone(), m))?;
                    for n in names {
                        if !assigned.contains(n) {
                            return Err((
                                p,
                                format!(
                                    "placeholder `{{{n}}}` names no local (read or set it first; built-in: n, pid, index; arg in a pool task)"
                                ),
                            ));
                        }
                    }
                }
            }
            Op::SockSend { text, .. } => {
                let names = placeholders(text).map_err(|m| (here("text"), m))?;
                if let Some(n) = names.into_iter().find(|n| !assigned.contains(n)) {
                    return Err((
                        here("text"),
                        format!(
                            "placeholder `{{{n}}}` names no local (read, set or receive it first; built-in: n, pid, index)"
                        ),
                    ));
                }
                super::ipc::check_op(lesson, &step.op, &|l| labels.contains(l), &|_| Ok(()))
                    .map_err(|(field, m)| (here(field), m))?
            }
            Op::Acquire { lock } | Op::Release { lock } => {
                need(locks, lock, "lock", "lock or semaphore")?
            }
            Op::Enter { room } | Op::Leave { room } => need(rooms, room, "room", "room")?,
            Op::Count { outcome } => check_name(here("outcome"), outcome)?,
            Op::Exit { .. } | Op::Clock { .. } => {}
            Op::SleepFor { expr } => uses(expr.locals(), "expr")?,
            Op::Start { role, arg, .. } => {
                super::tree_roles::check_start(lesson, ctx.role, role)
                    .map_err(|m| (here("role"), m))?;
                if let Some(arg) = arg {
                    uses(arg.locals(), "arg")?;
                }
            }
            Op::Join { proc, timeout_ms } => {
                uses(proc.locals(), "proc")?;
                if timeout_ms.is_some_and(|t| t > MAX_SLEEP_MS) {
                    return Err((here("timeout_ms"), format!("at most {MAX_SLEEP_MS} ms")));
                }
            }
            Op::Terminate { proc } | Op::IsAlive { proc, .. } | Op::Exitcode { proc, .. } => {
                uses(proc.locals(), "proc")?
            }
            op => {
                let uses_expr = |e: &crate::expr::Expr| uses(e.locals(), "expr").map_err(|f| f.1);
                super::ipc::check_op(lesson, op, &|l| labels.contains(l), &uses_expr)
                    .map_err(|(field, m)| (here(field), m))?
            }
        }
    }
    Ok(())
}

/// Each phase at most once, at least one; `speedup` needs a pool phase and `processes`.
fn check_pool_phases(phases: &[super::PoolPhase], measure: &Measure) -> Result<(), Failure> {
    let path = vec![key("pool"), key("phases")];
    if phases.is_empty() {
        return Err((
            path,
            "name at least one phase: apply, apply_async, map, processes".into(),
        ));
    }
    for (i, p) in phases.iter().enumerate() {
        if phases[..i].contains(p) {
            return Err((
                at(&path, &[Seg::Index(i)]),
                format!("phase `{}` is listed twice", p.name()),
            ));
        }
    }
    let pool = phases.iter().any(|p| p.on_pool());
    let processes = phases.contains(&super::PoolPhase::Processes);
    if *measure == Measure::Speedup && !(pool && processes) {
        return Err((
            path,
            "`speedup` compares the pool with one process per task: list `processes` and one of apply, apply_async, map".into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::valid_name;

    fn lesson_with(ops: &str) -> Result<crate::lesson::Lesson, crate::lesson::LessonError> {
        let text = format!(
            r#"{{"id": "x", "title": {{"en": "t"}}, "summary": {{"en": "s"}}, "story": {{"en": "s"}},
            "values": [{{"name": "v", "initial": 0}}],
            "processes": [{{"role": "w"}}],
            "programs": {{"w": [{ops}]}},
            "check": {{"measure": {{"final_value": "v"}}, "expect": 0, "rule": "equal",
                      "quantity": {{"en": "q"}}, "ok": {{"en": "ok"}}, "broken": {{"en": "b"}}}}}}"#
        );
        crate::lesson::Lesson::parse(&text, "x.json")
    }

    #[test]
    fn built_in_locals_cannot_be_assigned_and_arg_is_only_for_pool_tasks() {
        let e = lesson_with(r#"{"op": "set", "local": "n", "expr": "1"}"#).unwrap_err();
        assert!(e.to_string().contains("programs.w[0].local"), "{e}");
        assert!(e.to_string().contains("built-in"), "{e}");
        let e = lesson_with(r#"{"op": "read", "value": "v", "into": "pid"}"#).unwrap_err();
        assert!(e.to_string().contains("programs.w[0].into"), "{e}");
        let e = lesson_with(r#"{"op": "write", "value": "v", "expr": "arg + 1"}"#).unwrap_err();
        assert!(
            e.to_string().contains("`arg` is never given a value"),
            "{e}"
        );
        assert!(lesson_with(r#"{"op": "write", "value": "v", "expr": "n + index"}"#).is_ok());
    }

    #[test]
    fn names_stay_in_a_safe_alphabet() {
        assert!(valid_name("count"));
        assert!(valid_name("_x1"));
        assert!(!valid_name("../etc"));
        assert!(!valid_name("Count"));
        assert!(!valid_name(""));
        assert!(!valid_name("1abc"));
        assert!(!valid_name(&"a".repeat(33)));
    }
}
