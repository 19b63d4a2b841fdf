"""The calendar on a small screen: the ruler's hours, the toolbar's commands, the week view."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter

from frontdesk.ui.calendar import CalendarPage
from frontdesk.ui.calendar import style as calendar_style

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

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
