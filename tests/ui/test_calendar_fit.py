"""The calendar on a small screen: the ruler's hours, the toolbar's commands, the week view."""

from __future__ import annotations

import re
from datetime import date

import pytest
from PySide6.QtCore import QDate, QRectF, QSettings
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QApplication, QWidget

from frontdesk.context import AppContext
from frontdesk.ui.calendar import CalendarPage
from frontdesk.ui.calendar import style as calendar_style
from frontdesk.ui.calendar.toolbar import DAY, WEEK, CalendarToolbar
from frontdesk.ui.main_window import MainWindow
from tests.ui.screen_fit import describe, text_problem
from tests.ui.test_calendar import CLOCK
from tests.unit.test_scheduling_support import MONDAY

pytestmark = pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise|grabbing)")

HOUR = re.compile(r"^\d\d:00$")


def _painted_hours(qtbot, calendar_page: CalendarPage, monkeypatch) -> list[QRectF]:  # type: ignore[no-untyped-def]
    """Where the ruler writes each hour, as its next paint draws them."""
    drawn: list[QRectF] = []
    draw = QPainter.drawText

    def record(painter: QPainter, *args):  # type: ignore[no-untyped-def]
        if len(args) == 3 and isinstance(args[0], QRectF) and HOUR.match(str(args[2])):
            drawn.append(QRectF(args[0]))
        return draw(painter, *args)

    monkeypatch.setattr(QPainter, "drawText", record)
    calendar_page.view.ruler.grab()
    monkeypatch.setattr(QPainter, "drawText", draw)
    return drawn


@pytest.mark.parametrize("where", ["middle", "bottom"])
def test_the_rulers_hours_never_overlap_when_the_day_is_scrolled(
    qtbot, calendar_page: CalendarPage, monkeypatch, where: str
) -> None:
    calendar_page.resize(900, 420)  # a short window: the day scrolls
    qtbot.waitUntil(lambda: calendar_page.view.verticalScrollBar().maximum() > 200)
    bar = calendar_page.view.verticalScrollBar()
    bar.setValue(bar.maximum() // 2 if where == "middle" else bar.maximum())
    labels = _painted_hours(qtbot, calendar_page, monkeypatch)
    assert labels
    for n, first in enumerate(labels):
        for second in labels[n + 1 :]:
            assert not first.intersects(second), (first, second)
    # At most one hour is held at the top (the one whose line has just scrolled past).
    top = calendar_style.HEADER_HEIGHT
    assert sum(1 for rect in labels if rect.top() <= top) <= 1


@pytest.fixture
def small_window(qtbot, themed, db, clinic, tmp_path) -> MainWindow:  # type: ignore[no-untyped-def]
    """The main window as a 1024×768 screen holds it, in the app's own style."""
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    window = MainWindow(AppContext(db=db, clock=lambda: CLOCK), settings=settings)
    qtbot.addWidget(window)
    window.resize(1024, 768)
    window.show()
    qtbot.waitExposed(window)
    return window


def _settle() -> None:
    for _ in range(5):
        QApplication.processEvents()


def test_the_calendar_fits_a_1024_pixel_window_in_day_and_week_view(
    qtbot, small_window: MainWindow
) -> None:
    page = small_window.show_page("calendar")
    assert isinstance(page, CalendarPage)
    for mode in (DAY, WEEK, DAY):
        page.set_mode(mode)
        _settle()
        assert small_window.width() <= 1024, mode  # the week view widened the window
        assert page.view.horizontalScrollBar().maximum() == 0, mode  # every day in sight
        for widget in page.toolbar.findChildren(QWidget):
            if widget.isVisible():
                assert text_problem(widget) is None, (mode, describe(widget))


def test_commands_without_room_in_the_toolbar_are_one_click_away_under_more(qtbot) -> None:
    bar = CalendarToolbar()
    qtbot.addWidget(bar)
    bar.show_state(mode=DAY, day=MONDAY, first=MONDAY, last=MONDAY, practitioner_id=None)
    bar.resize(1400, 40)
    bar.show()
    _settle()
    assert not bar.more_button.isVisible()  # room for everything: no menu
    assert all(widget.isVisible() for widget, _action in bar.overflow)
    bar.resize(bar.minimumSizeHint().width(), 40)  # as narrow as the bar ever gets
    _settle()
    assert bar.more_button.isVisible() and bar.title.text() == "Mon 2 Mar 2026"
    menu = [a.text() for a in bar.more_menu.actions() if a.isVisible()]
    assert menu == ["Go to a date…", "Show cancelled", "Day sheet…", "New course…"]
    with qtbot.waitSignal(bar.daySheetRequested):
        bar.day_sheet_action.trigger()
    with qtbot.waitSignal(bar.newCourseRequested):
        bar.new_course_action.trigger()
    with qtbot.waitSignal(bar.showCancelledToggled) as toggled:
        bar.show_cancelled_action.trigger()
    assert toggled.args == [False] and not bar.show_cancelled.isChecked()
    popup = bar.pick_date()
    with qtbot.waitSignal(bar.dateChosen) as chosen:
        popup.clicked.emit(QDate(2026, 3, 5))
    assert chosen.args == [date(2026, 3, 5)]
