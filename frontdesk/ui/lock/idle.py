"""How long the desk has gone without anyone touching it.

``IdleWatcher`` is told of every key press and mouse movement (``touch()``, from the desk
lock's application-wide event filter) and checks every few seconds whether the clinic's number
of idle minutes has passed since the last one. Its clock is ``time.monotonic`` unless a test
hands it another, so a test moves time on instead of waiting minutes; a change of the computer's
wall clock (daylight saving, a corrected time) neither locks early nor never.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from frontdesk.accounts.service import LOCK_MINUTES_DEFAULT

CHECK_MS = 5_000  # a desk locks at most this much later than its idle minutes say


class IdleWatcher(QObject):
    """Emits ``idle`` once when ``minutes`` pass without a ``touch()``; ``touch()`` again (or
    ``resume()`` after a lock) starts a new wait.

    Signals:
        idle(): nobody used the desk for the clinic's idle minutes.
    """

    idle = Signal()

    def __init__(
        self,
        minutes: int = LOCK_MINUTES_DEFAULT,
        *,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.clock = clock
        self.minutes = minutes
        self._last = clock()
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def set_minutes(self, minutes: int) -> None:
        """The clinic's setting (read at start and whenever Settings saves it)."""
        self.minutes = minutes

    def touch(self) -> None:
        """Someone pressed a key or moved the mouse just now."""
        self._last = self.clock()

    def idle_seconds(self) -> float:
        return self.clock() - self._last

    @Slot()
    def check(self) -> bool:
        """Emit ``idle`` (and stop checking) if the idle minutes have passed; True if so."""
        if not self.timer.isActive() or self.idle_seconds() < self.minutes * 60:
            return False
        self.timer.stop()
        self.idle.emit()
        return True

    def pause(self) -> None:
        """Stop counting (the desk is locked: nothing to lock again)."""
        self.timer.stop()

    def resume(self) -> None:
        """Count again from now (the desk was just unlocked)."""
        self.touch()
        self.timer.start()
