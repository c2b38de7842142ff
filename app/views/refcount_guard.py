"""Guard against PySide6 6.12 dropping a reference to None on Python < 3.12.

Measured here (PySide6 6.12.0, CPython 3.11.7): every call of a C++ method returning
``void`` (``QTextBlockFormat.setTopMargin``, ``QFont.setBold``, ``QObject.setObjectName``…)
returns ``None`` without a new reference, so None's reference count falls by one per
call. It starts near 5,000 in a bare interpreter; building a printed document makes tens
of thousands of such calls, and the process then aborts with "Fatal Python error:
none_dealloc". Python 3.12 made None immortal, which is why the bindings get away with
it there. ``keep_none_alive`` detects the fault and, only if present, gives None a
reference count no run can use up.
"""

from __future__ import annotations

import sys

_done = False


def leaks_none() -> bool:
    """True when calling a void PySide6 method lowers None's reference count."""
    from PySide6.QtCore import QSize

    size = QSize()
    before = sys.getrefcount(None)
    for _ in range(20):
        size.setWidth(1)
    return sys.getrefcount(None) < before - 10


def keep_none_alive() -> bool:
    """Apply the guard if needed (idempotent); returns whether it was applied."""
    global _done
    if _done or sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return _done
    if not leaks_none():
        return False
    import ctypes

    # ob_refcnt is the first field of every PyObject; id() is its address in CPython
    refcnt = ctypes.c_ssize_t.from_address(id(None))
    refcnt.value += 1 << 40
    _done = True
    return True
