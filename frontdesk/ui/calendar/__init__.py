"""Reception's calendar: day and week views drawn on a QGraphicsScene, and the front-desk
actions on them (book, move, check in, complete, no-show, cancel, undo, print).

``CalendarPage`` is what the main window registers; ``SHORTCUTS`` lists its keys for Help.
"""

from frontdesk.ui.calendar.actions import SHORTCUTS
from frontdesk.ui.calendar.page import CalendarPage

__all__ = ["SHORTCUTS", "CalendarPage"]
