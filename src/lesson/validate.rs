//! Meaning checks on a parsed lesson: every name it uses is declared, every
//! jump lands, every number is in range. Each error carries the field path.
//!
//! The checks run in the order of the file's sections, so the first error
//! reported is always the same one: declarations, processes, programs, the
//! pool, the check, its sentences, the goals.

mod declarations;
mod pool;
mod program;
mod verdict;

use std::collections::BTreeSet;

use super::Lesson;
use super::locate::Seg;

type Failure = (Vec<Seg>, String);

/// Names become file and semaphore names, so they are kept to a safe alphabet.
pub fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && name.len() <= 32
}

/// Locals every process has without assigning them.
pub const BUILTIN_LOCALS: [&str; 5] = ["n", "pid", "ppid", "index", "arg"];

const MAX_SLEEP_MS: u64 = 600_000;
const MAX_PERMITS: u32 = 10_000;
const MAX_STEPS: usize = 10_000;
/// The longest text a process prints, in bytes: every process of a run
/// gets the whole lesson, and every print is kept. (A sent text has its
/// own, smaller limit: see `ipc`.)
const MAX_TEXT_BYTES: usize = 4096;

fn key(k: &str) -> Seg {
    Seg::Key(k.to_string())
}

fn at(path: &[Seg], more: &[Seg]) -> Vec<Seg> {
    let mut p = path.to_vec();
    p.extend_from_slice(more);
    p
}

fn list(names: &BTreeSet<&str>) -> String {
    if names.is_empty() {
        "none declared".to_string()
    } else {
        let v: Vec<&str> = names.iter().copied().collect();
        format!("declared: {}", v.join(", "))
    }
}

fn check_name(path: Vec<Seg>, name: &str) -> Result<(), Failure> {
    if valid_name(name) {
        Ok(())
    } else {
        Err((
            path,
            format!(
                "`{name}` is not a valid name: use 1–32 lowercase letters, digits or `_`, starting with a letter or `_`"
            ),
        ))
    }
}

/// Declared names of one kind, refusing duplicates and bad names.
fn declared<'a>(
    items: impl Iterator<Item = (Vec<Seg>, &'a str)>,
    what: &str,
) -> Result<BTreeSet<&'a str>, Failure> {
    let mut set = BTreeSet::new();
    for (path, name) in items {
        check_name(path.clone(), name)?;
        if !set.insert(name) {
            return Err((path, format!("{what} `{name}` is declared twice")));
        }
    }
    Ok(set)
}

/// Check a parsed lesson; the error is the path of the field at fault and why.
pub fn check(lesson: &Lesson) -> Result<(), Failure> {
    check_name(vec![key("id")], &lesson.id)?;
    if !(lesson.speed.is_finite() && lesson.speed > 0.0) {
        return Err((vec![key("speed")], "speed must be a number above 0".into()));
    }
    if !lesson.listing_zh.is_empty() && lesson.listing_zh.len() != lesson.listing.len() {
        return Err((
            vec![key("listing_zh")],
            format!(
                "the Chinese listing has {} lines, the listing {}: give them line for line",
                lesson.listing_zh.len(),
                lesson.listing.len()
            ),
        ));
    }
    let mut names = declarations::declared_names(lesson)?;
    let total = declarations::check_processes(lesson, &names.roles)?;
    names.globals = declarations::check_globals(lesson)?;
    if total == 0 && lesson.pool.is_none() {
        return Err((
            vec![key("processes")],
            "a lesson needs at least one process".into(),
        ));
    }
    let outcomes = program::check_programs(lesson, &names)?;
    if let Some(pool) = &lesson.pool {
        pool::check_pool(pool, &lesson.check.measure, &names.roles)?;
    }
    verdict::check_measure(lesson, &names, &outcomes)?;
    verdict::check_expect_per_process(lesson)?;
    verdict::check_sentences(lesson)?;
    verdict::check_outcome(lesson, &names, &outcomes)?;
    verdict::check_goals(lesson)
}

#[cfg(test)]
mod tests {
    use super::valid_name;

    fn lesson_with(ops: &str) -> Result<crate::lesson::Lesson, crate::lesson::LessonError> {
        let text = format!(
            r#"{{"id": "x", "title": {{"en": "t"}}, "summary": {{"en": "s"}}, "story": {{"en": "s"}},
            "values": [{{"name": "v", "initial": 0}}],
            "processes": [{{"role": "w"}}],
            "programs": {{"w": [{ops}]}},
            "check": {{"measure": {{"final_value": "v"}}, "expect": 0, "rule": "equal",
                      "quantity": {{"en": "q"}}, "ok": {{"en": "ok"}}, "broken": {{"en": "b"}}}}}}"#
        );
        crate::lesson::Lesson::parse(&text, "x.json")
    }

    #[test]
    fn built_in_locals_cannot_be_assigned_and_arg_is_only_for_pool_tasks() {
        let e = lesson_with(r#"{"op": "set", "local": "n", "expr": "1"}"#).unwrap_err();
        assert!(e.to_string().contains("programs.w[0].local"), "{e}");
        assert!(e.to_string().contains("built-in"), "{e}");
        let e = lesson_with(r#"{"op": "read", "value": "v", "into": "pid"}"#).unwrap_err();
        assert!(e.to_string().contains("programs.w[0].into"), "{e}");
        let e = lesson_with(r#"{"op": "write", "value": "v", "expr": "arg + 1"}"#).unwrap_err();
        assert!(
            e.to_string().contains("`arg` is never given a value"),
            "{e}"
        );
        assert!(lesson_with(r#"{"op": "write", "value": "v", "expr": "n + index"}"#).is_ok());
    }

    #[test]
    fn names_stay_in_a_safe_alphabet() {
        assert!(valid_name("count"));
        assert!(valid_name("_x1"));
        assert!(!valid_name("../etc"));
        assert!(!valid_name("Count"));
        assert!(!valid_name(""));
        assert!(!valid_name("1abc"));
        assert!(!valid_name(&"a".repeat(33)));
    }
}
