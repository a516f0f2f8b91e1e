# A `Pool` worker's life (see `_lockstep_pool`): it takes each task at a
# gate, runs each call between a `call` and a `return` gate, and sends the
# results back through the pool's pipe.

import sys

import _lockstep as L
from _lockstep import _block, gate, report

_STOP = None


def _text(func, args):
    """A call as the model shows it: `f1(3)`."""
    if isinstance(func, _Call):
        func = func.func
    name = getattr(func, "__name__", "task")
    shown = ", ".join(repr(a) for a in args)
    if len(shown) > 40:
        shown = shown[:39] + "…"
    return "%s(%s)" % (name, shown)


def _item(text):
    return {"text": {"en": text}}


# --- the worker ---------------------------------------------------------------

def _worker(pool, site, inq, outq, rlock, wlock, initializer, initargs,
            maxtasks=None, index=0):
    """A pool worker's life: take a task (its gate is at the line that made
    the pool), run each call, send the results; with `maxtasksperchild`,
    leave after that many tasks (the pool starts another)."""
    if initializer is not None:
        initializer(*initargs)
    done = 0
    while maxtasks is None or done < maxtasks:
        done += 1
        task = _take(pool, site, inq, rlock)
        if task is _STOP:
            return
        job, event, _, func, calls, star = task
        results = []
        for args in calls:
            results.append(_run(func, args if star else (args,)))
        if L._link is not None:
            # Reported first, so the waiter cannot report waking before.
            report("event_set", event=event)
        _send(outq, wlock, (job, results))
    if L._link is not None:
        report("event_set", event=_left(pool))
    _send(outq, wlock, (None, index))


def _left(pool):
    """The event a worker that leaves (`maxtasksperchild`) sets: the pool
    waits on it too, and starts another worker."""
    return pool + " (a worker left)"


def _take(pool, site, inq, rlock):
    """The next task: a gate, then the turn the schedule gives."""
    gate("get", pool, site)
    link = L._link
    if link is not None and not link.free:
        report("get_queued", queue=pool)
        link.wait_for("your_turn")
    elif link is not None:
        report("queue_waiting", queue=pool)
    box = []

    def attempt(t):
        if not rlock.acquire(True, t):
            return False
        try:
            if inq.poll(t):
                box.append(inq.recv())
                return True
            return False
        finally:
            rlock.release()

    _block(attempt)
    task = box[0]
    shown = "None" if task is _STOP else task[2]
    report("queue_got", queue=pool, item=_item(shown))
    return task


def _run(func, args):
    """One call, between gates at the function's first line and at the
    line it returned from."""
    text = _text(func, args)
    code = getattr(func.func if isinstance(func, _Call) else func, "__code__", None)
    where = L._where(code.co_filename, code.co_firstlineno) if code else ("<pool>", 0)
    gate("call", text, where)
    last = [where[1]]

    def profile(frame, event, arg):
        if event == "return" and frame.f_code is code:
            last[0] = frame.f_lineno

    if code is not None:
        sys.setprofile(profile)
    try:
        got = (True, func(*args))
    except Exception as e:
        got = (False, _with_traceback(e))
    finally:
        sys.setprofile(None)
    gate("return", text, (where[0], last[0]))
    return got


def _with_traceback(e):
    """The exception as CPython's worker sends it: raised again in the
    parent with the worker's traceback as its `__cause__` (a
    `RemoteTraceback`), from the task's function down (not the shim's frame)."""
    from multiprocessing.pool import ExceptionWithTraceback
    tb = e.__traceback__
    return ExceptionWithTraceback(e, tb.tb_next if tb is not None else None)


def _send(outq, wlock, message):
    from multiprocessing.reduction import ForkingPickler
    try:
        data = ForkingPickler.dumps(message)
    except Exception as e:
        job, results = message
        error = RuntimeError("the result could not be pickled: %r" % (e,))
        data = ForkingPickler.dumps((job, [(False, error)] * len(results)))
    with wlock:
        outq.send_bytes(data)


def _widen(conn):
    """Results wait in their pipe until the main process waits for one:
    give it room for 1 MiB of them (Linux's limit for anyone), not 64 KiB."""
    try:
        import fcntl
        fcntl.fcntl(conn.fileno(), getattr(fcntl, "F_SETPIPE_SZ", 1031), 1 << 20)
    except OSError:
        pass


class _Call:
    """A call with keyword arguments, picklable like the function it wraps."""

    def __init__(self, func, kwds):
        self.func, self.kwds = func, dict(kwds)

    def __call__(self, *args):
        return self.func(*args, **self.kwds)
