"""A time field that takes a typed time whole: "13:00" means 13:00 wherever the cursor was.

A plain ``QTimeEdit`` types into the section under the cursor, so a click that lands on the
minutes turns "13:00" into nonsense. Here the first digit typed after the field gets the focus
starts at the hour, as people expect of a time they type in full.
"""

from __future__ import annotations

from PySide6.QtCore import QTime
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QTimeEdit, QWidget


class TimeField(QTimeEdit):
    """``QTimeEdit`` (HH:mm) whose first typed digit after focusing goes into the hour."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDisplayFormat("HH:mm")
        self._fresh = True

    def focusInEvent(self, event: QFocusEvent) -> None:
        self._fresh = True
        super().focusInEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._fresh and event.text().isdigit():
            self.setCurrentSection(QTimeEdit.Section.HourSection)
            self.setSelectedSection(QTimeEdit.Section.HourSection)
        if event.text():
            self._fresh = False
        super().keyPressEvent(event)

    def set_time(self, value: QTime) -> None:
        """Show ``value``; the next typed time starts again at the hour."""
        self.setTime(value)
        self._fresh = True
