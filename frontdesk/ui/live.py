"""Views that stay current while other desks work: a timer asks the change watcher.

About once a second ``LiveUpdates`` asks ``ChangeWatcher.poll()`` (``db/changes.py``, which never
waits: SQLite's ``data_version`` or PostgreSQL's queued ``NOTIFY``s) whether another desk
committed something. If so, every widget under the window that has a ``database_changed()``
method is told: the calendar, the patients list and hub, My day, open charts, an open booking
dialog. Each reloads in its own way, off the GUI thread, keeping what the user had selected,
the scroll position and anything half-typed.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QWidget

from frontdesk.db.changes import ChangeWatcher
from frontdesk.db.engine import Database

POLL_MS = 1_000
log = logging.getLogger("frontdesk")


def notify_views(root: QWidget) -> int:
    """Call ``database_changed()`` on ``root`` and every widget under it that has one."""
    told = 0
    for widget in [root, *root.findChildren(QWidget)]:
        handler = getattr(widget, "database_changed", None)
        if callable(handler):
            handler()
            told += 1
    return told


class LiveUpdates(QObject):
    """Polls for other desks' changes and tells the open views under ``root``.

    Signals:
        changed(): another desk committed a change (emitted before the views are told).
    """

    changed = Signal()

    def __init__(self, db: Database, root: QWidget, *, interval_ms: int = POLL_MS) -> None:
        super().__init__(root)
        self._root = root
        self._watcher: ChangeWatcher | None = None
        try:
            self._watcher = ChangeWatcher(db)
        except Exception:  # the app works without live views; the pages still load on show
            log.exception("Live updates are off: the change watcher could not start")
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)
        if self._watcher is not None:
            self.timer.start()

    @property
    def active(self) -> bool:
        return self._watcher is not None

    @Slot()
    def poll(self) -> bool:
        """Tell the views if something changed since the last poll; True if it did."""
        if self._watcher is None:
            return False
        try:
            changed = self._watcher.poll()
        except Exception:  # a dropped connection: try again next tick, never a dialog a second
            log.warning("Checking for other desks' changes failed", exc_info=True)
            return False
        if changed:
            self.changed.emit()
            notify_views(self._root)
        return changed

    def stop(self) -> None:
        self.timer.stop()
        if self._watcher is not None:
            try:
                self._watcher.close()
            except Exception:
                log.debug("Closing the change watcher failed", exc_info=True)
            self._watcher = None
