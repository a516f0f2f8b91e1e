//! The pool lesson: the same tasks on a pool of reused worker processes, then
//! on one new process per task; both phases timed for real.

use std::path::Path;
use std::time::{Duration, Instant};

use crossbeam_channel::RecvTimeoutError;

use crate::drive::{Options, plan};
use crate::lesson::{Lesson, PoolDecl};
use crate::supervisor::{Ending, Event, EventKind, Run};
use crate::wire::{Command, Report, Setup};

const PHASE_TIMEOUT: Duration = Duration::from_secs(60);

/// One task's result and the pid of the process that ran it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TaskRun {
    pub task: u32,
    pub result: i64,
    pub pid: u32,
}

/// One OS process of a phase.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PoolProcess {
    pub id: usize,
    pub pid: u32,
    pub ending: Option<Ending>,
    /// Milliseconds from the phase's start to its spawn and its exit.
    pub started_ms: f64,
    pub ended_ms: f64,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Phase {
    pub ms: f64,
    /// Results in task order (as `map` returns them).
    pub tasks: Vec<TaskRun>,
    pub processes: Vec<PoolProcess>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct PoolRun {
    pub pool: Phase,
    pub separate: Phase,
}

impl PoolRun {
    /// How many times faster the pool was (integer, rounded down).
    pub fn speedup(&self) -> i64 {
        if self.pool.ms <= 0.0 {
            return 0;
        }
        (self.separate.ms / self.pool.ms).floor() as i64
    }
}

fn setup(lesson: &Lesson, pool: &PoolDecl, number: usize, opts: &Options) -> Setup {
    Setup {
        number,
        index: number - 1,
        program: lesson.program(&pool.program).to_vec(),
        semaphores: Vec::new(),
        off: opts.off.clone(),
        free: true,
        speed: opts.speed,
        seed: opts.seed,
        pool_worker: false,
        arg: None,
        parent: None,
        children: Vec::new(),
        globals: Vec::new(),
    }
}

pub fn run(
    lesson: &Lesson,
    pool: &PoolDecl,
    opts: &Options,
    exe: &Path,
    watch: &mut dyn FnMut(&str, &Event),
) -> anyhow::Result<PoolRun> {
    let workers = pool.workers as usize;
    let tasks = pool.tasks;

    // Phase 1: a pool of `workers` processes; each takes the next task when idle.
    let setups = (1..=workers)
        .map(|n| Setup {
            pool_worker: true,
            ..setup(lesson, pool, n, opts)
        })
        .collect();
    let started = Instant::now();
    let run = Run::start(plan(lesson, setups, exe))?;
    let mut next_task = 0u32;
    // Tasks sent to each worker and not yet answered, oldest first. Each
    // worker keeps one task queued behind the one it runs, so it never
    // waits for a round trip (Python's Pool sends tasks in chunks).
    let mut queued = vec![std::collections::VecDeque::<u32>::new(); workers];
    let mut results = vec![None::<TaskRun>; tasks as usize];
    let pool_phase = collect(&run, workers, started, |ev, run| {
        watch("pool", ev);
        let wanted = match &ev.kind {
            EventKind::Report(Report::Ready) => 2,
            EventKind::Report(Report::Result { value, .. }) => {
                if let Some(task) = queued[ev.proc].pop_front() {
                    results[task as usize] = Some(TaskRun {
                        task,
                        result: *value,
                        pid: run.pid(ev.proc).unwrap_or(0),
                    });
                }
                1
            }
            _ => 0,
        };
        for _ in 0..wanted {
            if next_task < tasks {
                queued[ev.proc].push_back(next_task);
                run.send(
                    ev.proc,
                    &Command::Task {
                        task: next_task,
                        arg: i64::from(next_task),
                    },
                )?;
                next_task += 1;
            }
        }
        if wanted > 0 && next_task == tasks && queued[ev.proc].is_empty() {
            run.send(ev.proc, &Command::Close)?;
        }
        Ok(())
    })?;
    drop(run);
    let pool_tasks = finish(results, "pool")?;

    // Phase 2: one new process per task.
    let setups = (1..=tasks as usize)
        .map(|n| Setup {
            arg: Some(n as i64 - 1),
            ..setup(lesson, pool, n, opts)
        })
        .collect();
    let started = Instant::now();
    let run = Run::start(plan(lesson, setups, exe))?;
    let mut results = vec![None::<TaskRun>; tasks as usize];
    let separate_phase = collect(&run, tasks as usize, started, |ev, run| {
        watch("processes", ev);
        if let EventKind::Report(Report::Result { value, .. }) = &ev.kind {
            results[ev.proc] = Some(TaskRun {
                task: ev.proc as u32,
                result: *value,
                pid: run.pid(ev.proc).unwrap_or(0),
            });
        }
        Ok(())
    })?;
    drop(run);
    let separate_tasks = finish(results, "one process per task")?;

    Ok(PoolRun {
        pool: Phase {
            tasks: pool_tasks,
            ..pool_phase
        },
        separate: Phase {
            tasks: separate_tasks,
            ..separate_phase
        },
    })
}

fn finish(results: Vec<Option<TaskRun>>, phase: &str) -> anyhow::Result<Vec<TaskRun>> {
    results
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            r.ok_or_else(|| {
                anyhow::anyhow!("failed to run task {i} in the {phase} phase: no result")
            })
        })
        .collect()
}

/// Feed events to `on` until all `n` processes are reaped; time the phase.
fn collect(
    run: &Run,
    n: usize,
    started: Instant,
    mut on: impl FnMut(&Event, &Run) -> anyhow::Result<()>,
) -> anyhow::Result<Phase> {
    let mut processes: Vec<PoolProcess> = (0..n)
        .map(|i| PoolProcess {
            id: i + 1,
            pid: run.pid(i).unwrap_or(0),
            ending: None,
            started_ms: 0.0,
            ended_ms: 0.0,
        })
        .collect();
    let mut reaped = 0;
    while reaped < n {
        let ev = match run.events().recv_timeout(PHASE_TIMEOUT) {
            Ok(ev) => ev,
            Err(RecvTimeoutError::Timeout) => {
                anyhow::bail!("failed to finish the pool phase: no report for 60 s")
            }
            Err(RecvTimeoutError::Disconnected) => {
                anyhow::bail!("failed to finish the pool phase: event channel closed")
            }
        };
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        match &ev.kind {
            EventKind::Spawned { .. } => processes[ev.proc].started_ms = ms,
            EventKind::Exited(ending) => {
                processes[ev.proc].ending = Some(*ending);
                processes[ev.proc].ended_ms = ms;
                reaped += 1;
            }
            EventKind::Report(Report::Failed { message }) => {
                anyhow::bail!("failed to run the pool lesson: P{}: {message}", ev.proc + 1)
            }
            _ => {}
        }
        on(&ev, run)?;
    }
    Ok(Phase {
        ms: started.elapsed().as_secs_f64() * 1000.0,
        tasks: Vec::new(),
        processes,
    })
}
