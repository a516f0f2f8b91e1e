//! The timing model a schedule follows: whether the listing's sleeps
//! constrain which process may move next.

use serde::{Deserialize, Serialize};

/// How time works when a schedule (not the clock) decides who moves.
/// Free runs ignore it: their sleeps are real, scaled by the speed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Timing {
    /// A virtual clock: a process that sleeps d ms at time t cannot move
    /// before the clock reaches t + d; operations take no time; when no
    /// awake process can move, the clock jumps to the earliest wake-up.
    AsWritten,
    /// Sleeps take no time and constrain nothing: any order the OS could
    /// produce on a loaded machine.
    #[default]
    Any,
}

impl Timing {
    pub fn is_any(&self) -> bool {
        *self == Timing::Any
    }

    /// As typed on the command line and written in schedule files' docs.
    pub fn name(&self) -> &'static str {
        match self {
            Timing::AsWritten => "as-written",
            Timing::Any => "any",
        }
    }

    /// The other model (the app's switch key).
    pub fn other(&self) -> Timing {
        match self {
            Timing::AsWritten => Timing::Any,
            Timing::Any => Timing::AsWritten,
        }
    }
}
