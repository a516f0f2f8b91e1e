//! The Python listing beside a lesson: in the learner's language, and the
//! statement one of its lines holds (what the lanes show for a step).

use super::{Lang, Lesson};

impl Lesson {
    /// The listing to show in `lang`: the Chinese one (comments and
    /// strings translated) when the lesson has it, else the English one.
    pub fn listing_in(&self, lang: Lang) -> &[String] {
        match lang {
            Lang::Zh if !self.listing_zh.is_empty() => &self.listing_zh,
            _ => &self.listing,
        }
    }

    /// The statement on listing line `line` (1-based) in `lang`, without
    /// its indent and its comment: `p2.join()`. `None` for line 0, a line
    /// past the end or a line with no code.
    pub fn statement(&self, line: u32, lang: Lang) -> Option<String> {
        let text = self.listing_in(lang).get((line as usize).checked_sub(1)?)?;
        let code = statement(text);
        (!code.is_empty()).then(|| code.to_string())
    }
}

/// `text` without its indent and without a `#` comment outside strings.
pub fn statement(text: &str) -> &str {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut end = text.len();
    for (i, c) in text.char_indices() {
        match quote {
            Some(_) if escaped => escaped = false,
            Some(_) if c == '\\' => escaped = true,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '\'' || c == '"' => quote = Some(c),
            None if c == '#' => {
                end = i;
                break;
            }
            None => {}
        }
    }
    text[..end].trim()
}

#[cfg(test)]
mod tests {
    use super::statement;

    #[test]
    fn a_statement_is_the_code_without_indent_or_comment() {
        assert_eq!(statement("    p2.join()      # forever"), "p2.join()");
        assert_eq!(
            statement("    print('#1', x)  # not this"),
            "print('#1', x)"
        );
        assert_eq!(statement("    s = \"a\\\"#b\"  # c"), "s = \"a\\\"#b\"");
        assert_eq!(statement("    # only a comment"), "");
        assert_eq!(statement(""), "");
    }
}
