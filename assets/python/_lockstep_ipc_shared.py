# lockstep's gated shared data: an `Array`'s items, and a Manager's dict,
# list and Value, each entry a value in the model. Made by the context's
# constructors in `_lockstep_ipc`; the gate, the reports and the names are
# `_lockstep`'s.

import _lockstep as L
import _lockstep_ipc
import _lockstep_locks
from _lockstep import _name_for, gate, report
from _lockstep import _called_from_program as _from_program
from _lockstep_ipc import _gated, _public

# A Manager proxy's Python name by its object's id on the server.
_PROXIES = {}
# Shared values (Manager dict entries, list items) this process has
# announced to the model.
_SEEN = set()


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
    a.__class__ = _lockstep_ipc.SharedArray  # made by _array_class
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
            lock = L._made(_lockstep_locks.RLock(ctx=ctx), "rlock", name + ".get_lock()", 1)
        raw = sharedctypes.RawArray(typecode_or_type, size_or_initializer)
        obj = sharedctypes.synchronized(raw, lock, ctx=ctx)
        if type(obj) is sharedctypes.SynchronizedArray:
            obj.__class__ = array_cls
            obj._lockstep_name = name
            for k, v in enumerate(raw[:100]):
                _announce("%s[%d]" % (name, k), v)
        return obj
    return Array


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
        elif op == "append" and type(args[-1]) is int:
            # The new item is a shared value from now on: `items[2]`.
            _announce("%s[%d]" % (name, len(self) - 1), args[-1])
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
