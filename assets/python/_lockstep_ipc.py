# lockstep's gates for what processes pass each other: events, queues,
# pipes, a Manager's shared dict, list and Value, and open(). Loaded by
# `_lockstep.install()`; the gate, the reports and the names are its.
#
# As for locks, a process about to block in the kernel says on what first
# (`event_waiting`, `get_queued` / `queue_waiting`, `pipe_waiting`,
# `queue_joining`), so the supervisor always knows who is where; under a
# schedule a getter waits for its turn (`your_turn`), so who gets an item is
# the schedule's choice, not the kernel's.
#
# The gates are in `_lockstep_ipc_sync` (events, barriers, conditions),
# `_lockstep_ipc_pipes` (queues, pipes) and `_lockstep_ipc_shared` (arrays,
# a Manager's dict, list and Value); this module holds what they share,
# open(), and the context's constructors.

import builtins
import os
import re
import weakref

import _lockstep as L
import _lockstep_locks
from _lockstep import _name_for, gate
from _lockstep import _called_from_program as _from_program

_orig_open = builtins.open
# Pipe ends this process holds open (a forked child holds its copies).
_CONNS = weakref.WeakSet()
_PAIR = re.compile(r"\s*([A-Za-z_][\w.]*)\s*,\s*([A-Za-z_][\w.]*)\s*=(?!=)")


def _item(obj):
    """An item as the model keeps it: a number, or its text."""
    if type(obj) is int:
        return {"value": obj}
    return {"text": {"en": obj if isinstance(obj, str) else repr(obj)}}


def _unique(base):
    count = L._names.get(base, 0)
    L._names[base] = count + 1
    return base if count == 0 else "%s#%d" % (base, count + 1)


def _pair_names():
    """`a, b = Pipe()` names the ends `a` and `b`; else `p[0]`, `p[1]`."""
    import linecache
    file, line = L._site()
    m = _PAIR.match(linecache.getline(file, line)) if line else None
    if m:
        return _unique(m.group(1)), _unique(m.group(2))
    base = _name_for("pipe")
    return base + "[0]", base + "[1]"


def _gated(obj):
    return L._link is not None and getattr(obj, "_lockstep_name", None) is not None


def _public(cls, name):
    """A class a `spawn` child can unpickle: this module's own name."""
    cls.__name__ = cls.__qualname__ = name
    cls.__module__ = __name__
    globals()[name] = cls
    return cls


def _keep_name(cls):
    """Pickling keeps the object's Python name (a `spawn` child)."""
    def __getstate__(self):
        return (cls.__bases__[-1].__getstate__(self), getattr(self, "_lockstep_name", None))

    def __setstate__(self, state):
        cls.__bases__[-1].__setstate__(self, state[0])
        self._lockstep_name = state[1]

    cls.__getstate__, cls.__setstate__ = __getstate__, __setstate__


# --- open() --------------------------------------------------------------------------

def _open(file, *args, **kwargs):
    if L._link is not None and isinstance(file, (str, bytes, os.PathLike)) and _from_program():
        # A file other processes may open too (the ticket program's JSON file).
        gate("open", os.fsdecode(file))
    return _orig_open(file, *args, **kwargs)


# --- the context's constructors ---------------------------------------------------------

def install():
    import multiprocessing
    from multiprocessing import context
    from _lockstep_ipc_pipes import _patch_pipes, _queue_classes, _report_ends
    from _lockstep_ipc_shared import _array_class, _array_maker, _patch_manager
    from _lockstep_ipc_sync import _barrier_class, _barrier_maker, _condition_class, _event_class
    event = _event_class()
    queue, joinable = _queue_classes()
    condition = _condition_class()
    orig = {k: getattr(context.BaseContext, k)
            for k in ("Event", "Queue", "JoinableQueue", "Pipe", "Condition")}

    def Event(self):
        if not _from_program():
            return orig["Event"](self)
        return L._made(event(ctx=self.get_context()), "event", _name_for("event"), 0)

    def queue_maker(kind, cls, attr):
        def make(self, maxsize=0):
            if not _from_program():
                return orig[attr](self, maxsize)
            # Its value in the model: how many items it holds at most (0: no bound).
            bound = max(0, maxsize)
            return L._made(cls(maxsize, ctx=self.get_context()), kind, _name_for(kind), bound)
        return make

    def Condition(self, lock=None):
        if not _from_program():
            return orig["Condition"](self, lock)
        name = _name_for("condition")
        ctx = self.get_context()
        if lock is None:
            lock = L._made(_lockstep_locks.RLock(ctx=ctx), "rlock", name, 1)
        return L._made(condition(lock, ctx=ctx), "condition", name, 0)

    def Pipe(self, duplex=True):
        ends = orig["Pipe"](self, duplex)
        if L._link is None or not _from_program():
            return ends
        for k, (c, name) in enumerate(zip(ends, _pair_names())):
            c._lockstep_open = True
            _CONNS.add(c)
            L._made(c, "pipe_end", name, k)
        return ends

    context.BaseContext.Event = Event
    context.BaseContext.Queue = queue_maker("queue", queue, "Queue")
    context.BaseContext.JoinableQueue = queue_maker("joinable_queue", joinable, "JoinableQueue")
    context.BaseContext.Pipe = Pipe
    context.BaseContext.Condition = Condition
    context.BaseContext.Array = _array_maker(_array_class(), context.BaseContext.Array)
    context.BaseContext.Barrier = _barrier_maker(_barrier_class(), context.BaseContext.Barrier)
    _patch_pipes()
    _patch_manager()
    for attr in ("Event", "Queue", "JoinableQueue", "Pipe", "Manager", "Condition", "Array",
                 "Barrier"):
        setattr(multiprocessing, attr, getattr(context._default_context, attr))
    L._after_connect.append(_report_ends)
    builtins.open = _open
