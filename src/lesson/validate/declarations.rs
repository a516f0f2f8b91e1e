//! Checks on what a lesson declares: names of values, locks, semaphores,
//! rooms, programs and globals, and the processes that run the programs.

use std::collections::BTreeSet;

use super::super::locate::Seg;
use super::super::{Lesson, MAX_ARRAY_LEN, MAX_PROCESSES};
use super::{BUILTIN_LOCALS, Failure, MAX_PERMITS, at, check_name, declared, key, list};

/// The names a lesson declares, by kind: what its programs may use.
pub(super) struct Names<'a> {
    pub values: BTreeSet<&'a str>,
    /// The values declared with `len`: Python's `Array`.
    pub arrays: BTreeSet<&'a str>,
    pub locks: BTreeSet<&'a str>,
    pub rooms: BTreeSet<&'a str>,
    pub roles: BTreeSet<&'a str>,
    /// Filled by [`check_globals`], after the processes are checked.
    pub globals: BTreeSet<&'a str>,
}

/// Values, locks and semaphores, events, pipes, queues, servers, rooms and
/// program names, in that order.
pub(super) fn declared_names(lesson: &Lesson) -> Result<Names<'_>, Failure> {
    let values = declared(
        lesson
            .values
            .iter()
            .enumerate()
            .map(|(i, v)| (vec![key("values"), Seg::Index(i), key("name")], &*v.name)),
        "shared value",
    )?;
    let mut arrays = BTreeSet::new();
    for (i, v) in lesson.values.iter().enumerate() {
        let Some(len) = v.len else { continue };
        if len == 0 || len > MAX_ARRAY_LEN {
            return Err((
                vec![key("values"), Seg::Index(i), key("len")],
                format!("an array's len must be between 1 and {MAX_ARRAY_LEN}"),
            ));
        }
        arrays.insert(v.name.as_str());
    }
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
    super::super::ipc::check_decls(lesson)?;
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
    Ok(Names {
        values,
        arrays,
        locks,
        rooms,
        roles,
        globals: BTreeSet::new(),
    })
}

/// Every process has a program, counts add up to at most [`MAX_PROCESSES`],
/// and a role is started only by a role declared before it. Returns the total.
pub(super) fn check_processes(lesson: &Lesson, roles: &BTreeSet<&str>) -> Result<usize, Failure> {
    let mut total = 0usize;
    let mut seen_roles: Vec<(&str, usize)> = Vec::new();
    for (i, p) in lesson.processes.iter().enumerate() {
        let path = vec![key("processes"), Seg::Index(i)];
        if !roles.contains(p.role.as_str()) {
            return Err((
                at(&path, &[key("role")]),
                format!("no program for role `{}` ({})", p.role, list(roles)),
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
        check_names(&path, &p.names, here)?;
        seen_roles.push((&p.role, here));
        total = total.saturating_add(here);
        if total > MAX_PROCESSES {
            return Err((
                at(&path, &[key("count")]),
                format!("too many processes: at most {MAX_PROCESSES} in one lesson"),
            ));
        }
    }
    Ok(total)
}

/// The listing's names of a role's processes: at most one per process,
/// each 1–16 printable ASCII characters (a space inside: `guest 0`).
fn check_names(path: &[Seg], names: &[String], processes: usize) -> Result<(), Failure> {
    if names.len() > processes {
        return Err((
            at(path, &[key("names")]),
            format!(
                "{} names for {processes} process(es): at most one name each",
                names.len()
            ),
        ));
    }
    for (i, name) in names.iter().enumerate() {
        let printable = name.chars().all(|c| c.is_ascii_graphic() || c == ' ');
        if !printable || name.trim() != name || name.is_empty() || name.len() > 16 {
            return Err((
                at(path, &[key("names"), Seg::Index(i)]),
                format!(
                    "`{}` is not a process name: use 1–16 printable ASCII characters, no space at either end",
                    name.escape_debug()
                ),
            ));
        }
    }
    Ok(())
}

/// Globals have good, distinct names that are not built-in locals.
pub(super) fn check_globals(lesson: &Lesson) -> Result<BTreeSet<&str>, Failure> {
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
    Ok(globals)
}
