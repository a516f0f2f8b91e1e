//! The JSON objects `lockstep run --json` prints, as typed structs: one line
//! per event and the closing summary. Fields are declared in alphabetical
//! order, the order the output has always had (the tests check it).

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::lesson::Rule;
use crate::model::{Proc, RunState};
use crate::supervisor::{Ending, Event, EventKind};

mod ipc;
pub use ipc::IpcSummary;

/// Milliseconds with three decimals, as every time in the JSON is written.
pub fn millis(d: Duration) -> f64 {
    (d.as_secs_f64() * 1_000_000.0).round() / 1000.0
}

/// The fields an event of lockstep's own (not a worker's report) carries.
#[derive(Serialize)]
#[serde(tag = "ev", rename_all = "snake_case")]
enum OwnEvent<'a> {
    Spawned {
        pid: u32,
    },
    Closed,
    Granted,
    TurnGiven,
    SigtermSent,
    FreeRun {
        on: bool,
    },
    Stderr {
        line: &'a str,
    },
    Exited {
        #[serde(skip_serializing_if = "Option::is_none")]
        exit_code: Option<i32>,
        #[serde(skip_serializing_if = "Option::is_none")]
        signal: Option<i32>,
    },
}

/// `Some` exit code and `Some` signal of an ending: one of them is set.
fn code_and_signal(ending: Option<Ending>) -> (Option<i32>, Option<i32>) {
    match ending {
        Some(Ending::Code(c)) => (Some(c), None),
        Some(Ending::Signal(s)) => (None, Some(s)),
        None => (None, None),
    }
}

/// The fields of `value` as a map in key order (a struct's own order is lost).
fn fields_of(value: impl Serialize) -> Map<String, Value> {
    match serde_json::to_value(value) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    }
}

/// One event line: the event's own fields (a worker's report brings its own,
/// which vary by report), then `p` (the P-number), `pid`, `t_ms` and, in the
/// pool lesson, `phase`, all in key order. A report's own `pid` is kept.
pub fn event_line(ev: &Event, pid: Option<u32>, phase: Option<&str>) -> String {
    let mut line = match &ev.kind {
        EventKind::Report(r) => fields_of(r),
        EventKind::Spawned { pid } => fields_of(OwnEvent::Spawned { pid: *pid }),
        EventKind::Closed => fields_of(OwnEvent::Closed),
        EventKind::Granted => fields_of(OwnEvent::Granted),
        EventKind::TurnGiven => fields_of(OwnEvent::TurnGiven),
        EventKind::SigtermSent => fields_of(OwnEvent::SigtermSent),
        EventKind::FreeRun { on } => fields_of(OwnEvent::FreeRun { on: *on }),
        EventKind::Stderr(line) => fields_of(OwnEvent::Stderr { line }),
        EventKind::Exited(e) => {
            let (exit_code, signal) = code_and_signal(Some(*e));
            fields_of(OwnEvent::Exited { exit_code, signal })
        }
    };
    line.insert("p".into(), (ev.proc + 1).into());
    if let Some(pid) = pid {
        line.entry("pid").or_insert(pid.into());
    }
    line.insert("t_ms".into(), millis(ev.at).into());
    if let Some(phase) = phase {
        line.insert("phase".into(), phase.into());
    }
    Value::Object(line).to_string()
}

/// One process in the summary; a process of a tree also tells its parent.
#[derive(Serialize)]
pub struct ProcessLine<'a> {
    /// Only for a child in a tree.
    #[serde(skip_serializing_if = "Option::is_none")]
    daemon: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    exit_code: Option<i32>,
    id: usize,
    /// What the lesson's listing calls it (`p1`, `guest 0`), if it says.
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    /// Only `true`, and only for a child in a tree.
    #[serde(skip_serializing_if = "Option::is_none")]
    orphaned: Option<bool>,
    /// The parent's P-number.
    #[serde(skip_serializing_if = "Option::is_none")]
    parent: Option<usize>,
    pid: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ppid: Option<u32>,
    role: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    signal: Option<i32>,
}

impl<'a> ProcessLine<'a> {
    pub fn of(p: &'a Proc) -> ProcessLine<'a> {
        let (exit_code, signal) = code_and_signal(p.ending);
        let child = p.parent.is_some();
        ProcessLine {
            daemon: child.then_some(p.daemon),
            exit_code,
            id: p.number,
            name: p.name.as_deref(),
            orphaned: (child && p.orphaned).then_some(true),
            parent: p.parent.map(|parent| parent + 1),
            pid: p.pid,
            ppid: p.ppid,
            role: &p.role,
            signal,
        }
    }
}

/// The last line of `lockstep run --json` (every lesson but a timing one).
#[derive(Serialize)]
pub struct RunSummary<'a> {
    pub actual: i64,
    pub broken_at_step: Option<u64>,
    /// Who waits for whom, by P-number (read by scripts).
    pub deadlock: Option<String>,
    /// The same with each process named as its lane is, as the text
    /// report and the app say it.
    pub deadlock_named: Option<String>,
    pub elapsed_ms: f64,
    pub errors: &'a [String],
    pub ev: &'static str,
    pub expected: i64,
    pub ipc: IpcSummary<'a>,
    pub lesson: &'a str,
    pub lost_updates: usize,
    pub mode: &'a str,
    pub ok: bool,
    pub outcomes: &'a BTreeMap<String, i64>,
    pub processes: Vec<ProcessLine<'a>>,
    pub quantity: &'a str,
    pub rule: Rule,
    pub schedule: &'a [usize],
    pub seed: u64,
    pub steps: u64,
    /// The timing model of a scheduled run (none for a free run).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timing: Option<crate::lesson::Timing>,
    pub unlocked: &'a [String],
    pub values: BTreeMap<&'a str, i64>,
    pub verdict: String,
    pub zombies: Vec<usize>,
}

/// The values' names and their final values, in name order.
pub fn final_values(state: &RunState) -> BTreeMap<&str, i64> {
    state
        .values
        .iter()
        .map(|v| (v.name.as_str(), v.current))
        .collect()
}

/// Writes a value whose type belongs to another room with its keys in
/// alphabetical order, as every object in the output is written (use with
/// `#[serde(serialize_with = "in_key_order")]`).
pub fn in_key_order<T: Serialize, S: serde::Serializer>(
    value: &T,
    to: S,
) -> Result<S::Ok, S::Error> {
    serde_json::to_value(value)
        .map_err(serde::ser::Error::custom)?
        .serialize(to)
}

/// Written straight from the struct, and through a `Value` (which sorts
/// every object's keys): the same text only if every struct declares its
/// fields in alphabetical order.
#[cfg(test)]
pub fn assert_keys_in_order(value: impl Serialize) {
    let direct = serde_json::to_string(&value).unwrap();
    let sorted = serde_json::to_value(&value).unwrap().to_string();
    assert_eq!(direct, sorted);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::builtin;

    #[test]
    fn the_run_summary_writes_its_keys_in_alphabetical_order() {
        for id in ["counter", "chat", "queue", "zombie"] {
            let lesson = builtin(id).unwrap();
            let mut state = RunState::new(&lesson, &[]);
            // Every optional field present somewhere.
            let first = &mut state.procs[0];
            (first.ending, first.parent, first.ppid) = (Some(Ending::Signal(9)), Some(0), Some(1));
            first.orphaned = true;
            let sockets = &mut state.ipc.sockets;
            sockets.servers.push(Default::default());
            sockets.conns.push(Default::default());
            let summary = RunSummary {
                actual: 0,
                broken_at_step: Some(3),
                deadlock: Some("P1 waits".into()),
                deadlock_named: Some("P1 (main) waits".into()),
                elapsed_ms: 1.5,
                errors: &state.errors,
                ev: "summary",
                expected: 80,
                ipc: IpcSummary::of(&state),
                lesson: &lesson.id,
                lost_updates: 0,
                mode: "round-robin",
                ok: false,
                outcomes: &state.outcomes,
                processes: state.procs.iter().map(ProcessLine::of).collect(),
                quantity: "final count",
                rule: lesson.check.rule,
                schedule: &[1, 2],
                seed: 7,
                steps: 2,
                timing: None,
                unlocked: &[],
                values: final_values(&state),
                verdict: "count is 80".into(),
                zombies: vec![2],
            };
            assert_keys_in_order(&summary);
        }
    }
}
