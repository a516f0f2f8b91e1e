//! What a program says should hold, in a comment
//! (`# lockstep: expect counter.value == 80`, `# lockstep: expect no
//! deadlock`) or on the command line (`--expect`), and whether a run held it.

use serde::Serialize;

use super::PyError;
use crate::model::RunState;

/// The comment that states an expectation.
pub const MARK: &str = "# lockstep: expect";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    /// A shared value's final value against a number.
    Value { name: String, cmp: Cmp, expect: i64 },
    /// The run does not get stuck.
    NoDeadlock,
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

/// Whether a finished run held one expectation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outcome {
    /// What it measured (a value's final value), if anything.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actual: Option<i64>,
    pub expect: String,
    pub ok: bool,
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

/// Read one expectation: `NAME OP INTEGER` or `no deadlock`.
pub fn parse(text: &str, line: u32) -> Result<Expectation, PyError> {
    let text = text.trim();
    let bad = || PyError::BadExpectation {
        line,
        text: text.to_string(),
    };
    let check = if text == "no deadlock" {
        Check::NoDeadlock
    } else {
        let (at, op, cmp) = Cmp::ALL
            .iter()
            .filter_map(|(op, cmp)| text.find(op).map(|at| (at, *op, *cmp)))
            .min_by_key(|(at, op, _)| (*at, usize::MAX - op.len()))
            .ok_or_else(bad)?;
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

/// How a finished run stands against each expectation.
pub fn judge(expectations: &[Expectation], state: &RunState) -> Vec<Outcome> {
    expectations
        .iter()
        .map(|e| match &e.check {
            Check::NoDeadlock => Outcome {
                actual: None,
                expect: e.text.clone(),
                ok: state.deadlock.is_none(),
            },
            Check::Value { name, cmp, expect } => {
                let actual = state
                    .values
                    .iter()
                    .find(|v| v.name == *name)
                    .map(|v| v.current);
                Outcome {
                    actual,
                    expect: e.text.clone(),
                    ok: actual.is_some_and(|a| cmp.holds(a, *expect)),
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
