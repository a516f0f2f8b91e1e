//! `lockstep list`: the built-in lessons, numbered, with their summaries.

use std::io::Write;

use crate::lesson::{Lang, builtins};

/// Each lesson's number, id and title, then its summary on a line of its own.
/// The id column is as wide as the longest id, so titles line up.
pub fn list(lang: Lang, out: &mut dyn Write) -> std::io::Result<()> {
    let lessons = builtins();
    let w = lessons.iter().map(|l| l.id.len()).max().unwrap_or(0);
    for (i, l) in lessons.iter().enumerate() {
        writeln!(out, "{:>2}  {:<w$} {}", i + 1, l.id, l.title.get(lang))?;
        writeln!(out, "    {:<w$} {}", "", l.summary.get(lang))?;
    }
    Ok(())
}
