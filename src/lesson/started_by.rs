//! Who starts whom in a lesson (`started_by`): which roles are started by which, so the
//! loader can check every `start` and the `arg` a child is given.

use super::{Lesson, Op, Step};

/// The role is started by another process (it has `started_by`).
pub fn is_started(lesson: &Lesson, role: &str) -> bool {
    lesson
        .processes
        .iter()
        .any(|p| p.role == role && p.started_by.is_some())
}

/// A program gives `name` a value somewhere (read, set, start, …).
pub fn assigns(steps: &[Step], name: &str) -> bool {
    steps.iter().any(|s| match &s.op {
        Op::Read { into, .. }
        | Op::IsAlive { into, .. }
        | Op::Exitcode { into, .. }
        | Op::Clock { into } => into == name,
        Op::Set { local, .. } => local == name,
        Op::Start { handle, .. } => handle == name,
        op => super::ipc::assigned_local(op).is_some_and(|(_, into)| into == name),
    })
}

/// A program of role `parent` may start processes of role `child` only if
/// `processes` says `child` is `started_by` that role.
pub fn check_start(lesson: &Lesson, parent: &str, child: &str) -> Result<(), String> {
    let Some(decl) = lesson.processes.iter().find(|p| p.role == child) else {
        return Err(format!(
            "no role `{child}` in processes: declare it with \"started_by\": \"{parent}\""
        ));
    };
    match &decl.started_by {
        Some(by) if by == parent => Ok(()),
        Some(by) => Err(format!(
            "role `{child}` is started by `{by}`, not by `{parent}`"
        )),
        None => Err(format!(
            "role `{child}` starts with the run; to start it from `{parent}`, declare it with \"started_by\": \"{parent}\""
        )),
    }
}

#[cfg(test)]
mod tests {
    use crate::lesson::Lesson;

    fn tree(processes: &str, programs: &str) -> Result<Lesson, String> {
        let text = format!(
            r#"{{"id": "t", "title": {{"en": "t"}}, "summary": {{"en": "s"}}, "story": {{"en": "s"}},
            "processes": [{processes}],
            "programs": {{{programs}}},
            "check": {{"measure": "zombies", "expect": 0, "rule": "at_least",
                      "quantity": {{"en": "q"}}, "ok": {{"en": "ok"}}, "broken": {{"en": "b"}}}}}}"#
        );
        Lesson::parse(&text, "t.json").map_err(|e| e.to_string())
    }

    const MAIN_KID: &str = r#"{"role": "main"}, {"role": "kid", "count": 2, "started_by": "main"}"#;

    #[test]
    fn children_get_slots_after_their_parents() {
        let l = tree(
            MAIN_KID,
            r#""main": [{"op": "start", "role": "kid", "as": "p", "arg": "1"}, {"op": "join", "proc": "p"}],
               "kid": [{"op": "sleep_for", "expr": "arg"}]"#,
        )
        .unwrap();
        let slots = l.slots();
        assert_eq!(slots.len(), 3);
        assert_eq!(slots[0].parent, None);
        assert_eq!((slots[1].parent, slots[2].parent), (Some(1), Some(1)));
        assert_eq!(slots[2].index, 1);
    }

    #[test]
    fn a_start_must_name_a_role_this_program_starts() {
        let e = tree(
            r#"{"role": "main"}, {"role": "kid"}"#,
            r#""main": [{"op": "start", "role": "kid", "as": "p"}], "kid": [{"op": "exit"}]"#,
        )
        .unwrap_err();
        assert!(
            e.contains("programs.main[0].role") && e.contains("started_by"),
            "{e}"
        );
        let e = tree(
            r#"{"role": "kid", "started_by": "main"}, {"role": "main"}"#,
            r#""main": [{"op": "exit"}], "kid": [{"op": "exit"}]"#,
        )
        .unwrap_err();
        assert!(e.contains("processes[0].started_by"), "{e}");
    }

    #[test]
    fn arg_is_for_started_children_and_handles_must_be_set() {
        let e = tree(
            MAIN_KID,
            r#""main": [{"op": "sleep_for", "expr": "arg"}], "kid": [{"op": "exit"}]"#,
        )
        .unwrap_err();
        assert!(e.contains("`arg` is never given a value"), "{e}");
        let e = tree(
            MAIN_KID,
            r#""main": [{"op": "join", "proc": "q"}], "kid": [{"op": "exit"}]"#,
        )
        .unwrap_err();
        assert!(e.contains("programs.main[0].proc"), "{e}");
    }
}
