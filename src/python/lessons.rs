//! A lesson's real program (`--python`): its listing in the learner's
//! language, with the lesson's check as a `# lockstep: expect` line at its
//! end (after the listing, so every line keeps its number), carried by
//! lockstep and written into the run directory, where it runs.

use std::path::PathBuf;

use super::expect::MARK;
use crate::lesson::{Lang, Lesson, Rule};

/// Why a lesson has no program that runs under CPython as shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotAProgram {
    /// The lesson has no listing.
    NoListing,
    /// Its listing needs a second program to talk to (the chat's clients).
    NeedsAnotherProgram,
}

/// Lessons whose listing is not a whole program on its own.
const PARTS: [&str; 1] = ["chat"];

/// Module names of Python's own that a program file in the run directory
/// must not take (the script's folder comes first on `sys.path`): the
/// queue lesson's listing says to save it as `queue_demo.py`.
const TAKEN: [&str; 8] = [
    "queue",
    "socket",
    "select",
    "signal",
    "threading",
    "random",
    "json",
    "time",
];

/// The lesson's program: its file name in the run directory and its text.
/// `quantity`: what the check measures, as the program's expectation
/// spells it (`shared['count']`, `max_inside(lock)`); `None`: no verdict.
pub fn source(
    lesson: &Lesson,
    lang: Lang,
    quantity: Option<&str>,
) -> Result<(PathBuf, String), NotAProgram> {
    if PARTS.contains(&lesson.id.as_str()) {
        return Err(NotAProgram::NeedsAnotherProgram);
    }
    let listing = match lang {
        Lang::Zh if !lesson.listing_zh.is_empty() => &lesson.listing_zh,
        _ => &lesson.listing,
    };
    if listing.is_empty() {
        return Err(NotAProgram::NoListing);
    }
    let mut text = listing.join("\n");
    text.push('\n');
    if let Some(q) = quantity {
        let check = &lesson.check;
        let op = match check.rule {
            Rule::Equal => "==",
            Rule::AtMost => "<=",
            Rule::AtLeast => ">=",
        };
        text.push_str(&format!("{MARK} {q} {op} {}\n", check.expect));
    }
    Ok((file_name(&lesson.id), text))
}

/// `ticket.py`; `queue_demo.py` where the id is a module of Python's own.
fn file_name(id: &str) -> PathBuf {
    let safe: String = id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if TAKEN.contains(&safe.as_str()) {
        PathBuf::from(format!("{safe}_demo.py"))
    } else {
        PathBuf::from(format!("{safe}.py"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_listing_keeps_its_lines_and_gains_the_expectation() {
        let counter = crate::lesson::builtin("counter").unwrap();
        let (file, text) = source(&counter, Lang::En, Some("shared['count']")).unwrap();
        assert_eq!(file, PathBuf::from("counter.py"));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[..counter.listing.len()], counter.listing[..]);
        assert_eq!(
            lines.last().unwrap(),
            &"# lockstep: expect shared['count'] == 80"
        );
        let queue = crate::lesson::builtin("queue").unwrap();
        assert_eq!(
            source(&queue, Lang::Zh, None).unwrap().0,
            PathBuf::from("queue_demo.py")
        );
        let chat = crate::lesson::builtin("chat").unwrap();
        assert_eq!(
            source(&chat, Lang::En, None),
            Err(NotAProgram::NeedsAnotherProgram)
        );
    }
}
