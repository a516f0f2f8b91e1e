//! The built-in lessons, embedded at build time so `lockstep` runs from any directory.

use super::Lesson;

/// (id, lesson JSON, Python listing, its Chinese listing), in the order
/// the app lists them.
const BUILTINS: &[(&str, &str, &str, &str)] = &[
    (
        "ticket",
        include_str!("../../scenarios/ticket.json"),
        include_str!("../../assets/lessons/ticket.py"),
        include_str!("../../assets/lessons/zh/ticket.py"),
    ),
    (
        "bathroom",
        include_str!("../../scenarios/bathroom.json"),
        include_str!("../../assets/lessons/bathroom.py"),
        include_str!("../../assets/lessons/zh/bathroom.py"),
    ),
    (
        "counter",
        include_str!("../../scenarios/counter.json"),
        include_str!("../../assets/lessons/counter.py"),
        include_str!("../../assets/lessons/zh/counter.py"),
    ),
    (
        "guests",
        include_str!("../../scenarios/guests.json"),
        include_str!("../../assets/lessons/guests.py"),
        include_str!("../../assets/lessons/zh/guests.py"),
    ),
    (
        "pool",
        include_str!("../../scenarios/pool.json"),
        include_str!("../../assets/lessons/pool.py"),
        include_str!("../../assets/lessons/zh/pool.py"),
    ),
    (
        "join",
        include_str!("../../scenarios/join.json"),
        include_str!("../../assets/lessons/join.py"),
        include_str!("../../assets/lessons/zh/join.py"),
    ),
    (
        "isolation",
        include_str!("../../scenarios/isolation.json"),
        include_str!("../../assets/lessons/isolation.py"),
        include_str!("../../assets/lessons/zh/isolation.py"),
    ),
    (
        "daemon",
        include_str!("../../scenarios/daemon.json"),
        include_str!("../../assets/lessons/daemon.py"),
        include_str!("../../assets/lessons/zh/daemon.py"),
    ),
    (
        "terminate",
        include_str!("../../scenarios/terminate.json"),
        include_str!("../../assets/lessons/terminate.py"),
        include_str!("../../assets/lessons/zh/terminate.py"),
    ),
    (
        "zombie",
        include_str!("../../scenarios/zombie.json"),
        include_str!("../../assets/lessons/zombie.py"),
        include_str!("../../assets/lessons/zh/zombie.py"),
    ),
    (
        "event",
        include_str!("../../scenarios/event.json"),
        include_str!("../../assets/lessons/event.py"),
        include_str!("../../assets/lessons/zh/event.py"),
    ),
    (
        "pipe",
        include_str!("../../scenarios/pipe.json"),
        include_str!("../../assets/lessons/pipe.py"),
        include_str!("../../assets/lessons/zh/pipe.py"),
    ),
    (
        "queue",
        include_str!("../../scenarios/queue.json"),
        include_str!("../../assets/lessons/queue.py"),
        include_str!("../../assets/lessons/zh/queue.py"),
    ),
    (
        "chat",
        include_str!("../../scenarios/chat.json"),
        include_str!("../../assets/lessons/chat.py"),
        include_str!("../../assets/lessons/zh/chat.py"),
    ),
    (
        "alive",
        include_str!("../../scenarios/alive.json"),
        include_str!("../../assets/lessons/alive.py"),
        include_str!("../../assets/lessons/zh/alive.py"),
    ),
    (
        "ppid",
        include_str!("../../scenarios/ppid.json"),
        include_str!("../../assets/lessons/ppid.py"),
        include_str!("../../assets/lessons/zh/ppid.py"),
    ),
    (
        "orphan",
        include_str!("../../scenarios/orphan.json"),
        include_str!("../../assets/lessons/orphan.py"),
        include_str!("../../assets/lessons/zh/orphan.py"),
    ),
    (
        "rlock",
        include_str!("../../scenarios/rlock.json"),
        include_str!("../../assets/lessons/rlock.py"),
        include_str!("../../assets/lessons/zh/rlock.py"),
    ),
    (
        "daemon_child",
        include_str!("../../scenarios/daemon_child.json"),
        include_str!("../../assets/lessons/daemon_child.py"),
        include_str!("../../assets/lessons/zh/daemon_child.py"),
    ),
    (
        "value_array",
        include_str!("../../scenarios/value_array.json"),
        include_str!("../../assets/lessons/value_array.py"),
        include_str!("../../assets/lessons/zh/value_array.py"),
    ),
    (
        "pool_apply",
        include_str!("../../scenarios/pool_apply.json"),
        include_str!("../../assets/lessons/pool_apply.py"),
        include_str!("../../assets/lessons/zh/pool_apply.py"),
    ),
];

pub fn builtin_ids() -> impl Iterator<Item = &'static str> {
    BUILTINS.iter().map(|(id, _, _, _)| *id)
}

/// A built-in lesson by id; its listings come from `assets/lessons/<id>.py`
/// and `assets/lessons/zh/<id>.py`.
pub fn builtin(id: &str) -> Option<Lesson> {
    let (id, json, listing, listing_zh) = BUILTINS.iter().find(|(i, _, _, _)| *i == id)?;
    let file = format!("scenarios/{id}.json");
    let mut lesson = match Lesson::parse(json, &file) {
        Ok(l) => l,
        // The tests load every built-in lesson, so this cannot ship broken.
        Err(e) => panic!("built-in lesson is invalid: {e}"),
    };
    if lesson.listing.is_empty() {
        lesson.listing = listing.lines().map(str::to_string).collect();
    }
    if lesson.listing_zh.is_empty() {
        lesson.listing_zh = listing_zh.lines().map(str::to_string).collect();
    }
    Some(lesson)
}

/// The built-in id closest to `name` (a typo: at most two letters added,
/// dropped or changed, or the start of exactly one id), if there is one.
pub fn closest_builtin(name: &str) -> Option<&'static str> {
    let name = name.to_lowercase();
    let starts: Vec<&str> = builtin_ids().filter(|id| id.starts_with(&name)).collect();
    if let [only] = starts.as_slice()
        && name.len() >= 2
    {
        return Some(only);
    }
    builtin_ids()
        .map(|id| (edits(&name, id), id))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, id)| id)
}

/// Levenshtein distance: letters added, dropped or changed.
fn edits(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let here = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(here + 1);
            prev = here;
        }
    }
    row[b.len()]
}

pub fn builtins() -> Vec<Lesson> {
    builtin_ids().filter_map(builtin).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_lesson_loads_and_lines_fit_its_listing() {
        for id in builtin_ids() {
            let lesson = builtin(id).unwrap();
            assert_eq!(lesson.id, id);
            assert!(!lesson.listing.is_empty(), "{id} has no listing");
            for (role, steps) in &lesson.programs {
                for (i, s) in steps.iter().enumerate() {
                    assert!(
                        s.line >= 1 && (s.line as usize) <= lesson.listing.len(),
                        "{id}: programs.{role}[{i}] line {} outside listing",
                        s.line
                    );
                }
            }
        }
    }

    #[test]
    fn a_typo_finds_the_closest_builtin_id() {
        assert_eq!(closest_builtin("countr"), Some("counter"));
        assert_eq!(closest_builtin("tiket"), Some("ticket"));
        assert_eq!(closest_builtin("Zombi"), Some("zombie"));
        assert_eq!(closest_builtin("iso"), Some("isolation"));
        assert_eq!(closest_builtin("hello"), None);
        assert_eq!(closest_builtin("lesson.json"), None);
    }

    /// The Chinese listing is the same program: line for line, with the
    /// same indent, code where the English has code.
    #[test]
    fn every_chinese_listing_matches_its_english_one_line_for_line() {
        let indent = |l: &str| l.len() - l.trim_start().len();
        for id in builtin_ids() {
            let lesson = builtin(id).unwrap();
            assert_eq!(lesson.listing_zh.len(), lesson.listing.len(), "{id}");
            for (i, (en, zh)) in lesson.listing.iter().zip(&lesson.listing_zh).enumerate() {
                let (en_code, zh_code) = (
                    super::super::listing::statement(en),
                    super::super::listing::statement(zh),
                );
                assert_eq!(en_code.is_empty(), zh_code.is_empty(), "{id}:{}", i + 1);
                if !en_code.is_empty() {
                    assert_eq!(indent(en), indent(zh), "{id}:{}", i + 1);
                }
            }
        }
    }
}
