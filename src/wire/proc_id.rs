//! A process of the run: its index in the model's lists, shown to the
//! learner as its P-number (`P1` is index 0).

use std::fmt;

/// One process of the run. `Display` gives the P-number the learner sees
/// and presses (`P3`); this is the only place that spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProcId(pub usize);

impl ProcId {
    /// The process with this P-number (1-based).
    pub fn from_number(number: usize) -> ProcId {
        ProcId(number.saturating_sub(1))
    }

    /// Its index in the model's lists (0-based).
    pub fn index(self) -> usize {
        self.0
    }

    /// Its P-number (1-based).
    pub fn number(self) -> usize {
        self.0 + 1
    }
}

/// A P-number as a learner or a file wrote it, which may name no process
/// at all (`P0`, the last of a lesson with none): shown as written.
pub fn typed_number(number: usize) -> String {
    match number.checked_sub(1) {
        Some(index) => ProcId(index).to_string(),
        None => format!("P{number}"),
    }
}

impl fmt::Display for ProcId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "P{}", self.number())
    }
}

#[cfg(test)]
mod tests {
    use super::ProcId;

    #[test]
    fn shows_its_p_number() {
        assert_eq!(ProcId(0).to_string(), "P1");
        assert_eq!(ProcId::from_number(12).to_string(), "P12");
        assert_eq!(ProcId::from_number(12).index(), 11);
    }
}
