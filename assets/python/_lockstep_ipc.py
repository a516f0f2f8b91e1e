# lockstep's gates for what processes pass each other: events, queues,
# pipes, a Manager's shared dict, list and Value, and open(). Loaded by
# `_lockstep.install()`; the gate, the reports and the names are its.
#
# As for locks, a process about to block in the kernel says on what first
# (`event_waiting`, `get_queued` / `queue_waiting`, `pipe_waiting`,
# `queue_joining`), so the supervisor always knows who is where; under a
# schedule a getter waits for its turn (`your_turn`), so who gets an item is
# the schedule's choice, not the kernel's.

import builtins
import os
import queue as _stdqueue
import re
import select
import struct
import sys
import weakref

import _lockstep as L
from _lockstep import _block, _name_for, gate, report
from _lockstep import _called_from_program as _from_program

_orig_open = builtins.open
# Pipe ends this process holds open (a forked child holds its copies).
_CONNS = weakref.WeakSet()
# A Manager proxy's Python name by its object's id on the server.
_PROXIES = {}
# Shared values (Manager dict entries, list items) this process has
# announced to the model.
_SEEN = set()
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


# --- events -------------------------------------------------------------------

def _event_class():
    from multiprocessing import synchronize
    base = synchronize.Event

    class Event(base):
        def set(self):
            if _gated(self) and _from_program():
                gate("set", self._lockstep_name)
                # Reported first, so no waiter can report waking before.
                report("event_set", event=self._lockstep_name)
            return base.set(self)

        def clear(self):
            if _gated(self) and _from_program():
                gate("clear", self._lockstep_name)
                base.clear(self)
                report("event_cleared", event=self._lockstep_name)
                return None
            return base.clear(self)

        def is_set(self):
            if _gated(self) and _from_program():
                gate("is_set", self._lockstep_name)
            return base.is_set(self)

        def wait(self, timeout=None):
            if not (_gated(self) and _from_program()):
                return base.wait(self, timeout)
            name = self._lockstep_name
            gate("wait", name)
            got = base.is_set(self)
            if not got and (timeout is None or L._link.free):
                report("event_waiting", event=name)
                got = _block(lambda t: base.wait(self, t), timeout)
            # Under a schedule a timed wait gives up at once.
            report("event_woke", event=name, set=bool(got))
            return got

    return _public(Event, "Event")


# --- arrays ----------------------------------------------------------------------

def _array_class():
    """`Array(...)`: each item read and written at a gate, as `arr[0]`."""
    from multiprocessing import sharedctypes
    base = sharedctypes.SynchronizedArray

    class Array(base):
        def __reduce__(self):
            return (_rebuild_array, (self._obj, self._lock, self._lockstep_name))

        def _item_name(self, i):
            return "%s[%d]" % (self._lockstep_name, i if i >= 0 else len(self._obj) + i)

        def __getitem__(self, i):
            if not (_gated(self) and type(i) is int and _from_program()):
                return base.__getitem__(self, i)
            vname = self._item_name(i)
            gate("read", vname)
            got = self._obj[i]
            if type(got) is int:
                report("read", value=vname, got=got)
            return got

        def __setitem__(self, i, value):
            if not (_gated(self) and type(i) is int and _from_program()):
                return base.__setitem__(self, i, value)
            vname = self._item_name(i)
            gate("write", vname)
            self._obj[i] = value
            if type(self._obj[i]) is int:
                report("wrote", value=vname, put=self._obj[i])
            return None

    return _public(Array, "SharedArray")


def _rebuild_array(obj, lock, name):
    from multiprocessing import sharedctypes
    a = sharedctypes.synchronized(obj, lock)
    a.__class__ = SharedArray  # noqa: F821 (made by _array_class)
    a._lockstep_name = name
    return a


def _array_maker(array_cls, orig):
    def Array(self, typecode_or_type, size_or_initializer, *, lock=True):
        from multiprocessing import sharedctypes
        if L._link is None or not _from_program() or lock is False:
            return orig(self, typecode_or_type, size_or_initializer, lock=lock)
        name = _name_for("array")
        ctx = self.get_context()
        if lock in (True, None):
            lock = L._made(L.RLock(ctx=ctx), "rlock", name + ".get_lock()", 1)
        raw = sharedctypes.RawArray(typecode_or_type, size_or_initializer)
        obj = sharedctypes.synchronized(raw, lock, ctx=ctx)
        if type(obj) is sharedctypes.SynchronizedArray:
            obj.__class__ = array_cls
            obj._lockstep_name = name
            for k, v in enumerate(raw[:100]):
                _announce("%s[%d]" % (name, k), v)
        return obj
    return Array


# --- barriers ---------------------------------------------------------------------

def _barrier_class():
    """A barrier in the model is an event that the last arrival sets (and
    clears again for the next round): the others sleep on it until then.
    The wait is one gated operation: who arrives last is decided under the
    barrier's own lock, in the order of the gates, and a process says it
    sleeps only once it is counted in (so the next arrival sees it)."""
    import threading
    from multiprocessing import synchronize
    base = synchronize.Barrier

    class Barrier(base):
        def wait(self, timeout=None):
            if not (_gated(self) and _from_program()):
                return threading.Barrier.wait(self, timeout)
            name = self._lockstep_name
            gate("wait", name)
            if timeout is None:
                timeout = self._timeout
            if timeout is not None and not L._link.free:
                # Under a schedule a timed wait gives up at once.
                timeout = 0
            self._lockstep_turn = [name, False]
            try:
                return threading.Barrier.wait(self, timeout)
            finally:
                name, slept = self._lockstep_turn
                self._lockstep_turn = None
                if slept:
                    report("event_woke", event=name, set=self._state >= 0)

        def _release(self):
            # The last arrival, under the barrier's lock.
            turn = getattr(self, "_lockstep_turn", None)
            if turn is None:
                return base._release(self)
            try:
                if self._action:
                    self._action()
            except BaseException:
                self._break()
                raise
            # Reported first, so no sleeper can report waking before.
            report("event_set", event=turn[0])
            report("event_cleared", event=turn[0])
            self._state = 1
            self._cond.notify_all()

        def _wait(self, timeout):
            # Counted in, under the barrier's lock: now say so, then sleep.
            turn = getattr(self, "_lockstep_turn", None)
            if turn is None or timeout == 0:
                return base._wait(self, timeout)
            report("event_waiting", event=turn[0])
            turn[1] = True
            if not _block(lambda t: self._cond.wait_for(lambda: self._state != 0, t), timeout):
                self._break()
                raise threading.BrokenBarrierError
            if self._state < 0:
                raise threading.BrokenBarrierError

        def _break(self):
            if _gated(self):
                # Every sleeper wakes with BrokenBarrierError.
                report("event_set", event=self._lockstep_name)
                report("event_cleared", event=self._lockstep_name)
            base._break(self)

    def __getstate__(self):
        return (base.__getstate__(self), getattr(self, "_lockstep_name", None))

    def __setstate__(self, state):
        # Also called by the constructor, with the plain state.
        if len(state) == 2 and isinstance(state[0], tuple):
            state, self._lockstep_name = state
        base.__setstate__(self, state)

    Barrier.__getstate__, Barrier.__setstate__ = __getstate__, __setstate__
    return _public(Barrier, "Barrier")


def _barrier_maker(barrier_cls, orig):
    def Barrier(self, parties, action=None, timeout=None):
        if L._link is None or not _from_program():
            return orig(self, parties, action, timeout)
        obj = barrier_cls(parties, action, timeout, ctx=self.get_context())
        return L._made(obj, "barrier", _name_for("barrier"), parties)
    return Barrier


# --- conditions -------------------------------------------------------------------

def _condition_class():
    """A condition in the model is a queue of wake-ups: `wait` queues for
    one (under a schedule it waits for its turn, so the schedule picks who
    a `notify` wakes, in arrival order), `notify` puts one per sleeper it
    wakes. The lock is released and taken again at gates of its own."""
    from multiprocessing import synchronize
    base = synchronize.Condition

    class Condition(base):
        def wait(self, timeout=None):
            if not _gated(self):
                return base.wait(self, timeout)
            name, link = self._lockstep_name, L._link
            lock = self._lock
            assert lock._semlock._is_mine(), "must acquire() condition before using wait()"
            gate("wait", name)
            if timeout is not None and not link.free:
                # Under a schedule a timed wait gives up at once.
                return False
            self._sleeping_count.release()
            count = lock._semlock._count()
            report("released", lock=lock._lockstep_name)
            for _ in range(count):
                lock._raw_release()
            if not link.free:
                report("get_queued", queue=name)
                link.wait_for("your_turn")
            else:
                report("queue_waiting", queue=name)
            try:
                got = _block(lambda t: self._wait_semaphore.acquire(True, t), timeout)
            finally:
                self._woken_count.release()
            if got:
                report("queue_got", queue=name, item=_item("notify"))
            else:
                report("queue_timed_out", queue=name)
            lock.acquire()
            for _ in range(count - 1):
                lock._raw_acquire(True)
            return got

        def notify(self, n=1):
            if not _gated(self):
                return base.notify(self, n)
            name = self._lockstep_name
            gate("notify_all" if n > 1 else "notify", name)
            assert self._lock._semlock._is_mine(), "lock is not owned"
            while self._woken_count.acquire(False):
                self._sleeping_count.acquire(False)
            sleepers = 0
            while sleepers < n and self._sleeping_count.acquire(False):
                # Reported first: the model gives the first sleeper its turn.
                report("queue_put", queue=name, item=_item("notify"))
                self._wait_semaphore.release()
                sleepers += 1
            for _ in range(sleepers):
                self._woken_count.acquire()
            while self._wait_semaphore.acquire(False):
                pass
            return None

        def notify_all(self):
            return self.notify(n=sys.maxsize)

    _keep_name(Condition)
    return _public(Condition, "Condition")


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
            else:
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
        else:
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


# --- the Manager -------------------------------------------------------------------

def _proxy_name(proxy):
    name = proxy.__dict__.get("_lockstep_name")
    if name is None:
        name = _PROXIES.get(getattr(proxy, "_token", None) and proxy._token.id)
    return name


def _announce(vname, value):
    """A shared value the model has not heard of from this process."""
    if vname not in _SEEN and type(value) is int:
        _SEEN.add(vname)
        report("created", object="value", name=vname, value=value)


def _accessor(orig, op, key_of):
    """A gated read (`op` "read") or write of one entry of a proxy."""
    def access(self, *args, **kwargs):
        name = _proxy_name(self)
        if name is None or L._link is None or not _from_program():
            return orig(self, *args, **kwargs)
        vname = key_of(name, args)
        gate(op, vname)
        got = orig(self, *args, **kwargs)
        if op == "read" and type(got) is int:
            _announce(vname, got)
            report("read", value=vname, got=got)
        elif op == "write" and type(args[-1]) is int:
            _announce(vname, args[-1])
            report("wrote", value=vname, put=args[-1])
        return got
    return access


def _entry(name, args):
    return "%s[%r]" % (name, args[0])


def _patch_manager():
    from multiprocessing import context, managers, process
    orig_manager = context.BaseContext.Manager

    def Manager(self):
        if L._link is None or not _from_program():
            return orig_manager(self)
        name = _name_for("manager")
        gate("manager", name)
        report("created", object="manager", name=name, value=0)
        L._SERVER[0] = name
        try:
            m = orig_manager(self)
        finally:
            L._SERVER[0] = None
        m._lockstep_name = name
        return m

    context.BaseContext.Manager = Manager
    orig_shutdown = managers.Server.shutdown

    def shutdown(self, c):
        # In the server: it stops waiting for requests and runs to its end.
        name = getattr(process.current_process(), "_lockstep_name", None)
        if name is not None:
            report("shutdown", server=name)
        return orig_shutdown(self, c)

    managers.Server.shutdown = shutdown
    _patch_proxies(managers)


def _maker(orig, kind, announce):
    def make(self, *args, **kwargs):
        proxy = orig(self, *args, **kwargs)
        if L._link is not None and _from_program():
            name = _name_for(kind)
            proxy._lockstep_name = name
            _PROXIES[proxy._token.id] = name
            announce(proxy, name)
        return proxy
    return make


def _patch_proxies(managers):
    sync = managers.SyncManager

    def dict_entries(proxy, name):
        for k, v in proxy.items():
            _announce("%s[%r]" % (name, k), v)

    def list_items(proxy, name):
        for k, v in enumerate(proxy[:]):
            _announce("%s[%r]" % (name, k), v)

    def value_of(proxy, name):
        _announce(name + ".value", proxy.get())

    sync.dict = _maker(sync.dict, "dict", dict_entries)
    sync.list = _maker(sync.list, "list", list_items)
    sync.Value = _maker(sync.Value, "value", value_of)
    d, lp, vp = managers.DictProxy, managers.ListProxy, managers.ValueProxy
    d.__getitem__ = _accessor(d.__getitem__, "read", _entry)
    d.get = _accessor(d.get, "read", _entry)
    d.__setitem__ = _accessor(d.__setitem__, "write", _entry)
    lp.__getitem__ = _accessor(lp.__getitem__, "read", _entry)
    lp.__setitem__ = _accessor(lp.__setitem__, "write", _entry)
    lp.append = _accessor(lp.append, "append", lambda name, args: name)
    value = lambda name, args: name + ".value"
    vp.get = _accessor(vp.get, "read", value)
    vp.set = _accessor(vp.set, "write", value)
    vp.value = property(vp.get, vp.set)
    orig_reduce = managers.BaseProxy.__reduce__

    def __reduce__(self):
        rv = orig_reduce(self)
        name = _proxy_name(self)
        return rv if name is None else (_rebuild_proxy, (rv[0], rv[1], name))

    managers.BaseProxy.__reduce__ = __reduce__


def _rebuild_proxy(func, args, name):
    proxy = func(*args)
    proxy._lockstep_name = name
    return proxy


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
            lock = L._made(L.RLock(ctx=ctx), "rlock", name, 1)
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
