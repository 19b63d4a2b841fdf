"""The patients table: search results paged in from the service as the list scrolls.

The model never asks for every patient: it loads one page of ``search_patients`` results and
then the next page only when the view scrolls near the end (``canFetchMore``/``fetchMore``,
keyset paging on the list's sort key), on a worker thread (``ui/worker.py``): the rows are
added when the page comes. ``data()`` reads only the rows already in memory.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont

from frontdesk.domain import FrontdeskError
from frontdesk.patients import PatientSummary, SortKey, chart_number
from frontdesk.ui.formatting import age_on, format_date, format_health_number
from frontdesk.ui.models.rows import RowsTableModel
from frontdesk.ui.worker import run_query

# (query, include_archived, limit, after) -> one page of results in list order
FetchPage = Callable[[str, bool, int, SortKey | None], list[PatientSummary]]
Index = QModelIndex | QPersistentModelIndex

NAME, BIRTH, AGE, PHONE, HEALTH, CHART = range(6)
HEADERS = ("Name", "Date of birth", "Age", "Phone", "Health number", "Chart")
PATIENT_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class PatientTableModel(RowsTableModel[PatientSummary]):
    """Rows of ``PatientSummary`` for the current search, fetched a page at a time.

    Signals:
        searched(): the result list was replaced (new search, archived toggle or reload).
        fetch_failed(str): the next page could not be read (the reason, for the user).
    """

    searched = Signal()
    fetch_failed = Signal(str)
    PAGE_SIZE = 100
    headers = HEADERS

    def __init__(self, fetch: FetchPage, today: date, parent: Any = None) -> None:
        super().__init__(parent)
        self._fetch = fetch
        self._today = today
        self._query = ""
        self._include_archived = False
        self._exhausted = True
        self._fetching = False  # the next page is being read on a worker
        self._generation = 0  # how many times the rows were replaced: late pages are dropped
        self._italic = QFont()
        self._italic.setItalic(True)
        self._muted = QColor("#7d8b94")

    # -- searching ---------------------------------------------------------------------------
    @property
    def query(self) -> str:
        return self._query

    @property
    def include_archived(self) -> bool:
        return self._include_archived

    @property
    def complete(self) -> bool:
        """True when every match is loaded (so ``rowCount()`` is the number of matches)."""
        return self._exhausted

    def set_today(self, today: date) -> None:
        """Ages shown are counted to this day (the page passes the clinic's today)."""
        if today != self._today:
            self._today = today
            if self._rows:
                self.dataChanged.emit(self.index(0, AGE), self.index(len(self._rows) - 1, AGE))

    def search(self, query: str, include_archived: bool = False) -> None:
        """Replace the rows with the first page of matches for ``query``, now.

        Calls the fetch function on this thread: for a fetch that does not touch the database.
        The patients page reads on a worker (``read``) and shows the answer (``show_rows``).
        """
        self._query = query
        self._include_archived = include_archived
        self._load(self.PAGE_SIZE)

    def reload(self) -> None:
        """Re-run the current search now, keeping as many rows as were loaded (see ``search``)."""
        self._load(max(self.PAGE_SIZE, len(self._rows)))

    def _load(self, wanted: int) -> None:
        rows, exhausted = self.read(self._query, self._include_archived, wanted)
        self.show_rows(self._query, self._include_archived, rows, exhausted)

    def wanted_rows(self) -> int:
        """How many rows a reload reads again (as many as are loaded, at least a page)."""
        return max(self.PAGE_SIZE, len(self._rows))

    def read(
        self, query: str, include_archived: bool, wanted: int
    ) -> tuple[list[PatientSummary], bool]:
        """At least ``wanted`` matches (fewer if there are no more) and whether that is all.

        Only calls the fetch function, so a worker thread may run it (``ui/worker.py``).
        """
        rows: list[PatientSummary] = []
        exhausted = False
        while len(rows) < wanted and not exhausted:
            after = rows[-1].sort_key if rows else None
            page = self._fetch(query, include_archived, self.PAGE_SIZE, after)
            rows.extend(page)
            exhausted = len(page) < self.PAGE_SIZE
        return rows, exhausted

    def show_rows(
        self, query: str, include_archived: bool, rows: list[PatientSummary], exhausted: bool
    ) -> None:
        """Replace the rows with ones ``read`` returned for ``query``."""
        self._query = query
        self._include_archived = include_archived
        self.beginResetModel()
        self._rows = rows
        self._exhausted = exhausted
        self._generation += 1
        self._fetching = False
        self.endResetModel()
        self.searched.emit()

    # -- lazy paging -------------------------------------------------------------------------
    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and not self._exhausted and not self._fetching

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        """Read the next page on a worker; its rows are added when it comes."""
        if parent.isValid() or self._exhausted or self._fetching:
            return
        self._fetching = True
        fetch, query, archived = self._fetch, self._query, self._include_archived
        after = self._rows[-1].sort_key if self._rows else None
        generation = self._generation

        def add(page: list[PatientSummary]) -> None:
            if generation != self._generation:
                return  # the list was replaced meanwhile
            self._fetching = False
            self._exhausted = len(page) < self.PAGE_SIZE
            if page:
                first = len(self._rows)
                self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
                self._rows.extend(page)
                self.endInsertRows()

        def failed(exc: Exception) -> None:
            if generation == self._generation:
                self._fetching = False
            if not isinstance(exc, FrontdeskError):
                raise exc
            self.fetch_failed.emit(f"More patients could not be read: {exc}")

        run_query(self, lambda: fetch(query, archived, self.PAGE_SIZE, after), add, failed)

    # -- lookups -----------------------------------------------------------------------------
    def patient_at(self, row: int) -> PatientSummary | None:
        return self.row_at(row)

    def row_of(self, patient_id: int) -> int | None:
        """Row of a loaded patient, or None if that patient is not (yet) in the list."""
        for row, patient in enumerate(self._rows):
            if patient.id == patient_id:
                return row
        return None

    # -- QAbstractTableModel ------------------------------------------------------------------
    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        patient = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(patient, column)
        if role == PATIENT_ID_ROLE:
            return patient.id
        if role == Qt.ItemDataRole.ToolTipRole and patient.archived:
            return "Archived: hidden from searches and bookings until restored."
        if patient.archived and role == Qt.ItemDataRole.ForegroundRole:
            return self._muted
        if patient.archived and role == Qt.ItemDataRole.FontRole:
            return self._italic
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{HEADERS[column]}: {self._display(patient, column)}"
        return None

    def _display(self, patient: PatientSummary, column: int) -> str:
        if column == NAME:
            return patient.display_name + ("  (archived)" if patient.archived else "")
        if column == BIRTH:
            return format_date(patient.date_of_birth)
        if column == AGE:
            return str(age_on(patient.date_of_birth, self._today))
        if column == PHONE:
            return patient.phone_display
        if column == HEALTH:
            return format_health_number(patient.health_number)
        if column == CHART:  # the number ``frontdesk print-plan --patient`` takes
            return chart_number(patient.id)
        return ""
