"""Service calls off the GUI thread, their answers back on it (like Anki's ``QueryOp``).

A database that is slow or locked by another workstation must never freeze the window:
``run_query(owner, fn, on_done, on_failed)`` runs ``fn`` on a worker thread and calls
``on_done(result)`` or ``on_failed(error)`` on the GUI thread. ``fn`` is a service call
(``lambda: search_patients(ctx.db, text)``): services open their own session per call and
return frozen DTOs, so nothing of SQLAlchemy crosses threads.

- After ``BUSY_AFTER_MS`` without an answer the mouse pointer shows that the app is working.
- An answer nobody wants any more is dropped: the job was ``cancel()``-ed (a ``Latest`` slot
  cancels its previous job when a new one starts, e.g. a search superseded by more typing), or
  the owner widget was deleted meanwhile.
- ``Job.wait()`` lets a caller that must know the outcome now (closing a window) take it.

A widget must never be deleted on a worker thread. So a job lets go of its callbacks (and the
widgets they hold) on the GUI thread when its answer is delivered, its relay is deleted there
too, and the job is kept (``_bury``) until its worker has surely let go of it, so its last
reference never drops on a worker. ``fn`` should capture plain values (the database, ids,
dates), not widgets.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import (
    QEventLoop,
    QObject,
    QRunnable,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtWidgets import QApplication

T = TypeVar("T")
BUSY_AFTER_MS = 150
log = logging.getLogger("frontdesk")

_pool: QThreadPool | None = None
_jobs: set[Job[Any]] = set()  # keeps each job (and its relay) alive until it is delivered
_busy_count = 0
# Delivered jobs, kept until their worker has surely let go of them (see ``_bury``).
_graves: list[Job[Any]] = []


def pool() -> QThreadPool:
    """The app's pool for database calls (a few threads: a clinic desk is not a server)."""
    global _pool
    if _pool is None:
        _pool = QThreadPool()
        _pool.setMaxThreadCount(4)
        _pool.setExpiryTimeout(30_000)
    return _pool


def wait_for_all(timeout_ms: int = 30_000) -> bool:
    """Let running calls finish (on quitting, and in tests before a database is removed)."""
    return _pool.waitForDone(timeout_ms) if _pool is not None else True


def drop_all(timeout_ms: int = 30_000) -> bool:
    """Drop every answer still to come and let the calls end (a window closing, a test ending)."""
    for job in list(_jobs):
        job.cancel()
    return wait_for_all(timeout_ms)


def pending() -> int:
    """How many jobs have not delivered their answer yet."""
    return len(_jobs)


def settle(timeout_ms: int = 30_000) -> bool:
    """Handle events until every job has delivered its answer (and the jobs those answers
    started); False on timeout. For unattended runs (``--screenshots``), never for a click."""
    deadline = time.monotonic() + timeout_ms / 1000
    while _jobs:
        if time.monotonic() > deadline:
            return False
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
        if _jobs:
            time.sleep(0.002)
    return True


def _busy(on: bool) -> None:
    global _busy_count
    if on:
        _busy_count += 1
        if _busy_count == 1:
            QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
    elif _busy_count > 0:
        _busy_count -= 1
        if _busy_count == 0:
            QApplication.restoreOverrideCursor()


class _Relay(QObject):
    """Lives on the GUI thread; the worker's emit is queued to its slot there. It is deleted
    there too, once the answer is delivered (``Job._forget``): a child of the application, so
    the job's wrapper dying on a worker thread never deletes it there."""

    finished = Signal()

    def __init__(self, job: Job[Any]) -> None:
        super().__init__(QApplication.instance())
        self._job: Job[Any] | None = job
        self.finished.connect(self.deliver, Qt.ConnectionType.QueuedConnection)

    @Slot()
    def deliver(self) -> None:
        if self._job is not None:
            self._job._deliver()


class _Runnable(QRunnable):
    def __init__(self, job: Job[Any]) -> None:
        super().__init__()
        self._job: Job[Any] | None = job

    def run(self) -> None:
        job, self._job = self._job, None
        if job is not None:
            job._run()
            job._let_go = True  # the worker's last touch; its reference ends with this call


def _bury(job: Job[Any] | None = None) -> None:
    """Keep delivered jobs until their worker has let go, then drop them here, on the GUI
    thread: a job seen let go at one sweep is dropped at the next."""
    global _graves
    kept = []
    for grave in _graves:
        if grave._let_go_seen:
            continue
        grave._let_go_seen = grave._let_go
        kept.append(grave)
    if job is not None:
        kept.append(job)
    _graves = kept


class Job(Generic[T]):
    """One call on the pool; its answer is delivered once, on the GUI thread."""

    def __init__(
        self,
        owner: QObject | None,
        fn: Callable[[], T],
        on_done: Callable[[T], None],
        on_failed: Callable[[Exception], None] | None,
        busy: bool,
    ) -> None:
        self._owner = owner
        self._fn = fn
        self._on_done = on_done
        self._on_failed = on_failed
        self._result: T | None = None
        self._error: Exception | None = None
        self._finished = threading.Event()
        self._signalled = threading.Event()  # the worker's last touch of the relay is over
        self._delivered = False
        self._let_go = False  # the worker is done with the job (``_bury``)
        self._let_go_seen = False
        self.cancelled = False
        self._relay = _Relay(self)
        self._busy_on = False
        self._busy_timer: QTimer | None = None
        if busy:
            self._busy_timer = QTimer(self._relay)
            self._busy_timer.setSingleShot(True)
            self._busy_timer.timeout.connect(self._show_busy)
            self._busy_timer.start(BUSY_AFTER_MS)

    def _run(self) -> None:  # on the worker thread
        try:
            if not self.cancelled:
                self._result = self._fn()
        except Exception as exc:  # handed to on_failed on the GUI thread
            self._error = exc
        finally:
            self._finished.set()
            # The application may have closed while the call ran: then nobody waits for it.
            with contextlib.suppress(RuntimeError):
                self._relay.finished.emit()
            self._signalled.set()

    @property
    def done(self) -> bool:
        """The answer was handed over (or dropped)."""
        return self._delivered

    def cancel(self) -> None:
        """Drop the answer when it comes (the call itself runs to its end)."""
        self.cancelled = True
        self._stop_busy()

    def wait(self, timeout_ms: int = 60_000) -> bool:
        """Block until the call finished and deliver its answer now; False on timeout.

        Waits until the worker is done signalling too, not only until the answer is there: a
        caller that quits the app right after must not leave a worker emitting on a relay
        that is being torn down (a crash at the end of the process)."""
        if not self._signalled.wait(timeout_ms / 1000):
            return False
        self._deliver()
        return True

    def _show_busy(self) -> None:
        if not self._delivered and not self.cancelled and not self._busy_on:
            self._busy_on = True
            _busy(True)

    def _stop_busy(self) -> None:
        if self._busy_timer is not None:
            self._busy_timer.stop()
        if self._busy_on:
            self._busy_on = False
            _busy(False)

    def _deliver(self) -> None:
        if self._delivered or not self._finished.is_set():
            return
        self._delivered = True
        self._stop_busy()
        _jobs.discard(self)
        _bury(self)
        owner_gone = self._owner is not None and not shiboken6.isValid(self._owner)
        on_done, on_failed, result, error = (
            self._on_done,
            self._on_failed,
            self._result,
            self._error,
        )
        self._forget()
        if self.cancelled or owner_gone:
            return
        if error is None:
            on_done(result)  # type: ignore[arg-type]
        elif on_failed is not None:
            on_failed(error)
        else:
            raise error

    def _forget(self) -> None:
        """Let go of the callbacks (and the widgets they hold) and of the relay, here on the
        GUI thread, rather than leave a cycle for a collection on some other thread."""
        self._fn = _nothing
        self._on_done = _ignore
        self._on_failed = None
        self._result = None
        self._error = None
        self._owner = None
        self._busy_timer = None
        self._relay._job = None
        self._relay.deleteLater()  # with its timer, here: never by a worker dropping the job


def _nothing() -> Any:
    return None


def _ignore(_result: Any) -> None:
    return None


def run_query(
    owner: QObject | None,
    fn: Callable[[], T],
    on_done: Callable[[T], None],
    on_failed: Callable[[Exception], None] | None = None,
    *,
    busy: bool = True,
) -> Job[T]:
    """Run ``fn`` on a worker; ``on_done``/``on_failed`` follow on the GUI thread.

    The answer is dropped if ``owner`` was deleted meanwhile. ``on_failed`` receives any
    exception ``fn`` raised (a ``FrontdeskError`` carries the message for the user); without
    it the exception is raised on the GUI thread like any slot's.
    """
    job: Job[T] = Job(owner, fn, on_done, on_failed, busy)
    _jobs.add(job)
    pool().start(_Runnable(job))
    return job


class Latest:
    """At most one wanted job: starting a new one drops the answer of the one before."""

    def __init__(self) -> None:
        self.job: Job[Any] | None = None

    def run(
        self,
        owner: QObject | None,
        fn: Callable[[], T],
        on_done: Callable[[T], None],
        on_failed: Callable[[Exception], None] | None = None,
        *,
        busy: bool = True,
    ) -> Job[T]:
        self.cancel()
        job = run_query(owner, fn, on_done, on_failed, busy=busy)
        self.job = job
        return job

    def cancel(self) -> None:
        if self.job is not None and not self.job.done:
            self.job.cancel()
        self.job = None

    @property
    def running(self) -> bool:
        return self.job is not None and not self.job.done
