//! Wrapping and cutting text to the terminal's columns, in English and
//! Chinese (`tui::wrap`).

use lockstep::tui::wrap::{ellipsize, wrap, wrap_flush};

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
