//! The search's progress on stderr while it runs, for `explore` of a
//! lesson or a program.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use super::SearchProgress;

/// A progress line on stderr, redrawn in place at most ten times a second,
/// only when stderr is a terminal.
pub struct ProgressLine {
    on: bool,
    last: Option<Instant>,
    pub label: String,
}

impl ProgressLine {
    /// A line labelled `label`, drawn only when stderr is a terminal.
    pub fn new(label: String) -> ProgressLine {
        ProgressLine {
            on: std::io::stderr().is_terminal(),
            last: None,
            label,
        }
    }

    pub fn show(&mut self, p: SearchProgress) {
        if !self.on
            || self
                .last
                .is_some_and(|t| t.elapsed() < Duration::from_millis(100))
        {
            return;
        }
        self.last = Some(Instant::now());
        let total = p
            .total
            .map(|t| format!(" / {}", super::show_size(t)))
            .unwrap_or_default();
        eprint!("\r\x1b[K{} {}{total}", self.label, p.done);
    }

    pub fn clear(&mut self) {
        if self.on && self.last.is_some() {
            eprint!("\r\x1b[K");
        }
    }
}
