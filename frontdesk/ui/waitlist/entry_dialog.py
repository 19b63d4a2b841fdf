"""Add a patient to the wait list: who, what visit, with whom, which days and hours, until when.

The form asks what a receptionist asks on the phone. The service checks it all (a practitioner
who does not give that visit, hours too short for it, a date already past) and each message
appears under its field; nothing is saved until every one is right.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, time, timedelta
from typing import Any

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QTimeEdit,
    QWidget,
)

from frontdesk.context import AppContext
from frontdesk.scheduling import AppointmentTypeView, PractitionerView
from frontdesk.scheduling.waitlist import DAY_NAMES, WaitlistRequest, add_to_waitlist
from frontdesk.ui import qtbits
from frontdesk.ui.admin.password_dialogs import WorkerFormDialog
from frontdesk.ui.booking.patient_picker import PatientPicker

ANY = -1


def _time_edit(value: time) -> QTimeEdit:
    edit = QTimeEdit(QTime(value.hour, value.minute))
    edit.setDisplayFormat("HH:mm")
    return edit


class WaitlistDialog(WorkerFormDialog):
    """The add form; ``types`` and ``practitioners`` are the clinic's active ones and ``today``
    the clinic's date, loaded by the page that opens it (so the dialog waits on nothing)."""

    def __init__(
        self,
        ctx: AppContext,
        types: Sequence[AppointmentTypeView],
        practitioners: Sequence[PractitionerView],
        today: date,
        parent: QWidget | None = None,
        *,
        patient_id: int | None = None,
    ) -> None:
        super().__init__("Add to the wait list", parent)
        self.ctx = ctx
        self.practitioners = list(practitioners)
        body = QWidget()
        grid = QGridLayout(body)
        grid.setContentsMargins(0, 0, 0, 0)
        self.picker = PatientPicker(ctx, rows=4)
        self.grid_row(grid, "&Patient", "patient_id", self.picker)
        self.type_box = QComboBox()
        for kind in types:
            self.type_box.addItem(f"{kind.name} ({kind.duration_minutes} min)", kind.id)
        self.grid_row(grid, "&Visit", "type_id", self.type_box)
        self.practitioner_box = QComboBox()
        self.practitioner_box.addItem("Any practitioner who gives it", ANY)
        for p in self.practitioners:
            self.practitioner_box.addItem(p.display_name, p.id)
        self.grid_row(grid, "&With", "practitioner_id", self.practitioner_box)
        days = QWidget()
        row = QHBoxLayout(days)
        row.setContentsMargins(0, 0, 0, 0)
        self.day_boxes: list[QCheckBox] = []
        for number, name in enumerate(DAY_NAMES):
            box = QCheckBox(name)
            box.setChecked(number < 5)
            self.day_boxes.append(box)
            row.addWidget(box)
        row.addStretch(1)
        self.grid_row(grid, "&Days", "weekdays", days)
        hours = QWidget()
        span = QHBoxLayout(hours)
        span.setContentsMargins(0, 0, 0, 0)
        self.earliest = _time_edit(time(8))
        self.latest = _time_edit(time(18))
        span.addWidget(self.earliest)
        span.addWidget(qtbits.label("to"))
        span.addWidget(self.latest)
        span.addStretch(1)
        self.grid_row(grid, "&Hours", "latest", hours)
        self.until = qtbits.date_edit(display_format="ddd d MMM yyyy")
        self.until.setDate(qtbits.qdate(today + timedelta(weeks=4)))
        self.grid_row(grid, "&Until", "until", self.until)
        self.notes = QLineEdit()
        self.notes.setPlaceholderText("e.g. can come at short notice; prefers a morning")
        self.grid_row(grid, "&Notes", "notes", self.notes)
        self.set_body(body)
        self.set_save_text("Add to wait list")
        self.resize(560, self.sizeHint().height())
        if patient_id is not None:
            self.picker.set_patient_id(patient_id)
        self.picker.setFocus()

    def request(self) -> WaitlistRequest:
        practitioner = self.practitioner_box.currentData()
        return WaitlistRequest(
            patient_id=self.picker.patient_id() or 0,
            type_id=int(self.type_box.currentData() or 0),
            practitioner_id=None if practitioner in (None, ANY) else int(practitioner),
            weekdays=frozenset(n for n, box in enumerate(self.day_boxes) if box.isChecked()),
            earliest=qtbits.py_time(self.earliest.time()),
            latest=qtbits.py_time(self.latest.time()),
            until=qtbits.py_date(self.until.date()),
            notes=self.notes.text(),
        )

    def check(self) -> dict[str, str]:
        if self.picker.patient_id() is None:
            return {"patient_id": "Find and choose the patient who is waiting."}
        if self.type_box.count() == 0:
            return {"type_id": "The clinic offers no appointment types yet (Settings)."}
        return {}

    def call(self) -> Callable[[], Any]:
        db, req, now = self.ctx.db, self.request(), self.ctx.clock()
        return lambda: add_to_waitlist(db, req, now=now)
