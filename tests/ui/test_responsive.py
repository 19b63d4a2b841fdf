"""The window never waits on the database: another desk holds SQLite's write lock meanwhile.

A timer ticking every 10 ms records the longest gap between its ticks: that is how long the
GUI event loop was stalled. Typing a search, clicking through pages and pressing Book all
happen while a second connection keeps the write lock (``BEGIN IMMEDIATE``); the booking's
"busy" message arrives once the busy timeout has run out, and the window never froze.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTimer

from frontdesk.context import AppContext
from frontdesk.db.engine import SQLITE_BUSY_TIMEOUT_MS, Database
from frontdesk.ui.booking.booking_dialog import BookingDialog
from frontdesk.ui.booking.common import FORM
from frontdesk.ui.main_window import MainWindow
from tests.ui.test_calendar import CLOCK
from tests.unit.test_scheduling_support import MONDAY, Clinic, local

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")
MAX_STALL_MS = 100


class StallMeter:
    """The longest pause of the GUI event loop while it runs (a 10 ms timer's largest gap)."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)
        self.last = 0.0
        self.longest_ms = 0.0

    def start(self) -> None:
        self.last = time.perf_counter()
        self.timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest_ms = max(self.longest_ms, (now - self.last) * 1000)
        self.last = now

    def stop(self) -> float:
        self.timer.stop()
        self._tick()
        return self.longest_ms


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
    other_desk = sqlite3.connect(db.sqlite_path, isolation_level=None)
    other_desk.execute("BEGIN IMMEDIATE")  # another workstation's write, not finishing
    meter = StallMeter()
    try:
        meter.start()
        patients = window.show_page("patients")
        qtbot.keyClicks(patients.search_box, "smi")
        qtbot.waitUntil(lambda: patients.model.query == "smi", timeout=2000)
        for key in [*keys, *keys]:
            window.nav.setCurrentRow(window.page_keys().index(key))
            qtbot.wait(30)
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
        pressed = time.monotonic()
        dialog.ok_button.click()
        assert dialog.booking and dialog.summary.text() == "Booking…"
        qtbot.waitUntil(lambda: "busy" in dialog.errors[FORM].text(), timeout=20_000)
        waited = time.monotonic() - pressed
        longest = meter.stop()
    finally:
        meter.stop()
        other_desk.execute("ROLLBACK")
        other_desk.close()
    print(f"\nlongest GUI stall = {longest:.0f} ms; busy message after {waited:.1f} s")
    assert waited >= SQLITE_BUSY_TIMEOUT_MS / 1000 * 0.9  # it really waited for the other desk
    assert "try again" in dialog.errors[FORM].text()
    assert dialog.isVisible() and dialog.ok_button.isEnabled()  # Book can be pressed again
    assert longest < MAX_STALL_MS
