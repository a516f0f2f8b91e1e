//! Pipes in a worker: each end is one socket of a connected
//! `SOCK_SEQPACKET` pair, inherited like a fork's copy; `recv` sees
//! end-of-file once every copy of the other end is closed.

use std::io;

use super::super::Raised;
use super::super::Worker;
use super::MAX_MESSAGE;
use crate::expr::Expr;
use crate::lesson::Text;
use crate::platform;
use crate::wire::{Item, Report};

impl Worker {
    pub(super) fn pipe_send(
        &mut self,
        end: &str,
        expr: &Option<Expr>,
        text: &Option<Text>,
    ) -> io::Result<Raised> {
        let item = match self.item(expr, text) {
            Ok(i) => i,
            Err(e) => return Ok(Err(e)),
        };
        let Some(fd) = self.ipc.fd(end) else {
            return Ok(Err(format!(
                "OSError: handle is closed ({end} was closed in this process)"
            )));
        };
        self.report_now(Report::PipeSent {
            end: end.to_string(),
            item: item.clone(),
        })?;
        let bytes = serde_json::to_vec(&item).map_err(io::Error::other)?;
        match platform::send_packet(fd, &bytes) {
            Ok(()) => Ok(Ok(())),
            Err(e) if e.raw_os_error() == Some(libc::EPIPE) => Ok(Err(format!(
                "BrokenPipeError: every copy of the other end of {end} is closed"
            ))),
            Err(e) => Err(e),
        }
    }

    /// `recv` on a pipe end; at end of file, `Ok(Ok(Some(eof)))`: jump there.
    pub(super) fn pipe_recv(
        &mut self,
        end: &str,
        into: &str,
        eof: &str,
    ) -> io::Result<Result<Option<String>, String>> {
        let Some(fd) = self.ipc.fd(end) else {
            return Ok(Err(format!(
                "OSError: handle is closed ({end} was closed in this process)"
            )));
        };
        let got = self.receive(
            fd,
            Report::PipeWaiting {
                end: end.to_string(),
            },
            None,
        )?;
        match got {
            Some(item) => {
                self.take(into, &item)?;
                self.trace(Report::PipeReceived {
                    end: end.to_string(),
                    item,
                })?;
                Ok(Ok(None))
            }
            None => {
                self.trace(Report::PipeEof {
                    end: end.to_string(),
                })?;
                Ok(Ok(Some(eof.to_string())))
            }
        }
    }

    /// One message from `fd`: at once if there is one, else after reporting
    /// `waiting` and blocking in the kernel. `None` at end of file.
    /// Receive one message, blocking while there is none. `queued`: under a
    /// schedule, first wait for the supervisor's turn with this report (a
    /// queue's getters take items in the schedule's order, not the kernel's).
    pub(super) fn receive(
        &mut self,
        fd: i32,
        waiting: Report,
        queued: Option<Report>,
    ) -> io::Result<Option<Item>> {
        let mut buf = vec![0u8; MAX_MESSAGE];
        let n = match platform::recv_now(fd, &mut buf)? {
            Some(n) => n,
            None => {
                if let Some(q) = queued
                    && !self.is_free()
                {
                    self.wait_for_turn(q)?;
                }
                self.report_now(waiting)?;
                platform::recv_packet(fd, &mut buf)?
            }
        };
        if n == 0 {
            return Ok(None);
        }
        serde_json::from_slice(&buf[..n])
            .map(Some)
            .map_err(|e| io::Error::other(format!("unreadable message: {e}")))
    }

    pub(super) fn close_end(&mut self, end: &str) -> io::Result<()> {
        if let Some(i) = self.ipc.fds.iter().position(|(n, _)| n == end) {
            // Reported first: the other side's end-of-file must not come before it.
            self.report_now(Report::PipeClosed {
                end: end.to_string(),
            })?;
            self.ipc.fds.remove(i);
        }
        Ok(())
    }
}
