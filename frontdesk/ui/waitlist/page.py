"""The Wait list page (reception): who is waiting for a time, for what, and until when.

*Add…* (Alt+A) puts a patient on the list; *Take off…* asks why and closes their entry (it
stays listed under *Show closed*, with how it ended). Freed times are matched from the
calendar (*Who could fill this time?*), which books the patient and closes their entry.
Every read and change runs on a worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from frontdesk.clinic import get_clinic
from frontdesk.context import AppContext
from frontdesk.domain import FrontdeskError
from frontdesk.scheduling import (
    AppointmentTypeView,
    PractitionerView,
    list_appointment_types,
    list_practitioners,
)
from frontdesk.scheduling.localtime import to_local
from frontdesk.scheduling.waitlist import WaitlistEntryView, list_waitlist, remove_from_waitlist
from frontdesk.timefmt import fmt_date
from frontdesk.ui import qtbits
from frontdesk.ui.models.rows import RowsTableModel
from frontdesk.ui.waitlist.entry_dialog import WaitlistDialog
from frontdesk.ui.widgets.page import Page
from frontdesk.ui.widgets.tables import list_table
from frontdesk.ui.worker import Latest

Index = QModelIndex | QPersistentModelIndex
PATIENT, WANTS, WHEN, SINCE, STATUS = range(5)


@dataclass(frozen=True)
class Loaded:
    entries: list[WaitlistEntryView]
    types: list[AppointmentTypeView]
    practitioners: list[PractitionerView]
    today: date


def status_text(entry: WaitlistEntryView) -> str:
    if entry.status == "booked":
        return "Booked"
    if entry.status == "removed":
        return f"Taken off: {entry.close_reason}"
    return "Date passed" if entry.expired else "Waiting"


class WaitlistModel(RowsTableModel[WaitlistEntryView]):
    headers = ("Patient", "Wants", "Days and hours that suit", "Waiting since", "Status")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._grey = QColor("#8a979f")

    def set_rows(self, rows: list[WaitlistEntryView]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_of(self, entry_id: int) -> int | None:
        return next((r for r, e in enumerate(self._rows) if e.id == entry_id), None)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        entry = self.row_at(index.row()) if index.isValid() else None
        if entry is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            text = self._text(entry, index.column())
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return f"{self.headers[index.column()]}: {text}"
            return text
        if role == Qt.ItemDataRole.ForegroundRole and (entry.status != "waiting" or entry.expired):
            return self._grey
        if role == Qt.ItemDataRole.ToolTipRole and entry.notes:
            return entry.notes
        return None

    @staticmethod
    def _text(entry: WaitlistEntryView, column: int) -> str:
        if column == PATIENT:
            return entry.patient_name
        if column == WANTS:
            return f"{entry.type_name} · {entry.practitioner_name}"
        if column == WHEN:
            return entry.when_text
        if column == SINCE:
            return fmt_date(entry.created_at)
        return status_text(entry)


class WaitlistPage(Page):
    """The list and its buttons."""

    def __init__(self, ctx: AppContext, undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(ctx, undo_stack, parent)
        self.model = WaitlistModel(self)
        self.data: Loaded | None = None
        self.dialog: WaitlistDialog | None = None
        self.loaded = False
        self._loading = Latest()
        self._changing = Latest()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 12)
        top = QHBoxLayout()
        top.addWidget(qtbits.label("Wait list", name="pageTitle"))
        top.addStretch(1)
        self.show_closed = QCheckBox("Show &closed")
        self.show_closed.toggled.connect(lambda _on: self.reload())
        top.addWidget(self.show_closed)
        self.add_button = qtbits.button("&Add…", tip="Put a patient on the wait list (Alt+A)")
        self.add_button.clicked.connect(self.add_entry)
        self.remove_button = qtbits.button("&Take off…", tip="Take the selected patient off")
        self.remove_button.clicked.connect(self.remove_selected)
        top.addWidget(self.add_button)
        top.addWidget(self.remove_button)
        outer.addLayout(top)
        self.hint = qtbits.label(
            "Patients waiting for an earlier or any opening. When a time frees up, the "
            "calendar's “Who could fill this time?” lists the ones who can take it.",
            name="muted",
            wrap=True,
        )
        outer.addWidget(self.hint)
        self.view = list_table(self.model, parent=self)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self.update_buttons())
        outer.addWidget(self.view, 1)
        self.update_buttons()

    def activated(self) -> None:
        self.reload()

    def reload(self) -> None:
        db, now, closed = self.ctx.db, self.ctx.clock(), self.show_closed.isChecked()

        def load() -> Loaded:
            clinic = get_clinic(db)
            return Loaded(
                entries=list_waitlist(db, now=now, include_closed=closed),
                types=list_appointment_types(db),
                practitioners=list_practitioners(db),
                today=to_local(now, clinic.tz).date(),
            )

        self._loading.run(self, load, self._show, self._failed)

    def _show(self, data: Loaded) -> None:
        selected = self.selected()
        self.data = data
        self.model.set_rows(data.entries)
        if selected is not None and (row := self.model.row_of(selected.id)) is not None:
            self.view.selectRow(row)
        self.loaded = True
        self.update_buttons()

    def _failed(self, exc: Exception) -> None:
        if not isinstance(exc, FrontdeskError):
            raise exc
        self.status_message.emit(str(exc))

    def selected(self) -> WaitlistEntryView | None:
        model = self.view.selectionModel()
        rows = model.selectedRows() if model is not None else []
        return self.model.row_at(rows[0].row()) if rows else None

    def update_buttons(self) -> None:
        entry = self.selected()
        self.add_button.setEnabled(self.data is not None)
        self.remove_button.setEnabled(entry is not None and entry.status == "waiting")

    def add_entry(self, patient_id: int | None = None) -> None:
        if self.data is None:
            return
        self.dialog = WaitlistDialog(
            self.ctx,
            self.data.types,
            self.data.practitioners,
            self.data.today,
            self,
            patient_id=patient_id if isinstance(patient_id, int) else None,
        )
        self.dialog.finished.connect(self._dialog_closed)
        self.dialog.open()

    def _dialog_closed(self, result: int) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is None:
            return
        if result and isinstance(dialog.saved, WaitlistEntryView):
            self.status_message.emit(f"{dialog.saved.patient_name} is on the wait list")
            self.reload()
        dialog.deleteLater()

    def remove_selected(self) -> None:
        entry = self.selected()
        if entry is None or entry.status != "waiting":
            return
        reason, ok = QInputDialog.getText(
            self,
            "Take off the wait list",
            f"Why does {entry.patient_name} come off the wait list?",
            text="No longer needs a time",
        )
        if not ok:
            return
        self.take_off(entry, reason)

    def take_off(self, entry: WaitlistEntryView, reason: str) -> None:
        db, now = self.ctx.db, self.ctx.clock()
        self._changing.run(
            self,
            lambda: remove_from_waitlist(db, entry.id, reason, now=now),
            lambda _none: self._taken_off(entry),
            self._refused,
        )

    def _taken_off(self, entry: WaitlistEntryView) -> None:
        self.status_message.emit(f"{entry.patient_name} is off the wait list")
        self.reload()

    def _refused(self, exc: Exception) -> None:
        if not isinstance(exc, FrontdeskError):
            raise exc
        QMessageBox.warning(self, "Wait list", str(exc))
        self.reload()

    def prepare_screenshot(self) -> None:
        if self.model.rowCount() and not self.selected():
            self.view.selectRow(0)
