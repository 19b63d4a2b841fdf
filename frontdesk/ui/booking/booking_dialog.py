"""Book one appointment: the dialog a click on an empty calendar slot opens.

Built for speed at the desk: the practitioner and time come from the slot, focus starts in the
patient search, the type defaults to an initial consultation, a free room is preselected, and
every change is checked at once with ``check_booking_in_rooms`` so the reason a time cannot be
booked (a clash naming the other appointment, outside hours, a holiday) shows beside the field
before anyone presses Book. Enter books. All rules stay in ``frontdesk.scheduling``.

Every service call runs on a worker (``ui/worker.py``): the lists the form offers (read when it
opens; until then it says "Loading…"), each check of the fields and Book itself. A database
locked by another desk keeps the window responsive and its "busy" message arrives beside the
form. When another desk changes something (``database_changed``, from the main window's live
updates) the fields are checked again, so a time just taken says so before anyone presses Book.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QTime, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from frontdesk.clinic import get_clinic
from frontdesk.context import AppContext
from frontdesk.db.engine import Database
from frontdesk.domain import DatabaseUnavailable, FrontdeskError
from frontdesk.scheduling import (
    AppointmentTypeView,
    AppointmentView,
    BookingRequest,
    PractitionerView,
    RoomView,
    book_appointment,
    check_booking_in_rooms,
    list_appointment_types,
    list_practitioners,
    list_rooms,
)
from frontdesk.scheduling import Slot as FreeSlot
from frontdesk.timefmt import fmt_slot, fmt_time
from frontdesk.ui.booking.common import (
    FORM,
    FieldError,
    combine_local,
    error_messages,
    field_cell,
    fill_practitioners,
    fill_rooms,
    fill_types,
    local,
    next_quarter_hour,
    select_data,
    select_named,
)
from frontdesk.ui.booking.first_available import FirstAvailableDialog
from frontdesk.ui.booking.patient_picker import PatientPicker
from frontdesk.ui.qtbits import py_date, py_time
from frontdesk.ui.worker import Latest

OK_STYLE = "color: #1b6e3a;"
DEFAULT_TYPE = "Initial consultation"  # what a new patient's first visit is booked as


@dataclass(frozen=True)
class _Lists:
    """What the form offers, read on a worker when it opens."""

    tz: ZoneInfo
    practitioners: list[PractitionerView]
    types: list[AppointmentTypeView]
    rooms: list[RoomView]


def _read_lists(db: Database) -> _Lists:
    return _Lists(
        get_clinic(db).tz, list_practitioners(db), list_appointment_types(db), list_rooms(db)
    )


class BookingDialog(QDialog):
    """Patient, practitioner, time, type and room for one appointment, checked live.

    Signals:
        booked(object): the ``AppointmentView`` just stored.
    """

    booked = Signal(object)

    def __init__(
        self,
        parent: QWidget | None,
        ctx: AppContext,
        *,
        practitioner_id: int | None,
        start: datetime | None,
        patient_id: int | None = None,
        type_id: int | None = None,
        room_id: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Book appointment")
        self._ctx = ctx
        self._tz = ZoneInfo("UTC")  # the clinic's, once the lists are read
        self._loading = True  # until the lists are read, the fields are not checked
        self._room_touched = False
        self._focus_book = patient_id is not None  # all filled in: Enter books once it is free
        self.appointment: AppointmentView | None = None
        self._booking = Latest()
        self._setup = Latest()  # the lists the form offers
        self._checking = Latest()  # the check of the fields as they stand
        self._practitioners: list[PractitionerView] = []
        self._types: list[AppointmentTypeView] = []
        self._rooms: list[RoomView] = []

        self.picker = PatientPicker(ctx)
        self.practitioner = QComboBox()
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("ddd d MMM yyyy")
        self.time = QTimeEdit()
        self.time.setDisplayFormat("HH:mm")
        self.end_label = QLabel()
        self.first_button = QPushButton("First available…")
        self.first_button.setAutoDefault(False)
        self.type = QComboBox()
        self.room = QComboBox()
        self.notes = QLineEdit()
        self.notes.setPlaceholderText("Optional, e.g. referred by Dr. Lee")
        self.back_entered = QCheckBox("This visit is in the past: record it anyway")
        self.back_entered.setVisible(False)
        self.summary = QLabel("Loading…")
        self.summary.setWordWrap(True)
        self.errors = {
            name: FieldError()
            for name in ("patient_id", "practitioner_id", "start", "type_id", "room_id", FORM)
        }
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Book")
        self.ok_button.setDefault(True)
        self.ok_button.setEnabled(False)

        form = QFormLayout()
        form.addRow("&Patient:", field_cell(self.picker, error=self.errors["patient_id"]))
        form.addRow(
            "P&ractitioner:",
            field_cell(self.practitioner, error=self.errors["practitioner_id"]),
        )
        form.addRow(
            "&When:",
            field_cell(
                self.date, self.time, self.end_label, self.first_button, error=self.errors["start"]
            ),
        )
        form.addRow("&Type:", field_cell(self.type, error=self.errors["type_id"]))
        form.addRow("R&oom:", field_cell(self.room, error=self.errors["room_id"]))
        form.addRow("&Notes:", self.notes)
        form.addRow("", self.back_entered)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.errors[FORM])
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)

        if patient_id is not None:
            self.picker.set_patient_id(patient_id)
        self._connect_signals()
        self.picker.setFocus()

        def fill(lists: _Lists) -> None:
            self._fill(lists, practitioner_id, start, type_id, room_id)

        def failed(exc: Exception) -> None:
            if not isinstance(exc, FrontdeskError):
                raise exc
            self.summary.setText("")
            self._show_errors({FORM: f"The booking form could not be filled: {exc}"})

        db = ctx.db
        self._setup.run(self, lambda: _read_lists(db), fill, failed)

    @property
    def loading(self) -> bool:
        """The lists, a check of the fields or a patient are still being read."""
        return self._setup.running or self._checking.running or self.picker.loading

    def _fill(
        self,
        lists: _Lists,
        practitioner_id: int | None,
        start: datetime | None,
        type_id: int | None,
        room_id: int | None,
    ) -> None:
        """The lists have come: fill the form as it was asked for, then check it."""
        self._tz = lists.tz
        self._practitioners, self._types, self._rooms = (
            lists.practitioners,
            lists.types,
            lists.rooms,
        )
        for box in (self.practitioner, self.type, self.room):
            box.blockSignals(True)
        fill_practitioners(self.practitioner, self._practitioners)
        fill_types(self.type, self._types)
        fill_rooms(self.room, self._rooms)
        if practitioner_id is not None:
            select_data(self.practitioner, practitioner_id)
        if start is None:
            when = next_quarter_hour(self._ctx.clock(), self._tz)
        elif start.tzinfo is None:
            when = start.replace(tzinfo=self._tz)  # a naive time means the clinic's wall clock
        else:
            when = local(start, self._tz)
        self._set_when(when)
        select_named(self.type, self._types, DEFAULT_TYPE)
        if type_id is not None:
            select_data(self.type, type_id)
        if room_id is not None and select_data(self.room, room_id):
            self._room_touched = True
        for box in (self.practitioner, self.type, self.room):
            box.blockSignals(False)
        self._loading = False
        self.summary.setText("")
        self.revalidate()

    def _connect_signals(self) -> None:
        self.picker.patientChanged.connect(self.revalidate)
        self.practitioner.currentIndexChanged.connect(self.revalidate)
        self.date.dateChanged.connect(self.revalidate)
        self.time.timeChanged.connect(self.revalidate)
        self.type.currentIndexChanged.connect(self.revalidate)
        self.room.activated.connect(self._on_room_chosen)
        self.back_entered.toggled.connect(self.revalidate)
        self.first_button.clicked.connect(self._on_first_available)
        self.buttons.accepted.connect(self._on_book)
        self.buttons.rejected.connect(self.reject)

    # -- reading and writing the fields -----------------------------------------------------

    def _set_when(self, when: datetime) -> None:
        self.date.setDate(QDate(when.year, when.month, when.day))
        self.time.setTime(QTime(when.hour, when.minute))

    def start(self) -> datetime:
        """The chosen start as an aware instant in the clinic's zone."""
        return combine_local(py_date(self.date.date()), py_time(self.time.time()), self._tz)

    def _type(self) -> AppointmentTypeView | None:
        return next((t for t in self._types if t.id == self.type.currentData()), None)

    def request(self) -> BookingRequest | None:
        """What the form asks for, or None while it lacks a patient, practitioner or type."""
        patient_id = self.picker.patient_id()
        practitioner_id = self.practitioner.currentData()
        type_id = self.type.currentData()
        if patient_id is None or practitioner_id is None or type_id is None:
            return None
        return BookingRequest(
            patient_id=patient_id,
            practitioner_id=practitioner_id,
            type_id=type_id,
            start=self.start(),
            room_id=self.room.currentData(),
            back_entered=self.back_entered.isChecked(),
            notes=self.notes.text().strip(),
        )

    # -- live checking ----------------------------------------------------------------------

    @Slot()
    def revalidate(self) -> None:
        """Ask the scheduling service, on a worker, about the current fields; show its answer.

        Book keeps the state of the last answer meanwhile (the service checks again when
        booking); a newer check drops the answer of the one before.
        """
        if self._loading or self._booking.running:
            return
        self._update_end_label()
        start = self.start()
        self.back_entered.setVisible(start < self._ctx.clock())
        req = self.request()
        if req is None:
            self._checking.cancel()
            if not self._room_touched:  # a sensible room on show; checked once a patient is in
                t = self._type()
                first_room = self._rooms[0].id if t and t.needs_room and self._rooms else None
                select_data(self.room, first_room)
            self._show_errors({})
            self.summary.setText(
                "Choose a patient to book." if self.picker.patient() is None else ""
            )
            self.summary.setStyleSheet("")
            self.ok_button.setEnabled(False)
            return
        if self._room_touched:  # the room the user chose, or none
            rooms = [req.room_id] if req.room_id is not None else []
        else:  # the first room the service finds free (no room if the type needs none)
            t = self._type()
            rooms = [r.id for r in self._rooms] if t is not None and t.needs_room else []
        db, now, auto = self._ctx.db, self._ctx.clock(), not self._room_touched
        self._checking.run(
            self,
            lambda: check_booking_in_rooms(db, req, rooms, now=now),
            lambda answer: self._show_check(start, auto, *answer),
            self._check_failed,
        )

    def _show_check(
        self, start: datetime, auto: bool, req: BookingRequest, error: FrontdeskError | None
    ) -> None:
        if self._booking.running:
            return
        focus_book, self._focus_book = self._focus_book, False  # only the first answer
        if auto:
            self.room.blockSignals(True)
            select_data(self.room, req.room_id)
            self.room.blockSignals(False)
        if error is not None:
            self._show_errors(error_messages(error))
            self.summary.setText("")
            self.ok_button.setEnabled(False)
            return
        self._show_errors({})
        who = next(p.display_name for p in self._practitioners if p.id == req.practitioner_id)
        where = f" in {self.room.currentText()}" if req.room_id is not None else ""
        self.summary.setText(
            f"✓ Free: {fmt_slot(start, start + self._duration(), self._tz)} with {who}{where}"
        )
        self.summary.setStyleSheet(OK_STYLE)
        self.ok_button.setEnabled(True)
        if focus_book:
            self.ok_button.setFocus()  # everything is filled in: Enter books

    def _check_failed(self, exc: Exception) -> None:
        if not isinstance(exc, FrontdeskError):
            raise exc
        self._show_errors(error_messages(exc))
        self.summary.setText("")
        self.ok_button.setEnabled(False)

    def _show_errors(self, messages: dict[str, str]) -> None:
        unplaced = {k: v for k, v in messages.items() if k not in self.errors}
        for name, label in self.errors.items():
            text = messages.get(name)
            if name == FORM and unplaced:
                text = " ".join([text or "", *unplaced.values()]).strip()
            label.show_message(text)

    def _duration(self) -> timedelta:
        t = self._type()
        return timedelta(minutes=t.duration_minutes if t is not None else 0)

    def _update_end_label(self) -> None:
        end = self.start() + self._duration()
        self.end_label.setText(f"until {fmt_time(end, self._tz)}")

    # -- actions -----------------------------------------------------------------------------

    @Slot(int)
    def _on_room_chosen(self, _index: int) -> None:
        self._room_touched = True
        self.revalidate()

    @Slot()
    def _on_first_available(self) -> None:
        type_id = self.type.currentData()
        if type_id is None:
            return
        slot = FirstAvailableDialog.ask(
            self,
            self._ctx,
            type_id=type_id,
            start_from=self._ctx.clock(),
            slot_start=self.start(),
            tz=self._tz,
            practitioners=self._practitioners,
            practitioner_id=self.practitioner.currentData(),
            patient_id=self.picker.patient_id(),
            room_names={r.id: r.name for r in self._rooms},
        )
        if slot is not None:
            self.apply_slot(slot)
        self.picker.setFocus()

    def apply_slot(self, slot: FreeSlot) -> None:
        """Fill practitioner, time and room from a first-available slot, then re-check."""
        self._loading = True
        select_data(self.practitioner, slot.practitioner_id)
        self._set_when(local(slot.start, self._tz))
        select_data(self.room, slot.room_id)
        self._room_touched = slot.room_id is not None
        self._loading = False
        self.revalidate()

    def database_changed(self) -> None:
        """Another desk changed something: check the chosen time again before Book."""
        if self.isVisible():
            self.revalidate()

    @property
    def booking(self) -> bool:
        """Book was pressed and the database has not answered yet."""
        return self._booking.running

    @Slot()
    def _on_book(self) -> None:
        req = self.request()
        if req is None or not self.ok_button.isEnabled() or self._booking.running:
            return
        self._checking.cancel()
        self.ok_button.setEnabled(False)
        self._show_errors({})
        self.summary.setText("Booking…")
        self.summary.setStyleSheet("")
        db, now = self._ctx.db, self._ctx.clock()
        self._booking.run(
            self, lambda: book_appointment(db, req, now=now), self._on_booked, self._on_book_failed
        )

    def _on_booked(self, appointment: AppointmentView) -> None:
        self.appointment = appointment
        self.booked.emit(appointment)
        self.accept()

    def _on_book_failed(self, exc: Exception) -> None:
        if not isinstance(exc, FrontdeskError):
            raise exc
        self._show_errors(error_messages(exc))
        self.summary.setText("")
        self.ok_button.setEnabled(isinstance(exc, DatabaseUnavailable))  # busy: Book tries again

    def reject(self) -> None:
        if not self._booking.running:  # a booking under way ends booked or refused, not dropped
            super().reject()

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        ctx: AppContext,
        *,
        practitioner_id: int | None,
        start: datetime | None,
        patient_id: int | None = None,
        type_id: int | None = None,
        room_id: int | None = None,
    ) -> AppointmentView | None:
        """Open the dialog modally; the booked appointment, or None if nobody booked."""
        dlg = cls(
            parent,
            ctx,
            practitioner_id=practitioner_id,
            start=start,
            patient_id=patient_id,
            type_id=type_id,
            room_id=room_id,
        )
        try:
            return dlg.appointment if dlg.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dlg.deleteLater()
