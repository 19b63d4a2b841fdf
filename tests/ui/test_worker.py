"""The worker runner: answers on the GUI thread, failures typed, unwanted answers dropped."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt, QThread
from PySide6.QtWidgets import QApplication, QWidget

from frontdesk.domain import DatabaseUnavailable
from frontdesk.ui import worker


def test_the_answer_comes_back_on_the_gui_thread(qtbot) -> None:
    seen: list[tuple[int, bool]] = []
    job = worker.run_query(
        None,
        lambda: threading.get_ident(),
        lambda ident: seen.append(
            (ident, QThread.currentThread() is QApplication.instance().thread())
        ),
    )
    qtbot.waitUntil(lambda: job.done)
    [(ident, on_gui)] = seen
    assert ident != threading.get_ident() and on_gui


def test_a_failure_reaches_on_failed_with_its_type(qtbot) -> None:
    def busy() -> None:
        raise DatabaseUnavailable("The clinic database is busy with another workstation.")

    failures: list[Exception] = []
    job = worker.run_query(None, busy, lambda _r: None, failures.append)
    qtbot.waitUntil(lambda: job.done)
    assert isinstance(failures[0], DatabaseUnavailable)


def test_answers_for_a_closed_widget_or_an_overtaken_call_are_dropped(qtbot) -> None:
    gate = threading.Event()
    got: list[str] = []
    widget = QWidget()
    closed_job = worker.run_query(widget, lambda: gate.wait(5) and "late", got.append)
    widget.deleteLater()
    qtbot.waitUntil(lambda: not worker.shiboken6.isValid(widget))
    latest = worker.Latest()
    first = latest.run(None, lambda: gate.wait(5) and "first", got.append)
    second = latest.run(None, lambda: "second", got.append)
    gate.set()
    qtbot.waitUntil(lambda: closed_job.done and first.done and second.done)
    assert got == ["second"]


def test_a_slow_call_shows_the_busy_pointer_and_restores_it(qtbot) -> None:
    gate = threading.Event()
    job = worker.run_query(None, lambda: gate.wait(5), lambda _r: None)
    qtbot.waitUntil(lambda: QApplication.overrideCursor() is not None, timeout=1000)
    assert QApplication.overrideCursor().shape() == Qt.CursorShape.BusyCursor
    gate.set()
    qtbot.waitUntil(lambda: job.done)
    assert QApplication.overrideCursor() is None


def test_wait_returns_only_once_the_worker_is_done_signalling(qtbot) -> None:
    """A window closing waits for a job and then may quit: the worker must be done with the
    job's relay by then, or it emits on an object being torn down (a crash at exit)."""
    release = threading.Event()
    job = worker.run_query(None, lambda: release.wait(5), lambda _answer: None, busy=False)
    real = job._relay
    signalling = {"over": False}

    class SlowRelay:  # stands in for the relay while the worker emits on it
        class finished:
            @staticmethod
            def emit() -> None:
                threading.Event().wait(0.3)
                signalling["over"] = True

        _job = None

        @staticmethod
        def deleteLater() -> None:
            real.deleteLater()

    job._relay = SlowRelay  # type: ignore[assignment]
    release.set()
    assert job.wait(5000)
    assert signalling["over"]
