//! The pool lesson in the app: its two timed phases run in the background
//! and their measurements come back once; the timing views it shows.

use std::time::Duration;

use super::{RunMode, Session};

impl Session {
    pub(super) fn start_pool(&mut self) {
        let Some(decl) = self.lesson.pool.clone() else {
            return;
        };
        let (tx, rx) = crossbeam_channel::bounded(1);
        let (tell, ready) = crossbeam_channel::bounded(1);
        let lesson = self.lesson.clone();
        let exe = self.exe.clone();
        let opts = self.options();
        std::thread::spawn(move || {
            let r = crate::pool::run_phases(&lesson, &decl, &opts, &exe, &mut |_, _| {});
            let _ = tx.send(r.map_err(|e| format!("{e:#}")));
            let _ = tell.send(());
        });
        self.pool_rx = Some((rx, ready));
        self.mode = RunMode::Running;
    }

    /// Wakes the app's event loop once background work has its result
    /// (the pool lesson's measurements or an undo's re-run).
    pub fn ready(&self) -> Option<crossbeam_channel::Receiver<()>> {
        self.pool_rx
            .as_ref()
            .map(|(_, ready)| ready.clone())
            .or_else(|| self.remade_ready())
    }

    /// Take the pool lesson's measurements once they are in; true if they just came.
    pub fn poll_pool(&mut self) -> bool {
        let Some((rx, _)) = &self.pool_rx else {
            return false;
        };
        let Ok(result) = rx.try_recv() else {
            return false;
        };
        if let Ok(r) = &result {
            let speed = self.options().speed;
            self.state_mut().speedup = Some(r.actual(&self.lesson.check.measure, speed));
            self.finished_at = Some(Duration::from_secs_f64(r.total_ms / 1000.0));
        }
        self.pool = Some(result);
        self.pool_rx = None;
        self.mode = RunMode::Done;
        self.check_goal();
        true
    }

    /// `v`: the pool's bars ⇄ timeline; for other lessons, lanes ⇄ the
    /// timing view. False if the lesson has none.
    pub fn toggle_timing(&mut self) -> bool {
        if self.lesson.pool.is_some() {
            self.timing.toggle();
        } else {
            self.timing.shown = !self.timing.shown;
        }
        true
    }

    /// `←` `→` in the timeline: zoom to the previous / next phase, or the whole run.
    pub fn zoom_timing(&mut self, forward: bool) {
        if self.lesson.pool.is_none() {
            if self.timing.shown {
                let marks = crate::tui::run_timing::marks(self.state()).len();
                self.timing.zoom_by(forward, marks);
            }
            return;
        }
        if self.timing.view != crate::tui::timing::View::Timeline {
            return;
        }
        let t = crate::tui::text::strings(crate::lesson::Lang::En);
        if let Some(Ok(r)) = &self.pool {
            let marks = crate::tui::pool_view::marks(r, t).len();
            self.timing.zoom_by(forward, marks);
        }
    }
}
