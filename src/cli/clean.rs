//! Text for a terminal holds no control characters from a lesson: a title
//! or a printed line with `ESC ] 0 ; … BEL` (window title), `ESC [ 2 J`
//! (clear screen) or OSC 52 (clipboard) would act on the reader's terminal.
//! Every control character but newline and tab is shown escaped (`\u{1b}`,
//! `\r`), as Rust writes it. In JSON lines they can only stand in strings,
//! and are written as JSON escapes (`\u009b`): JSON escapes C0 itself, but
//! not DEL or C1.

use std::borrow::Cow;
use std::io::{self, Write};

/// A control character the terminal would act on.
fn acts(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

/// `text` with every control character but newline and tab escaped.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(acts) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if acts(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A JSON line with any control character JSON left raw written as `\uXXXX`.
fn escape_in_json(line: &str) -> Cow<'_, str> {
    if !line.chars().any(acts) {
        return Cow::Borrowed(line);
    }
    let mut out = String::with_capacity(line.len() + 8);
    for c in line.chars() {
        if acts(c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A writer that escapes control characters line by line (a character is
/// never split between two writes).
pub struct Clean<W: Write> {
    inner: W,
    line: Vec<u8>,
    json: bool,
}

impl<W: Write> Clean<W> {
    /// For text: controls escaped as Rust writes them.
    pub fn new(inner: W) -> Clean<W> {
        Clean {
            inner,
            line: Vec::new(),
            json: false,
        }
    }

    /// For JSON lines: controls escaped as JSON writes them.
    pub fn json(inner: W) -> Clean<W> {
        Clean {
            inner,
            line: Vec::new(),
            json: true,
        }
    }

    fn write_line(&mut self) -> io::Result<()> {
        let text = String::from_utf8_lossy(&self.line);
        let clean = if self.json {
            escape_in_json(&text)
        } else {
            escape_controls(&text)
        };
        self.inner.write_all(clean.as_bytes())?;
        self.line.clear();
        Ok(())
    }
}

impl<W: Write> Write for Clean<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        for chunk in buf.split_inclusive(|b| *b == b'\n') {
            self.line.extend_from_slice(chunk);
            if chunk.ends_with(b"\n") {
                self.write_line()?;
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.line.is_empty() {
            self.write_line()?;
        }
        self.inner.flush()
    }
}

impl<W: Write> Drop for Clean<W> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_escaped_and_text_is_kept() {
        let mut out = Vec::new();
        {
            let mut c = Clean::new(&mut out);
            write!(c, "a\x1b]0;pwned\x07b\tc\r\n中\u{9b}2J").unwrap();
        }
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a\\u{1b}]0;pwned\\u{7}b\tc\\r\n中\\u{9b}2J"
        );
        assert!(matches!(escape_controls("plain 中文\n"), Cow::Borrowed(_)));
    }

    #[test]
    fn json_keeps_its_escapes_and_gains_c1_and_del() {
        let line = serde_json::to_string("a\u{1b}b\u{9b}c\u{7f}").unwrap();
        let clean = escape_in_json(&line);
        assert_eq!(clean, "\"a\\u001bb\\u009bc\\u007f\"");
        let back: String = serde_json::from_str(&clean).unwrap();
        assert_eq!(back, "a\u{1b}b\u{9b}c\u{7f}");
    }
}
