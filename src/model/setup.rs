//! A fresh model for a lesson: every process, lock, room and value as
//! they stand before the run starts.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::clock::Clock;
use super::{LockState, Phase, Proc, RoomState, RunState, ValueState, ipc, spans};
use crate::lesson::{Lesson, Step, Timing};

impl RunState {
    /// A fresh state for `lesson` with the named locks switched off.
    pub fn new(lesson: &Lesson, off: &[String]) -> RunState {
        let programs: HashMap<&str, Arc<Vec<Step>>> = lesson
            .programs
            .iter()
            .map(|(role, steps)| (role.as_str(), Arc::new(steps.clone())))
            .collect();
        let procs = lesson
            .slots()
            .into_iter()
            .map(|slot| new_proc(lesson, &programs, slot))
            .collect();
        RunState {
            lesson_id: lesson.id.clone(),
            check: lesson.check.clone(),
            procs,
            locks: lesson
                .resources()
                .into_iter()
                .map(|r| LockState {
                    off: off.contains(&r.name),
                    available: i64::from(r.permits),
                    name: r.name,
                    permits: r.permits,
                    is_lock: r.is_lock,
                    reentrant: r.reentrant,
                    depth: 0,
                    holders: Vec::new(),
                    waiters: Vec::new(),
                    queued: Vec::new(),
                })
                .collect(),
            rooms: lesson
                .rooms
                .iter()
                .map(|r| RoomState {
                    name: r.name.clone(),
                    limit: r.limit,
                    inside: Vec::new(),
                    peak: 0,
                })
                .collect(),
            values: lesson
                .value_slots()
                .into_iter()
                .map(|(name, initial)| ValueState {
                    name,
                    initial,
                    current: initial,
                    version: 0,
                    history: Vec::new(),
                    versions: vec![(0, initial)],
                })
                .collect(),
            outcomes: BTreeMap::new(),
            outcomes_at_first: BTreeMap::new(),
            output: Vec::new(),
            lost_updates: Vec::new(),
            steps: 0,
            broken_at: None,
            errors: Vec::new(),
            deadlock: None,
            free: false,
            speedup: None,
            globals: lesson.globals.iter().map(|g| g.name.clone()).collect(),
            zombies: Vec::new(),
            times: Vec::new(),
            ipc: ipc::IpcState::new(lesson),
            clock: Clock::default(),
        }
        .with_times()
        .with_timing(lesson.timing)
    }

    fn with_times(mut self) -> RunState {
        self.times = vec![spans::Times::default(); self.procs.len()];
        self
    }

    /// The timing model schedules follow in this run (the lesson's own by default).
    pub fn with_timing(mut self, timing: Timing) -> RunState {
        self.clock = Clock::new(timing, self.procs.len());
        self
    }
}

/// A process of `slot` before the run starts: not started if a parent
/// starts it, else starting with the run.
fn new_proc(
    lesson: &Lesson,
    programs: &HashMap<&str, Arc<Vec<Step>>>,
    slot: crate::lesson::ProcessSlot,
) -> Proc {
    let program = programs
        .get(slot.role.as_str())
        .cloned()
        .unwrap_or_default();
    let locals = lesson
        .globals
        .iter()
        .map(|g| (g.name.clone(), g.initial))
        .collect();
    Proc {
        parent: slot.parent.map(|n| n - 1),
        daemon: false,
        orphaned: false,
        stopped: false,
        number: slot.number,
        role: slot.role,
        index: slot.index,
        name: slot.name,
        program,
        pid: None,
        ppid: None,
        phase: if slot.parent.is_some() {
            Phase::NotStarted
        } else {
            Phase::Starting
        },
        pc: None,
        locals,
        ops: 0,
        done_code: None,
        ending: None,
        connected: false,
        closed: false,
        failed: None,
        started_at: None,
        ended_at: None,
        read_version: HashMap::new(),
        site: None,
    }
}
