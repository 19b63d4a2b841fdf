"""A small clinic and an action counter for the booking dialog and course wizard tests.

The week is Monday 2026-03-02 .. Sunday 2026-03-08 in America/Edmonton and "now" is the Sunday
before at noon, so nothing depends on today's date. Practitioners and rooms are inserted as rows
(there is no service for clinic set-up yet); patients come in through the patients service so
search finds them exactly as it would at the desk.

``Actions`` drives widgets through qtbot and counts what the issue counts as a user action: a
click, a key that is not typing into a field, and a typed search counted once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractItemView, QWidget
from sqlalchemy import select

from frontdesk.context import AppContext
from frontdesk.db.engine import Database
from frontdesk.db.models import (
    Appointment,
    AppointmentType,
    Practitioner,
    PractitionerBreak,
    Room,
    WorkingHours,
)
from frontdesk.patients import PatientInput, create_patient
from frontdesk.scheduling import BookingRequest, book_appointment

TZ = ZoneInfo("America/Edmonton")
MONDAY = date(2026, 3, 2)
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=TZ).astimezone(UTC)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    """An aware instant for a wall-clock time in Edmonton."""
    return datetime.combine(day, time(hour, minute), tzinfo=TZ)


@dataclass(frozen=True)
class Clinic:
    ctx: AppContext
    acu: int  # Dr Mei Lin, acupuncture: Mon-Fri 09-17, lunch 12-13
    physio: int  # Sam Patel, physiotherapy: Mon-Thu 10-19
    room1: int
    room2: int
    ann: int  # Ann Smith
    bob: int  # Bob Jones
    zoe: int  # Zoë Tremblay
    anh: int  # Anh Nguyen
    consult: int
    acupuncture: int


def build_clinic(db: Database) -> Clinic:
    with db.write() as s:
        acu = Practitioner(display_name="Dr Mei Lin", credentials="R.Ac", discipline="acupuncture")
        physio = Practitioner(display_name="Sam Patel", discipline="physiotherapy")
        rooms = [Room(name="Room 1"), Room(name="Room 2")]
        s.add_all([acu, physio, *rooms])
        s.flush()
        for d in range(5):
            s.add(
                WorkingHours(practitioner_id=acu.id, weekday=d, starts_at=time(9), ends_at=time(17))
            )
            s.add(
                PractitionerBreak(
                    practitioner_id=acu.id,
                    weekday=d,
                    starts_at=time(12),
                    ends_at=time(13),
                    label="Lunch",
                )
            )
        for d in range(4):
            s.add(
                WorkingHours(
                    practitioner_id=physio.id, weekday=d, starts_at=time(10), ends_at=time(19)
                )
            )
        types = {t.name: t.id for t in s.scalars(select(AppointmentType))}
        ids = (acu.id, physio.id, rooms[0].id, rooms[1].id)
    today = NOW.astimezone(TZ).date()
    people = [
        create_patient(db, PatientInput(given, family, date(1980 + i, 5, 17)), today=today).id
        for i, (given, family) in enumerate(
            [("Ann", "Smith"), ("Bob", "Jones"), ("Zoë", "Tremblay"), ("Anh", "Nguyen")]
        )
    ]
    return Clinic(
        AppContext(db=db, clock=lambda: NOW),
        *ids,
        *people,
        consult=types["Initial consultation"],
        acupuncture=types["Acupuncture treatment"],
    )


def book(
    clinic: Clinic, patient_id: int, start: datetime, room_id: int, practitioner_id: int = 0
) -> None:
    """An existing consultation, with Dr Lin unless another practitioner is named."""
    book_appointment(
        clinic.ctx.db,
        BookingRequest(
            patient_id, practitioner_id or clinic.acu, clinic.consult, start, room_id=room_id
        ),
        now=clinic.ctx.clock(),
    )


def appointments(db: Database) -> list[Appointment]:
    """Every stored appointment, oldest first (read straight from the table: the assertion)."""
    with db.read() as s:
        rows = list(s.scalars(select(Appointment).order_by(Appointment.start_at)))
        s.expunge_all()  # keep the loaded values readable after the session closes
        return rows


@dataclass
class Actions:
    """qtbot with a tally of user actions, so tests can hold the issue's speed bounds."""

    qtbot: object
    count: int = 0
    log: list[str] = field(default_factory=list)

    def _note(self, what: str) -> None:
        self.count += 1
        self.log.append(what)

    def happened(self, what: str) -> None:
        """An action performed outside these helpers (the calendar click opening a dialog)."""
        self._note(what)

    def click(self, widget: QWidget, what: str = "click", pos: QPoint | None = None) -> None:
        self._note(what)
        if pos is None:
            self.qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
        else:
            self.qtbot.mouseClick(  # type: ignore[attr-defined]
                widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pos
            )
        self.settle()

    def click_cell(self, view: QAbstractItemView, row: int, column: int) -> None:
        rect = view.visualRect(view.model().index(row, column))
        self.click(view.viewport(), f"click row {row + 1}", rect.center())

    def key(self, widget: QWidget, key: Qt.Key, what: str = "") -> None:
        self._note(what or f"key {key.name}")
        self.qtbot.keyClick(widget, key)  # type: ignore[attr-defined]
        self.settle()

    def settle(self) -> None:
        """Wait for the answers of calls that run on a worker (Book, a search) to be shown."""
        from frontdesk.ui import worker

        self.qtbot.waitUntil(lambda: worker.pending() == 0, timeout=10_000)  # type: ignore[attr-defined]

    def type(self, widget: QWidget, text: str) -> None:
        self._note(f"type {text!r}")
        self.qtbot.keyClicks(widget, text)  # type: ignore[attr-defined]
