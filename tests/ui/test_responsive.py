"""The window never waits on the database: another desk holds SQLite's write lock meanwhile.

A timer ticking every 10 ms records the longest gap between its ticks: that is how long the
GUI event loop was stalled. Typing a search, clicking through pages and pressing Book all
happen while another process keeps the write lock (``BEGIN IMMEDIATE``); the booking's
"busy" message arrives once the busy timeout has run out, and the window never froze. The same
holds for undo, archiving, the patient hub, calendar days and a course booking, on SQLite and
with a PostgreSQL desk keeping the tables locked (the throw-away server of tests/pg_server.py),
and with that whole server paused under the desk's open connections, when only Frontdesk's own
deadlines answer.
The GUI tests' guard (tests/ui/db_guard.py) checks the rest: no widget code calls the database
on the GUI thread at all.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel

from frontdesk.context import AppContext
from frontdesk.db import engine
from frontdesk.db.engine import SQLITE_BUSY_TIMEOUT_MS, Database
from frontdesk.domain import AppointmentStatus
from frontdesk.scheduling import get_appointment
from frontdesk.ui.booking import CourseWizard
from frontdesk.ui.booking.booking_dialog import BookingDialog
from frontdesk.ui.booking.common import FORM
from frontdesk.ui.calendar import CalendarPage
from frontdesk.ui.main_window import MainWindow
from frontdesk.ui.widgets.patients_page import PatientsPage
from tests.accounts_support import as_admin
from tests.pg_server import PgServer
from tests.ui.answers import wait_for_answers
from tests.ui.test_calendar import CLOCK, book
from tests.unit.test_scheduling_support import MONDAY, Clinic, local

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")
MAX_STALL_MS = 100


# Another workstation: its own process, holding SQLite's write lock until told to let go.
_OTHER_DESK = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.read()
conn.execute("ROLLBACK")
conn.close()
"""


@contextmanager
def another_desk_writing(path: Path) -> Iterator[None]:
    """Another process holds the database's write lock (a write that does not finish)."""
    desk = subprocess.Popen(
        [sys.executable, "-c", _OTHER_DESK, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert desk.stdout is not None and desk.stdout.readline().strip() == "locked"
        yield
    finally:
        assert desk.stdin is not None
        desk.stdin.close()  # the other desk rolls back and ends
        desk.wait(timeout=30)


class StallMeter:
    """The longest pause of the GUI event loop while it runs (a 10 ms timer's largest gap).

    A pause counts what the GUI thread did (ran or waited for something, such as a database
    lock) but not the time it stood ready in the run queue while a loaded machine gave the CPU
    to other processes (Linux's per-thread ``schedstat``): that is the machine's load, not
    the window's, and it made the limit flaky on a busy test machine. ``longest_wall_ms`` is
    the plain gap, printed beside it.
    """

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)
        self.last = 0.0
        self.last_queued = 0.0
        self.longest_ms = 0.0
        self.longest_wall_ms = 0.0

    def start(self) -> None:
        self.last, self.last_queued = time.perf_counter(), _queued_s()
        self.timer.start()

    def _tick(self) -> None:
        now, queued = time.perf_counter(), _queued_s()
        gap_ms = (now - self.last) * 1000
        self.longest_wall_ms = max(self.longest_wall_ms, gap_ms)
        self.longest_ms = max(self.longest_ms, gap_ms - (queued - self.last_queued) * 1000)
        self.last, self.last_queued = now, queued

    def stop(self) -> float:
        self.timer.stop()
        self._tick()
        return self.longest_ms

    def __str__(self) -> str:
        return (
            f"longest GUI stall = {self.longest_ms:.0f} ms "
            f"({self.longest_wall_ms:.0f} ms by the wall clock)"
        )


def _queued_s() -> float:
    """Seconds this thread has stood ready to run without a CPU (0 where not measured)."""
    try:
        with open(f"/proc/self/task/{threading.get_native_id()}/schedstat") as f:
            return int(f.read().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return 0.0


def _ann_at_ten(qtbot, window, ctx: AppContext, clinic):  # type: ignore[no-untyped-def]
    """The booking dialog for Ann with the acupuncturist at 10:00 on Monday, ready to Book."""
    dialog = BookingDialog(
        window.page("calendar"),
        ctx,
        practitioner_id=clinic.acu,
        start=local(MONDAY, 10),
        patient_id=clinic.ann,
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.ok_button.isEnabled)
    return dialog


def test_typing_switching_pages_and_booking_never_freeze_the_window(
    qtbot, db: Database, clinic: Clinic, tmp_path: Path
) -> None:
    ctx = AppContext(db=db, clock=lambda: CLOCK)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(ctx, settings=settings)
    qtbot.addWidget(window)
    window.resize(1200, 800)
    window.show()
    qtbot.waitExposed(window)
    keys = ["calendar", "patients", "myday"]
    for key in keys:  # built (widgets made) before the measurement
        window.show_page(key)
    assert db.sqlite_path is not None
    meter = StallMeter()
    with another_desk_writing(db.sqlite_path):
        meter.start()
        patients = window.show_page("patients")
        qtbot.keyClicks(patients.search_box, "smi")
        qtbot.waitUntil(lambda: patients.model.query == "smi", timeout=2000)
        for key in [*keys, *keys]:
            window.nav.setCurrentRow(window.page_keys().index(key))
            qtbot.wait(30)
        dialog = _ann_at_ten(qtbot, window, ctx, clinic)
        pressed = time.monotonic()
        dialog.ok_button.click()
        assert dialog.booking and dialog.summary.text() == "Booking…"
        qtbot.waitUntil(lambda: "busy" in dialog.errors[FORM].text(), timeout=20_000)
        waited = time.monotonic() - pressed
        longest = meter.stop()
    meter.stop()
    print(f"\n{meter}; busy message after {waited:.1f} s")
    assert waited >= SQLITE_BUSY_TIMEOUT_MS / 1000 * 0.9  # it really waited for the other desk
    assert "try again" in dialog.errors[FORM].text()
    assert dialog.isVisible() and dialog.ok_button.isEnabled()  # Book can be pressed again
    assert longest < MAX_STALL_MS


# ----- every desk action, with the write lock (SQLite) or the tables (PostgreSQL) held ---------

BUSY_TIMEOUT_MS = 1_500  # shortened for the test; the waits below are measured against it


def _window(qtbot, ctx: AppContext, tmp_path: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(ctx, settings=settings)
    qtbot.addWidget(window)
    window.resize(1200, 800)
    window.show()
    qtbot.waitExposed(window)
    for key in ("calendar", "patients"):  # built before the measurement
        window.show_page(key)
        wait_for_answers()
    return window


def _checked_in_ann(window: MainWindow, clinic: Clinic, db: Database) -> CalendarPage:
    """Ann's 09:00 checked in from the calendar: a step for Ctrl+Z to take back later."""
    appt = book(db, clinic.ann, clinic.acu, clinic.consult, 9, room=clinic.room1)
    calendar = window.show_page("calendar")
    assert isinstance(calendar, CalendarPage)
    wait_for_answers()
    calendar.view.calendar_scene.select(appt.id)
    calendar.calendar_actions.check_in.trigger()
    wait_for_answers()
    assert get_appointment(db, appt.id).status is AppointmentStatus.CHECKED_IN
    assert window.undo_action.text().replace("&", "").startswith("Undo check-in of Ann Smith")
    return calendar


def _drive_every_action_while_blocked(
    qtbot, window: MainWindow, clinic: Clinic, calendar: CalendarPage, warnings: list[str]
) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Search, hub, calendar days, undo, archive and a course booking, each while the other
    desk blocks; how long each write waited for its "busy" answer (seconds)."""
    waited: dict[str, float] = {}
    said: list[str] = []
    calendar.status_message.connect(said.append)
    patients = window.show_page("patients")
    assert isinstance(patients, PatientsPage)
    qtbot.keyClicks(patients.search_box, "smi")
    qtbot.waitUntil(lambda: patients.model.query == "smi" or bool(warnings), timeout=10_000)
    if patients.model.rowCount():  # the hub of the patient found (a read)
        patients.select_patient(patients.model.patient_at(0).id)  # type: ignore[union-attr]
    wait_for_answers()
    window.show_page("calendar")
    for key in (Qt.Key.Key_PageDown, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):  # other days
        QTest.keyClick(calendar.view, key)
    wait_for_answers()

    pressed = time.monotonic()
    window.undo_action.trigger()  # Ctrl+Z: the check-in is taken back on a worker
    qtbot.waitUntil(lambda: any(m.startswith("Could not undo") for m in said), timeout=20_000)
    waited["undo"] = time.monotonic() - pressed
    [refused] = [m for m in said if m.startswith("Could not undo")]
    assert refused.startswith("Could not undo “check-in of Ann Smith") and "busy" in refused
    assert window.undo_action.isEnabled()  # nothing changed: the step stays for later

    patients = window.show_page("patients")
    pressed = time.monotonic()
    patients.archive_patient(clinic.bob)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: any("busy" in w for w in warnings), timeout=20_000)
    waited["archive"] = time.monotonic() - pressed

    wizard = CourseWizard(
        window,
        window.ctx,
        practitioner_id=clinic.acu,
        patient_id=clinic.cara,
        start_date=local(MONDAY, 14),
    )
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitUntil(lambda: not wizard.loading, timeout=20_000)
    if wizard.book_button.isEnabled():  # the preview could be read: book it
        pressed = time.monotonic()
        wizard.book_button.click()
        assert wizard.booking
        qtbot.waitUntil(lambda: wizard.form_error.text().startswith("Nothing"), timeout=20_000)
        waited["course"] = time.monotonic() - pressed
        assert "busy" in wizard.form_error.text()
        assert wizard.book_button.isEnabled() and wizard.course is None  # Book can retry
    else:  # the other desk holds the tables: the preview itself says the database is busy
        shown = " ".join(label.text() for label in wizard.findChildren(QLabel))
        assert "busy" in shown
    wizard.reject()
    return waited


def test_undo_archive_hub_calendar_days_and_a_course_never_freeze_the_window(
    qtbot, db: Database, clinic: Clinic, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine, "SQLITE_BUSY_TIMEOUT_MS", BUSY_TIMEOUT_MS)
    window = _window(qtbot, AppContext(db=db, clock=lambda: CLOCK), tmp_path)
    calendar = _checked_in_ann(window, clinic, db)
    warnings: list[str] = []
    monkeypatch.setattr(window.page("patients"), "confirm_archive", lambda record: True)
    monkeypatch.setattr(window.page("patients"), "warn_not_archived", warnings.append)
    assert db.sqlite_path is not None
    meter = StallMeter()
    with another_desk_writing(db.sqlite_path):
        meter.start()
        waited = _drive_every_action_while_blocked(qtbot, window, clinic, calendar, warnings)
        longest = meter.stop()
    meter.stop()
    print(f"\n{meter}; busy answers after {waited}")
    assert set(waited) == {"undo", "archive", "course"}
    assert all(w >= BUSY_TIMEOUT_MS / 1000 * 0.9 for w in waited.values())
    assert longest < MAX_STALL_MS
    # The other desk is done: the same Ctrl+Z now takes the check-in back.
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: calendar.message_bar.text().startswith("Undone: check-in"))


@pytest.mark.parametrize("db", ["postgresql"], indirect=True)
def test_a_postgresql_desk_holding_the_tables_never_freezes_the_window(
    qtbot, db: Database, clinic: Clinic, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another desk keeps the appointments and patients tables locked (a transaction that does
    not finish): every read and write of them waits for the server's lock timeout, on a
    worker, and comes back as "busy"; the window keeps answering meanwhile."""
    url = db.url.update_query_dict({"options": f"-c lock_timeout={BUSY_TIMEOUT_MS}"})
    desk = as_admin(Database(url.render_as_string(hide_password=False)))
    try:
        window = _window(qtbot, AppContext(db=desk, clock=lambda: CLOCK), tmp_path)
        calendar = _checked_in_ann(window, clinic, desk)
        warnings: list[str] = []
        monkeypatch.setattr(window.page("patients"), "confirm_archive", lambda record: True)
        monkeypatch.setattr(window.page("patients"), "warn_not_archived", warnings.append)
        window.page("patients").status_message.connect(warnings.append)
        other = sqlalchemy.create_engine(db.url.render_as_string(hide_password=False))
        meter = StallMeter()
        with other.connect() as conn:
            conn.exec_driver_sql("BEGIN")
            conn.exec_driver_sql(
                "LOCK TABLE appointments, patients IN ACCESS EXCLUSIVE MODE"
            )  # another workstation's transaction, not finishing
            try:
                meter.start()
                waited = _drive_every_action_while_blocked(
                    qtbot, window, clinic, calendar, warnings
                )
                longest = meter.stop()
            finally:
                meter.stop()
                conn.exec_driver_sql("ROLLBACK")
        other.dispose()
        print(f"\n{meter}; busy answers after {waited}")
        assert {"undo", "archive"} <= set(waited)
        assert all(w >= BUSY_TIMEOUT_MS / 1000 * 0.9 for w in waited.values())
        assert longest < MAX_STALL_MS
        wait_for_answers()
    finally:
        from frontdesk.ui import worker

        worker.drop_all()
        desk.dispose()


PAUSED_CONNECT_TIMEOUT_S = 2  # shortened for the test (the app's is PG_CONNECT_TIMEOUT_S)
PAUSED_ANSWER_DEADLINE_S = 3  # and the app's PG_ANSWER_DEADLINE_S


@contextmanager
def backends_paused(db: Database) -> Iterator[None]:
    """Every server process serving ``db``'s database stopped (SIGSTOP) while the block runs,
    the server itself still taking new connections; always continued after."""
    other = sqlalchemy.create_engine(db.url.render_as_string(hide_password=False))
    with other.connect() as conn:
        pids = conn.scalars(
            sqlalchemy.text(
                "SELECT pid FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).all()
    other.dispose()
    for pid in pids:
        os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        for pid in pids:
            os.kill(pid, signal.SIGCONT)


@pytest.mark.parametrize("paused", ["server", "backends"])
@pytest.mark.parametrize("db", ["postgresql"], indirect=True)
def test_a_postgresql_server_that_stops_answering_never_freezes_the_window(
    qtbot,
    paused: str,
    db: Database,
    clinic: Clinic,
    tmp_path: Path,
    pg_server: PgServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The whole server, its backends included, is paused (SIGSTOP, tests/pg_server.py) while
    the user presses Book, types a search and clicks through the pages: the window keeps
    answering, and Book's message names the timeout that gave up on the server. With only the
    backends of the desk's open connections paused, the pool's liveness check gives up on them
    and Book books on a new connection, after that check's timeout.

    The desk's pool keeps the connections it had open: the server's own statement timeout
    cannot run while it is stopped and the loopback keeps accepting what is sent, so only
    Frontdesk's own deadline (engine.PG_ANSWER_DEADLINE_S, and the connect timeout for the
    pool's liveness check and for connecting anew) ends each wait.
    """
    monkeypatch.setattr(engine, "PG_CONNECT_TIMEOUT_S", PAUSED_CONNECT_TIMEOUT_S)
    monkeypatch.setattr(engine, "PG_ANSWER_DEADLINE_S", PAUSED_ANSWER_DEADLINE_S)
    desk = as_admin(Database(db.url.render_as_string(hide_password=False)))
    try:
        ctx = AppContext(db=desk, clock=lambda: CLOCK)
        window = _window(qtbot, ctx, tmp_path)
        window.show_page("myday")
        wait_for_answers()
        qtbot.waitUntil(lambda: window.live.active)  # listening before the server stops
        dialog = _ann_at_ten(qtbot, window, ctx, clinic)
        wait_for_answers()
        assert desk.engine.pool.checkedin()  # open connections wait in the pool
        meter = StallMeter()
        with pg_server.paused() if paused == "server" else backends_paused(db):
            meter.start()
            pressed = time.monotonic()
            dialog.ok_button.click()  # first: its worker takes a connection the pool kept
            assert dialog.booking and dialog.summary.text() == "Booking…"
            patients = window.show_page("patients")
            qtbot.keyClicks(patients.search_box, "smi")
            for key in ["calendar", "patients", "myday", "calendar", "patients"]:
                window.nav.setCurrentRow(window.page_keys().index(key))
                qtbot.wait(30)
            if paused == "backends":
                qtbot.waitUntil(
                    lambda: dialog.result() == dialog.DialogCode.Accepted, timeout=30_000
                )
                waited = time.monotonic() - pressed
                wait_for_answers(30_000)
                longest = meter.stop()
                print(f"\n{meter}; Book booked after {waited:.1f} s")
                assert waited >= PAUSED_CONNECT_TIMEOUT_S * 0.9  # the check did wait
                assert longest < MAX_STALL_MS
                return
            qtbot.waitUntil(lambda: "did not answer" in dialog.errors[FORM].text(), timeout=30_000)
            waited = time.monotonic() - pressed
            # Every call made meanwhile has its answer (a message) while the server is still
            # stopped: no worker thread is left waiting on it.
            wait_for_answers(30_000)
            longest = meter.stop()
        meter.stop()
        message = dialog.errors[FORM].text()
        print(f"\n{meter}; after {waited:.1f} s Book says: {message}")
        assert f"within {PAUSED_CONNECT_TIMEOUT_S} seconds" in message
        assert "Nothing was saved" in message or "Try again" in message
        assert waited >= PAUSED_CONNECT_TIMEOUT_S * 0.9  # it really waited for the server
        assert dialog.isVisible() and dialog.ok_button.isEnabled()  # Book can be pressed again
        assert longest < MAX_STALL_MS
        dialog.ok_button.click()  # the server answers again: the same Book now books
        qtbot.waitUntil(lambda: dialog.result() == dialog.DialogCode.Accepted, timeout=10_000)
    finally:
        from frontdesk.ui import worker

        worker.drop_all()
        desk.dispose()
