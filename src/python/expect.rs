//! What a program says should hold, in a comment
//! (`# lockstep: expect counter.value == 80`, `# lockstep: expect no
//! deadlock`, `# lockstep: expect max_inside(lock) <= 1`,
//! `# lockstep: expect printed(bought a ticket) <= 1`) or on the command
//! line (`--expect`), and whether a run held it.

use serde::Serialize;

use super::PyError;
use super::inside::Inside;
use crate::model::{RunState, Said};

/// The comment that states an expectation.
pub const MARK: &str = "# lockstep: expect";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    /// A shared value's final value against a number.
    Value { name: String, cmp: Cmp, expect: i64 },
    /// The run does not get stuck.
    NoDeadlock,
    /// The most processes that held a lock or semaphore at once (between
    /// its acquire and release, also while it is switched off).
    MaxInside { lock: String, cmp: Cmp, expect: i64 },
    /// How many printed lines contain a text.
    Printed { text: String, cmp: Cmp, expect: i64 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Cmp {
    const ALL: [(&'static str, Cmp); 6] = [
        ("==", Cmp::Eq),
        ("!=", Cmp::Ne),
        ("<=", Cmp::Le),
        (">=", Cmp::Ge),
        ("<", Cmp::Lt),
        (">", Cmp::Gt),
    ];

    pub fn holds(self, actual: i64, expect: i64) -> bool {
        match self {
            Cmp::Eq => actual == expect,
            Cmp::Ne => actual != expect,
            Cmp::Lt => actual < expect,
            Cmp::Le => actual <= expect,
            Cmp::Gt => actual > expect,
            Cmp::Ge => actual >= expect,
        }
    }
}

/// One expectation, as written, and where (line 0: the command line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expectation {
    pub text: String,
    pub line: u32,
    pub check: Check,
}

impl Expectation {
    /// What it measures, as written (`counter.value`, `max_inside(lock)`);
    /// `None` for `no deadlock`.
    pub fn quantity(&self) -> Option<String> {
        match &self.check {
            Check::Value { name, .. } => Some(name.clone()),
            Check::MaxInside { lock, .. } => Some(format!("max_inside({lock})")),
            Check::Printed { text, .. } => Some(format!("printed({text})")),
            Check::NoDeadlock => None,
        }
    }
}

/// Whether a finished run held one expectation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outcome {
    /// What it measured (a value's final value), if anything.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actual: Option<i64>,
    pub expect: String,
    pub ok: bool,
    /// The value it names, when the program made no value of that name
    /// (a typo, or a name the program never shares).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub no_such_value: Option<String>,
}

/// Every `# lockstep: expect …` comment of `source`.
pub fn from_comments(source: &str) -> Result<Vec<Expectation>, PyError> {
    source
        .lines()
        .enumerate()
        .filter_map(|(i, l)| l.find(MARK).map(|at| (i, &l[at + MARK.len()..])))
        .map(|(i, rest)| parse(rest, i as u32 + 1))
        .collect()
}

/// Read one expectation: `NAME OP INTEGER`, `max_inside(LOCK) OP INTEGER`,
/// `printed(TEXT) OP INTEGER` or `no deadlock`.
pub fn parse(text: &str, line: u32) -> Result<Expectation, PyError> {
    let text = text.trim();
    let bad = || PyError::BadExpectation {
        line,
        text: text.to_string(),
    };
    let check = if text == "no deadlock" {
        Check::NoDeadlock
    } else if let Some((kind, arg, rest)) = counted(text) {
        let (cmp, expect) = comparison(rest).ok_or_else(bad)?;
        if arg.trim().is_empty() {
            return Err(bad());
        }
        match kind {
            "max_inside" => Check::MaxInside {
                lock: arg.trim().to_string(),
                cmp,
                expect,
            },
            _ => Check::Printed {
                text: arg.to_string(),
                cmp,
                expect,
            },
        }
    } else {
        let (at, op, cmp) = first_op(text).ok_or_else(bad)?;
        let name = text[..at].trim();
        let expect = text[at + op.len()..].trim().parse().map_err(|_| bad())?;
        if name.is_empty() {
            return Err(bad());
        }
        Check::Value {
            name: name.to_string(),
            cmp,
            expect,
        }
    };
    Ok(Expectation {
        text: text.to_string(),
        line,
        check,
    })
}

/// `max_inside(ARG) REST` or `printed(ARG) REST`: the kind, the argument
/// (up to the last closing parenthesis) and what follows it.
fn counted(text: &str) -> Option<(&'static str, &str, &str)> {
    let kind = ["max_inside", "printed"]
        .into_iter()
        .find(|k| text.starts_with(k) && text[k.len()..].trim_start().starts_with('('))?;
    let open = text.find('(')?;
    let close = text.rfind(')').filter(|&c| c > open)?;
    let arg = &text[open + 1..close];
    Some((kind, arg, &text[close + 1..]))
}

/// ` OP INTEGER`.
fn comparison(rest: &str) -> Option<(Cmp, i64)> {
    let (at, op, cmp) = first_op(rest)?;
    if !rest[..at].trim().is_empty() {
        return None;
    }
    Some((cmp, rest[at + op.len()..].trim().parse().ok()?))
}

/// The first comparison in `text` (the longer one where two start there).
fn first_op(text: &str) -> Option<(usize, &'static str, Cmp)> {
    Cmp::ALL
        .iter()
        .filter_map(|(op, cmp)| text.find(op).map(|at| (at, *op, *cmp)))
        .min_by_key(|(at, op, _)| (*at, usize::MAX - op.len()))
}

/// How a finished run stands against each expectation; `inside`: who held
/// which lock when, as the run went.
pub fn judge(expectations: &[Expectation], state: &RunState, inside: &Inside) -> Vec<Outcome> {
    expectations
        .iter()
        .map(|e| {
            let no_such_value = match &e.check {
                Check::Value { name, .. } if !state.values.iter().any(|v| v.name == *name) => {
                    Some(name.clone())
                }
                _ => None,
            };
            let (actual, ok) = match &e.check {
                Check::NoDeadlock => (None, state.deadlock.is_none()),
                Check::Value { name, cmp, expect } => {
                    let actual = state
                        .values
                        .iter()
                        .find(|v| v.name == *name)
                        .map(|v| v.current);
                    (actual, actual.is_some_and(|a| cmp.holds(a, *expect)))
                }
                Check::MaxInside { lock, cmp, expect } => {
                    let most = inside.peak(lock);
                    (Some(most), cmp.holds(most, *expect))
                }
                Check::Printed { text, cmp, expect } => {
                    let lines = state
                        .output
                        .iter()
                        .filter(|l| {
                            matches!(&l.said, Said::Printed { en, .. } if en.contains(text.as_str()))
                        })
                        .count() as i64;
                    (Some(lines), cmp.holds(lines, *expect))
                }
            };
            Outcome {
                actual,
                expect: e.text.clone(),
                ok,
                no_such_value,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_the_program_never_made_is_named_in_its_outcome() {
        let lesson = crate::python::lesson(std::path::Path::new("p.py"), "").unwrap();
        let state = RunState::new(&lesson, &[]);
        let all = [
            parse("total == 4", 0).unwrap(),
            parse("no deadlock", 0).unwrap(),
        ];
        let o = judge(&all, &state, &Inside::default());
        assert_eq!(o[0].no_such_value.as_deref(), Some("total"));
        assert!(!o[0].ok);
        assert_eq!(o[1].no_such_value, None);
    }

    #[test]
    fn reads_comments_and_the_command_line() {
        let src = "x = 1\nprint(x)  # lockstep: expect counter.value == 80\n# lockstep: expect no deadlock\n";
        let all = from_comments(src).unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].line, 2);
        assert_eq!(
            all[0].check,
            Check::Value {
                name: "counter.value".into(),
                cmp: Cmp::Eq,
                expect: 80
            }
        );
        assert_eq!(all[1].check, Check::NoDeadlock);
        let le = parse("shared['count'] <= -2", 0).unwrap();
        assert!(matches!(
            le.check,
            Check::Value {
                cmp: Cmp::Le,
                expect: -2,
                ..
            }
        ));
        assert!(parse("counter.value == many", 3).is_err());
        assert!(parse("== 3", 3).is_err());
    }

    #[test]
    fn reads_counted_expectations() {
        assert_eq!(
            parse("max_inside(seats) <= 2", 1).unwrap().check,
            Check::MaxInside {
                lock: "seats".into(),
                cmp: Cmp::Le,
                expect: 2
            }
        );
        // The text runs to the last parenthesis, comparisons and all.
        assert_eq!(
            parse("printed(p1 (daemon) <= woke) == 0", 1).unwrap().check,
            Check::Printed {
                text: "p1 (daemon) <= woke".into(),
                cmp: Cmp::Eq,
                expect: 0
            }
        );
        assert!(parse("printed() == 0", 1).is_err());
        assert!(parse("max_inside(lock) x <= 1", 1).is_err());
        assert!(parse("printed(a) == b", 1).is_err());
    }
}
