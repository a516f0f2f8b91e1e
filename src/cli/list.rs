//! `lockstep list`: the built-in lessons, numbered, with their summaries.

use std::io::Write;

use crate::lesson::{Lang, builtins};

/// Each lesson's number, id and title, then its summary on a line of its own.
pub fn list(lang: Lang, out: &mut dyn Write) -> std::io::Result<()> {
    for (i, l) in builtins().iter().enumerate() {
        writeln!(out, "{:>2}  {:<10} {}", i + 1, l.id, l.title.get(lang))?;
        writeln!(out, "    {:<10} {}", "", l.summary.get(lang))?;
    }
    Ok(())
}
