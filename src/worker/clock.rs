//! The lesson clock of a worker: real time × speed in a free run, the sum
//! of sleeps under a schedule; time stopped at a gate does not count.

use std::io::{self, Write};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use super::Worker;
use crate::wire::Report;

impl Worker {
    pub(in crate::worker) fn is_free(&self) -> bool {
        self.free.load(Ordering::SeqCst)
    }

    pub(in crate::worker) fn speed_now(&self) -> f64 {
        f64::from_bits(self.speed.load(Ordering::SeqCst))
    }

    /// Bring the lesson clock up to now: real time counts only in a free run.
    pub(in crate::worker) fn tick(&mut self) {
        if self.is_free() {
            self.family.clock_ms +=
                self.family.mark.elapsed().as_secs_f64() * 1000.0 * self.speed_now();
        }
        self.family.mark = Instant::now();
    }

    /// Time spent stopped at a gate is not lesson time.
    pub(in crate::worker) fn restart_clock(&mut self) {
        self.family.mark = Instant::now();
    }

    /// Sleep `ms` lesson milliseconds: real (÷ speed) in a free run, none under a schedule.
    pub(in crate::worker) fn sleep_ms(&mut self, ms: u64) -> io::Result<()> {
        let real = self.is_free();
        if real {
            self.out.flush()?;
            std::thread::sleep(Duration::from_secs_f64(
                ms as f64 / 1000.0 / self.speed_now(),
            ));
        } else {
            self.family.clock_ms += ms as f64;
        }
        self.trace(Report::Slept { ms, real })
    }

    pub(in crate::worker) fn op_clock(&mut self, into: &str) -> io::Result<()> {
        self.tick();
        let ms = self.family.clock_ms.round() as i64;
        self.set_local(into, ms)
    }
}
