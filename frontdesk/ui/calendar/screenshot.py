"""The calendar's extra picture for ``frontdesk --screenshots``: the week view.

The day view is photographed with every other page; this adds one practitioner's week, then
puts the page back in day view so the window is left as a user would find it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QWidget

from frontdesk.ui.calendar.page import CalendarPage
from frontdesk.ui.calendar.toolbar import DAY

CALENDAR = "calendar"


def week_screenshot(
    window, out_dir: Path, number: int, save: Callable[[QWidget, Path], Path]
) -> list[Path]:
    """Write ``NN-calendar-week.png`` (nothing if no calendar page is registered)."""
    if CALENDAR not in window.page_keys():
        return []
    page = window.show_page(CALENDAR)
    if not isinstance(page, CalendarPage):
        return []
    page.show_week_for_screenshot()
    written = [save(window, out_dir / f"{number:02d}-calendar-week.png")]
    page.set_mode(DAY)
    return written
