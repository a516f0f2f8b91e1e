//! Labels that explain themselves (issue 12): a room is headed by the
//! listing's lines it spans, a parent's children are told in words, the
//! deadlock names each process as its lane does, and the note of the last
//! key stays visible under a verdict of two rows. Drawn into a test backend
//! from known states, in English and Chinese, at 80×24 and 160×48.

mod screens;

use lockstep::lesson::Lang;
use lockstep::tui::session::RunMode;
use lockstep::wire::{Ending, Report};
use lockstep::words::screen::notes::{Note, text};
use screens::fold::{Fold, with_session};
use screens::screen;

/// guests with two inside the room and two waiting for a seat.
fn guests_full() -> Fold {
    let mut f = Fold::new("guests", &[]);
    let acquire = || Report::Acquired {
        lock: "seats".into(),
    };
    let enter = || Report::Entered {
        room: "room".into(),
    };
    f.step(0, vec![acquire()]).step(0, vec![enter()]);
    f.step(1, vec![acquire()]).step(1, vec![enter()]);
    f.block(2, "seats").block(3, "seats");
    f
}

#[test]
fn a_room_is_headed_by_the_lines_it_spans() {
    let f = guests_full();
    let en = screen(
        &with_session(Lang::En, "guests", &[], f.state.clone(), RunMode::Step),
        80,
        24,
    );
    // The listing's lines 6 (enters) to 8 (leaves): the room, named once.
    assert!(en.contains("Lines 6–8: 2/2 inside  P1 P2"), "{en}");
    assert!(!en.contains("Room room"), "{en}");
    let zh = screen(
        &with_session(Lang::Zh, "guests", &[], f.state.clone(), RunMode::Step),
        80,
        24,
    );
    assert!(zh.contains("第 6–8 行：2/2 在内  P1 P2"), "{zh}");
    assert!(!zh.contains("房间 room"), "{zh}");
    // rlock's room is one line, the `with lock:` it stands for.
    let rlock = Fold::new("rlock", &[]).state;
    let one = screen(
        &with_session(Lang::En, "rlock", &[], rlock, RunMode::Step),
        80,
        24,
    );
    assert!(one.contains("Line 9: 0/1 inside"), "{one}");
    assert!(!one.contains("inside 0/1 inside"), "{one}");
}

/// bathroom: P1 took the lock and was killed holding it; P2 waits for it.
fn bathroom_deadlock() -> Fold {
    let mut f = Fold::new("bathroom", &[]);
    f.step(
        0,
        vec![Report::Acquired {
            lock: "lock".into(),
        }],
    );
    f.block(1, "lock");
    f.end(0, Ending::Signal(15));
    f
}

#[test]
fn a_deadlock_names_each_process_as_its_lane_does() {
    let f = bathroom_deadlock();
    let en = screen(
        &with_session(Lang::En, "bathroom", &[], f.state.clone(), RunMode::Done),
        160,
        48,
    );
    assert!(
        en.contains(
            "DEADLOCK: P2 (task 1) waits for lock, held by P1 (task 0, killed by SIGTERM, exit code -15)"
        ),
        "{en}"
    );
    let zh = screen(
        &with_session(Lang::Zh, "bathroom", &[], f.state.clone(), RunMode::Done),
        160,
        48,
    );
    assert!(
        zh.contains(
            "死锁（DEADLOCK）：P2 (task 1) 在等 lock，持有者：P1（task 0，已被 SIGTERM 终止，退出码 -15）"
        ),
        "{zh}"
    );
    // Headless reports say it as the screen does; their JSON's `deadlock`
    // keeps the P-numbers alone (scripts read it), `deadlock_named` names
    // the lanes.
    let told = f.state.verdict_named(Lang::En);
    assert!(
        told.sentence
            .contains("P2 (task 1) waits for lock, held by P1 (task 0, killed by SIGTERM"),
        "{}",
        told.sentence
    );
    assert_eq!(
        told.deadlock.as_deref(),
        Some("P2 waits for lock, held by P1 (killed by SIGTERM, exit code -15)")
    );
    assert_eq!(
        told.deadlock_named.as_deref(),
        Some("P2 (task 1) waits for lock, held by P1 (task 0, killed by SIGTERM, exit code -15)")
    );
}

#[test]
fn the_note_stays_visible_under_a_two_row_verdict_at_80x24() {
    let f = bathroom_deadlock();
    let path = "./bathroom-1796611948.schedule.json";
    for (lang, verdict, note, name) in [
        (
            Lang::En,
            "DEADLOCK: P2 (task 1)",
            "schedule saved to ./bathroom-1796611948.schedule.json",
            "saved_note_80x24",
        ),
        (
            Lang::Zh,
            "死锁（DEADLOCK）：P2 (task 1)",
            "调度已保存到 ./bathroom-1796611948.schedule.json",
            "saved_note_zh_80x24",
        ),
    ] {
        let mut a = with_session(lang, "bathroom", &[], f.state.clone(), RunMode::Done);
        let s = a.session_mut().unwrap();
        s.schedule = vec![1, 2];
        s.message = Some(text(&Note::Saved(path.into())));
        let shown = screen(&a, 80, 24);
        assert!(shown.contains(verdict), "{shown}");
        // The verdict takes two rows, the note a third of its own.
        assert!(shown.contains("exit code -15") || shown.contains("退出码 -15"));
        assert!(shown.contains(note), "the note is cut or hidden:\n{shown}");
        insta::assert_snapshot!(name, shown);
    }
    let mut a = with_session(Lang::En, "bathroom", &[], f.state.clone(), RunMode::Done);
    a.session_mut().unwrap().message = Some(text(&Note::Saved(path.into())));
    insta::assert_snapshot!("saved_note_160x48", screen(&a, 160, 48));
}

#[test]
fn a_long_note_keeps_every_row_it_needs() {
    let f = bathroom_deadlock();
    let long = format!("./{}/bathroom.schedule.json", "deep/".repeat(30));
    let mut a = with_session(Lang::En, "bathroom", &[], f.state.clone(), RunMode::Done);
    a.session_mut().unwrap().message = Some(text(&Note::Saved(long.clone())));
    let shown = screen(&a, 80, 24);
    let joined: String = shown.lines().map(str::trim_end).collect();
    assert!(joined.contains(&long), "the path is cut:\n{shown}");
    assert!(shown.contains("DEADLOCK: P2 (task 1)"), "{shown}");
}

/// The rows of the Python panel (its left box under the lanes).
fn python_rows(screen: &str) -> Vec<String> {
    let rows: Vec<&str> = screen.lines().collect();
    let top = rows.iter().position(|r| r.starts_with("┌ Python")).unwrap();
    rows[top + 1..]
        .iter()
        .take_while(|r| !r.starts_with('└'))
        .map(|r| r.split('│').nth(1).unwrap_or_default().to_string())
        .collect()
}

#[test]
fn the_python_panel_shows_every_comment_whole_at_120_columns() {
    let state = Fold::new("ticket", &[]).state;
    for (lang, comment) in [
        (Lang::En, ["# check: every buyer", "looks at once"]),
        (Lang::Zh, ["# 查票：", ""]),
    ] {
        let a = with_session(lang, "ticket", &[], state.clone(), RunMode::Step);
        let shown = screen(&a, 120, 40);
        let rows = python_rows(&shown);
        assert!(
            rows.iter().all(|r| !r.trim_end().ends_with('…')),
            "a line is cut:\n{shown}"
        );
        // Line 9's comment goes on under itself when it does not fit.
        let at = rows.iter().position(|r| r.contains(comment[0]));
        let at = at.unwrap_or_else(|| panic!("no {:?}:\n{shown}", comment[0]));
        if !comment[1].is_empty() {
            let col = |row: &str, s: &str| row.find(s).map(|i| row[..i].chars().count());
            assert_eq!(rows[at + 1].trim(), comment[1], "{shown}");
            let hash = col(&rows[at], "#").unwrap();
            assert_eq!(col(&rows[at + 1], comment[1]), Some(hash + 2), "{shown}");
        }
        let name = format!("ticket_python_{lang:?}_120x40");
        insta::assert_snapshot!(name, shown);
    }
    // Too few rows to wrap (80×24): a cut line says so at the panel's edge.
    let narrow = screen(
        &with_session(Lang::En, "ticket", &[], state, RunMode::Step),
        80,
        24,
    );
    let rows = python_rows(&narrow);
    assert!(
        rows.iter().any(|r| r.ends_with('…') && r.contains("    …")),
        "{narrow}"
    );
}

#[test]
fn the_timeline_title_names_the_pause_in_both_languages() {
    use lockstep::words::screen::sentences::whole_run;
    assert_eq!(whole_run("2.61 s", None, Lang::En), "whole run 2.61 s");
    assert_eq!(
        whole_run("4.34 s", Some("2.42 s"), Lang::En),
        "whole run 4.34 s (2.42 s paused)"
    );
    assert_eq!(
        whole_run("4.34 s", Some("2.42 s"), Lang::Zh),
        "全程 4.34 s（暂停 2.42 s）"
    );
}
