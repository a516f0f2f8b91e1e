//! Screens of the app drawn into a test backend from known states (no
//! processes: the states are folded from recorded events, pids fixed).

mod screens;

use lockstep::lesson::{Lang, builtin};
use lockstep::supervisor::{Ending, EventKind};
use lockstep::tui::session::RunMode;
use lockstep::wire::Report;
use screens::fold::{Fold, app, ev, read, rep, skip, with_session, wrote};
use screens::screen;

#[test]
fn picker_in_both_languages() {
    let en = screen(&app(Lang::En), 80, 24);
    // At 80 columns a long title is cut so that the id stays whole.
    assert!(en.contains("Shared counter…  ★ 0/2  counter"), "{en}");
    insta::assert_snapshot!("picker_en", en);
    let mut zh = app(Lang::Zh);
    zh.picked = 2;
    let zh = screen(&zh, 80, 24);
    assert!(zh.contains("共享计数器"));
    insta::assert_snapshot!("picker_zh", zh);
}

/// The story panel's text lines (right of the lesson list), trimmed.
fn story_lines(screen: &str) -> Vec<String> {
    screen
        .lines()
        .skip(1)
        .filter_map(|l| {
            let at = l.find("││")?;
            Some(
                l[at + "││".len()..]
                    .trim_end_matches('│')
                    .trim_end()
                    .to_string(),
            )
        })
        .collect()
}

#[test]
fn chinese_story_wraps_per_character_and_summaries_end_with_an_ellipsis() {
    let mut a = app(Lang::Zh);
    a.picked = 1;
    let s = screen(&a, 80, 24);
    insta::assert_snapshot!("picker_zh_bathroom", s);
    let story = story_lines(&s);
    for l in &story {
        assert!(
            !l.starts_with(['，', '。', '：', '；', '、', '）', '！', '？']),
            "a line starts with closing punctuation: {l:?}\n{s}"
        );
    }
    // The story fills its lines: the first (after the title, the whole
    // summary and a blank line) is (nearly) the panel's width, not cut
    // short before a long run of Chinese.
    let first = story
        .iter()
        .skip_while(|l| !l.is_empty())
        .nth(1)
        .expect("the story's first line");
    assert!(
        unicode_width::UnicodeWidthStr::width(first.as_str()) >= 38,
        "{first:?}\n{s}"
    );
    // A summary cut by the list's width says so.
    assert!(
        s.lines().any(|l| l.contains("…│")),
        "no cut summary ends with …:\n{s}"
    );
    let en = screen(&app(Lang::En), 80, 24);
    assert!(!en.contains("meeting i│"), "{en}");
    assert!(en.contains("…│"), "{en}");
}

#[test]
fn counter_stepping_shows_who_read_what() {
    let mut f = Fold::new("counter", &["lock"]);
    f.step(0, vec![skip()]).step(0, vec![read(100)]);
    f.step(1, vec![skip()]).step(1, vec![read(100)]);
    let a = with_session(
        Lang::En,
        "counter",
        &["lock"],
        f.state.clone(),
        RunMode::Step,
    );
    let s = screen(&a, 80, 24);
    assert!(s.contains("[STEP]") && s.contains("lock OFF"));
    assert!(s.contains("P1 read 100") && s.contains("P2 read 100"));
    insta::assert_snapshot!("counter_stepping", s);
}

#[test]
fn counter_corrupted_names_the_lost_update_and_its_step() {
    let mut f = Fold::new("counter", &["lock"]);
    f.step(0, vec![skip()]).step(0, vec![read(100)]);
    f.step(1, vec![skip()]).step(1, vec![read(100)]);
    f.step(0, vec![]).step(0, vec![wrote(99)]);
    f.step(1, vec![]).step(1, vec![wrote(99)]);
    let a = with_session(
        Lang::En,
        "counter",
        &["lock"],
        f.state.clone(),
        RunMode::Step,
    );
    let s = screen(&a, 80, 24);
    assert!(s.contains("LOST UPDATE"), "{s}");
    assert!(
        s.contains("1 update lost so far") && s.contains("broke at step 8"),
        "{s}"
    );
    insta::assert_snapshot!("counter_corrupted", s);
}

#[test]
fn blocked_process_shows_whom_it_waits_for() {
    let mut f = Fold::new("bathroom", &[]);
    f.step(
        0,
        vec![Report::Acquired {
            lock: "lock".into(),
        }],
    );
    f.block(1, "lock");
    let mut a = with_session(Lang::En, "bathroom", &[], f.state.clone(), RunMode::Step);
    a.session_mut().unwrap().message = Some("P2 waits for lock, held by P1".into());
    let s = screen(&a, 80, 24);
    assert!(s.contains("waits lock (P1)"), "{s}");
    assert!(s.contains("waiting: P2"), "{s}");
    insta::assert_snapshot!("bathroom_blocked", s);
}

#[test]
fn deadlock_after_the_holder_is_terminated() {
    let mut f = Fold::new("bathroom", &[]);
    f.step(
        0,
        vec![Report::Acquired {
            lock: "lock".into(),
        }],
    );
    f.block(1, "lock");
    f.end(0, Ending::Signal(15));
    assert!(f.state.deadlock.is_some());
    let a = with_session(Lang::En, "bathroom", &[], f.state.clone(), RunMode::Done);
    let s = screen(&a, 80, 24);
    assert!(
        s.contains("DEADLOCK: P2 (task 1) waits for lock, held by P1 (task 0, killed by SIGTERM,"),
        "{s}"
    );
    assert!(s.contains("exit -15 SIGTERM"), "{s}");
    insta::assert_snapshot!("bathroom_deadlock", s);
}

#[test]
fn running_and_done_in_a_large_terminal() {
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
    let a = with_session(Lang::En, "guests", &[], f.state.clone(), RunMode::Running);
    let s = screen(&a, 160, 48);
    assert!(s.contains("[RUN]") && s.contains("2/2 inside"), "{s}");
    insta::assert_snapshot!("guests_running_160x48", s);

    let mut f = Fold::new("counter", &[]);
    for p in 0..20 {
        f.state.apply(&rep(p, read(100 - p as i64)));
        f.state.apply(&rep(p, wrote(99 - p as i64)));
        f.end(p, Ending::Code(0));
    }
    let a = with_session(Lang::Zh, "counter", &[], f.state.clone(), RunMode::Done);
    let s = screen(&a, 100, 30);
    assert!(s.contains("[结束]") && s.contains("计数为 80"), "{s}");
    insta::assert_snapshot!("counter_done_zh", s);

    // A tall panel shows as many reads and writes as fit (the state keeps
    // the last 12), not the last six.
    let a = with_session(Lang::En, "counter", &[], f.state.clone(), RunMode::Done);
    let s = screen(&a, 160, 48);
    let accesses = s
        .lines()
        .filter(|l| l.contains(" read ") || l.contains(" wrote "))
        .count();
    assert!(
        accesses >= 12,
        "only {accesses} reads and writes shown:\n{s}"
    );
}

#[test]
fn help_and_too_small() {
    let mut a = with_session(
        Lang::En,
        "counter",
        &[],
        Fold::new("counter", &[]).state,
        RunMode::Step,
    );
    a.help = true;
    let s = screen(&a, 100, 30);
    assert!(s.contains("Header:") && s.contains("PAUSED"), "{s}");
    insta::assert_snapshot!("help_en", s);
    let small = screen(&a, 60, 20);
    assert!(small.contains("80×24"), "{small}");
}

#[test]
fn challenge_goal_hint_and_win() {
    let mut f = Fold::new("counter", &["lock"]);
    f.step(0, vec![skip()]).step(0, vec![read(100)]);
    let mut a = with_session(
        Lang::En,
        "counter",
        &["lock"],
        f.state.clone(),
        RunMode::Step,
    );
    let s = screen(&a, 80, 24);
    assert!(
        s.contains("★ Goal 1/2: Make the count end at 99") && s.contains("h hint"),
        "{s}"
    );
    let session = a.session_mut().unwrap();
    assert!(session.pursuit.hint(&session.lesson.goals));
    assert!(session.pursuit.hint(&session.lesson.goals));
    let s = screen(&a, 80, 24);
    assert!(s.contains("Hint 2: If all twenty read 100"), "{s}");
    assert!(
        !s.contains("Hint 1:"),
        "only the newest hint is shown:\n{s}"
    );
    insta::assert_snapshot!("counter_goal_hint", s);

    // The whole run ends at 99: the goal is won.
    let mut f = Fold::new("counter", &["lock"]);
    for p in 0..20 {
        f.state.apply(&rep(p, read(100)));
    }
    for p in 0..20 {
        f.state.apply(&rep(p, wrote(99)));
        f.end(p, Ending::Code(0));
    }
    let mut a = with_session(
        Lang::Zh,
        "counter",
        &["lock"],
        f.state.clone(),
        RunMode::Done,
    );
    let session = a.session_mut().unwrap();
    session.on_event(&ev(0, EventKind::Closed));
    assert_eq!(session.wins, vec!["end_at_99".to_string()]);
    let s = screen(&a, 80, 24);
    assert!(
        s.contains("★ 挑战成功！") && s.contains("让计数最后停在 99"),
        "{s}"
    );
    insta::assert_snapshot!("counter_goal_won_zh", s);
}

#[test]
fn picker_counts_the_goals_won() {
    let mut a = app(Lang::En);
    a.progress.record("ticket", "oversell").unwrap();
    let s = screen(&a, 100, 30);
    assert!(s.contains("Ticket rush  ★ 1/2  ticket"), "{s}");
    assert!(
        s.contains("✓ Sell the one ticket twice") && s.contains("★ Let all ten buyers"),
        "{s}"
    );
}

#[test]
fn a_blocked_step_and_a_deadlock_read_in_chinese() {
    let mut f = Fold::new("bathroom", &[]);
    f.step(
        0,
        vec![Report::Acquired {
            lock: "lock".into(),
        }],
    );
    f.block(1, "lock");
    assert_eq!(
        f.state.why_blocked_in(1, Lang::Zh).as_deref(),
        Some("P2 在等 lock，持有者：P1")
    );
    f.end(0, Ending::Signal(15));
    let a = with_session(Lang::Zh, "bathroom", &[], f.state.clone(), RunMode::Done);
    let s = screen(&a, 100, 30);
    assert!(
        s.contains(
            "死锁（DEADLOCK）：P2 (task 1) 在等 lock，持有者：P1（task 0，已被 SIGTERM 终止，退出码 -15）"
        ),
        "{s}"
    );
}

#[test]
fn explorer_screen_in_both_languages() {
    use lockstep::explore::Tally;
    use lockstep::tui::explorer::{Coverage as Search, Explorer};
    let counter = builtin("counter").unwrap();
    let shrunk = counter.with_processes(3).unwrap();
    let mut off = Tally::new(&["lock".to_string()], 97);
    off.schedules = 90;
    off.broken = 84;
    off.distribution = [(97, 6), (98, 36), (99, 48)].into_iter().collect();
    off.shortest_bad = Some(vec![1, 2, 3, 1, 1, 1, 1, 1, 2, 2, 3, 3, 2, 2, 2, 3, 3, 3]);
    let mut on = Tally::new(&[], 97);
    on.schedules = 6;
    on.distribution = [(97, 6)].into_iter().collect();
    for lang in [Lang::En, Lang::Zh] {
        let mut a = app(lang);
        a.show_explorer(Explorer::finished(
            counter.clone(),
            shrunk.clone(),
            3,
            Search::Every,
            vec![off.clone(), on.clone()],
        ));
        let s = screen(&a, 80, 24);
        match lang {
            Lang::En => {
                assert!(s.contains("90 schedules · 84 broke the check"), "{s}");
                assert!(s.contains("final count 99 ") && s.contains(" 48 ✗"), "{s}");
                assert!(
                    s.contains("shortest bad schedule (OFF: lock, 18 steps)"),
                    "{s}"
                );
                insta::assert_snapshot!("explorer_en", s);
            }
            Lang::Zh => {
                assert!(
                    s.contains("探索所有调度") && s.contains("最短的出错调度"),
                    "{s}"
                );
                insta::assert_snapshot!("explorer_zh", s);
            }
        }
    }
}
