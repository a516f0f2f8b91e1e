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
#
# This module is the link to the supervisor, the gate and the names; the
# patches are in `_lockstep_locks` (locks, semaphores, values),
# `_lockstep_processes`, `_lockstep_hooks` (sleep, print, errors, fork),
# `_lockstep_clock`, `_lockstep_ipc` and `_lockstep_pool`.

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
# `with Manager() as m:` (one item): the name after `as`.
_WITH = re.compile(r"\s*(?:async\s+)?with\s+[^,]*?\bas\s+([A-Za-z_]\w*)\s*:")


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
    w = _WITH.match(text) if line and not m else None
    base = m.group(1) if m else w.group(1) if w else kind
    count = _names.get(base, 0)
    _names[base] = count + 1
    if m and m.group(2):
        return "%s[%d]" % (base, count)
    return base if count == 0 else "%s#%d" % (base, count + 1)


def _made(obj, kind, name, value):
    obj._lockstep_name = name
    report("created", object=kind, name=name, value=int(value))
    return obj


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
    from _lockstep_hooks import _after_fork_in_child, _excepthook, _print, _sleep
    from _lockstep_locks import _patch_context
    from _lockstep_processes import _patch_processes
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
