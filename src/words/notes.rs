//! The one-line notes the app shows under a run after a key: a step that
//! cannot be taken, a SIGTERM sent, an undo, a replay's progress.

use crate::lesson::{Lang, Text};
use crate::model::facts::Blocked;
use crate::model::{ProcId, RunState};

/// A note in both languages.
pub fn note(en: String, zh: String) -> Text {
    Text { en, zh: Some(zh) }
}

/// A note that reads the same in both languages (an OS error, say).
pub fn same(text: String) -> Text {
    Text { en: text, zh: None }
}

/// Why a process cannot be stepped, processes named as in the lanes.
pub fn blocked(b: &Blocked, state: &RunState) -> Text {
    let names = super::run::Names::Listing(state);
    note(
        super::run::blocked_as(b, Lang::En, names),
        super::run::blocked_as(b, Lang::Zh, names),
    )
}

pub fn still_moving() -> Text {
    note(
        "another process is still moving: try again".into(),
        "另一个进程还在运行：请再试一次".into(),
    )
}

pub fn nobody_can_move() -> Text {
    note(
        "no process can move right now".into(),
        "现在没有进程可以前进".into(),
    )
}

pub fn run_over() -> Text {
    note(
        "the run is over: r restarts it".into(),
        "运行已结束：按 r 重来".into(),
    )
}

/// An error from the OS about one process.
pub fn os_error(p: ProcId, e: &dyn std::fmt::Display) -> Text {
    same(format!("{p}: {e}"))
}

pub fn not_started(p: ProcId) -> Text {
    note(
        format!("{p} has not been started yet"),
        format!("{p} 还没有被启动"),
    )
}

pub fn sigterm_sent(p: ProcId) -> Text {
    note(
        format!("sent SIGTERM to {p}"),
        format!("已向 {p} 发送 SIGTERM"),
    )
}

pub fn already_ended(p: ProcId) -> Text {
    note(format!("{p} has already ended"), format!("{p} 已经结束"))
}

pub fn undo_needs_steps() -> Text {
    note(
        "undo works on a stepped run: r restarts".into(),
        "撤销只适用于单步运行：按 r 重来".into(),
    )
}

pub fn nothing_to_undo() -> Text {
    note("nothing to undo".into(), "没有可撤销的操作".into())
}

pub fn undoing() -> Text {
    note(
        "undoing: the steps are re-run on fresh processes…".into(),
        "正在撤销：在新进程上重新走一遍…".into(),
    )
}

pub fn undid_step(p: ProcId) -> Text {
    note(format!("undid {p}'s step"), format!("已撤销 {p} 的一步"))
}

pub fn undid_sigterm(p: ProcId) -> Text {
    note(
        format!("undid the SIGTERM to {p}"),
        format!("已撤销对 {p} 的 SIGTERM"),
    )
}

/// Where the replay of a schedule stands (`next`: the P-number `n` moves).
pub fn replay_next(done: usize, total: usize, next: ProcId) -> Text {
    note(
        format!("replay {done}/{total}: n moves {next} next"),
        format!("重放 {done}/{total}：按 n 下一步走 {next}"),
    )
}

pub fn replay_left() -> Text {
    note(
        "you left the replay: n now steps in turn".into(),
        "已离开重放：按 n 轮流单步".into(),
    )
}

/// `more`: the run goes on past the script (some process has not ended).
pub fn replay_done(total: usize, more: bool) -> Text {
    if more {
        note(
            format!("replay done: all {total} steps taken; n goes on in turn"),
            format!("重放完毕：{total} 步都已走完；按 n 继续轮转"),
        )
    } else {
        note(
            format!("replay done: all {total} steps taken"),
            format!("重放完毕：{total} 步都已走完"),
        )
    }
}
