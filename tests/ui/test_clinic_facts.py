"""The clinic's name and time zone the window keeps (``AppContext.clinic``).

Widgets ask ``clinic_today(ctx)`` and ``LocalTime`` without the database; the day still turns
at the clinic's midnight, and a time zone saved in Settings (here or at another desk) moves it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from PySide6.QtCore import QSettings, Qt

from frontdesk.context import AppContext
from frontdesk.db.engine import Database
from frontdesk.domain import Discipline
from frontdesk.setup import (
    PractitionerInput,
    add_practitioner,
    get_clinic_details,
    update_clinic_details,
)
from frontdesk.ui.formatting import clinic_today
from frontdesk.ui.main_window import MainWindow
from frontdesk.ui.practice.timefmt import LocalTime
from tests.accounts_support import as_admin
from tests.ui.answers import wait_for_answers

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

# 17:00 UTC on Monday 2 March 2026: 10:00 that Monday in Edmonton, 02:00 Tuesday in Tokyo.
FIVE_PM_UTC = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def window(qtbot, db: Database, tmp_path) -> MainWindow:  # type: ignore[no-untyped-def]
    add_practitioner(db, PractitionerInput("Mei Chen", Discipline.ACUPUNCTURE))
    ctx = AppContext(db=db, clock=Clock(FIVE_PM_UTC))
    assert ctx.clinic.timezone == "America/Edmonton"
    win = MainWindow(ctx, settings=QSettings(str(tmp_path / "fd.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    wait_for_answers()
    return win


def test_the_clinic_day_turns_at_the_clinics_midnight_not_utcs(window: MainWindow) -> None:
    clock = window.ctx.clock
    assert isinstance(clock, Clock)
    clock.now = datetime(2026, 3, 3, 6, 59, tzinfo=UTC)  # 23:59 Monday in Edmonton
    assert clinic_today(window.ctx) == date(2026, 3, 2)
    assert LocalTime(window.ctx).now().hour == 23
    clock.now = datetime(2026, 3, 3, 7, 0, tzinfo=UTC)  # midnight there: Tuesday
    assert clinic_today(window.ctx) == date(2026, 3, 3)
    assert LocalTime(window.ctx).today() == date(2026, 3, 3)


def test_a_time_zone_saved_in_settings_moves_the_clinic_day_and_times(
    qtbot, window: MainWindow
) -> None:
    time = LocalTime(window.ctx)  # made before the change, as an open window's screens are
    assert clinic_today(window.ctx) == date(2026, 3, 2)
    assert time.clock(FIVE_PM_UTC) == "10:00"
    page = window.show_page("settings")
    wait_for_answers()
    tab = page.clinic  # type: ignore[attr-defined]
    tab.name.clear()
    qtbot.keyClicks(tab.name, "Sakura Acupuncture")
    tab.timezone.setCurrentText("Asia/Tokyo")
    qtbot.waitUntil(tab.save_button.isEnabled)
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.ctx.clinic.timezone == "Asia/Tokyo", timeout=3000)
    assert clinic_today(window.ctx) == date(2026, 3, 3)  # 02:00 Tuesday in Tokyo
    assert time.clock(FIVE_PM_UTC) == "02:00"
    assert window.windowTitle() == "Frontdesk — Sakura Acupuncture"


def test_a_time_zone_changed_at_another_desk_reaches_this_window(
    qtbot, db: Database, window: MainWindow
) -> None:
    qtbot.waitUntil(lambda: window.live.active, timeout=3000)
    other = as_admin(Database(db.url.render_as_string(hide_password=False)))
    try:
        details = get_clinic_details(other)
        update_clinic_details(other, replace(details, timezone="Asia/Tokyo"))
    finally:
        other.dispose()
    qtbot.waitUntil(lambda: clinic_today(window.ctx) == date(2026, 3, 3), timeout=3000)
