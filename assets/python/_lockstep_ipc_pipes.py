# lockstep's gated queues and pipes: every item written by the process that
# puts or sends it, at once, and a write that would block said first. Made
# by the context's constructors in `_lockstep_ipc`; the gate, the reports
# and the names are `_lockstep`'s.

import os
import queue as _stdqueue
import select
import struct

import _lockstep as L
from _lockstep import _block, gate, report
from _lockstep import _called_from_program as _from_program
from _lockstep_ipc import _CONNS, _gated, _item, _keep_name, _public


# --- queues -------------------------------------------------------------------

def _queue_classes():
    from multiprocessing import queues
    from multiprocessing.reduction import ForkingPickler

    class Gated:
        def put(self, obj, block=True, timeout=None):
            if not (_gated(self) and _from_program()):
                return super().put(obj, block, timeout)
            name = self._lockstep_name
            gate("put", name)
            if self._closed:
                raise ValueError("Queue %r is closed" % self)
            if not self._sem.acquire(False) and not _wait_for_slot(self, name, block, timeout):
                raise _stdqueue.Full
            report("queue_put", queue=name, item=_item(obj))
            # Written now, not by a feeder thread later: items reach the
            # pipe in the order they were put, whoever put them.
            data = ForkingPickler.dumps(obj)
            if isinstance(self, queues.JoinableQueue):
                with self._cond:
                    self._unfinished_tasks.release()
            if self._wlock is None:
                _write_message(self._writer, data, name)
                return None
            # Another put holds the pipe (blocked writing to it, full).
            blocked = not self._wlock.acquire(False)
            if blocked:
                report("write_waiting", on=name)
                _block(lambda t: self._wlock.acquire(True, t))
            try:
                _write_message(self._writer, data, name, blocked)
            finally:
                self._wlock.release()
            return None

        def get(self, block=True, timeout=None):
            if not (_gated(self) and _from_program()):
                return super().get(block, timeout)
            name = self._lockstep_name
            gate("get", name)
            link = L._link
            gives_up = not block or (timeout is not None and not link.free)
            if gives_up and self.empty():
                report("queue_timed_out", queue=name)
                raise _stdqueue.Empty
            if not link.free:
                report("get_queued", queue=name)
                link.wait_for("your_turn")
            elif timeout is None:
                # A timed get in a free run is not said to wait: it ends by
                # itself, so it is no part of a deadlock.
                report("queue_waiting", queue=name)
            box = []

            def attempt(t):
                try:
                    box.append(queues.Queue.get(self, True, t))
                    return True
                except _stdqueue.Empty:
                    return False

            if not _block(attempt, None if gives_up else timeout):
                report("queue_timed_out", queue=name)
                raise _stdqueue.Empty
            report("queue_got", queue=name, item=_item(box[0]))
            return box[0]

        def task_done(self):
            if _gated(self) and _from_program():
                gate("task_done", self._lockstep_name)
                # Reported first, so no joiner can report waking before.
                report("task_done", queue=self._lockstep_name)
            return super().task_done()

        def join(self):
            if not (_gated(self) and _from_program()):
                return super().join()
            name = self._lockstep_name
            gate("join", name)
            report("queue_joining", queue=name)

            def attempt(t):
                with self._cond:
                    if self._unfinished_tasks._semlock._is_zero():
                        return True
                    self._cond.wait(t)
                    return self._unfinished_tasks._semlock._is_zero()

            _block(attempt)
            report("queue_joined", queue=name)
            return None

    def _wait_for_slot(q, name, block, timeout):
        """A full bounded queue: say so, then wait for a free slot (under a
        schedule for the turn the supervisor gives, in arrival order)."""
        link = L._link
        if not block or (timeout is not None and not link.free):
            # Under a schedule a timed put gives up at once.
            return False
        if not link.free:
            report("put_queued", queue=name)
            link.wait_for("your_turn")
        elif timeout is None:
            report("put_waiting", queue=name)
        if _block(lambda t: q._sem.acquire(True, t), timeout):
            return True
        report("queue_timed_out", queue=name)
        return False

    q = _public(type("Queue", (Gated, queues.Queue), {}), "Queue")
    jq = _public(type("JoinableQueue", (Gated, queues.JoinableQueue), {}), "JoinableQueue")
    _keep_name(q)
    _keep_name(jq)
    return q, jq


# --- pipes ----------------------------------------------------------------------

def _patch_pipes():
    from multiprocessing import connection
    base, conn = connection._ConnectionBase, connection.Connection
    orig_send, orig_recv, orig_close, orig_cclose = base.send, base.recv, base.close, conn._close

    def send(self, obj):
        if _gated(self) and _from_program():
            gate("send", self._lockstep_name)
            self._check_closed()
            self._check_writable()
            # Reported first, so no receive can come before.
            report("pipe_sent", end=self._lockstep_name, item=_item(obj))
            from multiprocessing.reduction import ForkingPickler
            return _write_message(self, ForkingPickler.dumps(obj), self._lockstep_name)
        return orig_send(self, obj)

    def recv(self):
        if not (_gated(self) and _from_program()):
            return orig_recv(self)
        name = self._lockstep_name
        gate("recv", name)
        self._check_closed()
        self._check_readable()
        if not self.poll(0):
            report("pipe_waiting", end=name)
            _block(lambda t: self.poll(t))
        try:
            obj = orig_recv(self)
        except EOFError:
            # Every copy of the other end is closed, and nothing is left.
            report("pipe_eof", end=name)
            raise
        report("pipe_received", end=name, item=_item(obj))
        return obj

    def close(self):
        if _gated(self) and not self.closed and _from_program():
            gate("close", self._lockstep_name)
        return orig_close(self)

    def _close(self, *args, **kwargs):
        # Every close, also by the garbage collector: the model knows who
        # still holds each end (and so when a recv ends with EOFError).
        if getattr(self, "_lockstep_open", False):
            self._lockstep_open = False
            report("pipe_closed", end=self._lockstep_name)
        return orig_cclose(self, *args, **kwargs)

    base.send, base.recv, base.close, conn._close = send, recv, close, _close


def _write_message(conn, data, on, blocked=False):
    """Write one message as CPython frames it, a page at a time, each only
    once the pipe has room: a write that would block says so first
    (`write_waiting`, under the pipe end's or the queue's name `on`), and
    `write_woke` once it is done."""
    n = len(data)
    if n > 0x7fffffff:
        head = struct.pack("!i", -1) + struct.pack("!Q", n)
    else:
        head = struct.pack("!i", n)
    buf = memoryview(head + bytes(data))
    fd = conn.fileno()
    while buf:
        if not select.select([], [fd], [], 0)[1]:
            if not blocked:
                blocked = True
                report("write_waiting", on=on)
            _block(lambda t: bool(select.select([], [fd], [], t)[1]))
        try:
            buf = buf[os.write(fd, buf[:4096]):]
        except BrokenPipeError:
            # Every copy of the other end is closed: nobody can read it.
            if blocked:
                report("write_woke", on=on)
            raise
    if blocked:
        report("write_woke", on=on)


def _report_ends(link):
    """A process connected (a forked child): the pipe ends it holds."""
    # Sorted: a weak set's order is the heap's, not the same in every run.
    ends = sorted(c._lockstep_name for c in list(_CONNS)
                  if getattr(c, "_lockstep_open", False) and not c.closed)
    if ends:
        link.send({"ev": "pipe_ends", "ends": ends})
