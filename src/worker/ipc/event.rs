//! Events in a worker: a flag semaphore with a condition made of a lock, a
//! sleeper count and a wake-up semaphore; `set` wakes every sleeper, and a
//! woken waiter takes the setter's clock.

use std::io;

use super::super::Raised;
use super::super::Worker;
use crate::wire::Report;

impl Worker {
    pub(super) fn event_set(&mut self, event: &str) -> io::Result<Raised> {
        let prefix = format!("event.{event}");
        self.cond(&prefix)?.lock.acquire()?;
        let flag = self.sem(&format!("{prefix}.flag"))?;
        let was_set = flag.value()? > 0;
        // The setter's clock, for whoever it wakes.
        let _ = std::fs::write(
            self.dir.join(format!("clock-event-{event}")),
            self.family.clock_ms.to_string(),
        );
        // Reported before anyone can wake, so the supervisor sees the cause first.
        self.report_now(Report::EventSet {
            event: event.to_string(),
        })?;
        if !was_set {
            self.sem(&format!("{prefix}.flag"))?.release()?;
            self.cond(&prefix)?.notify_all()?;
        }
        self.cond(&prefix)?.lock.release()?;
        Ok(Ok(()))
    }

    pub(super) fn event_wait(
        &mut self,
        event: &str,
        timeout_ms: Option<u64>,
        into: Option<&str>,
    ) -> io::Result<Raised> {
        let prefix = format!("event.{event}");
        let c = self.cond(&prefix)?;
        c.lock.acquire()?;
        let set_now = self.sem(&format!("{prefix}.flag"))?.value()? > 0;
        let on_clock =
            !set_now && timeout_ms.is_some() && self.setup.sleeps_hold && !self.is_free();
        if on_clock {
            // As written: wait at a gate until the event is set or the clock
            // has moved on the timeout, whichever the schedule reaches first.
            self.cond(&prefix)?.lock.release()?;
            let ms = timeout_ms.unwrap_or(0);
            self.report_now(Report::TimedEventWait {
                event: event.to_string(),
                ms,
            })?;
            self.gate(self.pc)?;
            if self.sem(&format!("{prefix}.flag"))?.value()? == 0 {
                self.family.clock_ms += ms as f64;
            }
        } else if !set_now {
            self.cond(&prefix)?.sleepers.release()?;
            self.report_now(Report::EventWaiting {
                event: event.to_string(),
            })?;
        }
        if !on_clock {
            self.cond(&prefix)?.lock.release()?;
        }
        if !set_now && !on_clock {
            self.sleep_on(&prefix, timeout_ms)?;
        }
        // Python's wait returns the flag as it is now (a clear may have come in between).
        let set = self.sem(&format!("{prefix}.flag"))?.value()? > 0;
        if set
            && let Ok(text) = std::fs::read_to_string(self.dir.join(format!("clock-event-{event}")))
            && let Ok(t) = text.trim().parse::<f64>()
        {
            self.catch_up(t);
        }
        self.trace(Report::EventWoke {
            event: event.to_string(),
            set,
        })?;
        if let Some(into) = into {
            self.locals.insert(into.to_string(), i64::from(set));
            self.trace(Report::Set {
                local: into.to_string(),
                to: i64::from(set),
            })?;
        }
        Ok(Ok(()))
    }

    pub(super) fn event_clear(&mut self, event: &str) -> io::Result<Raised> {
        let prefix = format!("event.{event}");
        let c = self.cond(&prefix)?;
        c.lock.acquire()?;
        self.sem(&format!("{prefix}.flag"))?.try_acquire()?;
        let r = self.report_now(Report::EventCleared {
            event: event.to_string(),
        });
        self.cond(&prefix)?.lock.release()?;
        r.map(|()| Ok(()))
    }

    pub(super) fn event_is_set(&mut self, event: &str, into: &str) -> io::Result<Raised> {
        let set = self.sem(&format!("event.{event}.flag"))?.value()? > 0;
        self.locals.insert(into.to_string(), i64::from(set));
        self.trace(Report::Set {
            local: into.to_string(),
            to: i64::from(set),
        })?;
        Ok(Ok(()))
    }
}
