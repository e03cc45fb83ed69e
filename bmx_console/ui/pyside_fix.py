"""A guard against a reference-counting bug in PySide6 6.12.0 on Python 3.11.

In that release, calls from Python into Qt drop a reference they never took: every
``Signal.emit()`` to ``True``, every call returning nothing (``setText``…) and every empty
QVariant converted back (``index.data(role)``, ``QSettings.value(missing)``) to ``None``.
Python 3.12 made these singletons immortal, so nothing happens there; on 3.11 their counts
run down as the console works, and when one reaches zero the interpreter aborts with
"deallocating None" — after a few thousand calls in a short session, or hours into a shift.

Until the binding is fixed, the three singletons get a reference count no session can
spend, which is what 3.12 does for them anyway.
"""

from __future__ import annotations

import ctypes
import sys

_HEADROOM = 1 << 40


def immortalize_singletons() -> None:
    """Give None, True and False a reference count that cannot run out (CPython < 3.12)."""
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return
    if hasattr(sys, "gettotalrefcount"):
        return  # a debug build lays objects out differently; leave it alone
    for singleton in (None, True, False):
        # ob_refcnt is the first field of every object in a release build of CPython 3.11.
        refcount = ctypes.c_ssize_t.from_address(id(singleton))
        if refcount.value < _HEADROOM:
            refcount.value += _HEADROOM
