# lockstep's hooks on the interpreter: `time.sleep` and `print` at gates,
# an uncaught exception reported as the program's failure, and a forked
# child's new connection. Installed by `_lockstep.install()`; the link, the
# gate and the reports are its.

import sys
import traceback

import _lockstep as L
from _lockstep import (_HERE, _STDLIB, _block, _called_from_program, _held, _orig_print,
                       _orig_sleep, gate, report)


# --- sleep, print, errors -----------------------------------------------------

def _sleep(secs):
    if L._link is None or not _called_from_program():
        return _orig_sleep(secs)
    gate("sleep", "")
    ms = int(round(secs * 1000))
    if L._link.free:
        _block(lambda t: _orig_sleep(t), secs / (L._link.speed or 1.0))
    report("slept", ms=ms, real=L._link.free)
    if _held():
        # Until the next step, the process is at its wake-up.
        L._link.clock_ms += ms
    for hook in L._after_sleep:
        hook()


def _print(*args, sep=" ", end="\n", file=None, flush=False):
    if L._link is None or (file is not None and file is not sys.stdout) \
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
    if L._link is None:
        return sys.__excepthook__(kind, value, tb)
    L._link.last = ("failed", L._link.last[1])
    report("failed", message=_traceback(kind, value, tb))


def _after_fork_in_child():
    old, L._link = L._link, None
    L._ended.clear()
    if old is not None:
        # The parent's connection is the parent's: close this copy only.
        old.sock.close()
    if L._child_number is not None:
        L._link = L._Link(L._child_number)
