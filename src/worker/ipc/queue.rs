//! Queues in a worker: `put` writes one message to the queue's socket
//! pair, `get` reads one (blocking in the kernel while none is there), and a
//! JoinableQueue counts unfinished tasks in a named semaphore that `task_done`
//! takes from and `join` waits on through the queue's condition.

use std::io;
use std::time::{Duration, Instant};

use super::super::Raised;
use super::super::Worker;
use super::MAX_MESSAGE;
use crate::expr::Expr;
use crate::lesson::Text;
use crate::platform;
use crate::wire::Report;

impl Worker {
    pub(super) fn queue_put(
        &mut self,
        queue: &str,
        expr: &Option<Expr>,
        text: &Option<Text>,
    ) -> io::Result<Raised> {
        let item = match self.item(expr, text) {
            Ok(i) => i,
            Err(e) => return Ok(Err(e)),
        };
        let Some(fd) = self.ipc.fd(&format!("queue.{queue}.w")) else {
            return Ok(Err(format!("queue {queue} is not open in this process")));
        };
        let prefix = format!("queue.{queue}");
        let joinable = self
            .semaphores
            .contains_key(&format!("{prefix}.unfinished"));
        if joinable {
            self.cond(&prefix)?.lock.acquire()?;
            self.sem(&format!("{prefix}.unfinished"))?.release()?;
        }
        let r = self.report_now(Report::QueuePut {
            queue: queue.to_string(),
            item: item.clone(),
        });
        if joinable {
            self.cond(&prefix)?.lock.release()?;
        }
        r?;
        let bytes = serde_json::to_vec(&item).map_err(io::Error::other)?;
        platform::send_packet(fd, &bytes)?;
        Ok(Ok(()))
    }

    pub(super) fn queue_get(
        &mut self,
        queue: &str,
        into: &str,
        timeout_ms: Option<u64>,
        empty: Option<&str>,
    ) -> io::Result<Result<Option<String>, String>> {
        let Some(fd) = self.ipc.fd(&format!("queue.{queue}.r")) else {
            return Ok(Err(format!("queue {queue} is not open in this process")));
        };
        let waiting = Report::QueueWaiting {
            queue: queue.to_string(),
        };
        let got = match timeout_ms {
            None => {
                let queued = Report::GetQueued {
                    queue: queue.to_string(),
                };
                self.receive(fd, waiting, Some(queued))?
            }
            Some(limit) => {
                let mut buf = vec![0u8; MAX_MESSAGE];
                let mut n = platform::recv_now(fd, &mut buf)?;
                if n.is_none() && self.is_free() {
                    self.report_now(waiting)?;
                    let deadline = Instant::now()
                        + Duration::from_secs_f64(limit as f64 / 1000.0 / self.speed_now());
                    while n.is_none() {
                        let left = deadline.saturating_duration_since(Instant::now());
                        if left.is_zero() {
                            break;
                        }
                        platform::poll_readable(&[fd], left.as_millis().max(1) as i32)?;
                        // Another getter may have taken it first: then poll again.
                        n = platform::recv_now(fd, &mut buf)?;
                    }
                } else if n.is_none() && self.setup.sleeps_hold {
                    // As written: wait at a gate until an item is there or
                    // the clock has moved on the timeout, as the schedule says.
                    self.report_now(Report::TimedGet {
                        queue: queue.to_string(),
                        ms: limit,
                    })?;
                    self.gate(self.pc)?;
                    n = platform::recv_now(fd, &mut buf)?;
                    if n.is_none() {
                        self.family.clock_ms += limit as f64;
                    }
                } else if n.is_none() {
                    self.family.clock_ms += limit as f64;
                }
                match n {
                    Some(0) | None => None,
                    Some(n) => Some(
                        serde_json::from_slice(&buf[..n])
                            .map_err(|e| io::Error::other(format!("unreadable item: {e}")))?,
                    ),
                }
            }
        };
        match got {
            Some(item) => {
                self.take(into, &item)?;
                self.trace(Report::QueueGot {
                    queue: queue.to_string(),
                    item,
                })?;
                Ok(Ok(None))
            }
            None if timeout_ms.is_some() => {
                self.trace(Report::QueueTimedOut {
                    queue: queue.to_string(),
                })?;
                Ok(Ok(empty.map(str::to_string)))
            }
            None => Ok(Err(format!("queue {queue} was closed"))),
        }
    }

    pub(super) fn task_done(&mut self, queue: &str) -> io::Result<Raised> {
        let prefix = format!("queue.{queue}");
        self.cond(&prefix)?.lock.acquire()?;
        let unfinished = self.sem(&format!("{prefix}.unfinished"))?;
        if !unfinished.try_acquire()? {
            self.cond(&prefix)?.lock.release()?;
            return Ok(Err("ValueError: task_done() called too many times".into()));
        }
        let zero = unfinished.value()? == 0;
        // Reported before a join waiter can wake.
        let r = self.report_now(Report::TaskDone {
            queue: queue.to_string(),
        });
        if zero {
            let _ = std::fs::write(
                self.dir.join(format!("clock-queue-{queue}")),
                self.family.clock_ms.to_string(),
            );
            self.cond(&prefix)?.notify_all()?;
        }
        self.cond(&prefix)?.lock.release()?;
        r.map(Ok)
    }

    pub(super) fn queue_join(&mut self, queue: &str) -> io::Result<Raised> {
        let prefix = format!("queue.{queue}");
        self.cond(&prefix)?.lock.acquire()?;
        let busy = self.sem(&format!("{prefix}.unfinished"))?.value()? > 0;
        if busy {
            self.cond(&prefix)?.sleepers.release()?;
            self.report_now(Report::QueueJoining {
                queue: queue.to_string(),
            })?;
        }
        self.cond(&prefix)?.lock.release()?;
        if busy {
            self.sleep_on(&prefix, None)?;
            if let Ok(text) = std::fs::read_to_string(self.dir.join(format!("clock-queue-{queue}")))
                && let Ok(t) = text.trim().parse::<f64>()
            {
                self.catch_up(t);
            }
        }
        self.trace(Report::QueueJoined {
            queue: queue.to_string(),
        })?;
        Ok(Ok(()))
    }
}
