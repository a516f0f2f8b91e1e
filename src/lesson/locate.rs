//! Finds where a field path (`programs.buyer[3].lock`) sits in the JSON text,
//! so a meaning error can point at a line and column like a syntax error.

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

pub fn display(path: &[Seg]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Seg::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// 1-based line and column of the value at `path` in an already valid JSON text.
/// When the last key is missing, the position of the enclosing object is given.
pub fn position(text: &str, path: &[Seg]) -> Option<(usize, usize)> {
    let mut w = Walker {
        s: text.as_bytes(),
        i: 0,
    };
    w.ws();
    let offset = w.find(path)?;
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Some((line, col))
}

struct Walker<'a> {
    s: &'a [u8],
    i: usize,
}

impl Walker<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && self.s[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    /// Reads a string starting at the quote; returns its raw contents.
    fn string(&mut self) -> Option<String> {
        if self.peek()? != b'"' {
            return None;
        }
        self.i += 1;
        let start = self.i;
        while self.i < self.s.len() {
            match self.s[self.i] {
                b'\\' => self.i += 2,
                b'"' => {
                    let raw = String::from_utf8_lossy(&self.s[start..self.i]).into_owned();
                    self.i += 1;
                    return Some(raw);
                }
                _ => self.i += 1,
            }
        }
        None
    }

    fn skip_value(&mut self) -> Option<()> {
        self.ws();
        match self.peek()? {
            b'"' => {
                self.string()?;
            }
            b'{' | b'[' => {
                let mut depth = 0usize;
                while self.i < self.s.len() {
                    match self.s[self.i] {
                        b'"' => {
                            self.string()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth -= 1;
                            if depth == 0 {
                                self.i += 1;
                                return Some(());
                            }
                        }
                        _ => {}
                    }
                    self.i += 1;
                }
                return None;
            }
            _ => {
                while self.i < self.s.len() && !b",}] \t\r\n".contains(&self.s[self.i]) {
                    self.i += 1;
                }
            }
        }
        Some(())
    }

    /// At a value's start: descend along `path` and return the byte offset found.
    fn find(&mut self, path: &[Seg]) -> Option<usize> {
        self.ws();
        let Some((first, rest)) = path.split_first() else {
            return Some(self.i);
        };
        let here = self.i;
        match (first, self.peek()?) {
            (Seg::Key(k), b'{') => {
                self.i += 1;
                loop {
                    self.ws();
                    if self.peek()? == b'}' {
                        return Some(here);
                    }
                    let name = self.string()?;
                    self.ws();
                    self.i += 1; // ':'
                    self.ws();
                    if &name == k {
                        return self.find(rest);
                    }
                    self.skip_value()?;
                    self.ws();
                    if self.peek()? == b',' {
                        self.i += 1;
                    }
                }
            }
            (Seg::Index(n), b'[') => {
                self.i += 1;
                let mut idx = 0;
                loop {
                    self.ws();
                    if self.peek()? == b']' {
                        return Some(here);
                    }
                    if idx == *n {
                        return self.find(rest);
                    }
                    self.skip_value()?;
                    self.ws();
                    if self.peek()? == b',' {
                        self.i += 1;
                    }
                    idx += 1;
                }
            }
            _ => Some(here),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_fields() {
        let text = "{\n  \"a\": 1,\n  \"programs\": {\n    \"x\": [\n      {\"op\": \"sleep\"},\n      {\"op\": \"acquire\", \"lock\": \"m\"}\n    ]\n  }\n}";
        let path = [
            Seg::Key("programs".into()),
            Seg::Key("x".into()),
            Seg::Index(1),
            Seg::Key("lock".into()),
        ];
        assert_eq!(position(text, &path), Some((6, 33)));
        assert_eq!(display(&path), "programs.x[1].lock");
        assert_eq!(position(text, &[Seg::Key("a".into())]), Some((2, 8)));
    }

    #[test]
    fn missing_key_points_at_its_object() {
        let text = "{\"a\": {\"b\": [1, \"}\"]}}";
        assert_eq!(
            position(text, &[Seg::Key("a".into()), Seg::Key("zz".into())]),
            Some((1, 7))
        );
    }
}
