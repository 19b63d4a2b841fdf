"""The Qt binding the app runs on must not leak references to None.

PySide6 6.12.0 on Python 3.11 dropped a reference to ``None`` on every call returning nothing;
a day of calendar painting then aborted the whole app ("none_dealloc"). pyproject.toml keeps
that release out; this test fails at once if a binding with the same fault is installed.
"""

from __future__ import annotations

import sys

from PySide6.QtGui import QColor


def test_calls_returning_nothing_keep_none_alive() -> None:
    colour = QColor()
    before = sys.getrefcount(None)
    for _ in range(500):
        colour.setAlpha(1)
    assert before - sys.getrefcount(None) < 50
