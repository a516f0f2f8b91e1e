//! What the keys do on the run screen: step, play, terminate, restart,
//! undo, save, switch the locks, ask for a hint… and what the pool lesson,
//! which runs by itself, says instead.

use super::app::{App, Screen};
use super::keys::Action;
use super::session::{RunMode, Session};
use crate::lesson::Text;
use crate::words::screen::notes::{self, Note};

pub fn run_key(app: &mut App, action: Option<Action>, digit: Option<usize>) {
    let save_dir = app.save_dir.clone();
    let Screen::Run(s) = &mut app.screen else {
        return;
    };
    if s.lesson.pool.is_some() {
        // Every key gets its own answer: none stays from an earlier one.
        s.message = None;
        if let Some(why) = pool_refusal(action, s.mode == RunMode::Done) {
            s.message = Some(why);
            return;
        }
    }
    match action {
        Some(Action::Back) => {
            app.screen = Screen::Picker;
            return;
        }
        Some(Action::Explore) if s.origin.ends_with(super::real_python::SUFFIX) => {
            let (lesson, origin) = (s.lesson.clone(), s.origin.clone());
            app.explore_as(lesson, origin);
            return;
        }
        Some(Action::Explore) => {
            app.explore(app.picked);
            return;
        }
        Some(Action::RealPython) => {
            app.switch_python();
            return;
        }
        Some(Action::Up | Action::Down | Action::Step | Action::StepNext | Action::StepNumber) => {
            app.selected = step_or_select(s, action, digit, app.selected);
        }
        Some(Action::Save) if s.played() => s.message = Some(notes::text(&Note::SavePlayed)),
        Some(Action::Save) if s.schedule.is_empty() => {
            s.message = Some(notes::text(&Note::SaveNothing));
        }
        Some(Action::Save) if s.origin.ends_with(super::real_python::SUFFIX) => {
            app.save_real_program(&save_dir);
            return;
        }
        Some(Action::Save) => {
            s.message = Some(match s.save_schedule(&save_dir) {
                Ok(path) => notes::text(&Note::Saved(path.display().to_string())),
                Err(e) => notes::text(&Note::SaveFailed(format!("{e:#}"))),
            });
        }
        Some(Action::Terminate) if !s.state().procs.is_empty() => s.terminate(app.selected),
        Some(action) => run_action(s, action),
        None => {}
    }
    app.record_wins();
}

/// Move the selection, or step; the process selected afterwards.
fn step_or_select(
    s: &mut Session,
    action: Option<Action>,
    digit: Option<usize>,
    selected: usize,
) -> usize {
    let n = s.state().procs.len();
    match action {
        // The ends stop the selection: wrapping around made `t` hit the
        // wrong process.
        Some(Action::Up) => selected.saturating_sub(1),
        Some(Action::Down) => (selected + 1).min(n.saturating_sub(1)),
        Some(Action::Step) if n > 0 => {
            s.step(selected);
            selected
        }
        Some(Action::StepNext) => s.step_next().unwrap_or(selected),
        Some(Action::StepNumber) => match digit.filter(|p| *p < n) {
            Some(p) => {
                s.step(p);
                p
            }
            None => selected,
        },
        _ => selected,
    }
}

/// The keys that act on the run alone.
fn run_action(s: &mut Session, action: Action) {
    match action {
        Action::PlayPause => s.toggle_play(),
        Action::Timing => {
            s.message = (!s.toggle_timing()).then(|| notes::text(&Note::NoTiming));
        }
        Action::ZoomOut => s.zoom_timing(false),
        Action::ZoomIn => s.zoom_timing(true),
        Action::Faster => s.change_speed(true),
        Action::Slower => s.change_speed(false),
        Action::Restart => {
            if let Err(e) = s.restart() {
                s.message = Some(notes::text(&Note::RestartFailed(format!("{e:#}"))));
            }
        }
        Action::Locks if s.state().locks.is_empty() => {
            s.message = Some(notes::text(&Note::NoLocks));
        }
        Action::Locks => {
            if let Err(e) = s.toggle_locks() {
                s.message = Some(notes::text(&Note::RestartFailed(format!("{e:#}"))));
            }
        }
        Action::TimingModel => {
            if let Err(e) = s.switch_timing_model() {
                s.message = Some(notes::text(&Note::RestartFailed(format!("{e:#}"))));
            }
        }
        Action::Undo => {
            if let Err(e) = s.undo() {
                s.message = Some(notes::text(&Note::UndoFailed(format!("{e:#}"))));
            }
        }
        Action::Hint if !s.pursuit.hint(&s.lesson.goals) => {
            s.message = Some(notes::text(if s.lesson.goals.is_empty() {
                &Note::NoChallenge
            } else {
                &Note::NoMoreHints
            }));
        }
        Action::NextGoal if !s.lesson.goals.is_empty() => s.next_goal(),
        _ => {}
    }
}

/// What a key the pool lesson cannot use says instead: it runs by itself
/// and is measured, so there is nothing to step, terminate or save.
fn pool_refusal(action: Option<Action>, done: bool) -> Option<Text> {
    let why = match action? {
        Action::StepNext | Action::PlayPause if done => Note::PoolOver,
        Action::Step
        | Action::Terminate
        | Action::StepNext
        | Action::PlayPause
        | Action::Undo
        | Action::StepNumber => Note::PoolRunsByItself,
        Action::Save => Note::PoolNothingToSave,
        _ => return None,
    };
    Some(notes::text(&why))
}
