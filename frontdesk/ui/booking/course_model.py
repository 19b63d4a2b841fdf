"""The course preview as a table: one row per planned session, as the service judged it.

Rows are ``PlannedSession`` values built from the service's ``SessionPreview``; accepting a
suggestion or editing a date or time replaces a row. The model never asks the database: an edit
is announced with ``editRequested`` and the wizard re-checks it with the scheduling service,
then hands the verdict back with ``set_row``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QDate,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTime,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from frontdesk.scheduling import SessionPreview
from frontdesk.scheduling import Slot as FreeSlot
from frontdesk.timefmt import fmt_short_when, fmt_span
from frontdesk.ui.booking.common import local
from frontdesk.ui.models.rows import RowsTableModel
from frontdesk.ui.qtbits import py_date, py_time

ModelIndex = QModelIndex | QPersistentModelIndex

COL_INDEX, COL_DATE, COL_WEEKDAY, COL_TIME, COL_STATUS, COL_SUGGESTION = range(6)
HEADERS = ("#", "Date", "Day", "Time", "Status", "Suggested instead")

FREE_COLOUR = QColor("#1b6e3a")
PROBLEM_COLOUR = QColor("#b3261e")
CHANGED_BACKGROUND = QColor("#eef7f1")
PROBLEM_BACKGROUND = QColor("#fdeceb")


@dataclass(frozen=True)
class PlannedSession:
    """A session as it will be booked: its start now, and how it got there.

    ``origin`` is ``"planned"`` (the course's rhythm), ``"suggested"`` (an accepted
    alternative) or ``"edited"`` (changed by hand); ``planned_start`` is the rhythm's time.
    """

    index: int
    start: datetime
    end: datetime
    free: bool
    problem: str | None
    suggestion: FreeSlot | None
    origin: str
    planned_start: datetime

    @classmethod
    def from_preview(cls, p: SessionPreview) -> PlannedSession:
        return cls(p.index, p.start, p.end, p.free, p.problem, p.suggestion, "planned", p.start)

    def with_suggestion(self) -> PlannedSession:
        """This session moved to the suggested slot (which the service found free)."""
        if self.suggestion is None:
            return self
        s = self.suggestion
        return replace(
            self,
            start=s.start,
            end=s.end,
            free=True,
            problem=None,
            suggestion=None,
            origin="suggested",
        )

    def judged(self, problem: str | None) -> PlannedSession:
        """This session with the service's fresh verdict (``None``: it can be booked).

        A session that stays free keeps its note (a DST remark); one still refused keeps the
        preview's suggestion, which is only ever set while the session sits at its planned time.
        """
        if problem is None:
            return replace(
                self, free=True, problem=self.problem if self.free else None, suggestion=None
            )
        return replace(self, free=False, problem=problem)


class CoursePreviewModel(RowsTableModel[PlannedSession]):
    """Every session of a planned course; the Date and Time cells are editable.

    Signals:
        editRequested(int, object): row and the new aware start the user typed; the wizard
            checks it and calls ``set_row``.
    """

    editRequested = Signal(int, object)
    headers = HEADERS

    def __init__(self, tz: ZoneInfo, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tz = tz

    def set_zone(self, tz: ZoneInfo) -> None:
        """Times are shown in the clinic's zone (the wizard reads it when it opens)."""
        self._tz = tz

    # -- rows -----------------------------------------------------------------------------

    def set_sessions(self, sessions: list[PlannedSession]) -> None:
        self.beginResetModel()
        self._rows = list(sessions)
        self.endResetModel()

    def sessions(self) -> list[PlannedSession]:
        return list(self._rows)

    def session(self, row: int) -> PlannedSession | None:
        return self.row_at(row)

    def set_row(self, row: int, session: PlannedSession) -> None:
        self._rows[row] = session
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))

    def conflicts(self) -> int:
        return sum(1 for s in self._rows if not s.free)

    def suggestions(self) -> int:
        return sum(1 for s in self._rows if not s.free and s.suggestion is not None)

    # -- Qt model API -----------------------------------------------------------------------
    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.column() in (COL_DATE, COL_TIME):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        s = self.session(index.row()) if index.isValid() else None
        if s is None:
            return None
        col = index.column()
        here = local(s.start, self._tz)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(s, col, here)
        if role == Qt.ItemDataRole.EditRole:
            if col == COL_DATE:
                return QDate(here.year, here.month, here.day)
            if col == COL_TIME:
                return QTime(here.hour, here.minute)
            return self._display(s, col, here)
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_STATUS:
            return QBrush(FREE_COLOUR if s.free else PROBLEM_COLOUR)
        if role == Qt.ItemDataRole.FontRole and col == COL_SUGGESTION and s.suggestion:
            bold = QFont()
            bold.setBold(True)
            return bold
        if role == Qt.ItemDataRole.BackgroundRole:
            if not s.free:
                return QBrush(PROBLEM_BACKGROUND)
            if s.origin != "planned":
                return QBrush(CHANGED_BACKGROUND)
        if role == Qt.ItemDataRole.ToolTipRole and col in (COL_STATUS, COL_SUGGESTION):
            return self.status_text(s)
        if role == Qt.ItemDataRole.TextAlignmentRole and col == COL_INDEX:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _display(self, s: PlannedSession, col: int, here: datetime) -> str:
        if col == COL_INDEX:
            return str(s.index)
        if col == COL_DATE:
            return f"{here.day} {here:%b %Y}"
        if col == COL_WEEKDAY:
            return f"{here:%A}"
        if col == COL_TIME:
            return fmt_span(s.start, s.end, self._tz)
        if col == COL_SUGGESTION:
            return self.suggestion_text(s)
        return self.status_text(s)

    def _short(self, instant: datetime) -> str:
        return fmt_short_when(instant, self._tz)

    def status_text(self, s: PlannedSession) -> str:
        """Free (and how it became free), or the service's reason it cannot be booked."""
        if not s.free:
            return s.problem or "Not free"
        planned = f" (planned {self._short(s.planned_start)})"
        return {
            "planned": f"Free ({s.problem})" if s.problem else "Free",
            "suggested": "Free: suggested time accepted" + planned,
            "edited": "Free: changed by hand" + planned,
        }[s.origin]

    def suggestion_text(self, s: PlannedSession) -> str:
        if s.free:
            return ""
        if s.suggestion is None:
            return "None nearby: edit the date or time"
        return self._short(s.suggestion.start)

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        s = self.session(index.row()) if index.isValid() else None
        if s is None or role != Qt.ItemDataRole.EditRole:
            return False
        here = local(s.start, self._tz)
        day, at = here.date(), here.time()
        if index.column() == COL_DATE and isinstance(value, (QDate, date)):
            day = py_date(value) if isinstance(value, QDate) else value
        elif index.column() == COL_TIME and isinstance(value, (QTime, time)):
            at = py_time(value) if isinstance(value, QTime) else value
        else:
            return False
        new_start = datetime.combine(day, at.replace(second=0, microsecond=0), tzinfo=self._tz)
        if new_start != here:
            self.editRequested.emit(index.row(), new_start)
        return True


class SessionTable(QTableView):
    """The preview's view: whole-row selection, editable date and time, full reasons shown."""

    def __init__(self, model: CoursePreviewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.verticalHeader().setVisible(False)
        self.setWordWrap(True)  # a clash's reason is a sentence; show all of it
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_STATUS, QHeaderView.ResizeMode.Stretch)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()  # Enter on a row must not reach the dialog and book the course
