//! Checks on a pool lesson's `pool` section: its program, its numbers and
//! the phases it times.

use std::collections::BTreeSet;

use super::super::locate::Seg;
use super::super::{MAX_PROCESSES, Measure, PoolDecl, PoolPhase};
use super::{Failure, at, key, list};

/// The pool runs a declared program on 1–64 workers, with a sane number of
/// tasks, and times its phases as the measure needs.
pub(super) fn check_pool(
    pool: &PoolDecl,
    measure: &Measure,
    roles: &BTreeSet<&str>,
) -> Result<(), Failure> {
    let path = vec![key("pool")];
    if !roles.contains(pool.program.as_str()) {
        return Err((
            at(&path, &[key("program")]),
            format!("no program named `{}` ({})", pool.program, list(roles)),
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
    check_pool_phases(&pool.phases, measure)
}

/// Each phase at most once, at least one; `speedup` needs a pool phase and `processes`.
fn check_pool_phases(phases: &[PoolPhase], measure: &Measure) -> Result<(), Failure> {
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
    let processes = phases.contains(&PoolPhase::Processes);
    if let Measure::PhaseMs(p) = measure
        && !phases.contains(p)
    {
        return Err((
            path,
            format!("`phase_ms` times phase `{}`: list it", p.name()),
        ));
    }
    if *measure == Measure::Speedup && !(pool && processes) {
        return Err((
            path,
            "`speedup` compares the pool with one process per task: list `processes` and one of apply, apply_async, map".into(),
        ));
    }
    Ok(())
}
