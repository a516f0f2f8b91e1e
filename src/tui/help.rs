//! The help overlay: every panel, column, state letter and key, as
//! paragraphs wrapped to the window and scrolled with ↑↓ when they do not fit.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use unicode_width::UnicodeWidthChar;

use super::app::App;

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

fn wrap_hanging(text: &str, width: usize, hang: &str) -> Vec<String> {
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

/// The help's lines at `width`, the progress file's real path filled in.
pub fn lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let progress = app.progress.path().map_or_else(
        || "~/.local/state/lockstep/progress.json".to_string(),
        |p| p.display().to_string(),
    );
    let mut out = Vec::new();
    for para in super::keys::help_paragraphs(app.lang) {
        let text = para.replace("{progress}", &progress);
        for (i, l) in wrap(&text, width).into_iter().enumerate() {
            // A section's name (up to its colon) is bold on its first line.
            match (i, l.starts_with(' '), l.find(['：', ':'])) {
                (0, false, Some(at)) if at < 40 => {
                    let end = at + l[at..].chars().next().map_or(1, char::len_utf8);
                    out.push(Line::from(vec![
                        Span::styled(
                            l[..end].to_string(),
                            Style::default().add_modifier(Modifier::BOLD),
                        ),
                        Span::raw(l[end..].to_string()),
                    ]));
                }
                _ => out.push(Line::from(l)),
            }
        }
    }
    out
}

pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    let w = area.width.saturating_sub(4).min(100);
    let inner_w = usize::from(w.saturating_sub(2));
    let lines = lines(app, inner_w);
    let help_title = crate::words::screen::keys::help_title(app.lang);
    let h = (lines.len() as u16 + 2).min(area.height.saturating_sub(2));
    let r = Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height.saturating_sub(h)) / 2,
        width: w,
        height: h,
    };
    let visible = h.saturating_sub(2);
    let max = (lines.len() as u16).saturating_sub(visible);
    app.help_max.set(max);
    let top = app.help_scroll.min(max);
    let title = if max > 0 {
        format!(
            " {} ({}–{}/{}) ",
            help_title,
            top + 1,
            (top + visible).min(lines.len() as u16),
            lines.len()
        )
    } else {
        format!(" {help_title} ")
    };
    frame.render_widget(Clear, r);
    frame.render_widget(
        Paragraph::new(lines)
            .scroll((top, 0))
            .block(Block::default().borders(Borders::ALL).title(title)),
        r,
    );
}

#[cfg(test)]
mod tests {
    use super::{ellipsize, wrap, wrap_flush};

    fn cols(l: &str) -> usize {
        use unicode_width::UnicodeWidthStr;
        l.width()
    }

    #[test]
    fn chinese_wraps_per_character_and_no_line_starts_with_closing_punctuation() {
        let text = "Event 是进程之间共享的一个标志，一开始是未设置（False）。wait() 在标志未设置时一直阻塞；set() 把它设为 True 并唤醒所有等待者：clear() 又把它设回 False。";
        for width in 12..40 {
            let w = wrap_flush(text, width);
            for l in &w {
                assert!(cols(l) <= width, "{l:?} wider than {width}");
                assert!(
                    !l.starts_with(['，', '。', '：', '；', '、', '）']),
                    "{l:?} starts with closing punctuation at {width}"
                );
                assert!(!l.ends_with('（'), "{l:?} ends with an opening bracket");
            }
            assert_eq!(w.concat().replace(' ', ""), text.replace(' ', ""));
            // Lines are filled: none is much shorter than the width but the
            // last (the longest unbreakable piece, `（False）。`, is 11 wide).
            for l in &w[..w.len() - 1] {
                assert!(cols(l) + 12 >= width, "{l:?} is short at {width}: {w:?}");
            }
        }
    }

    #[test]
    fn a_cut_line_ends_with_an_ellipsis() {
        assert_eq!(ellipsize("does the lock keep them", 12), "does the lo…");
        assert_eq!(ellipsize("short", 12), "short");
        assert!(cols(&ellipsize("两个任务共用一个洗手间", 9)) <= 9);
    }

    #[test]
    fn wraps_words_and_keeps_the_indent() {
        let w = wrap("  one two three four five six", 14);
        assert_eq!(w, vec!["  one two", "    three four", "    five six"]);
        assert!(w.iter().all(|l| l.chars().count() <= 14));
    }

    #[test]
    fn wide_characters_break_anywhere_and_count_double() {
        let w = wrap("锁：每个锁或信号量的持有者和按到达顺序排队的等待者", 16);
        for l in &w {
            let cols: usize = l.chars().map(|c| if c == ' ' { 1 } else { 2 }).sum();
            assert!(cols <= 16, "{l:?} is {cols} columns");
        }
        assert_eq!(
            w.concat().replace(' ', ""),
            "锁：每个锁或信号量的持有者和按到达顺序排队的等待者"
        );
    }
}
