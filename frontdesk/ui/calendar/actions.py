"""The calendar's commands as QActions, and the list of its keyboard shortcuts.

The same actions fill the context menu of a block and answer their shortcuts while the calendar
has the focus (``WidgetWithChildrenShortcut``), so a key never acts on a page that is not shown.
``SHORTCUTS`` is what Help ▸ Keyboard shortcuts lists for the calendar.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

# (keys, what they do): the keyboard map of the calendar, in the order Help shows it.
SHORTCUTS: list[tuple[str, str]] = [
    ("Arrow keys", "Move the slot cursor (Left/Right: practitioner or day)"),
    ("Shift+Up / Shift+Down", "Stretch the selected time span"),
    ("Page Up / Page Down", "Previous / next day (week in week view)"),
    ("Ctrl+Left / Ctrl+Right", "Previous / next day"),
    ("Home / End", "First / last slot of the day"),
    ("Enter", "Book the empty slot, or open the appointment's actions"),
    ("Ctrl+T", "Go to today"),
    ("Ctrl+Alt+1 / Ctrl+Alt+3", "Day view / week view"),
    ("Ctrl+I", "Check in the selected appointment"),
    ("Ctrl+D", "Mark the selected appointment completed"),
    ("Ctrl+Shift+N", "Mark the selected appointment as a no-show"),
    ("Ctrl+K", "Check out the selected visit: invoice, payment, receipt"),
    ("Delete", "Cancel the selected appointment (asks for the reason)"),
    ("Ctrl+R", "Reschedule the selected appointment"),
    ("Ctrl+O", "Open the selected appointment's patient"),
    ("Ctrl+P", "Print the appointment card"),
    ("Ctrl+Shift+P", "Print the day sheet"),
    ("Ctrl+Shift+C", "New course…"),
    ("Ctrl+Shift+W", "Who on the wait list could fill this time (a freed visit or the cursor)"),
    ("Menu / Shift+F10", "Actions for the selected appointment"),
]


@dataclass
class CalendarActions:
    """Every QAction of the calendar page, created once and owned by the page."""

    check_in: QAction
    complete: QAction
    no_show: QAction
    check_out: QAction
    cancel: QAction
    reschedule: QAction
    open_patient: QAction
    print_card: QAction
    print_day_sheet: QAction
    new_course: QAction
    fill_gap: QAction
    today: QAction
    day_view: QAction
    week_view: QAction
    menu_key: QAction

    @property
    def appointment_actions(self) -> list[QAction]:
        """Those that act on the selected appointment, in context-menu order."""
        return [
            self.check_in,
            self.complete,
            self.no_show,
            self.check_out,
            self.cancel,
            self.reschedule,
            self.open_patient,
            self.print_card,
        ]


def _action(owner: QWidget, text: str, keys: str | QKeySequence.StandardKey | None) -> QAction:
    action = QAction(text, owner)
    if keys is not None:
        action.setShortcut(QKeySequence(keys))
    action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    owner.addAction(action)
    return action


def create_actions(owner: QWidget) -> CalendarActions:
    """Create the actions on ``owner`` (the calendar page); the page connects them."""
    return CalendarActions(
        check_in=_action(owner, "Check &in", "Ctrl+I"),
        complete=_action(owner, "&Complete", "Ctrl+D"),
        no_show=_action(owner, "&No-show", "Ctrl+Shift+N"),
        check_out=_action(owner, "Chec&k out…", "Ctrl+K"),
        cancel=_action(owner, "C&ancel appointment…", "Delete"),
        reschedule=_action(owner, "&Reschedule…", "Ctrl+R"),
        open_patient=_action(owner, "&Open patient", "Ctrl+O"),
        print_card=_action(owner, "&Print appointment card…", "Ctrl+P"),
        print_day_sheet=_action(owner, "Print &day sheet…", "Ctrl+Shift+P"),
        new_course=_action(owner, "New &course…", "Ctrl+Shift+C"),
        fill_gap=_action(owner, "&Who could fill this time?…", "Ctrl+Shift+W"),
        today=_action(owner, "&Today", "Ctrl+T"),
        day_view=_action(owner, "&Day view", "Ctrl+Alt+1"),
        week_view=_action(owner, "&Week view", "Ctrl+Alt+3"),
        menu_key=_action(owner, "Actions…", "Shift+F10"),
    )
