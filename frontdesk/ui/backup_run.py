"""The one backup the app makes at a time, on a worker.

A backup copies and checks the whole database file, which can take a while on a large clinic
or a slow drive: it never runs on the GUI thread. The daily backup at the first start of a day
and "Back up now" share this one slot, so two backups never write to the backup folder at once
(the second is refused while the first runs). ``started`` and ``ended`` let every view that
shows the backup state (the Backups tab's button, the status bar's age) follow it, whoever
started it. Quitting waits for a running backup (``wait``) rather than cutting it off.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication

from frontdesk.ui.worker import Job, run_query

T = TypeVar("T")


class BackupRun(QObject):
    """At most one backup job; ``start`` refuses (None) while one runs."""

    started = Signal()
    ended = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.job: Job[Any] | None = None

    @property
    def running(self) -> bool:
        job = self.job
        return job is not None and not job.done and not job.cancelled

    def start(
        self,
        owner: QObject,
        fn: Callable[[], T],
        on_done: Callable[[T], None],
        on_failed: Callable[[Exception], None],
    ) -> Job[T] | None:
        """Run ``fn`` (a backup service call on plain values) on a worker, then ``on_done`` or
        ``on_failed`` on the GUI thread if ``owner`` is still there; None while a backup runs."""
        if self.running:
            return None

        def done(result: T) -> None:
            self.job = None
            self.ended.emit()
            if shiboken6.isValid(owner):
                on_done(result)

        def failed(exc: Exception) -> None:
            self.job = None
            self.ended.emit()
            if shiboken6.isValid(owner):
                on_failed(exc)

        # Owned by this slot, not by the widget that asked: the slot must hear the end even
        # when that widget went meanwhile (a user switch retires the Settings page).
        job = run_query(self, fn, done, failed)
        self.job = job
        self.started.emit()
        return job

    def wait(self) -> None:
        """Let a running backup finish and hand over its answer now (the app is quitting)."""
        job = self.job
        if job is None:
            return
        while not job.done and not job.cancelled and not job.wait():
            pass  # a slow drive: keep waiting, a half-written backup is worth nothing


_run: BackupRun | None = None


def backup_run() -> BackupRun:
    """The app's one backup slot."""
    global _run
    if _run is None or not shiboken6.isValid(_run):
        _run = BackupRun(QApplication.instance())
    return _run
