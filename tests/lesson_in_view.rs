//! The lesson stays in view (issue 12): `i` shows the story, Try this and
//! goals over the run screen; at 80×24 the picker's story scrolls to its
//! end and lessons from 10 on open by two digits; the step key bar offers the
//! keys that matter and none that would refuse; a long message fits; a
//! mistyped lesson id is a usage error that names the closest one.
//! Drawn into a test backend from known states, in English and Chinese.

mod common;
mod screens;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use lockstep::lesson::Lang;
use lockstep::tui::app::App;
use lockstep::tui::session::RunMode;
use screens::fold::{Fold, app, with_session};
use screens::screen;

fn press(app: &mut App, code: KeyCode) {
    app.on_key(KeyEvent::new(code, KeyModifiers::NONE));
}

fn key(app: &mut App, c: char) {
    press(app, KeyCode::Char(c));
}

/// The footer: the screen's last line.
fn footer(screen: &str) -> &str {
    screen.lines().last().unwrap_or_default()
}

#[test]
fn i_shows_the_lesson_story_try_this_and_goals_over_the_run() {
    let state = Fold::new("chat", &[]).state;
    let mut a = with_session(Lang::En, "chat", &[], state.clone(), RunMode::Step);
    key(&mut a, 'i');
    let en = screen(&a, 80, 24);
    assert!(en.contains("The lesson — ↑↓ scroll"), "{en}");
    assert!(en.contains("The server socket is made"), "{en}");
    // Scrolled to its end: Try this and every goal.
    for _ in 0..30 {
        key(&mut a, 'j');
    }
    let end = screen(&a, 80, 24);
    assert!(end.contains("Try this") && end.contains("Goal"), "{end}");
    assert!(end.contains("★ Make a client miss a reply"), "{end}");
    insta::assert_snapshot!("lesson_card_end_80x24", end);
    // Any other key closes it and does nothing else.
    key(&mut a, 'x');
    assert!(!a.help && !a.lesson_card, "x closes the card");
    let mut z = with_session(Lang::Zh, "chat", &[], state.clone(), RunMode::Step);
    key(&mut z, 'i');
    let zh = screen(&z, 160, 48);
    assert!(zh.contains("课程说明") && zh.contains("试一试"), "{zh}");
    assert!(
        zh.contains("目标") && zh.contains("让服务器在 accept() 里等客户端"),
        "{zh}"
    );
    insta::assert_snapshot!("lesson_card_zh_160x48", zh);
    let mut wide = with_session(Lang::En, "chat", &[], state, RunMode::Step);
    key(&mut wide, 'i');
    insta::assert_snapshot!("lesson_card_160x48", screen(&wide, 160, 48));
}

#[test]
fn the_picker_story_scrolls_to_its_goal_at_80x24() {
    for (lang, try_this, goal) in [(Lang::En, "Try this", "Goal"), (Lang::Zh, "试一试", "目标")]
    {
        for id in ["pool", "event", "pipe", "queue", "chat"] {
            let mut a = app(lang);
            a.picked = a.lessons.iter().position(|l| l.id == id).unwrap();
            let top = screen(&a, 80, 24);
            assert!(
                top.contains("PgUp/PgDn"),
                "{id}: the title says it scrolls\n{top}"
            );
            // Every id is whole in the list (`lockstep ID` takes it).
            assert!(top.contains("  isolation"), "{top}");
            // The summary the list cuts is whole above the story.
            let summary = a.lessons[a.picked].summary.get(lang).to_string();
            let head: String = summary.chars().take(12).collect();
            let story_side: String = top.lines().filter_map(|l| l.split("││").nth(1)).collect();
            assert!(story_side.contains(&head), "{id}: {head:?}\n{top}");
            press(&mut a, KeyCode::PageDown);
            press(&mut a, KeyCode::PageDown);
            let end = screen(&a, 80, 24);
            assert!(end.contains(try_this) && end.contains(goal), "{id}:\n{end}");
            if id == "chat" {
                let name = format!("picker_chat_story_end_{lang:?}_80x24");
                insta::assert_snapshot!(name, end);
            }
            // Choosing another lesson starts its story from the top.
            press(&mut a, KeyCode::Down);
            assert_eq!(a.story_scroll, 0, "{id}");
        }
    }
}

#[test]
fn lessons_from_ten_on_open_by_two_digits() {
    let mut a = app(Lang::En);
    key(&mut a, '1');
    assert_eq!(a.picked, 0, "1 highlights lesson 1 and waits");
    let waiting = screen(&a, 80, 24);
    assert!(
        footer(&waiting).contains("0-9 opens lesson 10-19 · Enter opens lesson 1"),
        "{waiting}"
    );
    insta::assert_snapshot!("picker_first_digit_80x24", waiting);
    // 1 then 3: lesson 13 (no worker binary here: the attempt is enough).
    key(&mut a, '3');
    assert_eq!(a.picked, 12, "lesson 13 was opened");
    assert_eq!(a.picker_digit, None);
    // 2 then 9 names no lesson: nothing opens, nothing waits.
    let mut b = app(Lang::Zh);
    key(&mut b, '2');
    let zh = screen(&b, 80, 24);
    assert!(footer(&zh).contains("打开第 20-21 课"), "{zh}");
    key(&mut b, '9');
    assert_eq!((b.picked, b.picker_digit), (1, None));
    // 3 opens lesson 3 at once: no lesson 30 to wait for.
    key(&mut b, '3');
    assert_eq!(b.picked, 2);
}

#[test]
fn the_step_bar_offers_the_keys_that_matter_and_none_that_refuse() {
    let state = Fold::new("counter", &[]).state;
    let a = with_session(Lang::En, "counter", &[], state.clone(), RunMode::Step);
    let wide = screen(&a, 160, 48);
    let bar = footer(&wide);
    for k in [
        "␣ step",
        "1-9 step Pn",
        "i lesson",
        "l locks",
        "e explore",
        "Esc back",
    ] {
        assert!(bar.contains(k), "{k:?} missing: {bar}");
    }
    // No step taken yet: nothing to undo or save.
    assert!(!bar.contains("u undo") && !bar.contains("s save"), "{bar}");
    insta::assert_snapshot!("step_bar_160x48", bar);
    let narrow = screen(&a, 80, 24);
    let bar = footer(&narrow);
    assert!(bar.chars().count() <= 80 && bar.ends_with("? · q"), "{bar}");
    assert!(bar.contains("Esc") && bar.contains(" e "), "{bar}");
    insta::assert_snapshot!("step_bar_80x24", bar);
    let zh = with_session(Lang::Zh, "counter", &[], state, RunMode::Step);
    let zh = screen(&zh, 80, 24);
    assert!(footer(&zh).contains("单步 Pn"), "{zh}");
    insta::assert_snapshot!("step_bar_zh_80x24", footer(&zh));
}

#[test]
fn a_long_message_fits_at_80x24_in_both_languages() {
    use lockstep::words::screen::notes::{Note, text};
    let state = Fold::new("bathroom", &[]).state;
    let mut a = with_session(Lang::En, "bathroom", &[], state.clone(), RunMode::Done);
    // `s` before any step says so, in its own words.
    key(&mut a, 's');
    let said = a.session().unwrap().message.clone();
    assert_eq!(said, Some(text(&Note::SaveNothing)));
    // The longest of the save notes, with a verdict beside it.
    a.session_mut().unwrap().message = Some(text(&Note::SaveFailed(
        "the undo is still re-running the steps: save once it is done".into(),
    )));
    let en = screen(&a, 80, 24);
    let joined: String = en.lines().map(str::trim_end).collect::<Vec<_>>().join(" ");
    assert!(joined.contains("save once it is done"), "{en}");
    a.session_mut().unwrap().message = Some(text(&Note::SavePlayed));
    let en = screen(&a, 80, 24);
    assert!(
        en.contains("no schedule to save: step it (r restarts)"),
        "{en}"
    );
    insta::assert_snapshot!("long_message_80x24", en);
    a.lang = Lang::Zh;
    let zh = screen(&a, 80, 24);
    assert!(zh.contains("请单步运行（按 r 重来）"), "{zh}");
    insta::assert_snapshot!("long_message_zh_80x24", zh);
}

#[test]
fn a_mistyped_lesson_id_names_the_closest_one_and_exits_2() {
    let sb = common::Sandbox::new();
    for args in [&["run", "countr"][..], &["explore", "tiket"], &["zombi"]] {
        let done = sb.run(args);
        done.assert_no_panic();
        assert_eq!(done.code(), Some(2), "{args:?}: {}", done.stderr);
        assert!(done.stderr.contains("did you mean `"), "{}", done.stderr);
        assert!(done.stderr.contains("Usage:"), "{}", done.stderr);
    }
    let done = sb.run(&["run", "countr"]);
    assert!(
        done.stderr.contains("did you mean `counter`?"),
        "{}",
        done.stderr
    );
    let done = sb.run(&["run", "nothing_like_it"]);
    assert_eq!(done.code(), Some(2));
    assert!(!done.stderr.contains("did you mean"), "{}", done.stderr);
}
