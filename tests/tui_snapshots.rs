//! Screens of the app drawn into a test backend from known states (no
//! processes: the states are folded from recorded events, pids fixed).

mod screens;

use std::path::PathBuf;
use std::time::Duration;

use lockstep::lesson::{Lang, builtin, builtins};
use lockstep::state::RunState;
use lockstep::supervisor::{Ending, Event, EventKind};
use lockstep::tui::app::App;
use lockstep::tui::session::{Mode, Session};
use lockstep::wire::Report;
use screens::screen;

fn ev(proc: usize, kind: EventKind) -> Event {
    Event {
        proc,
        at: Duration::ZERO,
        kind,
    }
}

fn rep(proc: usize, r: Report) -> Event {
    ev(proc, EventKind::Report(r))
}

struct Fold {
    state: RunState,
}

impl Fold {
    fn new(lesson: &str, off: &[&str]) -> Fold {
        let lesson = builtin(lesson).unwrap();
        let off: Vec<String> = off.iter().map(|s| s.to_string()).collect();
        let mut state = RunState::new(&lesson, &off);
        for p in 0..state.procs.len() {
            let pid = 4000 + p as u32;
            state.apply(&ev(p, EventKind::Spawned { pid }));
            state.apply(&rep(
                p,
                Report::Hello {
                    version: 1,
                    number: p + 1,
                    pid,
                    ppid: 1,
                },
            ));
            state.apply(&rep(p, Report::At { pc: 0 }));
        }
        Fold { state }
    }

    fn step(&mut self, p: usize, reports: Vec<Report>) -> &mut Self {
        let pc = self.state.procs[p].pc.unwrap_or(0);
        self.state.apply(&ev(p, EventKind::Granted));
        self.state.apply(&rep(p, Report::Run { pc }));
        for r in reports {
            self.state.apply(&rep(p, r));
        }
        self.state.apply(&rep(p, Report::At { pc: pc + 1 }));
        self
    }

    fn block(&mut self, p: usize, lock: &str) -> &mut Self {
        let pc = self.state.procs[p].pc.unwrap_or(0);
        self.state.apply(&ev(p, EventKind::Granted));
        self.state.apply(&rep(p, Report::Run { pc }));
        self.state
            .apply(&rep(p, Report::Waiting { lock: lock.into() }));
        self
    }

    fn end(&mut self, p: usize, ending: Ending) -> &mut Self {
        if ending == Ending::Code(0) {
            self.state.apply(&rep(p, Report::Done { code: 0 }));
        }
        self.state.apply(&ev(p, EventKind::Closed));
        self.state.apply(&ev(p, EventKind::Exited(ending)));
        self
    }
}

fn app(lang: Lang) -> App {
    let mut app = App::new(builtins(), lang, PathBuf::new());
    app.color = false;
    app
}

fn with_session(lang: Lang, lesson: &str, off: &[&str], state: RunState, mode: Mode) -> App {
    let mut a = app(lang);
    let off: Vec<String> = off.iter().map(|s| s.to_string()).collect();
    let mut s = Session::detached(builtin(lesson).unwrap(), off, state, mode);
    s.os_state = s
        .state
        .procs
        .iter()
        .map(|p| p.ending.is_none().then_some('S'))
        .collect();
    a.show_run(s);
    a
}

fn read(v: i64) -> Report {
    Report::Read {
        value: "count".into(),
        got: v,
    }
}

fn wrote(v: i64) -> Report {
    Report::Wrote {
        value: "count".into(),
        put: v,
    }
}

fn skip() -> Report {
    Report::Skipped {
        lock: "lock".into(),
        release: false,
    }
}

#[test]
fn picker_in_both_languages() {
    let en = screen(&app(Lang::En), 80, 24);
    assert!(en.contains("Shared counter race"));
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
    // The story fills its lines: the first is (nearly) the panel's width,
    // not cut short before a long run of Chinese.
    let first = story.get(2).expect("the story's first line");
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
    let a = with_session(Lang::En, "counter", &["lock"], f.state.clone(), Mode::Step);
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
    let a = with_session(Lang::En, "counter", &["lock"], f.state.clone(), Mode::Step);
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
    let mut a = with_session(Lang::En, "bathroom", &[], f.state.clone(), Mode::Step);
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
    f.state.deadlock = f.state.find_deadlock();
    assert!(f.state.deadlock.is_some());
    let a = with_session(Lang::En, "bathroom", &[], f.state.clone(), Mode::Done);
    let s = screen(&a, 80, 24);
    assert!(
        s.contains("DEADLOCK: P2 waits for lock, held by P1 (killed by SIGTERM, exit code -15)"),
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
    let a = with_session(Lang::En, "guests", &[], f.state.clone(), Mode::Running);
    let s = screen(&a, 160, 48);
    assert!(s.contains("[RUN]") && s.contains("2/2 inside"), "{s}");
    insta::assert_snapshot!("guests_running_160x48", s);

    let mut f = Fold::new("counter", &[]);
    for p in 0..20 {
        f.state.apply(&rep(p, read(100 - p as i64)));
        f.state.apply(&rep(p, wrote(99 - p as i64)));
        f.end(p, Ending::Code(0));
    }
    let a = with_session(Lang::Zh, "counter", &[], f.state.clone(), Mode::Done);
    let s = screen(&a, 100, 30);
    assert!(s.contains("[结束]") && s.contains("计数为 80"), "{s}");
    insta::assert_snapshot!("counter_done_zh", s);

    // A tall panel shows as many reads and writes as fit (the state keeps
    // the last 12), not the last six.
    let a = with_session(Lang::En, "counter", &[], f.state.clone(), Mode::Done);
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
        Mode::Step,
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
    let mut a = with_session(Lang::En, "counter", &["lock"], f.state.clone(), Mode::Step);
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
    let mut a = with_session(Lang::Zh, "counter", &["lock"], f.state.clone(), Mode::Done);
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
    f.state.deadlock = f.state.find_deadlock();
    let a = with_session(Lang::Zh, "bathroom", &[], f.state.clone(), Mode::Done);
    let s = screen(&a, 100, 30);
    assert!(
        s.contains("死锁（DEADLOCK）：P2 在等 lock，持有者：P1（已被 SIGTERM 终止，退出码 -15）"),
        "{s}"
    );
}

#[test]
fn explorer_screen_in_both_languages() {
    use lockstep::explore::Tally;
    use lockstep::tui::explorer::{Explorer, Mode as Search};
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

fn press(app: &mut App, c: char) {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    app.on_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
}

#[test]
fn q_in_the_help_quits_and_other_keys_only_close_it() {
    let mut a = app(Lang::En);
    a.help = true;
    press(&mut a, 'x');
    assert!(!a.help && !a.quit, "x closes the help, nothing more");
    a.help = true;
    press(&mut a, '3');
    assert!(!a.help && a.picked == 0, "3 closes the help, opens nothing");
    a.help = true;
    press(&mut a, 'q');
    assert!(a.quit, "q quits from the help");
}

#[test]
fn keys_do_nothing_behind_the_too_small_message() {
    let mut a = app(Lang::En);
    let small = screen(&a, 80, 23);
    assert!(small.contains("80×24"), "{small}");
    for c in ['3', 'j', '?', 'L', 'e'] {
        press(&mut a, c);
    }
    assert_eq!(a.picked, 0, "no lesson chosen");
    assert!(a.session().is_none() && a.error.is_none() && !a.help);
    assert_eq!(a.lang, Lang::En);
    press(&mut a, 'q');
    assert!(a.quit, "q still quits");
    // Once big enough again, keys act.
    let mut a = app(Lang::En);
    screen(&a, 80, 24);
    press(&mut a, 'j');
    assert_eq!(a.picked, 1);
}

#[test]
fn a_click_on_a_lane_keeps_the_list_where_it_is_and_the_ends_stop_the_selection() {
    use crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
    let mut a = with_session(
        Lang::En,
        "counter",
        &[],
        Fold::new("counter", &[]).state,
        Mode::Step,
    );
    a.selected = 18;
    let before = screen(&a, 80, 24);
    let row = before
        .lines()
        .position(|l| l.starts_with("│P13 "))
        .unwrap_or_else(|| panic!("P13 shown:\n{before}"));
    let first_lane = |s: &str| {
        s.lines()
            .find(|l| l.starts_with("│P") && l.as_bytes()[2].is_ascii_digit())
            .map(|l| l.split_whitespace().next().unwrap().to_string())
    };
    a.on_mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: 5,
        row: row as u16,
        modifiers: KeyModifiers::NONE,
    });
    assert_eq!(a.selected, 12, "the click selects P13");
    let after = screen(&a, 80, 24);
    assert_eq!(first_lane(&after), first_lane(&before), "{before}\n{after}");
    assert!(after.contains("Processes 13/20"), "{after}");

    // ↑ at P1 stays on P1; ↓ at P20 stays on P20.
    use crossterm::event::{KeyCode, KeyEvent};
    a.selected = 0;
    a.on_key(KeyEvent::new(KeyCode::Up, KeyModifiers::NONE));
    assert_eq!(a.selected, 0);
    a.selected = 19;
    a.on_key(KeyEvent::new(KeyCode::Down, KeyModifiers::NONE));
    a.on_key(KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE));
    assert_eq!(a.selected, 19);
}

#[test]
fn help_explains_every_panel_in_both_languages() {
    for lang in [Lang::En, Lang::Zh] {
        let a = app(lang);
        let t = lockstep::tui::text::strings(lang);
        let text: String = lockstep::tui::help::lines(&a, 1000)
            .iter()
            .map(|l| l.to_string() + "\n")
            .collect();
        let pool_workers = t.pool_workers.trim_end_matches([':', '：']);
        let mut must = vec![
            "STEP",
            "RUN",
            "PAUSED",
            "DONE",
            "N×",
            "2/20",
            "18×▶",
            "P4▶",
            "P1†",
            "P1–P5",
            t.output,
            t.steps,
            t.timing,
            t.callbacks_title,
            pool_workers,
            t.on,
            t.off,
            t.speed,
        ];
        must.extend(["ms"]);
        for word in must {
            assert!(text.contains(word), "{lang:?} help lacks {word:?}:\n{text}");
        }
    }
}

#[test]
fn pool_lesson_keys_say_why_they_do_nothing_and_no_message_goes_stale() {
    let state = RunState::new(&builtin("pool").unwrap(), &[]);
    let mut a = with_session(Lang::En, "pool", &[], state, Mode::Done);
    let msg = |a: &App| {
        a.session()
            .and_then(|s| s.message.as_ref())
            .map(|m| m.get(Lang::En).to_string())
    };
    for c in [' ', 't'] {
        press(&mut a, c);
        let m = msg(&a).unwrap_or_default();
        assert!(m.contains("runs by itself"), "{c:?}: {m:?}");
        let zh = a.session().unwrap().message.as_ref().unwrap();
        assert!(zh.get(Lang::Zh).contains("自己运行"), "{c:?}");
    }
    for c in ['n', 'p'] {
        press(&mut a, c);
        assert_eq!(
            msg(&a).as_deref(),
            Some("the run is over: r measures again")
        );
    }
    press(&mut a, 's');
    assert!(
        msg(&a).unwrap_or_default().contains("no schedule"),
        "{:?}",
        msg(&a)
    );
    press(&mut a, 'l');
    assert!(msg(&a).unwrap_or_default().contains("no lock"));
    // The next key's answer replaces it; a key with nothing to say clears it.
    press(&mut a, 'j');
    assert_eq!(msg(&a), None, "a stale message stayed");
    let s = screen(&a, 80, 24);
    assert!(!s.contains("both phases"), "{s}");
}

#[test]
fn measuring_says_every_phase() {
    let state = RunState::new(&builtin("pool").unwrap(), &[]);
    let a = with_session(Lang::En, "pool", &[], state, Mode::Running);
    let s = screen(&a, 80, 24);
    assert!(s.contains("measuring every phase"), "{s}");
    let state = RunState::new(&builtin("pool").unwrap(), &[]);
    let a = with_session(Lang::Zh, "pool", &[], state, Mode::Running);
    let s = screen(&a, 80, 24);
    assert!(s.contains("每个阶段"), "{s}");
}

#[test]
fn a_goal_won_in_an_earlier_run_is_not_celebrated_again() {
    let state = RunState::new(&builtin("pool").unwrap(), &[]);
    let mut a = with_session(Lang::En, "pool", &[], state, Mode::Done);
    let goal = builtin("pool").unwrap().goals[0].id.clone();
    let win = |a: &mut App| {
        let s = a.session_mut().unwrap();
        s.pursuit.goal = 0;
        s.pursuit.won_now = true;
        s.wins.push(goal.clone());
        a.record_wins();
        a.session().unwrap().pursuit.won_now
    };
    assert!(win(&mut a), "the first win is celebrated");
    assert!(screen(&a, 80, 24).contains("Challenge won!"));
    // `r` measures again and the goal holds again: marked, not cheered.
    assert!(!win(&mut a), "a second win of the same goal is not");
    let s = screen(&a, 80, 24);
    assert!(
        !s.contains("Challenge won!") && s.contains("✓ Goal 1/1"),
        "{s}"
    );
}

#[test]
fn a_long_op_at_80_columns_drops_its_line_then_ends_with_an_ellipsis() {
    let mut f = Fold::new("ticket", &["mutex"]);
    // P1 reaches `if count <= 0: jump sold_out`, the longest op of the lesson.
    for _ in 0..30 {
        if f.state.procs[0]
            .step()
            .is_some_and(|st| st.op.describe().starts_with("if count"))
        {
            break;
        }
        f.step(0, vec![]);
    }
    let a = with_session(Lang::En, "ticket", &["mutex"], f.state.clone(), Mode::Step);
    let s = screen(&a, 80, 24);
    let p1 = s.lines().find(|l| l.starts_with("│P1 ")).unwrap();
    assert!(
        p1.contains("if count <= 0: jump sold_out") || p1.contains("if count <= 0: jump sold…"),
        "{p1}"
    );
    let p3 = s.lines().find(|l| l.starts_with("│P3 ")).unwrap();
    assert!(p3.contains("sleep 1000 ms  :9"), "{p3}");
    let big = screen(&a, 160, 48);
    assert!(big.contains("if count <= 0: jump sold_out  :"), "{big}");
}

#[test]
fn the_code_panel_keeps_the_selected_process_in_view() {
    let mut f = Fold::new("ticket", &[]);
    // P1 walks on to line 14 or later; the nine others stay at line 9.
    for _ in 0..30 {
        if f.state.procs[0].line().is_some_and(|l| l >= 14) {
            break;
        }
        f.step(0, vec![]);
    }
    let line = f.state.procs[0].line().unwrap();
    assert!(line >= 14, "P1 at line {line}");
    let mut a = with_session(Lang::En, "ticket", &[], f.state.clone(), Mode::Step);
    a.selected = 0;
    let s = screen(&a, 80, 24);
    let marker = format!("P1▶ {line:>2} ");
    assert!(s.contains(&marker), "P1's line {line} is not shown:\n{s}");
    // Another selection at the busy line brings that back.
    a.selected = 4;
    let s = screen(&a, 80, 24);
    assert!(s.contains("9×▶  9 "), "{s}");
}
