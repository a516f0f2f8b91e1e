//! What a lesson declares before its programs: shared values, locks,
//! semaphores, rooms, globals and its processes, numbered into slots.

use serde::{Deserialize, Serialize};

use super::Lesson;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValueDecl {
    pub name: String,
    pub initial: i64,
    /// An `Array` of this many slots, each starting at `initial`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub len: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LockDecl {
    pub name: String,
    /// An `RLock`: its owner may acquire it again, and must release it as
    /// many times.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reentrant: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SemaphoreDecl {
    pub name: String,
    pub permits: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoomDecl {
    pub name: String,
    /// How many may be inside at once for the lesson to be right (shown against).
    #[serde(default)]
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProcessDecl {
    pub role: String,
    /// With `started_by`: how many each process of that role may start.
    #[serde(default = "one_u32")]
    pub count: u32,
    /// Not started with the run: a process of this role starts it (`start`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_by: Option<String>,
    /// What the listing calls each process of this role, by index
    /// (`["p1", "p2"]`), shown beside its P-number; may be shorter than
    /// the processes (the rest go unnamed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub names: Vec<String>,
}

/// A per-process global: every process starts with it; a child gets a copy
/// of its parent's value at `start` (fork semantics).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GlobalDecl {
    pub name: String,
    pub initial: i64,
}

/// A local of the (first) process of a role, as the check's measure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocalRef {
    pub role: String,
    pub name: String,
}

fn one_u32() -> u32 {
    1
}

/// A lock or a semaphore: both are counting semaphores underneath.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    pub name: String,
    pub permits: u32,
    pub is_lock: bool,
    pub reentrant: bool,
}

/// One process of a run, numbered from 1 as the app shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessSlot {
    pub number: usize,
    pub role: String,
    /// 0-based index among the processes of the same role (Python's `range` index).
    pub index: usize,
    /// The P-number of the process that starts it; `None`: started with the run.
    pub parent: Option<usize>,
    /// What the listing calls it (`main`, `p1`, `guest 0`), if the lesson says.
    pub name: Option<String>,
}

impl Lesson {
    /// Every lock and semaphore, locks first, in declaration order.
    pub fn resources(&self) -> Vec<Resource> {
        let locks = self.locks.iter().map(|l| Resource {
            name: l.name.clone(),
            permits: 1,
            is_lock: true,
            reentrant: l.reentrant,
        });
        let sems = self.semaphores.iter().map(|s| Resource {
            name: s.name.clone(),
            permits: s.permits,
            is_lock: false,
            reentrant: false,
        });
        locks.chain(sems).collect()
    }

    /// The processes of a run in the order they are numbered (P1, P2, …).
    /// A role with `started_by` gets `count` slots per process of that role.
    pub fn slots(&self) -> Vec<ProcessSlot> {
        let mut out: Vec<ProcessSlot> = Vec::new();
        for decl in &self.processes {
            let parents: Vec<Option<usize>> = match &decl.started_by {
                None => vec![None],
                Some(by) => out
                    .iter()
                    .filter(|s| s.role == *by)
                    .map(|s| Some(s.number))
                    .collect(),
            };
            let mut index = out.iter().filter(|s| s.role == decl.role).count();
            for parent in parents {
                for _ in 0..decl.count {
                    out.push(ProcessSlot {
                        number: out.len() + 1,
                        role: decl.role.clone(),
                        index,
                        parent,
                        name: decl.names.get(index).cloned(),
                    });
                    index += 1;
                }
            }
        }
        out
    }
}
