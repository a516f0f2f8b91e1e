# The program's clocks, as written: `time.time()`, `time.monotonic()`,
# `time.perf_counter()` and their `_ns` variants read the run's virtual
# clock (the lesson time the supervisor sends with each `go`, and a held
# sleep's wake-up), so a program that measures a sleep or a join(timeout)
# prints the lesson's figures. Each clock starts from the whole second its
# real counterpart was at when the program started, the same in every
# process. Under any timing, in a free run and for the library's own
# calls (timeouts), the clocks are real.

import os
import time

import _lockstep as L

# Set by the main process, inherited by every child: the whole seconds of
# each real clock when the program started.
BASE_ENV = "LOCKSTEP_CLOCK_BASE"
_KINDS = ("time", "monotonic", "perf_counter")
_real = {}
_base_ns = {}
# What the program last read of each clock: a free run after a stepped
# one does not take it back.
_floor_ns = {}


def _bases():
    text = os.environ.get(BASE_ENV)
    if text is None:
        text = ",".join(str(int(_real[k]())) for k in _KINDS)
        os.environ[BASE_ENV] = text
    for kind, secs in zip(_KINDS, text.split(",")):
        _base_ns[kind] = int(secs) * 1_000_000_000


def _read_ns(kind):
    """The clock `kind` as the program sees it, in nanoseconds."""
    if L._held():
        ns = _base_ns[kind] + L._link.clock_ms * 1_000_000
    else:
        ns = _real[kind + "_ns"]()
        if kind != "time":
            ns = max(ns, _floor_ns.get(kind, 0))
    _floor_ns[kind] = ns
    return ns


def _clock(kind, ns):
    real = _real[kind + ("_ns" if ns else "")]

    def clock():
        if L._link is None or not L._called_from_program():
            return real()
        got = _read_ns(kind)
        # int / int is rounded once: a whole second after the base is exact.
        return got if ns else got / 1_000_000_000

    clock.__name__ = clock.__qualname__ = kind + ("_ns" if ns else "")
    clock.__doc__ = real.__doc__
    return clock


def install():
    for kind in _KINDS:
        for name in (kind, kind + "_ns"):
            _real[name] = getattr(time, name)
    _bases()
    for kind in _KINDS:
        setattr(time, kind, _clock(kind, False))
        setattr(time, kind + "_ns", _clock(kind, True))
