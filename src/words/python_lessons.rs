//! The sentences of a lesson run as its real program (`--python`), in
//! English and Chinese, and what each lesson's check measures as its
//! program's expectation spells it (a printed line is in the listing's
//! language).

use crate::lesson::Lang;
use crate::python::lessons::NotAProgram;

/// What the lesson's check measures, in its program's words: the
/// expectation's left side (`shared['count']`, `max_inside(lock)`,
/// `printed(…)`); `None`: the program has no verdict of its own.
pub fn quantity(id: &str, lang: Lang) -> Option<&'static str> {
    let zh = lang == Lang::Zh;
    Some(match id {
        "ticket" if zh => "printed(买到了一张票)",
        "ticket" => "printed(bought a ticket)",
        "bathroom" | "rlock" => "max_inside(lock)",
        "counter" => "shared['count']",
        "value_array" => "v.value",
        "guests" => "max_inside(seats)",
        "ppid" if zh => "printed(我的父进程是主进程)",
        "ppid" => "printed(my parent is main)",
        "orphan" if zh => "printed(被收养了)",
        "orphan" => "printed(adopted)",
        "daemon" if zh => "printed(p1（守护进程）醒了)",
        "daemon" => "printed(p1 (daemon) woke up)",
        _ => return None,
    })
}

/// Why a lesson cannot run as a real program.
pub fn not_a_program(lang: Lang, id: &str, why: NotAProgram) -> String {
    match (why, lang) {
        (NotAProgram::NoListing, Lang::En) => format!(
            "lesson `{id}` has no Python listing to run (--python runs the listing the app shows)"
        ),
        (NotAProgram::NoListing, Lang::Zh) => {
            format!("课程 `{id}` 没有可运行的 Python 代码（--python 运行的是应用里显示的代码）")
        }
        (NotAProgram::NeedsAnotherProgram, Lang::En) => format!(
            "lesson `{id}` cannot run under Python as shown: its server waits for clients that are a program of their own (run it without --python)"
        ),
        (NotAProgram::NeedsAnotherProgram, Lang::Zh) => format!(
            "课程 `{id}` 无法按所示代码在 Python 下运行：它的服务器要等的客户端是另一个程序（去掉 --python 再运行）"
        ),
    }
}

/// A usage error (English only, like clap's own messages around it).
pub fn procs_not_for_programs() -> String {
    "--procs does not apply to a Python program: the program chooses how many processes it starts"
        .into()
}

/// A usage error: `--python` needs a lesson, not a program or a file.
pub fn python_needs_a_lesson(name: &str) -> String {
    format!("--python runs a lesson's listing; `{name}` is a program already: leave out --python")
}

/// A schedule file's `python` on a program's schedule.
pub fn python_of_a_program(name: &str) -> String {
    format!(
        "`{name}` is a program: its schedule runs under CPython without `python`, which is for a lesson's listing"
    )
}

/// "steps of the lesson: 1,1,2,2 (its shared operations, in this order, by the program's processes)".
pub fn mapped_line(lang: Lang, steps: &[usize]) -> String {
    let steps: Vec<String> = steps.iter().map(usize::to_string).collect();
    match lang {
        Lang::En => format!(
            "lesson schedule: {} (its locks and shared values taken in the same order by the program's processes)",
            steps.join(",")
        ),
        Lang::Zh => format!(
            "课程的调度：{}（程序的进程按同样的顺序获取锁、读写共享值）",
            steps.join(",")
        ),
    }
}

/// The program's processes could not take the lesson's next shared
/// operation (the program and the lesson's steps went apart).
pub fn mapping_diverged(lang: Lang, step: usize) -> String {
    match lang {
        Lang::En => format!(
            "failed to follow the lesson's schedule in its program: at the program's step {step} the process whose turn it is cannot take its next lock or shared value (the program and the lesson went apart; run it free, or explore it with --python)"
        ),
        Lang::Zh => format!(
            "无法在程序中按课程的调度执行：在程序的第 {step} 步，轮到的进程无法获取它的下一把锁或共享值（程序与课程走岔了；请自由运行，或用 --python 探索）"
        ),
    }
}
