"""Reception's calendar: day and week views drawn on a QGraphicsScene, and the front-desk
actions on them (book, move, check in, complete, no-show, cancel, undo, print).

``CalendarPage`` is what the main window registers; ``SHORTCUTS`` lists its keys for Help.
"""

from frontdesk.ui.qt_compat import guard_none_refcount

guard_none_refcount()  # before any painting: see qt_compat (PySide6 6.12.0 on Python 3.11)

from frontdesk.ui.calendar.actions import SHORTCUTS  # noqa: E402
from frontdesk.ui.calendar.page import CalendarPage  # noqa: E402

__all__ = ["SHORTCUTS", "CalendarPage"]
