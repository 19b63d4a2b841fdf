"""The fields of a course plan: who, with whom, how many, how often, when to start.

Turns what is on screen into a ``CourseRequest`` and puts the service's per-field messages
back beside the right widget. The weekday boxes follow the start date until someone ticks one
by hand, so the usual case (weekly, on the start date's weekday) needs no clicks at all.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDate, QTime, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QSpinBox,
    QWidget,
)

from frontdesk.context import AppContext
from frontdesk.domain import Frequency
from frontdesk.scheduling import (
    AppointmentTypeView,
    CourseRequest,
    PractitionerView,
    RoomView,
)
from frontdesk.ui.booking.common import (
    FieldError,
    field_cell,
    fill_practitioners,
    fill_types,
    select_data,
)
from frontdesk.ui.booking.patient_picker import PatientPicker
from frontdesk.ui.qtbits import py_date, py_time
from frontdesk.ui.widgets.time_field import TimeField

WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# The second day offered when switching to twice a week: about half a week later.
PARTNER_DAY = {0: 3, 1: 4, 2: 4, 3: 0, 4: 1, 5: 2, 6: 3}

FREQUENCY_LABELS = {
    Frequency.WEEKLY: "Once a week",
    Frequency.TWICE_WEEKLY: "Twice a week",
    Frequency.EVERY_K_DAYS: "Every few days",
}

FIELDS = (
    "patient_id",
    "practitioner_id",
    "type_id",
    "room_id",
    "sessions",
    "frequency",
    "weekdays",
    "interval_days",
    "preferred_time",
    "start_date",
)


class CourseForm(QWidget):
    """The plan half of the course wizard.

    Signals:
        changed(): any field changed; the wizard refreshes its preview.
    """

    changed = Signal()

    def __init__(
        self,
        ctx: AppContext,
        practitioners: list[PractitionerView],
        types: list[AppointmentTypeView],
        rooms: list[RoomView],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._weekdays_touched = False
        self.start_touched = False  # the date or time was changed by hand
        self._setting = False
        self.picker = PatientPicker(ctx, rows=3)
        self.practitioner = QComboBox()
        fill_practitioners(self.practitioner, practitioners)
        self.type = QComboBox()
        fill_types(self.type, types)
        self.room = QComboBox()
        self._fill_rooms(rooms)
        self.sessions = QSpinBox()
        self.sessions.setRange(1, 60)
        self.sessions.setSuffix(" sessions")
        self.frequency = QComboBox()
        for value, label in FREQUENCY_LABELS.items():
            self.frequency.addItem(label, value)
        self.day_boxes = [QCheckBox(name) for name in WEEKDAY_NAMES]
        self.interval = QSpinBox()
        self.interval.setRange(1, 60)
        self.interval.setValue(3)
        self.interval.setPrefix("every ")
        self.interval.setSuffix(" days")
        self.preferred_time = TimeField()
        self.start_date = QDateEdit()
        self.start_date.setCalendarPopup(True)
        self.start_date.setDisplayFormat("ddd d MMM yyyy")
        self.errors = {name: FieldError() for name in FIELDS}

        left = QFormLayout()
        left.addRow("&Patient:", field_cell(self.picker, error=self.errors["patient_id"]))
        left.addRow(
            "P&ractitioner:", field_cell(self.practitioner, error=self.errors["practitioner_id"])
        )
        left.addRow("&Type:", field_cell(self.type, error=self.errors["type_id"]))
        left.addRow("R&oom:", field_cell(self.room, error=self.errors["room_id"]))
        right = QFormLayout()
        right.addRow("&Sessions:", field_cell(self.sessions, error=self.errors["sessions"]))
        right.addRow("&Frequency:", field_cell(self.frequency, error=self.errors["frequency"]))
        self.days_row = field_cell(*self.day_boxes, error=self.errors["weekdays"])
        right.addRow("On:", self.days_row)
        self.interval_row = field_cell(self.interval, error=self.errors["interval_days"])
        right.addRow("Interval:", self.interval_row)
        self._right = right
        right.addRow("T&ime:", field_cell(self.preferred_time, error=self.errors["preferred_time"]))
        right.addRow("Start &date:", field_cell(self.start_date, error=self.errors["start_date"]))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(left, 3)
        layout.addSpacing(18)
        layout.addLayout(right, 2)
        self.setFocusProxy(self.picker)
        self._update_frequency_rows()
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.picker.patientChanged.connect(self.changed)
        for combo in (self.practitioner, self.type, self.room):
            combo.currentIndexChanged.connect(self.changed)
        self.frequency.currentIndexChanged.connect(self._on_frequency_changed)
        for box in self.day_boxes:
            box.clicked.connect(self._on_day_clicked)
            box.toggled.connect(self.changed)
        for spin in (self.sessions, self.interval):
            spin.valueChanged.connect(self.changed)
        self.preferred_time.timeChanged.connect(self._on_time_changed)
        self.start_date.dateChanged.connect(self._on_start_date_changed)

    def _fill_rooms(self, rooms: list[RoomView]) -> None:
        self.room.clear()
        self.room.addItem("Any free room", None)
        for r in rooms:
            self.room.addItem(r.name, r.id)

    def set_choices(
        self,
        practitioners: list[PractitionerView],
        types: list[AppointmentTypeView],
        rooms: list[RoomView],
    ) -> None:
        """Fill the lists (the wizard reads them on a worker once it is open)."""
        combos = (self.practitioner, self.type, self.room)
        for combo in combos:
            combo.blockSignals(True)
        fill_practitioners(self.practitioner, practitioners)
        fill_types(self.type, types)
        self._fill_rooms(rooms)
        for combo in combos:
            combo.blockSignals(False)

    # -- values -----------------------------------------------------------------------------
    def set_values(
        self, *, practitioner_id: int | None, start: datetime, sessions: int, type_id: int | None
    ) -> None:
        """Prefill without announcing every single change."""
        self._setting = True
        self.blockSignals(True)
        if practitioner_id is not None:
            select_data(self.practitioner, practitioner_id)
        if type_id is not None:
            select_data(self.type, type_id)
        self.sessions.setValue(sessions)
        self.preferred_time.setTime(QTime(start.hour, start.minute))
        self.start_date.setDate(QDate(start.year, start.month, start.day))
        self._follow_start_date()
        self.blockSignals(False)
        self._setting = False

    def set_practitioners(self, practitioners: list[PractitionerView]) -> bool:
        """Offer only ``practitioners``, keeping the chosen one when still offered.

        Returns whether the chosen practitioner changed.
        """
        before = self.practitioner.currentData()
        self.practitioner.blockSignals(True)
        fill_practitioners(self.practitioner, practitioners)
        select_data(self.practitioner, before)
        self.practitioner.blockSignals(False)
        return self.practitioner.currentData() != before

    def set_start(self, start: datetime, *, weekday_follows: bool = False) -> None:
        """Move the start (date and time) without counting it as a change by hand."""
        self._setting = True
        self.blockSignals(True)
        if weekday_follows:
            self._weekdays_touched = False
        self.preferred_time.set_time(QTime(start.hour, start.minute))
        self.start_date.setDate(QDate(start.year, start.month, start.day))
        self._follow_start_date()
        self.blockSignals(False)
        self._setting = False
        self.changed.emit()

    def chosen_frequency(self) -> Frequency:
        # Qt hands str-based enums back as plain str, so rebuild the member.
        return Frequency(self.frequency.currentData())

    def weekdays(self) -> tuple[int, ...]:
        return tuple(i for i, box in enumerate(self.day_boxes) if box.isChecked())

    def request(self) -> CourseRequest | None:
        """The plan on screen, or None while the patient, practitioner or type is missing."""
        patient_id = self.picker.patient_id()
        practitioner_id = self.practitioner.currentData()
        type_id = self.type.currentData()
        if patient_id is None or practitioner_id is None or type_id is None:
            return None
        frequency = self.chosen_frequency()
        return CourseRequest(
            patient_id=patient_id,
            practitioner_id=practitioner_id,
            type_id=type_id,
            sessions=self.sessions.value(),
            frequency=frequency,
            preferred_time=py_time(self.preferred_time.time()),
            start_date=py_date(self.start_date.date()),
            weekdays=() if frequency is Frequency.EVERY_K_DAYS else self.weekdays(),
            interval_days=self.interval.value() if frequency is Frequency.EVERY_K_DAYS else None,
            room_id=self.room.currentData(),
        )

    def show_errors(self, messages: dict[str, str]) -> dict[str, str]:
        """Place each message beside its field; returns those that belong to no field."""
        for name, label in self.errors.items():
            label.show_message(messages.get(name))
        return {k: v for k, v in messages.items() if k not in self.errors}

    # -- reactions --------------------------------------------------------------------------
    @Slot()
    def _on_frequency_changed(self) -> None:
        if self.chosen_frequency() is Frequency.TWICE_WEEKLY and len(self.weekdays()) < 2:
            first = self.weekdays()[0] if self.weekdays() else self._start_weekday()
            self.day_boxes[PARTNER_DAY[first]].setChecked(True)
        self._update_frequency_rows()
        self.changed.emit()

    @Slot()
    def _on_day_clicked(self) -> None:
        self._weekdays_touched = True

    @Slot()
    def _on_start_date_changed(self) -> None:
        if not self._setting:
            self.start_touched = True
        self._follow_start_date()
        self.changed.emit()

    @Slot()
    def _on_time_changed(self) -> None:
        if not self._setting:
            self.start_touched = True
        self.changed.emit()

    def _start_weekday(self) -> int:
        return py_date(self.start_date.date()).weekday()

    def _follow_start_date(self) -> None:
        """Until ticked by hand, a weekly course's day is the start date's weekday."""
        if self._weekdays_touched or self.chosen_frequency() is not Frequency.WEEKLY:
            return
        day = self._start_weekday()
        for i, box in enumerate(self.day_boxes):
            box.blockSignals(True)
            box.setChecked(i == day)
            box.blockSignals(False)

    def _update_frequency_rows(self) -> None:
        """Weekdays for weekly and twice-weekly courses, the interval for every-k-days ones."""
        every_k = self.chosen_frequency() is Frequency.EVERY_K_DAYS
        self._right.setRowVisible(self.days_row, not every_k)
        self._right.setRowVisible(self.interval_row, every_k)
