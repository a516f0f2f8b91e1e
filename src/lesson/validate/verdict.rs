//! Checks on what judges a run: the check's measure names something the
//! lesson has, its sentences use known placeholders, and the goals are sound.

use std::collections::BTreeSet;

use super::super::locate::Seg;
use super::super::{Lesson, Measure, placeholders};
use super::declarations::Names;
use super::{Failure, at, declared, key, list};

/// The measure names an outcome some step counts, a declared value, room,
/// queue, server or local.
pub(super) fn check_measure(
    lesson: &Lesson,
    names: &Names,
    outcomes: &BTreeSet<&str>,
) -> Result<(), Failure> {
    let (values, rooms, globals) = (&names.values, &names.rooms, &names.globals);
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
        Measure::FinalValue(name) if names.arrays.contains(name.as_str()) => Err((
            measure_path,
            format!("`{name}` is an Array: `final_value` measures a single Value"),
        )),
        Measure::FinalValue(name) if !values.contains(name.as_str()) => Err((
            measure_path,
            format!("no shared value named `{name}` ({})", list(values)),
        )),
        Measure::MaxInside(name) if !rooms.contains(name.as_str()) => Err((
            measure_path,
            format!("no room named `{name}` ({})", list(rooms)),
        )),
        Measure::Speedup if lesson.pool.is_none() => {
            Err((measure_path, "`speedup` needs a `pool` section".into()))
        }
        Measure::PhaseMs(_) if lesson.pool.is_none() => {
            Err((measure_path, "`phase_ms` needs a `pool` section".into()))
        }
        Measure::DoneAtJoin(q) => {
            super::super::ipc::check_measure(lesson, q).map_err(|m| (measure_path, m))
        }
        Measure::UpperReplies(s) => {
            super::super::sockets::check_measure(lesson, s).map_err(|m| (measure_path, m))
        }
        Measure::FinalLocal(r) if !lesson.processes.iter().any(|p| p.role == r.role) => Err((
            measure_path,
            format!("no process of role `{}` in processes", r.role),
        )),
        Measure::FinalLocal(r)
            if !globals.contains(r.name.as_str())
                && !super::super::started_by::assigns(lesson.program(&r.role), &r.name) =>
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
    }
}

/// `expect_per_process` only where `--procs` can change the count, and in range.
pub(super) fn check_expect_per_process(lesson: &Lesson) -> Result<(), Failure> {
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
    Ok(())
}

/// The check's sentences use only the placeholders the verdict fills in.
pub(super) fn check_sentences(lesson: &Lesson) -> Result<(), Failure> {
    let check = &lesson.check;
    let outcome = check.outcome.as_ref();
    let texts = [
        (vec!["ok"], Some(&check.ok)),
        (vec!["broken"], Some(&check.broken)),
        (vec!["so_far"], check.so_far.as_ref()),
        (
            vec!["outcome", "missed"],
            outcome.and_then(|o| o.missed.as_ref()),
        ),
        (vec!["outcome", "off"], outcome.and_then(|o| o.off.as_ref())),
    ];
    for (field, text) in texts {
        let Some(text) = text else { continue };
        for (lang, t) in [("en", Some(&text.en)), ("zh", text.zh.as_ref())] {
            let Some(t) = t else { continue };
            let mut path = vec![key("check")];
            path.extend(field.iter().map(|f| key(f)));
            path.push(key(lang));
            for name in placeholders(t).map_err(|m| (path.clone(), m))? {
                if !crate::lesson::PLACEHOLDERS.contains(&name) {
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
    Ok(())
}

/// `breaks_at_lost_update` names a shared value; an outcome's `never` names
/// a counted outcome, its `needs` name locks or semaphores, and come with
/// the `off` sentence.
pub(super) fn check_outcome(
    lesson: &Lesson,
    names: &Names,
    outcomes: &BTreeSet<&str>,
) -> Result<(), Failure> {
    let check = &lesson.check;
    if let Some(v) = &check.breaks_at_lost_update
        && (!names.values.contains(v.as_str()) || names.arrays.contains(v.as_str()))
    {
        return Err((
            vec![key("check"), key("breaks_at_lost_update")],
            match names.arrays.contains(v.as_str()) {
                true => format!("`{v}` is an Array: name a single Value"),
                false => format!("no shared value named `{v}` ({})", list(&names.values)),
            },
        ));
    }
    let Some(o) = &check.outcome else {
        return Ok(());
    };
    let path = |f: &str| vec![key("check"), key("outcome"), key(f)];
    if let Some(n) = &o.never
        && !outcomes.contains(n.as_str())
    {
        return Err((
            path("never"),
            format!("no `count` operation counts outcome `{n}`"),
        ));
    }
    for (i, n) in o.needs.iter().enumerate() {
        if !names.locks.contains(n.as_str()) {
            let mut at = path("needs");
            at.push(Seg::Index(i));
            return Err((
                at,
                format!("no lock or semaphore named `{n}` ({})", list(&names.locks)),
            ));
        }
    }
    match (o.needs.is_empty(), o.off.is_some()) {
        (false, false) => Err((
            path("needs"),
            "`needs` comes with `off`: what the verdict says when one of them is off".into(),
        )),
        (true, true) => Err((
            path("off"),
            "`off` needs `needs`: the locks without which there is nothing to see".into(),
        )),
        _ => Ok(()),
    }
}

const MAX_HINTS: usize = 10;

pub(super) fn check_goals(lesson: &Lesson) -> Result<(), Failure> {
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
