//! Shared values in the model: each read and write, the version a read saw,
//! and the writes that lost someone else's update.

use super::RunState;
use crate::lesson::{Measure, Op};
use crate::wire::Report;

/// Reads and writes kept per value: enough to fill a tall values panel.
const HISTORY: usize = 40;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessKind {
    Read,
    Write,
}

/// One read or write of a shared value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    pub step: u64,
    pub proc: usize,
    pub kind: AccessKind,
    pub value: i64,
    /// A write based on a read that another write has since made stale.
    pub stale: bool,
}

#[derive(Debug, Clone)]
pub struct ValueState {
    pub name: String,
    pub initial: i64,
    pub current: i64,
    pub version: u64,
    /// The latest accesses, oldest first (bounded).
    pub history: Vec<Access>,
    /// Recent versions and their values, newest last (bounded).
    pub(super) versions: Vec<(u64, i64)>,
}

impl ValueState {
    /// The version a read that returned `got` saw: the newest one holding
    /// that value. A read and a write racing within microseconds may be
    /// reported in either order; the value read settles which came first.
    pub(super) fn version_of(&self, got: i64) -> u64 {
        if self.current == got {
            return self.version;
        }
        self.versions
            .iter()
            .rev()
            .find(|(_, v)| *v == got)
            .map_or(self.version, |(ver, _)| *ver)
    }
}

/// A write that overwrote someone else's update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LostUpdate {
    pub step: u64,
    pub proc: usize,
    pub value: String,
    pub wrote: i64,
    /// Writes made between this process's read and its write.
    pub overwritten: u64,
}

impl RunState {
    pub(super) fn value_index(&self, name: &str) -> Option<usize> {
        self.values.iter().position(|v| v.name == name)
    }

    /// A read or a write of a shared value by process `p`.
    pub(super) fn value_report(&mut self, p: usize, r: &Report) {
        match r {
            Report::Read { value, got } => {
                let into = match self.procs[p].step().map(|s| &s.op) {
                    Some(Op::Read { into, .. }) => Some(into.clone()),
                    _ => None,
                };
                if let Some(into) = into {
                    self.procs[p].locals.insert(into, *got);
                }
                if let Some(v) = self.value_index(value) {
                    let version = self.values[v].version_of(*got);
                    self.procs[p].read_version.insert(v, version);
                    self.record(v, p, AccessKind::Read, *got, false);
                }
            }
            Report::Wrote { value, put } => {
                let Some(v) = self.value_index(value) else {
                    return;
                };
                let current = self.values[v].version;
                let stale = self.procs[p]
                    .read_version
                    .remove(&v)
                    .filter(|read| *read != current);
                if let Some(read) = stale {
                    self.lost_updates.push(LostUpdate {
                        step: self.steps,
                        proc: p,
                        value: value.clone(),
                        wrote: *put,
                        overwritten: current - read,
                    });
                    let decides =
                        matches!(&self.check.measure, Measure::FinalValue(name) if name == value);
                    if decides || self.check.breaks_at_lost_update.as_ref() == Some(value) {
                        self.broken_at.get_or_insert(self.steps);
                    }
                }
                let val = &mut self.values[v];
                val.current = *put;
                val.version += 1;
                if val.versions.len() == HISTORY * 4 {
                    val.versions.remove(0);
                }
                val.versions.push((val.version, *put));
                self.record(v, p, AccessKind::Write, *put, stale.is_some());
            }
            _ => {}
        }
    }

    fn record(&mut self, v: usize, proc: usize, kind: AccessKind, value: i64, stale: bool) {
        let h = &mut self.values[v].history;
        if h.len() == HISTORY {
            h.remove(0);
        }
        h.push(Access {
            step: self.steps,
            proc,
            kind,
            value,
            stale,
        });
    }
}
