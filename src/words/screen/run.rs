//! The run screen's header words: the mode a run is in, and the steps
//! taken while the learner steps.

use crate::lesson::{Lang, Timing};

/// Which mode the header names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModeName {
    Step,
    Running,
    Paused,
    Done,
}

pub fn mode_name(mode: ModeName, lang: Lang) -> &'static str {
    match (mode, lang) {
        (ModeName::Step, Lang::En) => "STEP",
        (ModeName::Running, Lang::En) => "RUN",
        (ModeName::Paused, Lang::En) => "PAUSED",
        (ModeName::Done, Lang::En) => "DONE",
        (ModeName::Step, Lang::Zh) => "单步",
        (ModeName::Running, Lang::Zh) => "运行",
        (ModeName::Paused, Lang::Zh) => "暂停",
        (ModeName::Done, Lang::Zh) => "结束",
    }
}

/// "1 step", "12 steps", "12 步".
/// The header's clock while stepping: the timing model, the virtual time
/// (as written) and the steps taken: "as written 0.30 s · 12 steps".
pub fn step_clock(timing: Timing, now_ms: u64, steps: u64, lang: Lang) -> String {
    let name = crate::words::report::explore::timing_name(timing, lang);
    match timing {
        Timing::AsWritten => format!(
            "{name} {} · {}",
            crate::words::run::clock_time(now_ms),
            steps_taken(steps, lang)
        ),
        Timing::Any => format!("{name} · {}", steps_taken(steps, lang)),
    }
}

pub fn steps_taken(steps: u64, lang: Lang) -> String {
    match lang {
        Lang::En if steps == 1 => "1 step".to_string(),
        Lang::En => format!("{steps} steps"),
        Lang::Zh => format!("{steps} 步"),
    }
}
