//! The pool lesson: the same tasks run on a pool of reused worker processes
//! (`apply`, `apply_async` + `get` with a callback, `map`) and on one new
//! process per task, every phase timed for real; `close`/`join` end the pool.

mod dispatch;

/// A phase's name as the bar chart and the text show it, e.g. `Pool(4).map`.
pub fn phase_label(
    r: &PoolRun,
    phase: crate::lesson::PoolPhase,
    lang: crate::lesson::Lang,
) -> String {
    crate::words::report::pool::phase_label(r.workers, r.tasks, phase, lang)
}
mod handout;
mod record;

use std::path::Path;

use crate::drive::Options;
use crate::lesson::{Lesson, PoolDecl, PoolPhase};
use crate::platform;
use crate::wire::{Ending, Event};

/// One task's result and the pid of the process that ran it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TaskRun {
    pub task: u32,
    pub result: i64,
    pub pid: u32,
}

/// One run of `apply_async`'s callback: in the parent, with a task's result.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CallbackRun {
    pub task: u32,
    pub result: i64,
    /// The process that ran the callback (the parent, as in Python).
    pub pid: u32,
    pub at_ms: f64,
}

/// When a process ran one task, in ms from the start of the lesson.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Busy {
    pub task: u32,
    pub from_ms: f64,
    pub to_ms: f64,
}

/// One OS process of the lesson, and what it did when.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PoolProcess {
    pub id: usize,
    pub pid: u32,
    /// Its parent's pid as the process itself saw it.
    pub ppid: u32,
    pub ending: Option<Ending>,
    /// Milliseconds from the start of the lesson: spawned, ready for work, exited.
    pub started_ms: f64,
    pub ready_ms: Option<f64>,
    pub ended_ms: f64,
    pub busy: Vec<Busy>,
}

/// One measured phase.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PhaseRun {
    pub name: PoolPhase,
    pub ms: f64,
    /// When it began and ended, in ms from the start of the lesson.
    pub from_ms: f64,
    pub to_ms: f64,
    /// Results in task order (as `map` and `get` return them).
    pub tasks: Vec<TaskRun>,
    /// The distinct pids that ran its tasks, ascending.
    pub workers: Vec<u32>,
}

/// A stretch of the pool's life that is not a phase: its start or its close/join.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct Segment {
    pub ms: f64,
    pub from_ms: f64,
    pub to_ms: f64,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct PoolRun {
    pub workers: u32,
    pub tasks: u32,
    /// The lockstep process: the pool's parent, where callbacks run.
    pub parent_pid: u32,
    /// The pool's worker processes (empty without a pool phase).
    pub pool: Vec<PoolProcess>,
    /// Starting the pool until every worker is ready.
    pub start: Segment,
    /// `close()` then `join()`: every worker told to exit, then reaped.
    pub close_join: Segment,
    /// In the order they ran.
    pub phases: Vec<PhaseRun>,
    /// The processes of the `processes` phase, one per task.
    pub separate: Vec<PoolProcess>,
    /// `apply_async`'s callbacks, in the order they ran.
    pub callbacks: Vec<CallbackRun>,
    /// The whole lesson, in ms.
    pub total_ms: f64,
}

impl PoolRun {
    pub fn phase(&self, name: PoolPhase) -> Option<&PhaseRun> {
        self.phases.iter().find(|p| p.name == name)
    }

    /// The pool phase set against one process per task: `map`, else
    /// `apply_async`, else `apply`.
    pub fn headline(&self) -> Option<&PhaseRun> {
        [PoolPhase::Map, PoolPhase::ApplyAsync, PoolPhase::Apply]
            .into_iter()
            .find_map(|p| self.phase(p))
    }

    /// What the headline costs from a pool's start to its join, in ms: the
    /// pool's start, the phase, then close and join.
    pub fn pool_ms(&self) -> Option<f64> {
        self.headline()
            .map(|p| self.start.ms + p.ms + self.close_join.ms)
    }

    pub fn processes_ms(&self) -> Option<f64> {
        self.phase(PoolPhase::Processes).map(|p| p.ms)
    }

    /// The lesson's key quantity from this run: the speedup, or a phase's
    /// time in lesson milliseconds (real ms × `speed`, rounded; 0 if it did
    /// not run). Other measures are not the pool's: 0.
    pub fn actual(&self, measure: &crate::lesson::Measure, speed: f64) -> i64 {
        use crate::lesson::Measure;
        match measure {
            Measure::Speedup => self.speedup(),
            Measure::PhaseMs(p) => self.phase(*p).map_or(0, |r| (r.ms * speed).round() as i64),
            _ => 0,
        }
    }

    /// How many times faster the pool was (integer, rounded down; 0 if either is missing).
    pub fn speedup(&self) -> i64 {
        match (self.pool_ms(), self.processes_ms()) {
            (Some(pool), Some(procs)) if pool > 0.0 => (procs / pool).floor() as i64,
            _ => 0,
        }
    }
}

/// Run every phase of the lesson in order; `watch` sees each event with its phase's name.
pub fn run_phases(
    lesson: &Lesson,
    pool: &PoolDecl,
    opts: &Options,
    exe: &Path,
    watch: &mut dyn FnMut(&str, &Event),
) -> anyhow::Result<PoolRun> {
    let t0 = platform::now_ns();
    let ms = move || (platform::now_ns().saturating_sub(t0)) as f64 / 1e6;
    let last_pool_phase = pool.phases.iter().rposition(|p| p.on_pool());
    let mut out = PoolRun {
        workers: pool.workers,
        tasks: pool.tasks,
        parent_pid: std::process::id(),
        pool: Vec::new(),
        start: Segment::default(),
        close_join: Segment::default(),
        phases: Vec::new(),
        separate: Vec::new(),
        callbacks: Vec::new(),
        total_ms: 0.0,
    };
    let mut open: Option<dispatch::Pool> = None;
    for (i, &phase) in pool.phases.iter().enumerate() {
        if phase == PoolPhase::Processes {
            let (run, procs) = dispatch::processes(lesson, pool, opts, exe, t0, watch)?;
            out.phases.push(run);
            out.separate = procs;
            continue;
        }
        let p = match &mut open {
            Some(p) => p,
            None => {
                let from = ms();
                let p = dispatch::Pool::start(lesson, pool, opts, exe, t0, watch)?;
                out.start = segment(from, ms());
                open.insert(p)
            }
        };
        let callbacks = &mut out.callbacks;
        let mut callback = |t: &TaskRun| {
            // Runs here, in the parent, as Python runs a callback in the
            // main process's result thread.
            callbacks.push(CallbackRun {
                task: t.task,
                result: t.result,
                pid: std::process::id(),
                at_ms: ms(),
            });
        };
        out.phases.push(p.phase(phase, &mut callback, watch)?);
        if Some(i) == last_pool_phase
            && let Some(p) = open.take()
        {
            let from = ms();
            out.pool = p.close_join(watch)?;
            out.close_join = segment(from, ms());
        }
    }
    out.total_ms = ms();
    Ok(out)
}

fn segment(from_ms: f64, to_ms: f64) -> Segment {
    Segment {
        ms: to_ms - from_ms,
        from_ms,
        to_ms,
    }
}

/// Results in task order, or which task has none.
fn in_order(results: Vec<Option<TaskRun>>, phase: PoolPhase) -> anyhow::Result<Vec<TaskRun>> {
    results
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            r.ok_or_else(|| {
                anyhow::anyhow!(
                    "failed to run task {i} in the {} phase: no result",
                    phase.name()
                )
            })
        })
        .collect()
}

fn distinct_pids(tasks: &[TaskRun]) -> Vec<u32> {
    let mut pids: Vec<u32> = tasks.iter().map(|t| t.pid).collect();
    pids.sort_unstable();
    pids.dedup();
    pids
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phase(name: PoolPhase, ms: f64) -> PhaseRun {
        PhaseRun {
            name,
            ms,
            from_ms: 0.0,
            to_ms: ms,
            tasks: Vec::new(),
            workers: Vec::new(),
        }
    }

    fn pool_run(phases: Vec<PhaseRun>) -> PoolRun {
        PoolRun {
            workers: 4,
            tasks: 100,
            parent_pid: 1,
            pool: Vec::new(),
            start: segment(0.0, 1.0),
            close_join: segment(9.0, 10.0),
            phases,
            separate: Vec::new(),
            callbacks: Vec::new(),
            total_ms: 10.0,
        }
    }

    #[test]
    fn pool_time_is_start_plus_headline_plus_close_join() {
        let r = pool_run(vec![
            phase(PoolPhase::Apply, 30.0),
            phase(PoolPhase::Map, 3.0),
            phase(PoolPhase::Processes, 50.0),
        ]);
        assert_eq!(r.headline().map(|p| p.name), Some(PoolPhase::Map));
        assert_eq!(r.pool_ms(), Some(5.0));
        assert_eq!(r.speedup(), 10);
        let r = pool_run(vec![phase(PoolPhase::Apply, 8.0)]);
        assert_eq!(r.pool_ms(), Some(10.0));
        assert_eq!(r.processes_ms(), None);
        assert_eq!(r.speedup(), 0);
    }
}
