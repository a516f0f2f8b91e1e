# What a `Pool` gives the program back (see `_lockstep_pool`): an
# `AsyncResult`, and the iterator of `imap` and `imap_unordered`.

from _lockstep import gate
from _lockstep import _called_from_program as _from_program


# --- results --------------------------------------------------------------------------

class AsyncResult:
    """What `apply_async` and `map_async` return: `get`, `wait`, `ready`,
    `successful`. Its name in the model is the program's (`res`); a map's
    chunks are events of their own (`ret[0]`, `ret[4:8]`)."""

    def __init__(self, pool, name, events, callback, error_callback, whole):
        self._pool = pool
        self._lockstep_name = name
        self._events = events
        self._left = set(range(len(events)))
        self._order = []  # the parts in the order they arrived
        self._parts = [None] * len(events)
        self._callback = callback
        self._error_callback = error_callback
        self._whole = whole

    def ready(self):
        self._pool._drain()
        return not self._left

    def successful(self):
        if not self.ready():
            raise ValueError("%r not ready" % self)
        return all(ok for part in self._parts for ok, _ in part)

    def wait(self, timeout=None):
        if _from_program():
            gate("wait", self._lockstep_name)
        self._pool._await(self, timeout)

    def get(self, timeout=None):
        if _from_program():
            gate("get", self._lockstep_name)
        self._pool._await(self, timeout)
        if self._left:
            import multiprocessing
            raise multiprocessing.TimeoutError
        return self._value()

    def _value(self):
        values = []
        for part in self._parts:
            for ok, value in part:
                if not ok:
                    raise value
                values.append(value)
        return values if self._whole else values[0]

    def _arrived(self, k, part):
        self._parts[k] = part
        self._left.discard(k)
        self._order.append(k)
        if self._left:
            return None
        try:
            value = self._value()
        except Exception as e:
            return (self._error_callback, e) if self._error_callback else None
        return (self._callback, value) if self._callback else None


class _Yielded:
    """What `imap` and `imap_unordered` return: each result as it comes.
    Each chunk is waited for at a gate of its own (`get` of `ret[2]` in
    order; `next` of `ret`, whichever is in first, unordered), so the
    schedule decides when each task returns and what the loop sees."""

    def __init__(self, pool, result, ordered):
        self._pool, self._result, self._ordered = pool, result, ordered
        self._taken, self._values = [], []

    def __iter__(self):
        return self

    def __next__(self):
        if not self._values:
            self._values = self._chunk()
        ok, value = self._values.pop(0)
        if not ok:
            raise value
        return value

    def _chunk(self):
        r, pool = self._result, self._pool
        left = [k for k in range(len(r._events)) if k not in self._taken]
        if not left:
            raise StopIteration
        if self._ordered:
            left = left[:1]
        if _from_program(3):
            gate(*(("get", r._events[left[0]]) if self._ordered else ("next", r._lockstep_name)))
        if not any(k not in r._left for k in left):
            pool._drain([(r, k) for k in left])
        pool._callbacks()
        k = next(k for k in r._order if k in left)
        self._taken.append(k)
        return list(r._parts[k])
