//! Running tasks for real: a pool of worker processes that take tasks over
//! their sockets (`apply` one at a time, `apply_async` and `map` with tasks
//! handed out ahead), and one new process per task. Both are measured runs
//! of the one run controller (`engine::Controller::start_measured`).

use std::path::Path;
use std::time::Duration;

use crossbeam_channel::RecvTimeoutError;

use super::handout::Handout;
use super::record::Recorder;
use super::{PhaseRun, PoolProcess, TaskRun, distinct_pids, in_order};
use crate::drive::Options;
use crate::engine::Controller;
use crate::lesson::{Lesson, PoolDecl, PoolPhase};
use crate::platform;
use crate::wire::{Command, Event, EventKind, ProcId, Report, Setup};

const PHASE_TIMEOUT: Duration = Duration::from_secs(60);

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
        locks: Vec::new(),
        rlocks: Vec::new(),
        sleeps_hold: false,
    }
}

fn ms_since(t0: u64) -> f64 {
    platform::now_ns().saturating_sub(t0) as f64 / 1e6
}

/// The run's processes on the lesson's clock: their pids and when the run
/// started.
fn recorder(run: &Controller, t0: u64) -> Recorder {
    let pids = (0..run.process_count()).map(|i| run.pid(i).unwrap_or(0));
    let start_ns = run.start_ns().unwrap_or(t0);
    Recorder::new(
        pids.collect::<Vec<_>>(),
        (start_ns as f64 - t0 as f64) / 1e6,
    )
}

/// The next event of `run`, folded into `rec` and shown to `watch`; a task's
/// runtime error ends the lesson with that error.
fn next(
    run: &mut Controller,
    rec: &mut Recorder,
    phase: &str,
    watch: &mut dyn FnMut(&str, &Event),
) -> anyhow::Result<Event> {
    let ev = match run.next_event(PHASE_TIMEOUT) {
        Ok(ev) => ev,
        Err(RecvTimeoutError::Timeout) => anyhow::bail!(
            "failed to finish the {phase} phase: no report for {} s",
            PHASE_TIMEOUT.as_secs()
        ),
        Err(RecvTimeoutError::Disconnected) => {
            anyhow::bail!("failed to finish the {phase} phase: event channel closed")
        }
    };
    rec.apply(&ev);
    watch(phase, &ev);
    if let EventKind::Report(Report::Failed { message }) = &ev.kind {
        anyhow::bail!(
            "failed to run the pool lesson: {}: {message}",
            ProcId(ev.proc)
        )
    }
    Ok(ev)
}

/// A started pool: `workers` processes waiting for tasks.
pub struct Pool {
    run: Controller,
    rec: Recorder,
    t0: u64,
    tasks: u32,
    /// The worker `apply` hands its next task to.
    turn: usize,
}

impl Pool {
    /// Start the workers and wait until every one is ready for tasks.
    pub fn start(
        lesson: &Lesson,
        decl: &PoolDecl,
        opts: &Options,
        exe: &Path,
        t0: u64,
        watch: &mut dyn FnMut(&str, &Event),
    ) -> anyhow::Result<Pool> {
        let setups = (1..=decl.workers as usize)
            .map(|n| Setup {
                pool_worker: true,
                ..setup(lesson, decl, n, opts)
            })
            .collect();
        let mut run = Controller::start_measured(lesson, setups, opts, exe)?;
        let mut rec = recorder(&run, t0);
        while rec.ready < run.process_count() {
            let ev = next(&mut run, &mut rec, "start", watch)?;
            if let EventKind::Exited(e) = ev.kind {
                anyhow::bail!(
                    "failed to start the pool: worker {} exited with code {}",
                    ProcId(ev.proc),
                    e.exitcode()
                );
            }
        }
        Ok(Pool {
            run,
            rec,
            t0,
            tasks: decl.tasks,
            turn: 0,
        })
    }

    /// Run every task once the way `phase` does; `callback` sees each result
    /// of `apply_async` as it arrives.
    pub fn phase(
        &mut self,
        phase: PoolPhase,
        callback: &mut dyn FnMut(&TaskRun),
        watch: &mut dyn FnMut(&str, &Event),
    ) -> anyhow::Result<PhaseRun> {
        let tasks = self.tasks;
        let mut out = Handout::new(phase, tasks, self.run.process_count());
        let mut results = vec![None::<TaskRun>; tasks as usize];
        let mut done = 0u32;
        let from_ms = ms_since(self.t0);
        out.start(&self.run, self.turn)?;
        while done < tasks {
            let ev = next(&mut self.run, &mut self.rec, phase.name(), watch)?;
            let w = ev.proc;
            match ev.kind {
                EventKind::Report(Report::Result { task, value, .. }) => {
                    out.returned(w, task)?;
                    let t = TaskRun {
                        task,
                        result: value,
                        pid: self.run.pid(w).unwrap_or(0),
                    };
                    if phase == PoolPhase::ApplyAsync {
                        callback(&t);
                    }
                    results[task as usize] = Some(t);
                    done += 1;
                    out.refill(&self.run, &mut self.turn, w)?;
                }
                EventKind::Exited(e) => anyhow::bail!(
                    "failed to run the {} phase: pool worker {} exited with code {}",
                    phase.name(),
                    ProcId(w),
                    e.exitcode()
                ),
                _ => {}
            }
        }
        let to_ms = ms_since(self.t0);
        let tasks = in_order(results, phase)?;
        Ok(PhaseRun {
            name: phase,
            ms: to_ms - from_ms,
            from_ms,
            to_ms,
            workers: distinct_pids(&tasks),
            tasks,
        })
    }

    /// `close()` then `join()`: tell every worker there is no more work and
    /// reap them all. Returns the workers' timelines with their exit codes.
    pub fn close_join(
        mut self,
        watch: &mut dyn FnMut(&str, &Event),
    ) -> anyhow::Result<Vec<PoolProcess>> {
        for w in 0..self.run.process_count() {
            self.run.send(w, &Command::Close)?;
        }
        while self.rec.reaped < self.run.process_count() {
            next(&mut self.run, &mut self.rec, "close", watch)?;
        }
        Ok(self.rec.procs)
    }
}

/// Python's default `map` chunk size: tasks over four times the workers, rounded up.
pub fn map_chunksize(tasks: u32, workers: u32) -> u32 {
    let per = workers.max(1) * 4;
    tasks.div_ceil(per).max(1)
}

/// One new process per task, started and joined: the phase's time and the processes.
pub fn processes(
    lesson: &Lesson,
    decl: &PoolDecl,
    opts: &Options,
    exe: &Path,
    t0: u64,
    watch: &mut dyn FnMut(&str, &Event),
) -> anyhow::Result<(PhaseRun, Vec<PoolProcess>)> {
    let n = decl.tasks as usize;
    let setups = (1..=n)
        .map(|k| Setup {
            arg: Some(k as i64 - 1),
            ..setup(lesson, decl, k, opts)
        })
        .collect();
    let from_ms = ms_since(t0);
    let mut run = Controller::start_measured(lesson, setups, opts, exe)?;
    let mut rec = recorder(&run, t0);
    let mut results = vec![None::<TaskRun>; n];
    while rec.reaped < n {
        let ev = next(&mut run, &mut rec, "processes", watch)?;
        if let EventKind::Report(Report::Result { value, .. }) = ev.kind {
            results[ev.proc] = Some(TaskRun {
                task: ev.proc as u32,
                result: value,
                pid: run.pid(ev.proc).unwrap_or(0),
            });
        }
    }
    let to_ms = ms_since(t0);
    run.close();
    let tasks = in_order(results, PoolPhase::Processes)?;
    Ok((
        PhaseRun {
            name: PoolPhase::Processes,
            ms: to_ms - from_ms,
            from_ms,
            to_ms,
            workers: distinct_pids(&tasks),
            tasks,
        },
        rec.procs,
    ))
}

#[cfg(test)]
mod tests {
    use super::map_chunksize;

    #[test]
    fn map_chunks_like_python() {
        // Python: chunksize, extra = divmod(100, 4 * 4) → 6, 4 → 7.
        assert_eq!(map_chunksize(100, 4), 7);
        assert_eq!(map_chunksize(16, 4), 1);
        assert_eq!(map_chunksize(3, 4), 1);
        assert_eq!(map_chunksize(1024, 1), 256);
    }
}
