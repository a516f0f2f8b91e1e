//! The summary of a real Python program's run, as text or as the last
//! JSON line: values under their Python names, the deadlock if any, each
//! expectation, every process, the schedule and the timing model.

use std::collections::BTreeMap;
use std::io::Write;

use serde::Serialize;

use super::summary::{self, millis};
use crate::drive::Finished;
use crate::lesson::{Lang, Timing};
use crate::model::RunState;
use crate::python::{Outcome, Program};
use crate::supervisor::Ending;
use crate::words::python as words;
use crate::words::report::summary as report_words;

/// A finished run of a program, to print.
pub struct Told<'a> {
    pub program: &'a Program,
    pub finished: &'a Finished,
    pub outcomes: &'a [Outcome],
    pub mode: &'a str,
    pub seed: u64,
    pub lang: Lang,
    /// The lesson's own schedule whose shared operations the run followed
    /// (`--python` with a schedule).
    pub lesson_schedule: Option<&'a [usize]>,
}

/// The last line of `lockstep run PROGRAM.py --json`; fields in
/// alphabetical order, as every object of the output.
#[derive(Serialize)]
pub struct ProgramSummary<'a> {
    /// Who waits for whom, by P-number (read by scripts).
    deadlock: Option<String>,
    /// The same with each process named as its lane is.
    deadlock_named: Option<String>,
    elapsed_ms: f64,
    errors: &'a [String],
    ev: &'static str,
    expect: &'a [Outcome],
    interpreter: &'a str,
    /// The lesson's own schedule whose shared operations the run followed.
    #[serde(skip_serializing_if = "Option::is_none")]
    lesson_schedule: Option<&'a [usize]>,
    mode: &'a str,
    /// The locks that were switched off and passed straight through.
    off: Vec<&'a str>,
    /// Every expectation held (and no process failed); `None`: none stated.
    ok: Option<bool>,
    output: Vec<OutputLine>,
    processes: Vec<ProcessLine<'a>>,
    program: String,
    python: &'a str,
    schedule: &'a [usize],
    seed: u64,
    steps: u64,
    /// The timing model a schedule followed (none for a free run).
    timing: Option<Timing>,
    values: BTreeMap<&'a str, i64>,
}

#[derive(Serialize)]
pub struct OutputLine {
    p: usize,
    text: String,
}

/// One process: its Python name, where it stopped last, how it ended.
#[derive(Serialize)]
pub struct ProcessLine<'a> {
    /// `file:line op name` of the last operation it reached.
    at: Option<String>,
    exit_code: Option<i32>,
    id: usize,
    name: &'a str,
    parent: Option<usize>,
    pid: Option<u32>,
    ppid: Option<u32>,
    signal: Option<i32>,
}

impl Told<'_> {
    /// The timing model the run followed: a schedule's, none when free.
    fn timing(&self) -> Option<Timing> {
        (self.mode != "free").then_some(self.program.lesson.timing)
    }

    pub fn summary(&self) -> ProgramSummary<'_> {
        let state = &self.finished.state;
        let failed = state.failures().is_some();
        ProgramSummary {
            deadlock: state.verdict(Lang::En).deadlock,
            deadlock_named: state.verdict(Lang::En).deadlock_named,
            elapsed_ms: millis(self.finished.elapsed),
            errors: &state.errors,
            ev: "summary",
            expect: self.outcomes,
            interpreter: self.program.interpreter.path.to_str().unwrap_or("python3"),
            lesson_schedule: self.lesson_schedule,
            mode: self.mode,
            off: off_locks(state),
            ok: (!self.outcomes.is_empty()).then(|| !failed && self.outcomes.iter().all(|o| o.ok)),
            output: state
                .output
                .iter()
                .map(|l| OutputLine {
                    p: l.proc + 1,
                    text: l.text(Lang::En),
                })
                .collect(),
            processes: state.procs.iter().map(process_line).collect(),
            program: self.program.path.display().to_string(),
            python: &self.program.interpreter.version,
            schedule: &self.finished.schedule,
            seed: self.seed,
            steps: state.steps,
            timing: self.timing(),
            values: summary::final_values(state),
        }
    }

    pub fn print(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let (state, lang) = (&self.finished.state, self.lang);
        writeln!(out)?;
        let heading = words::heading(
            lang,
            &self.program.name(),
            &self.program.interpreter.version,
        );
        writeln!(out, "{heading}")?;
        let secs = self.finished.elapsed.as_secs_f64();
        let mut mode =
            report_words::mode_line(lang, self.mode, &off_names(state), state.steps, secs);
        if let Some(t) = self.timing() {
            mode.push_str(&report_words::timing(lang, t));
        }
        writeln!(out, "{mode}")?;
        if let Some(line) = words::values_line(lang, state) {
            writeln!(out, "{line}")?;
        }
        if let (Some(told), Some(d)) = (state.deadlock_named(lang), &state.deadlock) {
            writeln!(out, "{told}")?;
            for who in d.waits.iter().flat_map(|w| &w.who) {
                if let Some(line) = words::site_line(lang, state, who.index()) {
                    writeln!(out, "  {line}")?;
                }
            }
        }
        if self.outcomes.is_empty() {
            writeln!(out, "{}", words::no_expectation(lang))?;
        }
        for o in self.outcomes {
            writeln!(out, "{}", words::outcome_line(lang, o))?;
        }
        writeln!(out, "{}", report_words::processes_line(lang, state))?;
        if !self.finished.schedule.is_empty() {
            writeln!(
                out,
                "{}",
                report_words::schedule_line(lang, &self.finished.schedule)
            )?;
        }
        if let Some(steps) = self.lesson_schedule {
            let line = crate::words::python_lessons::mapped_line(lang, steps);
            writeln!(out, "{line}")?;
        }
        Ok(())
    }
}

/// The locks a run switched off, as its program names them.
fn off_locks(state: &RunState) -> Vec<&str> {
    state
        .locks
        .iter()
        .filter(|l| l.off)
        .map(|l| l.name.as_str())
        .collect()
}

fn off_names(state: &RunState) -> Vec<String> {
    off_locks(state).into_iter().map(str::to_string).collect()
}

fn process_line(p: &crate::model::Proc) -> ProcessLine<'_> {
    let (exit_code, signal) = match p.ending {
        Some(Ending::Code(c)) => (Some(c), None),
        Some(Ending::Signal(s)) => (None, Some(s)),
        None => (None, None),
    };
    ProcessLine {
        at: p.site.as_ref().map(|s| {
            format!("{}:{} {} {}", s.file, s.line, s.op, s.name)
                .trim()
                .to_string()
        }),
        exit_code,
        id: p.number,
        name: &p.role,
        parent: p.parent.map(|parent| parent + 1),
        pid: p.pid,
        ppid: p.ppid,
        signal,
    }
}
