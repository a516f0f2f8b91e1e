# lockstep's gated processes: `start` takes the next P-number and reports
# the child, `join`, `is_alive`, `exitcode`, `terminate` and `kill` stop at
# gates, a child's `_bootstrap` connects it and reports its end, and
# children are reaped in the schedule's order. Loaded by
# `_lockstep.install()`; the link, the gate and the reports are its.

import os
import select
import sys
import time

import _lockstep as L
from _lockstep import (_block, _called_from_program, _held, _name_for, _orig_sleep,
                       _seed_random, end_gate, gate, report)
from _lockstep_hooks import _traceback


# --- processes ---------------------------------------------------------------

def _next_number():
    import fcntl
    fd = os.open(os.path.join(os.environ["LOCKSTEP_DIR"], "numbers"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        last = int(os.read(fd, 32) or b"1")
        os.lseek(fd, 0, 0)
        os.ftruncate(fd, 0)
        os.write(fd, str(last + 1).encode())
        return last + 1
    finally:
        os.close(fd)


def _note_reaped(p):
    n = getattr(p, "_lockstep_number", None)
    if n is not None and p._popen is not None and p._popen.returncode is not None \
            and not getattr(p, "_lockstep_reaped", False):
        p._lockstep_reaped = True
        report("reaped", child=n, exitcode=p._popen.returncode)


def _wait_if_ended(p, n):
    """The supervisor said child `n` has ended: reap it now (waitpid
    returns at once or soon), so the answer does not hang on the kernel."""
    popen = p._popen
    if n in L._ended and popen is not None and popen.returncode is None:
        _block(lambda t: _ended_within(popen, t))


def _ended_within(popen, secs):
    """Whether the child has ended (and is reaped) within `secs`. It waits
    on the process itself, as CPython's untimed join does (waitpid), not on
    its sentinel pipe: a grandchild inherits the pipe's end and would keep
    it open after the child is gone (the orphan lesson)."""
    if popen.poll() is not None:
        return True
    pidfd_open = getattr(os, "pidfd_open", None)
    try:
        fd = pidfd_open(popen.pid) if pidfd_open else None
    except OSError:
        fd = None
    if fd is None:
        _orig_sleep(min(secs, 0.005))
    else:
        try:
            select.select([fd], [], [], secs)
        finally:
            os.close(fd)
    return popen.poll() is not None


def _patch_processes():
    from multiprocessing import process
    base = process.BaseProcess
    orig_init, orig_start, orig_join = base.__init__, base.start, base.join
    orig_bootstrap, orig_is_alive = base._bootstrap, base.is_alive

    def __init__(self, *args, **kwargs):
        orig_init(self, *args, **kwargs)
        # Named by the program's line; the library's own processes (a
        # Manager's server, a Pool's workers) are named by the shim.
        self._lockstep_name = _name_for("process") if _called_from_program() else "process"

    def start(self):
        server = L._SERVER[0]
        # A Pool's worker: its gate was the Pool() call.
        pooled = getattr(self, "_lockstep_worker", False)
        if L._link is None or not (_called_from_program() or server or pooled):
            return orig_start(self)
        if server:
            # A Manager's server: its gate was the Manager() call.
            L._SERVER[0] = None
            self._lockstep_name, self._lockstep_server = server, True
        elif not pooled:
            gate("start", self._lockstep_name)
        n = _next_number()
        # A forked child reads it in its at-fork hook; a `spawn` or
        # `forkserver` child finds it in the process object it unpickles.
        L._child_number = self._lockstep_number = n
        # The child's clock starts where the parent's is.
        self._lockstep_clock = L._link.clock_ms
        try:
            orig_start(self)
        finally:
            L._child_number = None
        self._popen._lockstep_number = n
        report("started", child=n, pid=self.pid, daemon=bool(self.daemon))

    def join(self, timeout=None):
        n = getattr(self, "_lockstep_number", None)
        if L._link is None or n is None:
            return orig_join(self, timeout)
        gate("join", self._lockstep_name)
        if timeout is not None and _held() and n not in L._ended \
                and self._popen.poll() is None:
            # As written: the wait lasts until the child ends or the clock
            # has moved on `timeout`; the schedule decides which comes first.
            report("timed_join", child=n, ms=int(round(max(0.0, timeout) * 1000)))
            gate("join", self._lockstep_name)
            if n not in L._ended:
                report("join_timed_out", child=n)
                return
            timeout = None
        _join_child(self, n, timeout)

    def _join_child(self, n, timeout=None):
        popen = self._popen
        # A child whose end the supervisor told has ended, as the schedule
        # knows it (the kernel may take a moment more): reaped without a
        # wait. poll() does not block (it reaps a child that has ended, as
        # the join would): a child still running is waited for in the kernel.
        if n in L._ended:
            _wait_if_ended(self, n)
        elif popen is not None and popen.poll() is None:
            report("joining", child=n)
        def ended(secs):
            if popen is not None and popen.returncode is None:
                _ended_within(popen, secs)
            # CPython's own checks, and it forgets a child that has ended.
            orig_join(self, 0)
            return popen is None or popen.returncode is not None

        _block(ended, timeout)
        if popen is not None and popen.returncode is None:
            report("join_timed_out", child=n)
        _note_reaped(self)

    def is_alive(self):
        n = getattr(self, "_lockstep_number", None)
        if L._link is not None and n is not None:
            if _called_from_program():
                gate("is_alive", self._lockstep_name)
            _wait_if_ended(self, n)
        alive = orig_is_alive(self)
        _note_reaped(self)
        return alive

    orig_exitcode = base.exitcode

    @property
    def exitcode(self):
        n = getattr(self, "_lockstep_number", None)
        if L._link is not None and n is not None:
            # Also for the library (a process's repr shows its exit code).
            if _called_from_program():
                gate("exitcode", self._lockstep_name)
            _wait_if_ended(self, n)
            orig_is_alive(self)
            _note_reaped(self)
        return orig_exitcode.fget(self)

    def _bootstrap(self, parent_sentinel=None):
        number = getattr(self, "_lockstep_number", None)
        if L._link is None and number is not None:
            L._link = L._Link(number)
        if L._link is not None:
            L._link.clock_ms = getattr(self, "_lockstep_clock", L._link.clock_ms)
        run = self.run

        def guarded():
            try:
                done = run()
                end_gate()
                return done
            except (SystemExit, KeyboardInterrupt):
                raise
            except BaseException:
                if L._link is None:
                    raise
                report("failed", message=_traceback(*sys.exc_info()))
                raise SystemExit(1)

        self.run = guarded
        if L._link is not None:
            # After CPython's own reseeding of a forked child.
            _seed_random(L._link)
        if getattr(self, "_lockstep_server", False):
            # A Manager's server waits for requests until it is shut down.
            report("accept_waiting", server=self._lockstep_name)
        code = orig_bootstrap(self, parent_sentinel)
        report("done", code=code)
        return code

    def _cleanup():
        # start() and active_children() reap every child that has ended.
        # In the order they were started; a connected child has ended when
        # the supervisor says so (then it is reaped now, whatever the
        # kernel's timing), so the same schedule reaps the same children.
        for p in sorted(process._children, key=lambda p: getattr(p, "_lockstep_number", 0)):
            popen = p._popen
            n = getattr(p, "_lockstep_number", None)
            if popen and L._link is not None and n is not None:
                if n not in L._ended:
                    continue
                _wait_if_ended(p, n)
            if popen and popen.poll() is not None:
                process._children.discard(p)
                _note_reaped(p)

    def signaller(op, orig):
        def send(self):
            if L._link is not None and _called_from_program() \
                    and getattr(self, "_lockstep_number", None) is not None:
                gate(op, self._lockstep_name)
            return orig(self)
        return send

    from multiprocessing import popen_fork
    orig_send_signal = popen_fork.Popen._send_signal

    def _send_signal(self, sig):
        # Reported first, so the child is known to be dying before it is
        # gone (also when CPython ends daemonic children at exit).
        n = getattr(self, "_lockstep_number", None)
        if n is not None and self.returncode is None:
            report("terminated", child=n)
        sent = orig_send_signal(self, sig)
        if n is not None:
            _until_dead(self.pid)
            _until_told(n)
        return sent

    def _until_told(n):
        # The supervisor tells of the end once the child's connection has
        # closed: wait for that word too, so a cleanup right after (CPython's
        # at exit) reaps it in every run. No `go` can come meanwhile: this
        # process is running, not at a gate.
        deadline = time.monotonic() + 2.0
        while L._link is not None and n not in L._ended and time.monotonic() < deadline:
            if L._link.command(False) is None:
                select.select([L._link.sock], [], [], 0.01)

    def _until_dead(pid):
        # Whether a later poll (CPython's own at exit, is_alive, start)
        # finds the child ended must not depend on how fast the signal
        # lands: wait, without reaping it, until it has (a child that
        # catches the signal gets two seconds).
        deadline = time.monotonic() + 2.0
        while time.monotonic() < deadline:
            try:
                if os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT):
                    return
            except ChildProcessError:
                return
            _orig_sleep(0.001)

    popen_fork.Popen._send_signal = _send_signal
    orig_poll = popen_fork.Popen.poll

    def poll(self, flag=os.WNOHANG):
        # A child the supervisor said has ended is waited for (it is
        # exiting), so a poll's answer follows the schedule.
        if flag == os.WNOHANG and self.returncode is None \
                and getattr(self, "_lockstep_number", None) in L._ended:
            flag = 0
        return orig_poll(self, flag)

    popen_fork.Popen.poll = poll
    base.terminate = signaller("terminate", base.terminate)
    base.kill = signaller("kill", base.kill)
    base.__init__, base.start, base.join = __init__, start, join
    base._bootstrap, base.is_alive, base.exitcode = _bootstrap, is_alive, exitcode
    process._cleanup = _cleanup
    L._JOIN[0] = _join_child
    orig_active = process.active_children

    def active_children():
        # In the order they were started (a set's order is the heap's): the
        # joins at exit come in the same order in every run.
        process._cleanup()
        return sorted(process._children, key=lambda p: getattr(p, "_lockstep_number", 0))

    process.active_children = active_children
    import multiprocessing
    from multiprocessing import context
    context.BaseContext.active_children = staticmethod(active_children)
    multiprocessing.active_children = active_children
    from multiprocessing import util
    exit_function = util._exit_function
    exit_function.__defaults__ = tuple(
        active_children if d is orig_active else d for d in exit_function.__defaults__)
