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
import threading

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QWidget

from frontdesk.db.changes import ChangeWatcher
from frontdesk.db.engine import Database
from frontdesk.ui.worker import run_query

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


class _Starting:
    """The watcher being connected on a worker, and whether it is still wanted: a window that
    closes before the connection is made must not leave it open (``stop`` and the worker may
    meet in either order, so they settle it under a lock)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._watcher: ChangeWatcher | None = None
        self._stopped = False

    def connect(self, db: Database) -> ChangeWatcher | None:  # on the worker
        watcher = ChangeWatcher(db)
        with self._lock:
            if not self._stopped:
                self._watcher = watcher
                return watcher
        watcher.close()
        return None

    @property
    def stopped(self) -> bool:
        return self._stopped

    def stop(self) -> ChangeWatcher | None:
        with self._lock:
            self._stopped = True
            watcher, self._watcher = self._watcher, None
        return watcher


class LiveUpdates(QObject):
    """Polls for other desks' changes and tells the open views under ``root``.

    The watcher connects on a worker (a server that does not answer must not hold up the
    window); once it listens the views are told once, so a change another desk committed
    while it connected is not missed. From then on the timer polls it.

    Signals:
        changed(): another desk committed a change (emitted before the views are told).
    """

    changed = Signal()

    def __init__(self, db: Database, root: QWidget, *, interval_ms: int = POLL_MS) -> None:
        super().__init__(root)
        self._root = root
        self._watcher: ChangeWatcher | None = None
        self._starting = _Starting()
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)
        starting = self._starting
        run_query(self, lambda: starting.connect(db), self._listening, self._off, busy=False)

    def _listening(self, watcher: ChangeWatcher | None) -> None:
        if watcher is None or self._starting.stopped:  # stopped meanwhile (and closed)
            return
        self._watcher = watcher
        self.timer.start()
        notify_views(self._root)

    def _off(self, exc: Exception) -> None:
        # The app works without live views; the pages still load on show.
        log.error("Live updates are off: the change watcher could not start", exc_info=exc)

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
        self._watcher = None
        watcher = self._starting.stop()
        if watcher is not None:
            try:
                watcher.close()
            except Exception:
                log.debug("Closing the change watcher failed", exc_info=True)
