//! The loader on events, pipes and queues: good operations load; bad ones
//! name the field at fault.

use crate::lesson::Lesson;

fn lesson(decls: &str, ops: &str) -> Result<Lesson, String> {
    let text = format!(
        r#"{{"id": "x", "title": {{"en": "t"}}, "summary": {{"en": "s"}}, "story": {{"en": "s"}},
        {decls}
        "processes": [{{"role": "w"}}],
        "programs": {{"w": [{ops}, {{"op": "exit", "label": "out"}}]}},
        "check": {{"measure": {{"outcome": "o"}}, "expect": 0, "rule": "equal",
                  "quantity": {{"en": "q"}}, "ok": {{"en": "ok"}}, "broken": {{"en": "b"}}}}}}"#
    );
    let ops_with_count = text.replace(
        r#"{"op": "exit", "label": "out"}"#,
        r#"{"op": "count", "outcome": "o"}, {"op": "exit", "label": "out"}"#,
    );
    Lesson::parse(&ops_with_count, "x.json").map_err(|e| e.to_string())
}

#[test]
fn ipc_operations_name_what_they_use_and_bad_ones_are_refused_with_the_field() {
    let ok = lesson(
        r#""events": [{"name": "done"}], "pipes": [{"name": "p", "ends": ["a", "b"]}],
           "queues": [{"name": "q", "joinable": true}],"#,
        r#"{"op": "event_wait", "event": "done", "into": "up"},
           {"op": "pipe_send", "end": "a", "text": {"en": "hi {up}"}},
           {"op": "pipe_recv", "end": "b", "into": "m", "eof": "out"},
           {"op": "queue_put", "queue": "q", "expr": "up + 1"},
           {"op": "queue_get", "queue": "q", "into": "item", "timeout_ms": 10, "empty": "out"},
           {"op": "task_done", "queue": "q"}, {"op": "queue_join", "queue": "q"}"#,
    );
    assert!(ok.is_ok(), "{ok:?}");
    let cases = [
        (
            r#""events": [{"name": "done"}],"#,
            r#"{"op": "event_set", "event": "ready"}"#,
            "programs.w[0].event",
            "no event named `ready` (declared: done)",
        ),
        (
            r#""pipes": [{"name": "p", "ends": ["r", "w"], "duplex": false}],"#,
            r#"{"op": "pipe_send", "end": "r", "expr": "1"}"#,
            "programs.w[0].end",
            "receiving end of a one-way pipe",
        ),
        (
            r#""pipes": [{"name": "p", "ends": ["a", "b"]}],"#,
            r#"{"op": "pipe_recv", "end": "a", "into": "m", "eof": "nowhere"}"#,
            "programs.w[0].eof",
            "no label named `nowhere`",
        ),
        (
            r#""queues": [{"name": "q"}],"#,
            r#"{"op": "task_done", "queue": "q"}"#,
            "programs.w[0].queue",
            "not joinable",
        ),
        (
            r#""queues": [{"name": "q"}],"#,
            r#"{"op": "queue_get", "queue": "q", "into": "i", "timeout_ms": 5}"#,
            "programs.w[0].empty",
            "needs `empty`",
        ),
        (
            r#""queues": [{"name": "q"}],"#,
            r#"{"op": "queue_put", "queue": "q", "expr": "1", "text": {"en": "x"}}"#,
            "programs.w[0].expr",
            "exactly one of `expr`",
        ),
        (
            r#""locks": [{"name": "q"}], "queues": [{"name": "q"}],"#,
            r#"{"op": "exit"}"#,
            "queues[0].name",
            "declared twice",
        ),
    ];
    for (decls, ops, field, msg) in cases {
        let e = lesson(decls, ops).unwrap_err();
        assert!(e.contains(&format!("field `{field}`")), "{e}");
        assert!(e.contains(msg), "{e}");
    }
}
