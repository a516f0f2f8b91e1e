# lockstep's gated events, barriers and conditions. Made by the context's
# constructors in `_lockstep_ipc`; the gate, the reports and the names are
# `_lockstep`'s.

import sys

import _lockstep as L
from _lockstep import _block, _name_for, gate, report
from _lockstep import _called_from_program as _from_program
from _lockstep_ipc import _gated, _item, _keep_name, _public


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
                if timeout is None:
                    # A timed wait (free runs only) ends by itself: it is
                    # not said to wait, so it is no part of a deadlock.
                    report("event_waiting", event=name)
                got = _block(lambda t: base.wait(self, t), timeout)
            # Under a schedule a timed wait gives up at once.
            report("event_woke", event=name, set=bool(got))
            return got

    return _public(Event, "Event")


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
