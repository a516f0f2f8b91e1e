//! The run screen's one line of feedback after a key: what happened, or
//! why nothing did. Facts in (`Note`), a sentence out.

use crate::lesson::{Lang, Text};

/// What a key led to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// A saved schedule's steps were all taken again.
    Replayed {
        steps: usize,
    },
    ReplayFailed(String),
    /// The schedule was saved to this file.
    Saved(String),
    SaveFailed(String),
    /// `s` after a free run: it has no schedule.
    SavePlayed,
    /// `s` before any step.
    SaveNothing,
    RestartFailed(String),
    UndoFailed(String),
    ProgressNotSaved(String),
    NoTiming,
    NoLocks,
    NoChallenge,
    NoMoreHints,
    /// A run won goal `number`, not the one the learner chose with `g`.
    GoalWonToo {
        number: usize,
        goal: Text,
    },
    PoolNotExplored,
    /// The pool lesson's keys that have nothing to act on.
    PoolOver,
    PoolRunsByItself,
    PoolNothingToSave,
    /// `c`: the lesson now runs as its real program under CPython, or
    /// back on the built-in engine.
    NowCPython,
    NowBuiltIn,
    /// `c` on a program opened as such: it has no built-in engine.
    OnlyCPython,
    /// `c` on a lesson whose listing cannot run as a program: why.
    NoRealProgram(String),
}

/// The note in `lang`.
pub fn say(note: &Note, lang: Lang) -> String {
    match lang {
        Lang::En => english(note),
        Lang::Zh => chinese(note),
    }
}

/// The note in both languages, as the run screen keeps its message.
pub fn text(note: &Note) -> Text {
    Text {
        en: english(note),
        zh: Some(chinese(note)),
    }
}

fn english(note: &Note) -> String {
    match note {
        Note::Replayed { steps } => {
            format!("replayed all {steps} steps of the saved schedule: step on from here")
        }
        Note::ReplayFailed(e) => format!("failed to replay the schedule: {e}"),
        Note::Saved(path) => format!("schedule saved to {path}"),
        Note::GoalWonToo { number, goal } => {
            format!("★ goal {number} won too: {}", goal.get(Lang::En))
        }
        Note::SaveFailed(e) => format!("failed to save the schedule: {e}"),
        Note::SavePlayed => {
            "a freely played run has no schedule to save: step it (r restarts)".into()
        }
        Note::SaveNothing => "no steps taken yet: nothing to save".into(),
        Note::NowCPython => {
            "now the listing itself runs under CPython (c: back to the built-in engine)".into()
        }
        Note::NowBuiltIn => "back on the built-in engine (c: the listing under CPython)".into(),
        Note::OnlyCPython => "this is a program of its own: it runs under CPython only".into(),
        Note::NoRealProgram(why) => why.clone(),
        Note::RestartFailed(e) => format!("failed to restart: {e}"),
        Note::UndoFailed(e) => format!("failed to undo: {e}"),
        Note::ProgressNotSaved(e) => format!("failed to save progress: {e}"),
        Note::NoTiming => "this lesson has no timing view".into(),
        Note::NoLocks => "this lesson has no lock to switch off".into(),
        Note::NoChallenge => "this lesson has no challenge".into(),
        Note::NoMoreHints => "no more hints for this goal".into(),
        Note::PoolNotExplored => {
            "the pool lesson is timed, not scheduled: there are no schedules to explore".into()
        }
        Note::PoolOver => "the run is over: r measures again".into(),
        Note::PoolRunsByItself => {
            "the pool lesson runs by itself and is measured: nothing to step or terminate".into()
        }
        Note::PoolNothingToSave => {
            "the pool lesson has no schedule to save: it is measured, not stepped".into()
        }
    }
}

fn chinese(note: &Note) -> String {
    match note {
        Note::Replayed { steps } => format!("已重放保存的调度的全部 {steps} 步：从这里继续单步"),
        Note::ReplayFailed(e) => format!("重放调度失败：{e}"),
        Note::Saved(path) => format!("调度已保存到 {path}"),
        Note::NowCPython => "现在用 CPython 运行代码本身（按 c 回到内置引擎）".into(),
        Note::NowBuiltIn => "回到了内置引擎（按 c 用 CPython 运行代码）".into(),
        Note::OnlyCPython => "这是一个独立的程序：只能用 CPython 运行".into(),
        Note::NoRealProgram(why) => why.clone(),
        Note::GoalWonToo { number, goal } => {
            format!("★ 也完成了目标 {number}：{}", goal.get(Lang::Zh))
        }
        Note::SaveFailed(e) => format!("保存调度失败：{e}"),
        Note::SavePlayed => "自由运行过的这次运行没有可保存的调度：请单步运行（按 r 重来）".into(),
        Note::SaveNothing => "还没有走任何一步：没有可保存的".into(),
        Note::RestartFailed(e) => format!("重来失败：{e}"),
        Note::UndoFailed(e) => format!("撤销失败：{e}"),
        Note::ProgressNotSaved(e) => format!("保存进度失败：{e}"),
        Note::NoTiming => "这一课没有计时视图".into(),
        Note::NoLocks => "这一课没有可以关掉的锁".into(),
        Note::NoChallenge => "这一课没有挑战".into(),
        Note::NoMoreHints => "这个目标没有更多提示了".into(),
        Note::PoolNotExplored => "进程池这一课测的是时间，不是调度：没有可探索的调度".into(),
        Note::PoolOver => "运行已结束：按 r 重新测量".into(),
        Note::PoolRunsByItself => "进程池这一课自己运行并计时：没有可单步或终止的进程".into(),
        Note::PoolNothingToSave => "进程池这一课没有可保存的调度：它是计时的，不是单步的".into(),
    }
}
