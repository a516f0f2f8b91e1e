# lockstep's start-up hook: every Python process of a lockstep run imports
# this first (its folder leads PYTHONPATH) and hands over to the shim.
import os

if os.environ.get("LOCKSTEP_SOCKET"):
    import _lockstep

    _lockstep.install()
