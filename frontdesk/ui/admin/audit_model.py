"""The audit table: rows of the trail, newest first, paged in as the list scrolls.

A trail grows by a row for every change and every chart opened, so it soon holds more rows
than anyone scrolls through. The model holds the pages read so far; when the view scrolls near
the end, ``fetchMore`` asks the page to read the next one on a worker (keyset on ``seq``) and
``append`` adds it when it comes. ``data()`` reads only rows in memory.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from frontdesk.accounts.trail import action_words, kind_words
from frontdesk.accounts.types import AuditRow
from frontdesk.patients import chart_number
from frontdesk.timefmt import fmt_when
from frontdesk.ui.models.rows import RowsTableModel

Index = QModelIndex | QPersistentModelIndex
WHEN, WHO, WHAT, PATIENT, RECORD, WORKSTATION = range(6)
HEADERS = ("When", "Who", "What", "Patient", "Record", "Workstation")


def what_text(row: AuditRow) -> str:
    """ "Changed: update patient", or "Sign in" where the action says it all."""
    kind, action = kind_words(row.kind), action_words(row.action)
    return kind if kind.lower() == action.lower() else f"{kind}: {action}"


def patient_text(row: AuditRow) -> str:
    """ "Zoë Novak (000123)", the chart number alone if the name is unknown, or ""."""
    if row.patient_id is None:
        return ""
    number = chart_number(row.patient_id)
    return f"{row.patient_name} ({number})" if row.patient_name else number


def record_text(row: AuditRow) -> str:
    """ "appointments 12": which table and row the action touched."""
    entity = row.entity.replace("_", " ")
    return f"{entity} {row.record_id}" if row.record_id is not None else entity


def _values(text: str) -> dict[str, Any]:
    if not text:
        return {}
    try:
        found = json.loads(text)
    except ValueError:
        return {"": text}
    return found if isinstance(found, dict) else {"": found}


def changes_text(row: AuditRow) -> str:
    """The fields before and after, one a line: "phone: "" → "403-555-0100"."""
    before, after = _values(row.before), _values(row.after)
    if not before and not after:
        return "No fields recorded: the row says who opened, printed or exported what."
    lines = []
    for key in sorted(set(before) | set(after)):
        old = json.dumps(before[key], ensure_ascii=False) if key in before else None
        new = json.dumps(after[key], ensure_ascii=False) if key in after else None
        if old is not None and new is not None:
            lines.append(f"{key}: {old} → {new}")
        else:
            lines.append(f"{key}: {new if new is not None else old}")
    return "\n".join(lines)


class AuditTableModel(RowsTableModel[AuditRow]):
    """Rows of ``AuditRow``; more are asked for through ``more(after_seq)``.

    ``more`` starts reading the page below ``after_seq`` (on a worker) and the page hands the
    answer to ``append``; while it runs, ``canFetchMore`` is False so the view asks once.
    """

    headers = HEADERS

    def __init__(self, more: Callable[[int], None], parent: Any = None) -> None:
        super().__init__(parent)
        self._more = more
        self.tz: ZoneInfo = ZoneInfo("UTC")
        self.exhausted = True
        self.fetching = False

    def reset(self, rows: list[AuditRow], exhausted: bool) -> None:
        """Replace the rows with the first page of a new filter."""
        self.beginResetModel()
        self._rows = list(rows)
        self.exhausted = exhausted
        self.fetching = False
        self.endResetModel()

    def append(self, rows: list[AuditRow], exhausted: bool) -> None:
        """Add the next page under the rows shown."""
        self.fetching = False
        self.exhausted = exhausted
        if rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return (
            not parent.isValid() and not self.exhausted and not self.fetching and bool(self._rows)
        )

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if self.canFetchMore(parent):
            self.fetching = True
            self._more(self._rows[-1].seq)

    def row_of_seq(self, seq: int) -> int | None:
        return next((r for r, row in enumerate(self._rows) if row.seq == seq), None)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row()) if index.isValid() else None
        if row is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{HEADERS[column]}: {self._text(row, column)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == WHEN:
                return f"{row.at.astimezone(UTC).isoformat()} (UTC) · row {row.seq}"
            if row.before or row.after:
                return changes_text(row)
        return None

    def _text(self, row: AuditRow, column: int) -> str:
        if column == WHEN:
            return fmt_when(row.at, self.tz)
        if column == WHO:
            return row.username
        if column == WHAT:
            return what_text(row)
        if column == PATIENT:
            return patient_text(row)
        if column == RECORD:
            return record_text(row)
        if column == WORKSTATION:
            return row.workstation
        return ""
