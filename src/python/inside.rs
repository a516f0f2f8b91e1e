//! Who held which lock or semaphore when, folded from a run's events as
//! they come: the most processes between an acquire and its release at
//! once (`max_inside(lock)`), also while the lock is switched off and
//! lets everybody through.

use std::collections::BTreeMap;

use crate::wire::{Event, EventKind, Report};

/// Each lock's holders now and the most it ever had.
#[derive(Debug, Clone, Default)]
pub struct Inside {
    /// Lock name → (each process inside now, with how often it entered:
    /// an RLock switched off is entered again by its owner; the most
    /// processes inside at once).
    locks: BTreeMap<String, (BTreeMap<usize, u32>, i64)>,
}

impl Inside {
    /// Fold one event.
    pub fn see(&mut self, ev: &Event) {
        let EventKind::Report(r) = &ev.kind else {
            return;
        };
        match r {
            Report::Acquired { lock }
            | Report::Skipped {
                lock,
                release: false,
            } => {
                let (now, most) = self.locks.entry(lock.clone()).or_default();
                *now.entry(ev.proc).or_default() += 1;
                *most = (*most).max(now.len() as i64);
            }
            Report::Released { lock }
            | Report::Skipped {
                lock,
                release: true,
            } => {
                if let Some((now, _)) = self.locks.get_mut(lock)
                    && let Some(depth) = now.get_mut(&ev.proc)
                {
                    *depth -= 1;
                    if *depth == 0 {
                        now.remove(&ev.proc);
                    }
                }
            }
            _ => {}
        }
    }

    /// The most processes that held `lock` at once.
    pub fn peak(&self, lock: &str) -> i64 {
        self.locks.get(lock).map_or(0, |(_, most)| *most)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn ev(proc: usize, r: Report) -> Event {
        Event {
            proc,
            at: Duration::ZERO,
            kind: EventKind::Report(r),
        }
    }

    #[test]
    fn counts_holders_also_of_a_lock_that_is_off() {
        let mut inside = Inside::default();
        let skip = |release| Report::Skipped {
            lock: "lock".into(),
            release,
        };
        inside.see(&ev(1, skip(false)));
        inside.see(&ev(1, skip(false)));
        inside.see(&ev(1, skip(true)));
        inside.see(&ev(2, skip(false)));
        inside.see(&ev(1, skip(true)));
        inside.see(&ev(2, skip(true)));
        inside.see(&ev(
            3,
            Report::Acquired {
                lock: "seats".into(),
            },
        ));
        inside.see(&ev(
            3,
            Report::Released {
                lock: "seats".into(),
            },
        ));
        inside.see(&ev(
            4,
            Report::Acquired {
                lock: "seats".into(),
            },
        ));
        assert_eq!((inside.peak("lock"), inside.peak("seats")), (2, 1));
        assert_eq!(inside.peak("nothing"), 0);
    }
}
