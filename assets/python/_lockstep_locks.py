# lockstep's gated locks, semaphores and shared values (`Value`), and the
# context's constructors that make them. Loaded by `_lockstep.install()`;
# the gate, the reports and the names are its.

import _lockstep as L
from _lockstep import _block, _called_from_program, _made, _name_for, _switched_off, gate, report


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
        free = L._link is None or L._link.free
        if not free:
            report("queued", lock=name)
            L._link.wait_for("your_turn")
        if timeout is None or timeout < 0 or not free:
            # A timed acquire in a free run ends by itself: not a waiter.
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
