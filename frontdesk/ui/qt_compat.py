"""A guard against a PySide6 6.12.0 bug that aborts the app on Python 3.11.

PySide6 6.12.0 hands back ``None`` from every method that returns nothing (``setPen``,
``setText``, ``update``…) without taking a reference to it. On Python 3.12 and later ``None``
is immortal and nothing happens; on 3.11 each such call lowers ``None``'s reference count by
one, and after a few thousand calls (one repaint of a busy calendar makes hundreds) Python
stops with "Fatal Python error: none_dealloc". PySide6 6.11.3 does not have the bug.

The guard measures whether one such call loses a reference and, only then, gives ``None`` a
reference count so large that no session can use it up. ``None`` is never freed anyway, so
this changes nothing else. Remove it once the project requires Python 3.12 or a fixed PySide6.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtGui import QColor

_HEADROOM = 1 << 40  # references: far more void calls than any session can make
_guarded = False


def none_refcount_leaks() -> bool:
    """True when a void Qt call takes a reference from ``None`` (the 6.12.0 bug)."""
    colour = QColor()
    before = sys.getrefcount(None)
    for _ in range(8):
        colour.setAlpha(1)
    return sys.getrefcount(None) < before - 4


def guard_none_refcount() -> bool:
    """Apply the guard if this interpreter needs it; True when it was applied (once)."""
    global _guarded
    if _guarded or sys.version_info >= (3, 12) or not none_refcount_leaks():
        return _guarded
    ctypes.c_ssize_t.from_address(id(None)).value += _HEADROOM
    _guarded = True
    return True
