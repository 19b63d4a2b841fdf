"""Waiting, in GUI tests, for the answers of service calls the UI made on a worker."""

from __future__ import annotations

import time

from PySide6.QtTest import QTest

from frontdesk.ui import worker


def wait_for_answers(timeout_ms: int = 15_000) -> None:
    """Until every service call the UI started has answered and the answer is shown (a call
    started by an answer, such as the reload after a move, is waited for too)."""
    deadline = time.monotonic() + timeout_ms / 1000
    while worker.pending():
        if time.monotonic() > deadline:
            raise AssertionError(f"{worker.pending()} service calls still unanswered")
        QTest.qWait(5)
