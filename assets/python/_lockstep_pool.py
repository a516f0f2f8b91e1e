# lockstep's `Pool`: CPython's pool without its threads, so every step is
# the schedule's. Loaded by `_lockstep.install()`.
#
# CPython's Pool hands tasks to its workers and results back through three
# threads of the main process (which then block in the kernel unannounced,
# and run callbacks beside the main thread). Here the main thread does it
# all: `apply_async` writes the task to the workers' pipe at once, and the
# results are read when the program waits for one (`get`, `wait`, `apply`,
# `map`, `join`); a callback runs then, in the main thread of the main
# process. The workers are lanes: each waits for a task at a gate (`get`
# on the pool's task queue, so under a schedule the schedule picks who
# takes which task) and runs each call between a `call` and a `return`
# gate at the function's own lines. A result is an event in the model: its
# worker sets it at `return`, its `get` waits on it.
#
# The workers' side is `_lockstep_pool_worker`; what the program gets back
# (`AsyncResult`, an `imap`'s iterator) is `_lockstep_pool_results`.

import itertools
import os
import weakref

import _lockstep as L
import _lockstep_ipc_pipes
from _lockstep import _block, _name_for, gate, report
from _lockstep import _called_from_program as _from_program
from _lockstep_pool_results import AsyncResult, _Yielded
from _lockstep_pool_worker import _STOP, _Call, _item, _left, _text, _widen, _worker

# Every pool of this process, for the callbacks due after a sleep.
_POOLS = weakref.WeakSet()


# --- the pool ---------------------------------------------------------------------------

class Pool:
    """`Pool(processes, initializer, initargs)`: its workers are lanes of
    the run, named `pool[0]`, `pool[1]`… after the program's name."""

    def __init__(self, processes=None, initializer=None, initargs=(),
                 maxtasksperchild=None, context=None):
        import multiprocessing
        from multiprocessing import connection
        self._ctx = ctx = context or multiprocessing.get_context()
        if processes is None:
            processes = os.cpu_count() or 1
        if processes < 1:
            raise ValueError("Number of processes must be at least 1")
        if maxtasksperchild is not None and (
                not isinstance(maxtasksperchild, int) or maxtasksperchild <= 0):
            raise ValueError("maxtasksperchild must be a positive int or None")
        self._lockstep_name = name = _name_for("pool")
        site = L._site()
        gate("pool", name)
        report("created", object="queue", name=name, value=0)
        self._inq_r, self._inq_w = connection.Pipe(duplex=False)
        self._outq_r, self._outq_w = connection.Pipe(duplex=False)
        _widen(self._outq_w)
        self._rlock, self._wlock = ctx.Lock(), ctx.Lock()
        self._jobs, self._cache, self._ready = itertools.count(), {}, []
        self._running, self._pool, self._retired, self._made = True, [], [], 0
        self._leaves = bool(maxtasksperchild)
        if self._leaves:
            report("created", object="event", name=_left(name), value=0)
        _POOLS.add(self)
        self._args = (name, site, self._inq_r, self._outq_w, self._rlock, self._wlock,
                      initializer, initargs, maxtasksperchild)
        for _ in range(processes):
            self._start_worker()
        # Ended (terminated, or joined): nothing left for the end below.
        self._over = [False]
        from multiprocessing import util
        util.Finalize(self, _at_end, args=(name, self._pool, self._over), exitpriority=15)

    def _start_worker(self):
        k, self._made = self._made, self._made + 1
        w = self._ctx.Process(target=_worker, daemon=True, args=self._args + (k,))
        w.name = "PoolWorker-%d" % (k + 1)
        w._lockstep_name, w._lockstep_worker = "%s[%d]" % (self._lockstep_name, k), True
        w.start()
        self._pool.append(w)

    def _replace(self):
        """Workers left (`maxtasksperchild`): while tasks may still come or
        are out, start one for each, at a gate (`pool`) of their own, so
        the new lanes `pool[2]`… come when the schedule says."""
        if not self._retired or not (self._running or self._cache):
            return
        gate("pool", self._lockstep_name)
        self._read()
        for index in self._retired:
            old = next((w for w in self._pool if w._lockstep_name.endswith("[%d]" % index)), None)
            if old is not None:
                self._pool.remove(old)
                _join_workers([old])
            self._start_worker()
        self._retired = []
        report("event_cleared", event=_left(self._lockstep_name))

    def __reduce__(self):
        raise NotImplementedError("pool objects cannot be passed between processes or pickled")

    def __enter__(self):
        return self

    def __exit__(self, *args):
        if _from_program():
            gate("terminate", self._lockstep_name)
        self._terminate()

    def _check_running(self):
        if not self._running:
            raise ValueError("Pool not running")

    def _submit(self, func, chunks, star, name, callback, error_callback, whole):
        """Write each chunk as a task to the workers' pipe, at once."""
        from multiprocessing.reduction import ForkingPickler
        self._check_running()
        if self._leaves:
            self._drain()
        if whole:
            events = ["%s[%d]" % (name, a) if len(c) == 1 else "%s[%d:%d]" % (name, a, a + len(c))
                      for a, c in chunks]
        else:
            events = [name]
        result = AsyncResult(self, name, events, callback, error_callback, whole)
        for k, ((_, calls), event) in enumerate(zip(chunks, events)):
            job = next(self._jobs)
            self._cache[job] = (result, k)
            report("created", object="event", name=event, value=0)
            shown = " ".join(_text(func, a if star else (a,)) for a in calls[:2])
            if len(calls) > 2:
                shown += " … " + _text(func, calls[-1] if star else (calls[-1],))
            report("queue_put", queue=self._lockstep_name, item=_item(shown))
            task = (job, event, shown, func, calls, star)
            # A full pipe of tasks says so (`write_waiting` on the pool).
            _lockstep_ipc_pipes._write_message(self._inq_w, ForkingPickler.dumps(task), self._lockstep_name)
        if not chunks:
            result._left.clear()
        return result

    def _await(self, result, timeout=None):
        """Read results until `result` is complete, each wait announced."""
        for k in range(len(result._events)):
            if k in result._left and not self._drain([(result, k)], timeout):
                break
        self._callbacks()

    def _drain(self, parts=(), timeout=None):
        """Read what has arrived; with `parts` ((result, k): part k of a
        result), until one of them has, each announced as waited for (and,
        with `maxtasksperchild`, a worker leaving: another is started).
        False if `timeout` passed first."""
        while True:
            got = self._read(parts, timeout)
            self._replace()
            if not parts or not got or any(k not in r._left for r, k in parts):
                return got

    def _read(self, parts=(), timeout=None):
        """One wait of `_drain`: until a part of `parts` or a worker's
        leaving has arrived (or, without `parts`, what has)."""
        link = L._link
        left = [_left(self._lockstep_name)] if self._leaves else []
        arrived = lambda: any(k not in r._left for r, k in parts) or bool(self._retired)
        waiting = bool(parts) and not arrived()
        if waiting and link is not None:
            if timeout is not None and not link.free:
                # Under a schedule a timed wait gives up at once.
                return False
            # A worker's leaving first: if it is in already, the model knows
            # this process is waking before it hears of the parts' waits.
            for event in left + [r._events[k] for r, k in parts]:
                report("event_waiting", event=event)

        def attempt(t):
            from multiprocessing.reduction import ForkingPickler
            while self._outq_r.poll(t if waiting else 0):
                job, part = ForkingPickler.loads(self._outq_r.recv_bytes())
                if job is None:
                    self._retired.append(part)
                else:
                    owner, j = self._cache.pop(job)
                    due = owner._arrived(j, part)
                    if due:
                        self._ready.append(due)
                if waiting and arrived():
                    return True
                t = 0
            return not waiting

        got = _block(attempt, timeout if waiting else 0)
        if waiting and link is not None:
            for r, k in parts:
                report("event_woke", event=r._events[k], set=k not in r._left)
            for event in left:
                report("event_woke", event=event, set=bool(self._retired))
        return got

    def _callbacks(self):
        while self._ready:
            func, value = self._ready.pop(0)
            func(value)

    def apply_async(self, func, args=(), kwds={}, callback=None, error_callback=None):
        if _from_program():
            gate("apply_async", self._lockstep_name)
        return self._one(func, args, kwds, callback, error_callback)

    def _one(self, func, args, kwds, callback, error_callback):
        call = _Call(func, kwds) if kwds else func
        return self._submit(call, [(0, [tuple(args)])], True, _name_for("result"),
                            callback, error_callback, False)

    def apply(self, func, args=(), kwds={}):
        if _from_program():
            gate("apply", self._lockstep_name)
        result = self._one(func, args, kwds, None, None)
        self._await(result)
        return result._value()

    def _map(self, op, func, iterable, star, chunksize, callback=None, error_callback=None):
        if _from_program(3):
            gate(op, self._lockstep_name)
        items = list(iterable)
        if chunksize is None:
            chunksize, extra = divmod(len(items), len(self._pool) * 4)
            chunksize += 1 if extra else 0
        chunksize = max(1, chunksize)
        chunks = [(a, items[a:a + chunksize]) for a in range(0, len(items), chunksize)]
        return self._submit(func, chunks, star, _name_for("result"), callback,
                            error_callback, True)

    def map_async(self, func, iterable, chunksize=None, callback=None, error_callback=None):
        return self._map("map_async", func, iterable, False, chunksize, callback, error_callback)

    def starmap_async(self, func, iterable, chunksize=None, callback=None, error_callback=None):
        return self._map("starmap_async", func, iterable, True, chunksize, callback,
                         error_callback)

    def map(self, func, iterable, chunksize=None):
        result = self._map("map", func, iterable, False, chunksize)
        self._await(result)
        return result._value()

    def starmap(self, func, iterable, chunksize=None):
        result = self._map("starmap", func, iterable, True, chunksize)
        self._await(result)
        return result._value()

    def imap(self, func, iterable, chunksize=1):
        return _Yielded(self, self._map("imap", func, iterable, False, chunksize), True)

    def imap_unordered(self, func, iterable, chunksize=1):
        result = self._map("imap_unordered", func, iterable, False, chunksize)
        return _Yielded(self, result, False)

    def close(self):
        if _from_program():
            gate("close", self._lockstep_name)
        if self._running:
            self._running = False
            for _ in self._pool:
                report("queue_put", queue=self._lockstep_name, item=_item("None"))
                self._inq_w.send(_STOP)

    def terminate(self):
        if _from_program():
            gate("terminate", self._lockstep_name)
        self._terminate()

    def _terminate(self):
        self._running = False
        self._over[0] = True
        for w in self._pool:
            if w.exitcode is None:
                w.terminate()
        _join_workers(self._pool)

    def join(self):
        if _from_program():
            gate("join", self._lockstep_name)
        if self._running:
            raise ValueError("Pool is still running")
        for result, k in list(self._cache.values()):
            if k in result._left:
                self._drain([(result, k)])
        self._callbacks()
        self._over[0] = True
        _join_workers(self._pool)


def _join_workers(workers):
    for w in workers:
        if getattr(w, "_lockstep_number", None) is not None and L._JOIN[0]:
            L._JOIN[0](w, w._lockstep_number)
        else:
            w.join()


def _at_end(name, workers, over):
    """A pool neither terminated nor joined is terminated when it is
    collected or the process exits, before CPython ends its daemonic
    children (as CPython's pool's own finalizer does): at a gate, a
    `terminate` of the pool, so that when its workers die is a step."""
    if over[0] or L._link is None:
        return
    over[0] = True
    gate("terminate", name)
    for w in workers:
        if w.exitcode is None:
            w.terminate()
    _join_workers(workers)


def install():
    import multiprocessing
    from multiprocessing import context
    orig = context.BaseContext.Pool

    def make(self, processes=None, initializer=None, initargs=(), maxtasksperchild=None):
        if L._link is None or not _from_program():
            return orig(self, processes, initializer, initargs, maxtasksperchild)
        return Pool(processes, initializer, initargs, maxtasksperchild, self.get_context())

    context.BaseContext.Pool = make
    multiprocessing.Pool = context._default_context.Pool
    L._after_sleep.append(_callbacks_due)


def _callbacks_due():
    """The program slept: the results in by then have their callbacks run,
    as CPython's result thread would have run them meanwhile."""
    for pool in list(_POOLS):
        if pool._cache:
            pool._drain()
        pool._callbacks()
