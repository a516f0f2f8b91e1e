//! The sentences of a real Python program's run, in English and Chinese:
//! why it cannot start (no interpreter, too old, a syntax error), and its
//! summary (values, expectations, where each process stopped).

use crate::lesson::{Lang, Rule, Text};
use crate::model::RunState;
use crate::python::{Outcome, PyError};
use crate::wire::ProcId;

/// Why a program cannot be run.
pub fn error(lang: Lang, e: &PyError) -> String {
    match (e, lang) {
        (PyError::NoInterpreter { path }, Lang::En) => format!(
            "failed to find a Python interpreter: `{}` does not run (install Python 3.8 or newer, or name one with --interpreter PATH)",
            path.display()
        ),
        (PyError::NoInterpreter { path }, Lang::Zh) => format!(
            "找不到 Python 解释器：`{}` 无法运行（请安装 Python 3.8 或更新版本，或用 --interpreter PATH 指定）",
            path.display()
        ),
        (PyError::TooOld { path, version }, Lang::En) => format!(
            "failed to use `{}`: it is Python {version}, lockstep needs 3.8 or newer (name another with --interpreter PATH)",
            path.display()
        ),
        (PyError::TooOld { path, version }, Lang::Zh) => format!(
            "无法使用 `{}`：它是 Python {version}，lockstep 需要 3.8 或更新版本（可用 --interpreter PATH 指定另一个）",
            path.display()
        ),
        (
            PyError::Syntax {
                file,
                line,
                column,
                message,
            },
            Lang::En,
        ) => format!(
            "{}:{line}:{column}: syntax error: {message} (no process was started)",
            file.display()
        ),
        (
            PyError::Syntax {
                file,
                line,
                column,
                message,
            },
            Lang::Zh,
        ) => format!(
            "{}:{line}:{column}：语法错误：{message}（没有启动任何进程）",
            file.display()
        ),
        (PyError::Unreadable { file, message }, Lang::En) => {
            format!("failed to read `{}`: {message}", file.display())
        }
        (PyError::Unreadable { file, message }, Lang::Zh) => {
            format!("无法读取 `{}`：{message}", file.display())
        }
        (PyError::BadExpectation { line, text }, Lang::En) => format!(
            "failed to read the expectation `{text}`{}: write `NAME == NUMBER` (or !=, <, <=, >, >=), `max_inside(LOCK) <= N`, `printed(TEXT) == N` or `no deadlock`",
            at_line(*line, lang)
        ),
        (PyError::BadExpectation { line, text }, Lang::Zh) => format!(
            "无法读取预期 `{text}`{}：请写成 `名字 == 数字`（或 !=、<、<=、>、>=）、`max_inside(锁) <= N`、`printed(文字) == N` 或 `no deadlock`",
            at_line(*line, lang)
        ),
    }
}

/// A usage error (English only, like clap's own messages around it).
pub fn flags_not_for_programs() -> String {
    "--unlocked, --off, --procs and --save do not apply to a Python program yet".into()
}

fn at_line(line: u32, lang: Lang) -> String {
    match (line, lang) {
        (0, Lang::En) => " (--expect)".into(),
        (0, Lang::Zh) => "（--expect）".into(),
        (n, Lang::En) => format!(" (line {n})"),
        (n, Lang::Zh) => format!("（第 {n} 行）"),
    }
}

/// "program counter.py · Python 3.11.7".
pub fn heading(lang: Lang, name: &str, version: &str) -> String {
    match lang {
        Lang::En => format!("program {name} · Python {version}"),
        Lang::Zh => format!("程序 {name} · Python {version}"),
    }
}

/// "values: counter.value = 80, …" (`None` when the program made none).
pub fn values_line(lang: Lang, state: &RunState) -> Option<String> {
    if state.values.is_empty() {
        return None;
    }
    let all: Vec<String> = state
        .values
        .iter()
        .map(|v| format!("{} = {}", v.name, v.current))
        .collect();
    Some(match lang {
        Lang::En => format!("values: {}", all.join(", ")),
        Lang::Zh => format!("共享值：{}", all.join("，")),
    })
}

/// "expect counter.value == 80: holds (80)" / "… does not hold (79)".
pub fn outcome_line(lang: Lang, o: &Outcome) -> String {
    let actual = match (&o.no_such_value, lang) {
        (Some(name), Lang::En) => format!(" (the program made no shared value named {name})"),
        (Some(name), Lang::Zh) => format!("（程序没有名为 {name} 的共享值）"),
        (None, _) => o.actual.map(|a| format!(" ({a})")).unwrap_or_default(),
    };
    match (lang, o.ok) {
        (Lang::En, true) => format!("expect {}: holds{actual}", o.expect),
        (Lang::En, false) => format!("expect {}: does not hold{actual}", o.expect),
        (Lang::Zh, true) => format!("预期 {}：成立{actual}", o.expect),
        (Lang::Zh, false) => format!("预期 {}：不成立{actual}", o.expect),
    }
}

/// "no expectation: add `# lockstep: expect NAME == NUMBER` for a verdict".
pub fn no_expectation(lang: Lang) -> String {
    match lang {
        Lang::En => "no expectation: add `# lockstep: expect NAME == NUMBER` for a verdict".into(),
        Lang::Zh => "没有预期：加上 `# lockstep: expect 名字 == 数字` 即可得到结论".into(),
    }
}

/// "P2 p (pid 4242) at counter.py:12 acquire lock" for a deadlock or a stop.
pub fn site_line(lang: Lang, state: &RunState, p: usize) -> Option<String> {
    let proc = state.procs.get(p)?;
    let site = proc.site.as_ref()?;
    let what = format!("{} {}", site.op, site.name);
    let pid = proc.pid.unwrap_or(0);
    Some(match lang {
        Lang::En => format!(
            "{} {} (pid {pid}) at {}:{}: {}",
            ProcId(p),
            proc.role,
            site.file,
            site.line,
            what.trim()
        ),
        Lang::Zh => format!(
            "{} {}（pid {pid}）位于 {}:{}：{}",
            ProcId(p),
            proc.role,
            site.file,
            site.line,
            what.trim()
        ),
    })
}

/// How `lockstep explore PROGRAM.py` chose its schedules.
pub fn search_line(lang: Lang, random: Option<(usize, u64)>) -> String {
    match (lang, random) {
        (Lang::En, None) => "every distinct schedule, a fresh CPython each time".into(),
        (Lang::Zh, None) => "所有不同的调度，每次都用全新的 CPython".into(),
        (Lang::En, Some((runs, seed))) => format!("random search: {runs} schedules (seed {seed})"),
        (Lang::Zh, Some((runs, seed))) => format!("随机搜索：{runs} 个调度（seed {seed}）"),
    }
}

/// Which of a program's steps were not interleaved.
pub fn reduced_line(lang: Lang, reduced: bool) -> &'static str {
    match (lang, reduced) {
        (Lang::En, true) => {
            "reduced: print, sleep and a lock that is off touch nothing shared and run at once, not interleaved"
        }
        (Lang::Zh, true) => "已约简：print、sleep 和关掉的锁不碰共享数据，立即执行，不参与交错",
        (Lang::En, false) => "not reduced: every step is interleaved",
        (Lang::Zh, false) => "未约简：每一步都参与交错",
    }
}

/// "counter.value at the end: 1 in 4 schedules, 2 in 2".
pub fn distribution_line(
    lang: Lang,
    name: &str,
    dist: &std::collections::BTreeMap<i64, usize>,
) -> String {
    let parts: Vec<String> = dist
        .iter()
        .enumerate()
        .map(|(i, (value, n))| match (lang, i) {
            (Lang::En, 0) if *n == 1 => format!("{value} in 1 schedule"),
            (Lang::En, 0) => format!("{value} in {n} schedules"),
            (Lang::En, _) => format!("{value} in {n}"),
            (Lang::Zh, _) => format!("{value}：{n} 个调度"),
        })
        .collect();
    match lang {
        Lang::En => format!("{name} at the end: {}", parts.join(", ")),
        Lang::Zh => format!("{name} 的最终值：{}", parts.join("，")),
    }
}

/// The app's verdict on a program's expectation of `name` (a value,
/// `max_inside(lock)`, `printed(TEXT)`) under `rule`: its quantity, and its
/// sentences when it holds and when not (`{actual}`, `{expected}` filled
/// in by `words::run`).
pub fn check_texts(name: &str, rule: Rule) -> (Text, Text, Text) {
    let (en, zh) = match rule {
        Rule::Equal => ("", ""),
        Rule::AtMost => ("at most ", " 至多"),
        Rule::AtLeast => ("at least ", " 至少"),
    };
    (
        Text {
            en: name.to_string(),
            zh: Some(name.to_string()),
        },
        Text {
            en: format!("{name} is {{actual}}, as the program expects"),
            zh: Some(format!("{name} 是 {{actual}}，与程序的预期相符")),
        },
        Text {
            en: format!("{name} is {{actual}}, the program expects {en}{{expected}}"),
            zh: Some(format!("{name} 是 {{actual}}，程序预期{zh} {{expected}}")),
        },
    )
}

/// The app's card (`i`) for a learner's own program: what runs it, and
/// what it expects (its `# lockstep: expect` lines, as written).
pub fn program_card(version: &str, expects: &[String]) -> (Text, Text) {
    let summary = Text {
        en: format!(
            "Your own program, run by CPython {version}: every process is real, and each operation another process can see (a lock, a shared value, a queue, a print…) is a step."
        ),
        zh: Some(format!(
            "你自己的程序，由 CPython {version} 运行：每个进程都是真实的，其他进程能看到的每个操作（锁、共享数据、队列、print……）都是一步。"
        )),
    };
    let list = expects.join("; ");
    let story = if expects.is_empty() {
        Text {
            en: "It states no expectation: add a line `# lockstep: expect NAME == NUMBER` (or `no deadlock`, `max_inside(LOCK) <= N`, `printed(TEXT) == N`) for a verdict.".into(),
            zh: Some("它没有写预期：加一行 `# lockstep: expect 名字 == 数字`（或 `no deadlock`、`max_inside(锁) <= N`、`printed(文字) == N`）就有判定。".into()),
        }
    } else {
        Text {
            en: format!(
                "What it expects (its `# lockstep: expect` lines): {list}. The verdict line follows the first one it can show."
            ),
            zh: Some(format!(
                "它的预期（`# lockstep: expect` 行）：{list}。判定行显示其中第一个能显示的。"
            )),
        }
    };
    (summary, story)
}

impl std::fmt::Display for PyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&error(Lang::En, self))
    }
}
