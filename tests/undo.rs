//! Undo in the app re-runs the steps on fresh processes in the background:
//! pressing `u` returns at once (the screen keeps answering keys), the run
//! shown stays as it was until the re-run is ready, and a second `u` while
//! one is under way undoes one step more.

mod common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use lockstep::lesson::builtin;
use lockstep::tui::session::{RunMode, Session};

fn stepped(steps: &[usize]) -> Session {
    let lesson = builtin("counter").unwrap();
    let mut s = Session::start(lesson, vec!["lock".into()], 1.0, PathBuf::from(common::BIN))
        .expect("start the counter lesson");
    for &p in steps {
        settle(&mut s);
        s.step(p);
        assert!(
            s.message.is_none(),
            "P{} did not move: {:?}",
            p + 1,
            s.message
        );
    }
    settle(&mut s);
    s
}

/// Apply the run's events until it is quiet (with a deadline).
fn settle(s: &mut Session) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !s.state().is_quiet() {
        let rx = s.events().expect("a live run");
        let left = deadline.saturating_duration_since(Instant::now());
        let ev = rx.recv_timeout(left).expect("the run settles in time");
        s.on_event(&ev);
    }
}

/// Wait for the undo under way to be ready, then take it.
fn finish_undo(s: &mut Session) {
    let ready = s.remade_ready().expect("an undo under way");
    ready
        .recv_timeout(Duration::from_secs(20))
        .expect("the re-run is ready in time");
    assert!(s.poll_remade().expect("the re-run went the same way"));
    assert!(s.remade_ready().is_none());
}

#[test]
fn undo_answers_at_once_and_swaps_the_run_when_ready() {
    let mut s = stepped(&[0, 0, 1, 1]);
    assert_eq!(s.schedule, vec![1, 1, 2, 2]);
    let read_before = s.state().values[0].history.len();

    s.undo().unwrap();
    // Nothing has changed yet: the old run is still shown, and saving now
    // is refused rather than writing the step being undone.
    assert_eq!(s.schedule, vec![1, 1, 2, 2]);
    assert!(s.message.as_ref().unwrap().en.starts_with("undoing"));
    let dir = tempfile::tempdir().unwrap();
    assert!(s.save_schedule(dir.path()).is_err());

    finish_undo(&mut s);
    assert_eq!(s.schedule, vec![1, 1, 2]);
    assert_eq!(s.mode, RunMode::Step);
    assert_eq!(s.message.as_ref().unwrap().en, "undid P2's step");
    assert!(s.state().values[0].history.len() < read_before);
    assert!(s.state().is_quiet());
}

#[test]
fn a_step_pressed_during_an_undo_is_taken_after_it() {
    let mut s = stepped(&[0, 0, 1, 1]);
    s.undo().unwrap();
    s.step(2);
    assert_eq!(s.schedule, vec![1, 1, 2, 2], "not yet");
    finish_undo(&mut s);
    assert_eq!(s.schedule, vec![1, 1, 2, 3]);
    // And `u` right after such a key takes back that key, not one more step.
    s.undo().unwrap();
    s.step(2);
    s.undo().unwrap();
    finish_undo(&mut s);
    assert_eq!(s.schedule, vec![1, 1, 2]);
}

#[test]
fn a_second_undo_while_one_is_under_way_undoes_one_more() {
    let mut s = stepped(&[0, 0, 1, 1]);
    s.undo().unwrap();
    s.undo().unwrap();
    finish_undo(&mut s);
    assert_eq!(s.schedule, vec![1, 1]);
    assert_eq!(s.message.as_ref().unwrap().en, "undid P2's step");
    // The re-made run goes on like any other.
    s.step(1);
    assert!(s.message.is_none(), "{:?}", s.message);
    assert_eq!(s.schedule, vec![1, 1, 2]);
}

#[test]
fn undoing_past_the_start_ends_with_nothing_to_undo() {
    let mut s = stepped(&[0]);
    s.undo().unwrap();
    s.undo().unwrap();
    assert_eq!(s.message.as_ref().unwrap().en, "nothing to undo");
    finish_undo(&mut s);
    assert!(s.schedule.is_empty());
    assert_eq!(s.message.as_ref().unwrap().en, "nothing to undo");
}

#[test]
fn restart_starts_fresh_processes_in_the_background() {
    let mut s = stepped(&[0, 0]);
    let old_pid = s.state().procs[0].pid;
    s.restart().unwrap();
    // The old run is still shown until the fresh one is ready.
    assert_eq!(s.schedule, vec![1, 1]);
    s.step(1);
    finish_undo(&mut s);
    // Fresh processes; the step pressed meanwhile is taken on them.
    assert_ne!(s.state().procs[0].pid, old_pid);
    assert_eq!(s.schedule, vec![2]);
    assert!(s.message.is_none(), "{:?}", s.message);
    settle(&mut s);
    s.step(1);
    assert_eq!(s.schedule, vec![2, 2]);
}
