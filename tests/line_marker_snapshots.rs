//! The line marker points at what runs next (issue 12): past a process's
//! last statement too (the join Python does at exit is shown as such), and
//! a process asleep in a free run says sleeping, whatever its sleep is
//! written as. Drawn from folded events with fixed pids.

mod screens;

use lockstep::lesson::Lang;
use lockstep::supervisor::EventKind;
use lockstep::tui::session::RunMode;
use lockstep::wire::Report;
use screens::fold::{Fold, ev, rep, with_session};
use screens::screen;

/// The line of the code panel that holds listing line `n`.
fn code_line(screen: &str, n: u32) -> String {
    let key = format!(" {n:>2} ");
    screen
        .lines()
        .find(|l| l.starts_with("│ ") && l.contains(&key) && l.find(&key) < Some(14))
        .unwrap_or_default()
        .to_string()
}

#[test]
fn daemon_main_after_its_last_print_waits_in_the_join_at_exit() {
    let mut f = Fold::new("daemon", &[]);
    for _ in 0..3 {
        f.step(0, vec![]);
    }
    // The last print: run, and nothing after it but Python's exit.
    f.state.apply(&ev(0, EventKind::Granted));
    f.state.apply(&rep(0, Report::Run { pc: 3 }));
    let said = Report::Printed {
        en: "main: my code ends here".into(),
        zh: Some("主进程：我的代码到此结束".into()),
    };
    f.state.apply(&rep(0, said));
    f.state.apply(&rep(0, Report::Terminated { child: 2 }));
    f.state.apply(&rep(0, Report::Joining { child: 3 }));
    let app = with_session(Lang::En, "daemon", &[], f.state.clone(), RunMode::Step);
    let en = screen(&app, 160, 48);
    assert!(en.contains("at exit: join P3 (p2)"), "{en}");
    // The marker is past the print, on the listing's `# at exit: …`.
    assert!(code_line(&en, 22).contains("P1▶"), "{en}");
    assert!(!code_line(&en, 21).contains("P1▶"), "{en}");
    insta::assert_snapshot!("daemon_join_at_exit_160x48", en);
    let narrow = screen(&app, 80, 24);
    assert!(narrow.contains("at exit: join P3"), "{narrow}");
    insta::assert_snapshot!("daemon_join_at_exit_80x24", narrow);
    let zh = with_session(Lang::Zh, "daemon", &[], f.state.clone(), RunMode::Step);
    let zh = screen(&zh, 80, 24);
    assert!(zh.contains("退出时 join P3"), "{zh}");
    insta::assert_snapshot!("daemon_join_at_exit_zh_80x24", zh);
}

#[test]
fn ticket_buyer_after_its_release_points_past_it() {
    let mut f = Fold::new("ticket", &[]);
    let mutex = || "mutex".to_string();
    // P1 walks to its release and takes it: next is the end of buyer().
    for _ in 0..12 {
        let pc = f.state.procs[0].pc.unwrap_or(0);
        let reports = match pc {
            3 => vec![Report::Acquired { lock: mutex() }],
            11 => vec![Report::Released { lock: mutex() }],
            _ => vec![],
        };
        f.step(0, reports);
    }
    let app = with_session(Lang::En, "ticket", &[], f.state.clone(), RunMode::Step);
    let en = screen(&app, 160, 48);
    let p1 = en.lines().find(|l| l.starts_with("│P1 ")).unwrap();
    assert!(p1.contains("exit 0  :24"), "{p1}");
    assert!(code_line(&en, 24).contains("P1▶"), "{en}");
    assert!(code_line(&en, 24).contains("# buyer() returns"), "{en}");
    assert!(!code_line(&en, 23).contains("P1▶"), "{en}");
    insta::assert_snapshot!("ticket_after_release_160x48", en);
    let zh = with_session(Lang::Zh, "ticket", &[], f.state.clone(), RunMode::Step);
    let zh = screen(&zh, 160, 48);
    assert!(code_line(&zh, 24).contains("# buyer() 返回"), "{zh}");
}

#[test]
fn a_sleeper_in_a_free_run_says_sleeping_for_its_whole_sleep() {
    let mut f = Fold::new("join", &[]);
    // P2 (a) printed and is in `time.sleep(seconds)`, a sleep_for.
    f.step(1, vec![]);
    f.state.apply(&ev(1, EventKind::Granted));
    f.state.apply(&rep(1, Report::Run { pc: 1 }));
    let app = with_session(Lang::En, "join", &[], f.state.clone(), RunMode::Running);
    let en = screen(&app, 80, 24);
    let p2 = en.lines().find(|l| l.contains("P2 a ")).unwrap();
    assert!(p2.contains("sleeping") && !p2.contains("running"), "{p2}");
    assert!(p2.contains("time.sleep("), "{p2}");
    insta::assert_snapshot!("join_sleeping_80x24", en);
    let zh = with_session(Lang::Zh, "join", &[], f.state.clone(), RunMode::Running);
    let zh = screen(&zh, 160, 48);
    let p2 = zh.lines().find(|l| l.contains("P2 a ")).unwrap();
    assert!(p2.contains("睡眠"), "{p2}");
    insta::assert_snapshot!("join_sleeping_zh_160x48", zh);
}
