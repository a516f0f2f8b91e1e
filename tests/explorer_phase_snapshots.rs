//! The explorer's header follows its phase (issue 12): while every schedule
//! of a size is tried it says so (not "choosing how many processes…"), the
//! gauge says it is still counting until the total is known, a random
//! search counts against its total, and the header follows the plan once it
//! is made. News handed over as the search thread sends them; drawn at
//! 80×24 and 160×48, in English and Chinese.

mod screens;

use lockstep::explore::{SearchProgress, Tally};
use lockstep::lesson::{Lang, builtin};
use lockstep::tui::explorer::{Coverage, Explorer, News};
use screens::fold::app;
use screens::screen;

fn progress(set: usize, done: usize, total: Option<f64>) -> News {
    News::Progress {
        set,
        progress: SearchProgress { done, total },
    }
}

fn shown(ex: Explorer, lang: Lang, w: u16, h: u16) -> String {
    let mut a = app(lang);
    a.show_explorer(ex);
    screen(&a, w, h)
}

/// guests (5 processes, a semaphore): trying every schedule of 3.
fn trying_guests() -> Explorer {
    let mut ex = Explorer::waiting(builtin("guests").unwrap(), "guests".into());
    ex.take(News::Trying {
        procs: Some(3),
        limit: 3000,
    });
    ex.take(progress(0, 1054, None));
    ex
}

#[test]
fn trying_every_schedule_says_so_and_that_it_is_still_counting() {
    let en = shown(trying_guests(), Lang::En, 80, 24);
    assert!(!en.contains("choosing how many"), "{en}");
    assert!(
        en.contains("3 processes · trying every schedule (over 3000: fewer processes or random)…"),
        "{en}"
    );
    assert!(en.contains("1054 schedules · still counting"), "{en}");
    // The locks-ON setting has not started: it says so, not "0 schedules".
    assert!(en.contains("waits for the setting above"), "{en}");
    insta::assert_snapshot!("trying_80x24", en);
    let zh = shown(trying_guests(), Lang::Zh, 80, 24);
    assert!(
        zh.contains("3 个进程 · 正在尝试所有调度（超过 3000 个就减少进程或改用随机调度）……"),
        "{zh}"
    );
    assert!(zh.contains("已跑 1054 个调度 · 总数还在数"), "{zh}");
    insta::assert_snapshot!("trying_zh_80x24", zh);
    insta::assert_snapshot!("trying_160x48", shown(trying_guests(), Lang::En, 160, 48));
}

#[test]
fn a_smaller_size_counts_again_and_a_random_search_has_its_total() {
    let mut ex = trying_guests();
    // Too many at 3: 2 processes are tried, counted from nothing.
    ex.take(News::Trying {
        procs: Some(2),
        limit: 3000,
    });
    let again = shown(ex, Lang::En, 80, 24);
    assert!(
        again.contains("2 processes · trying every schedule"),
        "{again}"
    );
    assert!(!again.contains("1054"), "the old count stayed:\n{again}");
    assert!(
        again.matches("waits for the setting above").count() == 2,
        "{again}"
    );

    let mut random = trying_guests();
    let lesson = builtin("guests").unwrap();
    random.take(News::Plan {
        lesson: Box::new(lesson.with_processes(3).unwrap()),
        procs: Some(3),
        mode: Coverage::Random(300),
    });
    random.take(progress(0, 120, Some(300.0)));
    let s = shown(random, Lang::En, 80, 24);
    assert!(
        s.contains("3 processes · 300 random schedules per setting"),
        "{s}"
    );
    assert!(s.contains("120/300 schedules"), "{s}");
    assert!(!s.contains("trying every"), "{s}");
}

#[test]
fn an_exhaustive_search_shows_its_total_when_done() {
    let mut ex = trying_guests();
    let lesson = builtin("guests").unwrap();
    ex.take(News::Plan {
        lesson: Box::new(lesson.with_processes(3).unwrap()),
        procs: Some(3),
        mode: Coverage::Every,
    });
    // The last progress of an exhaustive search carries its total.
    ex.take(progress(0, 1200, Some(1200.0)));
    let counted = shown(ex, Lang::En, 80, 24);
    assert!(
        counted.contains("3 processes · every schedule"),
        "{counted}"
    );
    assert!(counted.contains("1200/1200 schedules"), "{counted}");
    let mut done = trying_guests();
    let mut tally = Tally::new(&[], 0);
    tally.schedules = 1200;
    done.take(News::Done {
        set: 0,
        tally,
        mode: Coverage::Every,
    });
    let s = shown(done, Lang::Zh, 80, 24);
    assert!(s.contains("1200 个调度"), "{s}");
}

#[test]
fn a_setting_searched_at_random_says_so_in_its_title() {
    let mut ex = trying_guests();
    let lesson = builtin("guests").unwrap();
    ex.take(News::Plan {
        lesson: Box::new(lesson.with_processes(3).unwrap()),
        procs: None,
        mode: Coverage::Every,
    });
    let mut whole = Tally::new(&[], 0);
    whole.schedules = 1;
    ex.take(News::Done {
        set: 0,
        tally: whole,
        mode: Coverage::Every,
    });
    let mut random = Tally::new(&[], 0);
    random.schedules = 100;
    ex.take(News::Done {
        set: 1,
        tally: random,
        mode: Coverage::Random(100),
    });
    let s = shown(ex, Lang::En, 80, 24);
    // A program starts as many processes as it does: no count is claimed.
    assert!(s.contains("\nevery schedule, fresh processes each"), "{s}");
    assert!(s.contains("1 schedule · 0 broke"), "{s}");
    assert!(
        s.contains("100 random schedules (too many for every one)"),
        "the second setting was not searched whole:\n{s}"
    );
}
