"""My day's table: one row per appointment of the practitioner's day, in time order.

A thin adapter over ``AppointmentView`` rows read by the page; ``data()`` only formats what it
was given (no database access), so scrolling and repainting never touch SQLite.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from frontdesk.domain import AppointmentStatus
from frontdesk.scheduling import AppointmentView
from frontdesk.timefmt import fmt_span
from frontdesk.ui.models.rows import RowsTableModel
from frontdesk.ui.theme import status_text_colour

ModelIndex = QModelIndex | QPersistentModelIndex

TIME, PATIENT, STATUS, TYPE, COURSE, NOTE = range(6)
HEADERS = ("Time", "Patient", "Status", "Type", "Course", "Note")


def course_progress(appt: AppointmentView) -> str:
    """ "session 3 of 8" for a course session; "" for a one-off visit."""
    if appt.course_index is None or appt.course_total is None:
        return ""
    return f"session {appt.course_index} of {appt.course_total}"


class DayListModel(RowsTableModel[AppointmentView]):
    """Rows are ``AppointmentView``; ``noted`` says which already have a session note."""

    headers = HEADERS

    def __init__(self, tz: ZoneInfo, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tz = tz
        self._noted: set[int] = set()

    def set_rows(self, rows: list[AppointmentView], noted: set[int]) -> None:
        self.beginResetModel()
        self._rows = sorted(rows, key=lambda a: (a.start, a.id))
        self._noted = set(noted)
        self.endResetModel()

    def appointment_at(self, row: int) -> AppointmentView | None:
        return self.row_at(row)

    def row_of(self, appointment_id: int) -> int:
        return next((i for i, a in enumerate(self._rows) if a.id == appointment_id), -1)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        appt = self.appointment_at(index.row()) if index.isValid() else None
        if appt is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(appt, col)
        if role == Qt.ItemDataRole.ForegroundRole and col in (STATUS, PATIENT, TIME):
            if col == STATUS or not appt.is_active:
                return status_text_colour(appt.status)
            return None
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            if col == PATIENT and appt.is_active:
                font.setBold(True)
            font.setStrikeOut(appt.status == AppointmentStatus.CANCELLED)
            return font
        if role == Qt.ItemDataRole.DecorationRole and col == TYPE:
            return QColor(appt.type_colour)
        if role == Qt.ItemDataRole.ToolTipRole:
            room = f" in {appt.room_name}" if appt.room_name else ""
            reason = f"\nCancelled: {appt.cancellation_reason}" if appt.cancellation_reason else ""
            return f"{appt.patient_name}, {appt.type_name}{room}{reason}"
        return None

    def _text(self, appt: AppointmentView, col: int) -> str:
        if col == TIME:
            return fmt_span(appt.start, appt.end, self.tz)
        if col == PATIENT:
            return appt.patient_name
        if col == STATUS:
            return appt.status.label
        if col == TYPE:
            return appt.type_name
        if col == COURSE:
            return course_progress(appt)
        return "\u2713 written" if appt.id in self._noted else ""
