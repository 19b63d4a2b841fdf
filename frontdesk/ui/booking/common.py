"""Pieces the booking dialog, the first-available list and the course wizard share.

Turning a service refusal into per-field messages, showing instants as the clinic's local
wall-clock time, and filling the practitioner / type / room pickers from the catalogue. Keeping
them here means every booking screen words times and errors the same way.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from frontdesk.domain import BookingError, FrontdeskError, ValidationError
from frontdesk.names import practitioner_label
from frontdesk.scheduling import AppointmentTypeView, PractitionerView, RoomView

FORM = ""  # the key of a message about the whole form rather than one field

# Field names the services use in BookingError.field / ValidationError.errors, mapped onto the
# widget rows that hold them; anything unknown is shown as a form-level message.
FIELD_ALIASES = {
    "patient": "patient_id",
    "practitioner": "practitioner_id",
    "type": "type_id",
    "appointment_type_id": "type_id",
    "room": "room_id",
    "time": "start",
    "start_at": "start",
    "date": "start",
}

ERROR_STYLE = "color: #b3261e;"


def error_messages(exc: FrontdeskError) -> dict[str, str]:
    """The refusal as {field: message}, with the services' field names normalised."""
    if isinstance(exc, ValidationError):
        raw = dict(exc.errors)
    elif isinstance(exc, BookingError):
        raw = {exc.field or FORM: str(exc)}
    else:
        raw = {FORM: str(exc)}
    out: dict[str, str] = {}
    for key, message in raw.items():
        field = FIELD_ALIASES.get(key, key)
        out[field] = f"{out[field]} {message}" if field in out else message
    return out


class FieldError(QLabel):
    """A red message under a form field; hidden (taking no space) while there is none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fieldError")
        self.setStyleSheet(ERROR_STYLE)
        self.setWordWrap(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.setVisible(False)

    def show_message(self, message: str | None) -> None:
        self.setText(message or "")
        self.setVisible(bool(message))


def field_cell(*widgets: QWidget, error: FieldError) -> QWidget:
    """One form cell: the field widgets side by side with their error message underneath.

    Combo boxes and widgets that ask to expand share the width; short fields (a time, a
    number) keep their natural width. Alt+letter on the row's label lands in the first widget.
    """
    box = QWidget()
    outer = QVBoxLayout(box)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.setSpacing(2)
    line = QHBoxLayout()
    line.setContentsMargins(0, 0, 0, 0)
    expanding = QSizePolicy.Policy.Expanding
    wide = [
        isinstance(w, QComboBox) or w.sizePolicy().horizontalPolicy() == expanding for w in widgets
    ]
    for w, stretch in zip(widgets, wide, strict=True):
        line.addWidget(w, 1 if stretch else 0)
    if not any(wide):
        line.addStretch(1)
    outer.addLayout(line)
    outer.addWidget(error)
    box.setFocusProxy(widgets[0])
    return box


def local(instant: datetime, tz: ZoneInfo) -> datetime:
    return instant.astimezone(tz)


def next_quarter_hour(now: datetime, tz: ZoneInfo) -> datetime:
    """The first 15-minute mark after ``now``, in local time (a default start when none given)."""
    here = local(now, tz).replace(second=0, microsecond=0)
    minutes = (15 - here.minute % 15) % 15 or 15
    return here + timedelta(minutes=minutes)


def combine_local(day: date, at: time, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, at, tzinfo=tz)


def fill_practitioners(combo: QComboBox, practitioners: list[PractitionerView]) -> None:
    combo.clear()
    for p in practitioners:
        combo.addItem(practitioner_label(p), p.id)


def fill_types(combo: QComboBox, types: list[AppointmentTypeView]) -> None:
    combo.clear()
    for t in types:
        combo.addItem(f"{t.name} ({t.duration_minutes} min)", t.id)


def fill_rooms(combo: QComboBox, rooms: list[RoomView]) -> None:
    combo.clear()
    combo.addItem("No room", None)
    for r in rooms:
        combo.addItem(r.name, r.id)


def select_data(combo: QComboBox, value: object) -> bool:
    """Select the item whose data is ``value``; False (selection unchanged) if none has it."""
    index = combo.findData(value)
    if index < 0:
        return False
    combo.setCurrentIndex(index)
    return True


def select_named(combo: QComboBox, types: list[AppointmentTypeView], name: str) -> None:
    for t in types:
        if t.name.casefold() == name.casefold():
            select_data(combo, t.id)
            return
