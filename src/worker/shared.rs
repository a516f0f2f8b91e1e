//! The objects processes share: locks and semaphores (POSIX named
//! semaphores; under a schedule a blocked acquire queues for its turn) and
//! shared values (one file each, replaced whole).

use std::io::{self, Write};
use std::sync::atomic::Ordering;

use super::{Gate, Worker};
use crate::cleanup::value_path;
use crate::lesson::{index_expr, slot_name, split_index};
use crate::wire::Report;

impl Worker {
    fn is_off(&self, lock: &str) -> bool {
        self.setup.off.iter().any(|o| o == lock)
    }

    fn is_rlock(&self, lock: &str) -> bool {
        self.setup.rlocks.iter().any(|l| l == lock)
    }

    /// An RLock this process already owns: count one more (`by` 1) or one
    /// less (`by` -1) without touching the semaphore. `false`: it is not
    /// owned here more than the change allows (acquire or release it for real).
    fn reenter(&mut self, lock: &str, by: i64) -> io::Result<bool> {
        let now = i64::from(self.depth.get(lock).copied().unwrap_or(0));
        if !self.is_rlock(lock) || self.is_off(lock) || now + by < 1 {
            return Ok(false);
        }
        let depth = (now + by) as u32;
        self.depth.insert(lock.to_string(), depth);
        self.trace(Report::Reentered {
            lock: lock.to_string(),
            depth,
        })?;
        Ok(true)
    }

    pub(super) fn acquire(&mut self, lock: &str) -> io::Result<()> {
        if self.depth.get(lock).is_some_and(|d| *d > 0) && self.reenter(lock, 1)? {
            return Ok(());
        }
        if self.is_off(lock) {
            return self.trace(Report::Skipped {
                lock: lock.to_string(),
                release: false,
            });
        }
        let sem = self
            .semaphores
            .get(lock)
            .ok_or_else(|| io::Error::other(format!("no semaphore for {lock}")))?;
        if !sem.try_acquire()? {
            if !self.free.load(Ordering::SeqCst) {
                self.wait_for_turn(Report::Queued {
                    lock: lock.to_string(),
                })?;
            }
            self.send(&Report::Waiting {
                lock: lock.to_string(),
            })?;
            self.out.flush()?;
            let sem = &self.semaphores[lock];
            sem.acquire()?;
        }
        if self.is_rlock(lock) {
            self.depth.insert(lock.to_string(), 1);
        }
        self.trace(Report::Acquired {
            lock: lock.to_string(),
        })
    }

    /// Under a schedule, say what it queues for (`queued`) and wait until the
    /// supervisor says it is this process's turn (or a free run begins, when
    /// the kernel decides).
    pub(super) fn wait_for_turn(&mut self, queued: Report) -> io::Result<()> {
        self.send(&queued)?;
        self.out.flush()?;
        loop {
            match self.gates.recv() {
                Ok(Gate::YourTurn) => return Ok(()),
                Ok(Gate::Resume) if self.free.load(Ordering::SeqCst) => return Ok(()),
                Ok(_) => {}
                Err(_) => return Err(io::Error::other("supervisor went away")),
            }
        }
    }

    /// Python's check before a Lock's release: a Lock whose permit is free
    /// was released by nobody holding it, which would let two through.
    pub(super) fn release_too_many(&self, lock: &str) -> io::Result<Option<String>> {
        if self.is_off(lock) || !self.setup.locks.iter().any(|l| l == lock) {
            return Ok(None);
        }
        if self.is_rlock(lock) {
            // Python's RLock knows its owner: nobody else may release it.
            let owned = self.depth.get(lock).is_some_and(|d| *d > 0);
            return Ok((!owned).then(|| {
                format!(
                    "release {lock}: AssertionError: attempt to release recursive lock not owned by thread"
                )
            }));
        }
        let Some(sem) = self.semaphores.get(lock) else {
            return Ok(None);
        };
        Ok((sem.value()? >= 1).then(|| {
            format!("release {lock}: ValueError: semaphore or lock released too many times")
        }))
    }

    pub(super) fn release(&mut self, lock: &str) -> io::Result<()> {
        if self.reenter(lock, -1)? {
            return Ok(());
        }
        self.depth.remove(lock);
        if self.is_off(lock) {
            return self.trace(Report::Skipped {
                lock: lock.to_string(),
                release: true,
            });
        }
        // Report first, so the supervisor learns of the release before the
        // waiter that the kernel wakes can report its acquire.
        self.trace(Report::Released {
            lock: lock.to_string(),
        })?;
        self.out.flush()?;
        let sem = self
            .semaphores
            .get(lock)
            .ok_or_else(|| io::Error::other(format!("no semaphore for {lock}")))?;
        sem.release()
    }

    pub(super) fn read_value(&self, name: &str) -> io::Result<i64> {
        let text = std::fs::read_to_string(value_path(&self.dir, name))?;
        text.trim()
            .parse()
            .map_err(|_| io::Error::other(format!("not a number: {text:?}")))
    }

    /// Replace the whole file at once (write a temporary, then rename), so a
    /// reader never sees half a value: the race is only between read and write.
    pub(super) fn write_value(&self, name: &str, v: i64) -> io::Result<()> {
        let tmp = self.dir.join(format!(".v-{name}.{}", std::process::id()));
        std::fs::write(&tmp, v.to_string())?;
        std::fs::rename(&tmp, value_path(&self.dir, name))
    }

    /// The shared value a `read` or `write` names: a Value by its name, or
    /// slot `a[i]` of an Array with `i` evaluated now (a negative index
    /// counts from the end, as in Python; past either end, Python's
    /// `IndexError: invalid index`).
    pub(super) fn slot(&self, value: &str) -> Result<String, String> {
        let (Some((base, _)), Some(index)) = (split_index(value), index_expr(value)) else {
            return Ok(value.to_string());
        };
        let i = index?
            .eval(&|n: &str| self.local(n))
            .map_err(|e| format!("{value}: {e}"))?;
        let len = (0..)
            .take_while(|k| value_path(&self.dir, &slot_name(base, *k)).exists())
            .count() as i64;
        match if i < 0 { i + len } else { i } {
            k if (0..len).contains(&k) => Ok(slot_name(base, k)),
            _ => Err(format!("IndexError: invalid index ({base}[{i}] of {len})")),
        }
    }
}
