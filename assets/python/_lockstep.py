# lockstep's shim, loaded by sitecustomize in every process of a run.
#
# It connects to the run's Unix socket, speaks lockstep's wire protocol
# (one stamped JSON line per report, one JSON command per line back), and
# patches multiprocessing, time.sleep and print so that every operation
# another process can observe stops at a gate first: the process reports
# where it is (`op`, then `at`) and waits for `go` before it goes on.
# A process about to block in the kernel on a lock says so first (`queued`
# under a schedule, then `waiting`), so the supervisor always knows who is
# where. Only calls from the program's own code are gated; the standard
# library's own use of these objects runs as it always does.

import builtins
import json
import ast
import linecache
import os
import re
import select
import socket
import sys
import time
import traceback

PROTOCOL = 1
_HERE = os.path.dirname(os.path.abspath(__file__))
_STDLIB = os.path.dirname(os.__file__)
_orig_print = builtins.print
_orig_sleep = time.sleep


class _Link:
    """This process's connection to the supervisor."""

    def __init__(self, number):
        self.number = number
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(os.environ["LOCKSTEP_SOCKET"])
        self.buf = b""
        self.free = False
        self.speed = 1.0
        self.pc = 0
        self.off = set()
        # As written (stepped): a sleep lasts until the run's clock gets
        # there, so a process whose last gate was a sleep ends at one more
        # gate, and a join with a timeout waits at a gate.
        self.sleeps_hold = False
        # As written: the virtual clock (ms) at this process's last step,
        # at the step that woke it, or at its wake-up after a held sleep
        # (see `_lockstep_clock`).
        self.clock_ms = 0
        # The last gate's op and place (an end gate comes after a sleep).
        self.last = ("", ("<python>", 0))
        self.send({"ev": "hello", "version": PROTOCOL, "number": number,
                   "pid": os.getpid(), "ppid": os.getppid()})
        while True:
            cmd = self.command(True)
            if cmd.get("cmd") == "setup":
                self.free = bool(cmd.get("free"))
                self.speed = float(cmd.get("speed") or 1.0)
                self.off = set(cmd.get("off") or ())
                self.seed = int(cmd.get("seed") or 0)
                self.sleeps_hold = bool(cmd.get("sleeps_hold"))
                break
        self.send({"ev": "ready"})
        _seed_random(self)
        for hook in _after_connect:
            hook(self)

    def send(self, report):
        line = "%d %s\n" % (time.monotonic_ns(), json.dumps(report))
        try:
            self.sock.sendall(line.encode())
        except OSError:
            os._exit(3)

    def command(self, block):
        """The next command, or None if none is there (`block` false)."""
        while b"\n" not in self.buf:
            if not block and not select.select([self.sock], [], [], 0)[0]:
                return None
            try:
                data = self.sock.recv(65536)
            except OSError:
                data = b""
            if not data:
                # The supervisor is gone: nobody can step us any more.
                os._exit(3)
            self.buf += data
        line, self.buf = self.buf.split(b"\n", 1)
        cmd = json.loads(line)
        if cmd.get("cmd") == "free":
            self.free = bool(cmd.get("on"))
        elif cmd.get("cmd") == "speed":
            self.speed = float(cmd.get("speed") or 1.0)
        elif cmd.get("cmd") == "child_ended":
            _ended.add(cmd.get("child"))
        elif cmd.get("cmd") == "clock":
            self.clock_ms = int(cmd.get("ms") or 0)
        return cmd

    def wait_for(self, wanted):
        """Block until `wanted` comes, or a free run begins. In a free run,
        only take in what has come (a free run may have just ended)."""
        while True:
            cmd = self.command(not self.free)
            if cmd is None or cmd.get("cmd") == wanted:
                return


_link = None
_child_number = None
# The children whose end the supervisor has told (`child_ended`): their
# `is_alive` and `exitcode` wait for the reaping, so they see the end in
# the schedule's order, not the kernel's.
_ended = set()
# Run once this process is connected (the IPC gates report the pipe ends
# it holds from its start).
_after_connect = []
# The Python name of a Manager server about to start (see `_lockstep_ipc`).
_SERVER = [None]
# Join a started child without a gate of its own (a Pool's `join`).
_JOIN = [None]
# Run after the program's own `time.sleep` (a Pool's callbacks).
_after_sleep = []


def _switched_off(name):
    """`--off NAME` or `--unlocked` (`*`): the lock passes straight through."""
    return _link is not None and (name in _link.off or "*" in _link.off)


def _held():
    """Stepped as written: the clock, not the kernel, says when a sleep ends."""
    return _link is not None and _link.sleeps_hold and not _link.free


def end_gate():
    """As written, a process whose last gate was a sleep is asleep until
    its wake-up: its end waits at a gate of its own (at the sleep's line),
    as the built-in engine's does."""
    if _held() and _link.last[0] == "sleep":
        gate("end", "", _link.last[1])


def _seed_random(link):
    """The program's `random` draws the same numbers under the same run
    seed, in each process its own (CPython reseeds a forked child from
    the OS, which would make `time.sleep(random.randint(1, 3))` differ
    from run to run)."""
    import random
    random.seed("lockstep-%d-%d" % (link.seed, link.number))


def _block(attempt, timeout=None):
    """Wait for `attempt(seconds)` to succeed, in short slices: between them
    a supervisor gone (its socket closed) ends this process, as nobody can
    step it any more. False if `timeout` passed first."""
    deadline = None if timeout is None else time.monotonic() + max(0.0, timeout)
    while True:
        left = 0.05 if deadline is None else min(0.05, deadline - time.monotonic())
        if attempt(max(0.0, left)):
            _take_up_clock()
            return True
        if deadline is not None and time.monotonic() >= deadline:
            return False
        if _link is not None:
            _link.command(False)


def _take_up_clock():
    """Woken (as written): the clock is where the step that woke this
    process left it, told before that step (no later step comes until
    this process is at its next gate)."""
    if _held():
        while _link.command(False) is not None:
            pass


def _user_frame():
    f = sys._getframe(1)
    while f is not None:
        name = f.f_code.co_filename
        if not (name.startswith(_HERE) or name.startswith(_STDLIB) or name.startswith("<")):
            return f
        f = f.f_back
    return None


def _called_from_program(depth=2):
    """The caller `depth` frames up is the program's code, not the library's."""
    name = sys._getframe(depth).f_code.co_filename
    return not (name.startswith(_HERE) or name.startswith(_STDLIB) or name.startswith("<"))


def _site():
    f = _user_frame()
    if f is None:
        return "<python>", 0
    return _where(f.f_code.co_filename, f.f_lineno)


def _where(name, line):
    """A file as the program's gates name it: relative to the working
    directory unless it lies outside."""
    rel = os.path.relpath(name)
    return (name if rel.startswith("..") else rel), line


def report(ev, **fields):
    if _link is not None:
        fields["ev"] = ev
        _link.send(fields)


def gate(op, name, where=None):
    """Stop before an operation until the supervisor lets this process go;
    `where` (file, line) if not the program's line that calls it."""
    if _link is None:
        return
    file, line = where or _site()
    _link.pc += 1
    _link.last = (op, (file, line))
    report("op", op=op, name=name, file=file, line=line)
    report("at", pc=_link.pc)
    _link.wait_for("go")
    report("run", pc=_link.pc)


_names = {}
_ASSIGN = re.compile(r"\s*(?:self\.)?([A-Za-z_][\w.]*)\s*(?::[^=]+)?=(?!=)\s*(\[)?")


def _tuple_target(frame, text):
    """In `a, b = Lock(), Value('i', 0)`: the name on the left of the call
    running now on the right (found by the call's column), or None."""
    try:
        node = ast.parse(text.strip()).body[0]
    except (SyntaxError, IndexError):
        return None
    if not (
        isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Tuple)
        and isinstance(node.value, ast.Tuple)
        and len(node.targets[0].elts) == len(node.value.elts)
    ):
        return None
    positions = getattr(frame.f_code, "co_positions", None)
    if positions is None:  # before 3.11: no columns to tell the calls apart
        return None
    col = list(positions())[frame.f_lasti // 2][2]
    if col is None:
        return None
    col -= len(text) - len(text.lstrip())
    for target, value in zip(node.targets[0].elts, node.value.elts):
        if value.col_offset <= col < value.end_col_offset:
            return ast.unparse(target) if isinstance(target, (ast.Name, ast.Attribute)) else None
    return None


def _name_for(kind):
    """The Python name the program gives a new object, from its source line."""
    file, line = _site()
    text = linecache.getline(file, line) if line else ""
    frame = _user_frame()
    named = _tuple_target(frame, text) if frame is not None and "," in text else None
    if named is not None:
        named = named[5:] if named.startswith("self.") else named
        count = _names.get(named, 0)
        _names[named] = count + 1
        return named if count == 0 else "%s#%d" % (named, count + 1)
    m = _ASSIGN.match(text) if line else None
    base = m.group(1) if m else kind
    count = _names.get(base, 0)
    _names[base] = count + 1
    if m and m.group(2):
        return "%s[%d]" % (base, count)
    return base if count == 0 else "%s#%d" % (base, count + 1)


# --- locks and semaphores ---------------------------------------------------

class _Gated:
    """Acquire and release at gates; a blocked acquire says so first."""

    _lockstep_name = "lock"

    def _make_methods(self):
        self._raw_acquire = self._semlock.acquire
        self._raw_release = self._semlock.release

    def __getstate__(self):
        return (super().__getstate__(), self._lockstep_name)

    def __setstate__(self, state):
        super().__setstate__(state[0])
        self._lockstep_name = state[1]

    def acquire(self, block=True, timeout=None):
        if self._reentry():
            return self._raw_acquire(True)
        name = self._lockstep_name
        gate("acquire", name)
        if _switched_off(name):
            # Switched off: it passes straight through.
            report("skipped", lock=name, release=False)
            return True
        if self._raw_acquire(False):
            report("acquired", lock=name)
            return True
        if not block:
            return False
        if _link is not None and not _link.free:
            report("queued", lock=name)
            _link.wait_for("your_turn")
        report("waiting", lock=name)
        got = _block(lambda t: self._raw_acquire(True, t), timeout)
        if got:
            report("acquired", lock=name)
        return got

    def release(self):
        name = self._lockstep_name
        if _switched_off(name):
            gate("release", name)
            report("skipped", lock=name, release=True)
            return None
        if self._nested() or self._invalid_release():
            # A nested RLock release, or one CPython refuses with its own
            # error: nothing another process can see.
            return self._raw_release()
        gate("release", name)
        # Reported first, so no waiter can report taking it before.
        report("released", lock=name)
        self._raw_release()

    def _reentry(self):
        return False

    def _nested(self):
        return False

    def _invalid_release(self):
        sem = self._semlock
        return sem.kind == 1 and sem._get_value() >= sem.maxvalue

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *args):
        self.release()


def _lock_classes():
    from multiprocessing import synchronize

    class Lock(_Gated, synchronize.Lock):
        pass

    class RLock(_Gated, synchronize.RLock):
        def _reentry(self):
            return self._semlock._is_mine()

        def _nested(self):
            return self._semlock._is_mine() and self._semlock._count() > 1

        def _invalid_release(self):
            return not self._semlock._is_mine()

    class Semaphore(_Gated, synchronize.Semaphore):
        pass

    class BoundedSemaphore(_Gated, synchronize.BoundedSemaphore):
        pass

    return _public({"lock": Lock, "rlock": RLock, "semaphore": Semaphore,
                    "bounded_semaphore": BoundedSemaphore})


def _public(classes):
    """Make classes built at install time this module's own names, so a
    `spawn` child (which installs the shim first) can unpickle them."""
    for cls in classes.values():
        cls.__qualname__ = cls.__name__
        globals()[cls.__name__] = cls
    return classes


def _made(obj, kind, name, value):
    obj._lockstep_name = name
    report("created", object=kind, name=name, value=int(value))
    return obj


# --- shared values ----------------------------------------------------------

def _value_classes():
    from multiprocessing import sharedctypes

    class Value(sharedctypes.Synchronized):
        """A Value whose reads and writes are gated (its own lock aside)."""

        def __reduce__(self):
            return (_rebuild_value, (self._obj, self._lock, self._lockstep_name))

        @property
        def value(self):
            gate("read", self._lockstep_name)
            got = self._obj.value
            report("read", value=self._lockstep_name, got=int(got))
            return got

        @value.setter
        def value(self, put):
            gate("write", self._lockstep_name)
            self._obj.value = put
            report("wrote", value=self._lockstep_name, put=int(self._obj.value))

    class RawValue:
        """`Value(..., lock=False)`: shared memory with no lock, still gated."""

        def __init__(self, obj, name):
            self._obj = obj
            self._lockstep_name = name

        def __reduce__(self):
            return (RawValue, (self._obj, self._lockstep_name))

        def get_obj(self):
            return self._obj

        value = Value.value

    Value.__name__, RawValue.__name__ = "SharedValue", "RawSharedValue"
    _public({"value": Value, "raw": RawValue})
    return Value, RawValue


def _rebuild_value(obj, lock, name):
    from multiprocessing import sharedctypes
    v = sharedctypes.synchronized(obj, lock)
    v.__class__ = _VALUE[0]
    v._lockstep_name = name
    return v


_VALUE = [None, None]


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
    if n in _ended and popen is not None and popen.returncode is None:
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
        global _child_number
        server = _SERVER[0]
        # A Pool's worker: its gate was the Pool() call.
        pooled = getattr(self, "_lockstep_worker", False)
        if _link is None or not (_called_from_program() or server or pooled):
            return orig_start(self)
        if server:
            # A Manager's server: its gate was the Manager() call.
            _SERVER[0] = None
            self._lockstep_name, self._lockstep_server = server, True
        elif not pooled:
            gate("start", self._lockstep_name)
        n = _next_number()
        # A forked child reads it in its at-fork hook; a `spawn` or
        # `forkserver` child finds it in the process object it unpickles.
        _child_number = self._lockstep_number = n
        # The child's clock starts where the parent's is.
        self._lockstep_clock = _link.clock_ms
        try:
            orig_start(self)
        finally:
            _child_number = None
        self._popen._lockstep_number = n
        report("started", child=n, pid=self.pid, daemon=bool(self.daemon))

    def join(self, timeout=None):
        n = getattr(self, "_lockstep_number", None)
        if _link is None or n is None:
            return orig_join(self, timeout)
        gate("join", self._lockstep_name)
        if timeout is not None and _held() and n not in _ended \
                and self._popen.poll() is None:
            # As written: the wait lasts until the child ends or the clock
            # has moved on `timeout`; the schedule decides which comes first.
            report("timed_join", child=n, ms=int(round(max(0.0, timeout) * 1000)))
            gate("join", self._lockstep_name)
            if n not in _ended:
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
        if n in _ended:
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
        if _link is not None and n is not None:
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
        if _link is not None and n is not None:
            # Also for the library (a process's repr shows its exit code).
            if _called_from_program():
                gate("exitcode", self._lockstep_name)
            _wait_if_ended(self, n)
            orig_is_alive(self)
            _note_reaped(self)
        return orig_exitcode.fget(self)

    def _bootstrap(self, parent_sentinel=None):
        global _link
        number = getattr(self, "_lockstep_number", None)
        if _link is None and number is not None:
            _link = _Link(number)
        if _link is not None:
            _link.clock_ms = getattr(self, "_lockstep_clock", _link.clock_ms)
        run = self.run

        def guarded():
            try:
                done = run()
                end_gate()
                return done
            except (SystemExit, KeyboardInterrupt):
                raise
            except BaseException:
                if _link is None:
                    raise
                report("failed", message=_traceback(*sys.exc_info()))
                raise SystemExit(1)

        self.run = guarded
        if _link is not None:
            # After CPython's own reseeding of a forked child.
            _seed_random(_link)
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
            if popen and _link is not None and n is not None:
                if n not in _ended:
                    continue
                _wait_if_ended(p, n)
            if popen and popen.poll() is not None:
                process._children.discard(p)
                _note_reaped(p)

    def signaller(op, orig):
        def send(self):
            if _link is not None and _called_from_program() \
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
        while _link is not None and n not in _ended and time.monotonic() < deadline:
            if _link.command(False) is None:
                select.select([_link.sock], [], [], 0.01)

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
                and getattr(self, "_lockstep_number", None) in _ended:
            flag = 0
        return orig_poll(self, flag)

    popen_fork.Popen.poll = poll
    base.terminate = signaller("terminate", base.terminate)
    base.kill = signaller("kill", base.kill)
    base.__init__, base.start, base.join = __init__, start, join
    base._bootstrap, base.is_alive, base.exitcode = _bootstrap, is_alive, exitcode
    process._cleanup = _cleanup
    _JOIN[0] = _join_child
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


# --- the context's constructors -----------------------------------------------

def _patch_context():
    import multiprocessing
    from multiprocessing import context, sharedctypes
    locks = _lock_classes()
    _VALUE[0], _VALUE[1] = _value_classes()
    orig = {k: getattr(context.BaseContext, k) for k in
            ("Lock", "RLock", "Semaphore", "BoundedSemaphore", "Value")}

    def lock_maker(kind, attr):
        def make(self, *args, **kwargs):
            if not _called_from_program():
                return orig[attr](self, *args, **kwargs)
            obj = locks[kind](*args, ctx=self.get_context(), **kwargs)
            value = obj._semlock._get_value()
            return _made(obj, kind, _name_for(kind), value)
        return make

    for kind, attr in (("lock", "Lock"), ("rlock", "RLock"), ("semaphore", "Semaphore"),
                       ("bounded_semaphore", "BoundedSemaphore")):
        setattr(context.BaseContext, attr, lock_maker(kind, attr))

    def Value(self, typecode_or_type, *args, lock=True):
        if not _called_from_program():
            return orig["Value"](self, typecode_or_type, *args, lock=lock)
        base = _name_for("value")
        if lock in (True, None):
            lock = _made(locks["rlock"](ctx=self.get_context()), "rlock", base + ".get_lock()", 1)
        raw = sharedctypes.RawValue(typecode_or_type, *args)
        name = base + ".value"
        if lock is False:
            obj = _VALUE[1](raw, name)
        else:
            obj = sharedctypes.synchronized(raw, lock, ctx=self.get_context())
            obj.__class__ = _VALUE[0]
        return _made(obj, "value", name, raw.value)

    context.BaseContext.Value = Value
    # The module's own names are the default context's bound methods.
    for attr in ("Lock", "RLock", "Semaphore", "BoundedSemaphore", "Value"):
        setattr(multiprocessing, attr, getattr(context._default_context, attr))


# --- sleep, print, errors -----------------------------------------------------

def _sleep(secs):
    if _link is None or not _called_from_program():
        return _orig_sleep(secs)
    gate("sleep", "")
    ms = int(round(secs * 1000))
    if _link.free:
        _block(lambda t: _orig_sleep(t), secs / (_link.speed or 1.0))
    report("slept", ms=ms, real=_link.free)
    if _held():
        # Until the next step, the process is at its wake-up.
        _link.clock_ms += ms
    for hook in _after_sleep:
        hook()


def _print(*args, sep=" ", end="\n", file=None, flush=False):
    if _link is None or (file is not None and file is not sys.stdout) \
            or not _called_from_program():
        return _orig_print(*args, sep=sep, end=end, file=file, flush=flush)
    gate("print", "")
    text = (" " if sep is None else sep).join(str(a) for a in args)
    report("printed", en=text)


def _traceback(kind, value, tb):
    """The traceback as Python prints it, without the shim's and the
    library's own frames (the program's frames are what the learner wrote)."""
    frames = [f for f in traceback.extract_tb(tb)
              if not (f.filename.startswith(_HERE) or f.filename.startswith(_STDLIB))]
    lines = ["Traceback (most recent call last):\n"] if frames else []
    lines += traceback.format_list(frames) + traceback.format_exception_only(kind, value)
    cause = value.__cause__ if value is not None else None
    if cause is not None:
        # As Python prints it: the cause first (a Pool task's RemoteTraceback
        # is the worker's own traceback), then the exception it caused.
        lines = [_traceback(type(cause), cause, cause.__traceback__), "\n\n",
                 "The above exception was the direct cause of the following exception:\n\n"] + lines
    return "".join(lines).rstrip()


def _excepthook(kind, value, tb):
    if _link is None:
        return sys.__excepthook__(kind, value, tb)
    _link.last = ("failed", _link.last[1])
    report("failed", message=_traceback(kind, value, tb))


def _after_fork_in_child():
    global _link
    old, _link = _link, None
    _ended.clear()
    if old is not None:
        # The parent's connection is the parent's: close this copy only.
        old.sock.close()
    if _child_number is not None:
        _link = _Link(_child_number)


def install():
    global _link
    # Only the main program has a number from the start; a `spawn` or
    # `forkserver` child connects once it knows which process it is (see
    # `_bootstrap`), and any other Python process (a forkserver, a
    # resource tracker, a subprocess) stays unconnected: its gates pass.
    number = os.environ.pop("LOCKSTEP_NUMBER", None)
    if number is not None:
        _link = _Link(int(number))
    from multiprocessing import process
    # Named semaphores (spawn, forkserver) carry the run's name, so that
    # lockstep removes whatever a killed program leaves.
    process.current_process()._config["semprefix"] = os.environ.get(
        "LOCKSTEP_SEMPREFIX", "/mp")
    _patch_context()
    _patch_processes()
    time.sleep = _sleep
    builtins.print = _print
    sys.excepthook = _excepthook
    os.register_at_fork(after_in_child=_after_fork_in_child)
    # After multiprocessing's own exit function (atexit runs the last
    # registered first): the main process's end gate comes before its
    # joins at exit.
    import atexit
    atexit.register(end_gate)
    import _lockstep_clock
    _lockstep_clock.install()
    import _lockstep_ipc
    _lockstep_ipc.install()
    import _lockstep_pool
    _lockstep_pool.install()
