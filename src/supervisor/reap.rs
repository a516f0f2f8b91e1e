//! A process's end: a waiter thread per started process, and stopping
//! whatever still runs when the run is dropped.

use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;
use std::process::Child;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::{Kid, Run, unlink_all};
use crate::cleanup;
use crate::platform;
use crate::wire::Ending;

impl Run {
    /// Wait for process `proc` on a thread of its own. When it ends, note
    /// how, with what it wrote to stderr, for the hub, and wake the hub.
    pub(super) fn watch(&mut self, mut child: Child, proc: usize, err_path: PathBuf) {
        let pid = child.id();
        let reaped = Arc::new(AtomicBool::new(false));
        let waiter = {
            let reaped = reaped.clone();
            let exits = self.exits.clone();
            let wake = self.wake.clone();
            std::thread::spawn(move || {
                let status = child.wait();
                let at_ns = platform::now_ns();
                reaped.store(true, Ordering::SeqCst);
                cleanup::forget_group(pid);
                let stderr = std::fs::read_to_string(&err_path)
                    .map(|text| {
                        text.lines()
                            .filter(|l| !l.trim().is_empty())
                            .map(str::to_string)
                            .collect()
                    })
                    .unwrap_or_default();
                let ending = match status {
                    Ok(s) => match (s.code(), s.signal()) {
                        (Some(c), _) => Ending::Code(c),
                        (None, Some(sig)) => Ending::Signal(sig),
                        (None, None) => Ending::Code(-1),
                    },
                    Err(_) => Ending::Code(-1),
                };
                exits.lock().unwrap_or_else(|p| p.into_inner()).push(Exit {
                    proc,
                    ending,
                    stderr,
                    at_ns,
                });
                wake.wake();
            })
        };
        self.kids[proc] = Some(Kid {
            pid,
            reaped,
            waiter: Some(waiter),
        });
    }
}

impl Drop for Run {
    fn drop(&mut self) {
        // A connection still open means a process of the run still lives,
        // maybe a child whose parent is gone: its group (the lesson's) still exists.
        let any_open = self
            .conns
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .any(Option::is_some);
        for k in self.kids.iter().flatten() {
            if any_open || !k.reaped.load(Ordering::SeqCst) {
                let _ = platform::kill_group(k.pid);
            }
        }
        for k in self.kids.iter_mut().flatten() {
            if let Some(w) = k.waiter.take() {
                let _ = w.join();
            }
        }
        unlink_all(&self.sem_names);
        self.stop.store(true, Ordering::SeqCst);
        self.wake.wake();
        if let Some(a) = self.hub.take() {
            let _ = a.join();
        }
        let mut conns = self.conns.lock().unwrap_or_else(|p| p.into_inner());
        conns.iter_mut().for_each(|c| *c = None);
    }
}

/// A process's end as its waiter thread saw it, for the hub to pass on.
pub(super) struct Exit {
    pub(super) proc: usize,
    pub(super) ending: Ending,
    pub(super) stderr: Vec<String>,
    pub(super) at_ns: u64,
}
