"""Who could fill this time? The waiting patients the rules accept for a freed or empty slot.

Opened from the calendar on an empty time, or offered after a visit is cancelled or missed.
Each row names the patient, what they want and why they rank where they do; **Book** (or
Enter, or a double-click) books the highlighted patient and takes them off the wait list in
one step. A time taken at another desk meanwhile is refused with the booking's own words,
and the list is asked again.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QVBoxLayout,
    QWidget,
)

from frontdesk.context import AppContext
from frontdesk.domain import FrontdeskError
from frontdesk.scheduling import AppointmentView
from frontdesk.scheduling.waitlist import WaitlistMatch, book_from_waitlist, waitlist_matches
from frontdesk.timefmt import fmt_slot, fmt_time, fmt_when
from frontdesk.ui import qtbits
from frontdesk.ui.models.rows import RowsTableModel
from frontdesk.ui.widgets.tables import list_table
from frontdesk.ui.worker import Latest

Index = QModelIndex | QPersistentModelIndex
PATIENT, WANTS, TIME, WHY = range(4)


class MatchesModel(RowsTableModel[WaitlistMatch]):
    headers = ("Patient", "Wants", "Time", "Why this order")

    def __init__(self, tz: tzinfo, parent: Any = None) -> None:
        super().__init__(parent)
        self.tz = tz

    def set_rows(self, rows: list[WaitlistMatch]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        match = self.row_at(index.row()) if index.isValid() else None
        if match is None or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.AccessibleTextRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        entry = match.entry
        column = index.column()
        if column == PATIENT:
            text = entry.patient_name + (f" · {entry.patient_phone}" if entry.patient_phone else "")
        elif column == WANTS:
            text = f"{entry.type_name} · {entry.practitioner_name}"
        elif column == TIME:
            text = f"{fmt_time(match.start, self.tz)}–{fmt_time(match.end, self.tz)}"
        else:
            text = match.why + (f" · {entry.notes}" if entry.notes else "")
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{self.headers[column]}: {text}"
        return text


class FillGapDialog(QDialog):
    """The matches for ``practitioner``'s free time from ``start`` (to ``end`` when known).

    Signals:
        loaded(): the matches arrived (tests wait for it).
        booked(object): the ``AppointmentView`` booked from the list.
    """

    loaded = Signal()
    booked = Signal(object)

    def __init__(
        self,
        ctx: AppContext,
        practitioner_id: int,
        practitioner_name: str,
        start: datetime,
        tz: tzinfo,
        parent: QWidget | None = None,
        *,
        end: datetime | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.practitioner_id = practitioner_id
        self.start, self.end, self.tz = start, end, tz
        self.result_appointment: AppointmentView | None = None
        self._loading = Latest()
        self._booking = Latest()
        when = fmt_slot(start, end, tz) if end is not None else f"from {fmt_when(start, tz)}"
        self.setWindowTitle("Who could fill this time?")
        layout = QVBoxLayout(self)
        self.heading = qtbits.label(f"{practitioner_name} · {when}", name="sectionTitle")
        layout.addWidget(self.heading)
        self.message = qtbits.label("Looking at the wait list…", name="muted", wrap=True)
        layout.addWidget(self.message)
        self.model = MatchesModel(tz, self)
        self.view = list_table(self.model, parent=self)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.view.doubleClicked.connect(lambda _i: self.book_selected())
        self.view.activated.connect(lambda _i: self.book_selected())
        layout.addWidget(self.view, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.book_button = self.buttons.addButton(
            "&Book selected", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.book_button.setEnabled(False)
        self.book_button.clicked.connect(self.book_selected)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(760, 360)
        self.refresh()

    def refresh(self) -> None:
        db, pid, start, end, now = (
            self.ctx.db,
            self.practitioner_id,
            self.start,
            self.end,
            self.ctx.clock(),
        )
        self._loading.run(
            self,
            lambda: waitlist_matches(db, pid, start, end=end, now=now),
            self._show,
            self._failed,
        )

    def _show(self, matches: list[WaitlistMatch]) -> None:
        self.model.set_rows(matches)
        if matches:
            self.message.setText(
                f"{len(matches)} waiting {'patient' if len(matches) == 1 else 'patients'} "
                "could take this time, best match first. Book one and they come off the "
                "wait list."
            )
            self.view.selectRow(0)
            self.view.setFocus()
        else:
            self.message.setText(
                "Nobody on the wait list can take this time: no one waiting wants these days "
                "and hours with this practitioner, or the clinic's rules refuse it."
            )
        self.book_button.setEnabled(bool(matches))
        self.loaded.emit()

    def _failed(self, exc: Exception) -> None:
        if not isinstance(exc, FrontdeskError):
            raise exc
        self.message.setText(str(exc))
        self.loaded.emit()

    def selected(self) -> WaitlistMatch | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def book_selected(self) -> None:
        match = self.selected()
        if match is None or self._booking.running:
            return
        self.book_button.setEnabled(False)
        db, now = self.ctx.db, self.ctx.clock()
        self._booking.run(
            self,
            lambda: book_from_waitlist(
                db,
                match.entry.id,
                match.practitioner_id,
                match.start,
                room_id=match.room_id,
                now=now,
            ),
            self._booked,
            self._refused,
        )

    def _booked(self, appt: AppointmentView) -> None:
        self.result_appointment = appt
        self.booked.emit(appt)
        self.accept()

    def _refused(self, exc: Exception) -> None:
        if not isinstance(exc, FrontdeskError):
            raise exc
        self.message.setText(f"{exc} The list is asked again.")
        self.refresh()
