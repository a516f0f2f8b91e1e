//! Text cut to the terminal's columns: wrapping that breaks English at
//! spaces and Chinese between any two characters (never before closing
//! punctuation), and cutting a line with `…`.

use unicode_width::UnicodeWidthChar;

/// Closing punctuation that should not begin a line: it stays with the
/// character before it.
const CLOSING: &[char] = &[
    '，', '。', '：', '；', '、', '）', '！', '？', '」', '』', '》', '…', ',', '.', ':', ';', ')',
    '!', '?',
];

/// Opening brackets (wide), kept with the character after them.
const OPENING: &[&str] = &["（", "「", "『", "《", "【"];

/// Wrap `text` to `width` columns. Breaks at spaces; a run of wide (CJK)
/// characters may break between any two of them, but never before closing
/// punctuation. Continuation lines take the paragraph's own indent plus two
/// columns.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let indent = text.chars().take_while(|c| *c == ' ').count();
    wrap_hanging(text, width.max(indent + 12), &" ".repeat(indent + 2))
}

/// Wrap `text` to `width` columns like `wrap`, continuation lines flush left
/// (the picker's story).
pub fn wrap_flush(text: &str, width: usize) -> Vec<String> {
    wrap_hanging(text, width.max(1), "")
}

/// Wrap `text` to `width` columns, continuation lines starting with `hang`.
pub fn wrap_hanging(text: &str, width: usize, hang: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut line_w = 0usize;
    // Tokens: a word with its following space, or one wide character; closing
    // punctuation joins the token before it.
    let mut tokens: Vec<String> = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        if c.width().unwrap_or(0) > 1 || CLOSING.contains(&c) && word.is_empty() {
            if CLOSING.contains(&c) {
                if !word.is_empty() {
                    word.push(c);
                    // A wide mark ends the word: a line may break after it.
                    if c.width().unwrap_or(0) > 1 {
                        tokens.push(std::mem::take(&mut word));
                    }
                    continue;
                }
                if let Some(last) = tokens.last_mut()
                    && !last.ends_with(' ')
                {
                    last.push(c);
                    continue;
                }
            }
            if !word.is_empty() {
                tokens.push(std::mem::take(&mut word));
            }
            tokens.push(c.to_string());
        } else {
            word.push(c);
            if c == ' ' {
                tokens.push(std::mem::take(&mut word));
            }
        }
    }
    if !word.is_empty() {
        tokens.push(word);
    }
    // An opening bracket goes with what follows it: it never ends a line.
    let mut glued: Vec<String> = Vec::with_capacity(tokens.len());
    let mut open = String::new();
    for tok in tokens {
        if OPENING.contains(&tok.as_str()) {
            open.push_str(&tok);
        } else {
            glued.push(std::mem::take(&mut open) + &tok);
        }
    }
    if !open.is_empty() {
        glued.push(open);
    }
    for tok in glued {
        let w: usize = tok.chars().map(|c| c.width().unwrap_or(0)).sum();
        let visible = tok.trim_end_matches(' ');
        let visible_w: usize = visible.chars().map(|c| c.width().unwrap_or(0)).sum();
        if line_w + visible_w > width && !line.trim().is_empty() {
            lines.push(line.trim_end().to_string());
            line = hang.to_string();
            line_w = hang.len();
            if tok.trim().is_empty() {
                continue;
            }
        }
        line.push_str(&tok);
        line_w += w;
    }
    if !line.trim().is_empty() {
        lines.push(line.trim_end().to_string());
    }
    lines
}

/// `text` cut to `width` columns, ending with `…` when cut.
pub fn ellipsize(text: &str, width: usize) -> String {
    let full: usize = text.chars().map(|c| c.width().unwrap_or(0)).sum();
    if full <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    format!("{}…", out.trim_end())
}
