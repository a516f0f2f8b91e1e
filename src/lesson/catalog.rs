//! The built-in lessons, embedded at build time so `lockstep` runs from any directory.

use super::Lesson;

/// (id, lesson JSON, Python listing), in the order the app lists them.
const BUILTINS: &[(&str, &str, &str)] = &[
    (
        "ticket",
        include_str!("../../scenarios/ticket.json"),
        include_str!("../../assets/lessons/ticket.py"),
    ),
    (
        "bathroom",
        include_str!("../../scenarios/bathroom.json"),
        include_str!("../../assets/lessons/bathroom.py"),
    ),
    (
        "counter",
        include_str!("../../scenarios/counter.json"),
        include_str!("../../assets/lessons/counter.py"),
    ),
    (
        "guests",
        include_str!("../../scenarios/guests.json"),
        include_str!("../../assets/lessons/guests.py"),
    ),
    (
        "pool",
        include_str!("../../scenarios/pool.json"),
        include_str!("../../assets/lessons/pool.py"),
    ),
    (
        "join",
        include_str!("../../scenarios/join.json"),
        include_str!("../../assets/lessons/join.py"),
    ),
    (
        "isolation",
        include_str!("../../scenarios/isolation.json"),
        include_str!("../../assets/lessons/isolation.py"),
    ),
    (
        "daemon",
        include_str!("../../scenarios/daemon.json"),
        include_str!("../../assets/lessons/daemon.py"),
    ),
    (
        "terminate",
        include_str!("../../scenarios/terminate.json"),
        include_str!("../../assets/lessons/terminate.py"),
    ),
    (
        "zombie",
        include_str!("../../scenarios/zombie.json"),
        include_str!("../../assets/lessons/zombie.py"),
    ),
    (
        "event",
        include_str!("../../scenarios/event.json"),
        include_str!("../../assets/lessons/event.py"),
    ),
    (
        "pipe",
        include_str!("../../scenarios/pipe.json"),
        include_str!("../../assets/lessons/pipe.py"),
    ),
    (
        "queue",
        include_str!("../../scenarios/queue.json"),
        include_str!("../../assets/lessons/queue.py"),
    ),
    (
        "chat",
        include_str!("../../scenarios/chat.json"),
        include_str!("../../assets/lessons/chat.py"),
    ),
    (
        "alive",
        include_str!("../../scenarios/alive.json"),
        include_str!("../../assets/lessons/alive.py"),
    ),
    (
        "ppid",
        include_str!("../../scenarios/ppid.json"),
        include_str!("../../assets/lessons/ppid.py"),
    ),
    (
        "orphan",
        include_str!("../../scenarios/orphan.json"),
        include_str!("../../assets/lessons/orphan.py"),
    ),
    (
        "rlock",
        include_str!("../../scenarios/rlock.json"),
        include_str!("../../assets/lessons/rlock.py"),
    ),
];

pub fn builtin_ids() -> impl Iterator<Item = &'static str> {
    BUILTINS.iter().map(|(id, _, _)| *id)
}

/// A built-in lesson by id; its listing comes from `assets/lessons/<id>.py`.
pub fn builtin(id: &str) -> Option<Lesson> {
    let (id, json, listing) = BUILTINS.iter().find(|(i, _, _)| *i == id)?;
    let file = format!("scenarios/{id}.json");
    let mut lesson = match Lesson::parse(json, &file) {
        Ok(l) => l,
        // The tests load every built-in lesson, so this cannot ship broken.
        Err(e) => panic!("built-in lesson is invalid: {e}"),
    };
    if lesson.listing.is_empty() {
        lesson.listing = listing.lines().map(str::to_string).collect();
    }
    Some(lesson)
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
}
