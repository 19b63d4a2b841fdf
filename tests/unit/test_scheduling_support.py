"""A small clinic for the scheduling tests: two practitioners, rooms, patients, fixed dates.

Rows are inserted as models inside ``db.write()`` (the patients service is written elsewhere).
The week used is Monday 2026-03-02 .. Sunday 2026-03-08 in America/Edmonton, "now" is the
Sunday before it at noon, so nothing depends on today's date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select

from frontdesk.db.engine import Database
from frontdesk.db.models import (
    AppointmentType,
    Patient,
    Practitioner,
    PractitionerBreak,
    Room,
    WorkingHours,
)

TZ = ZoneInfo("America/Edmonton")
MONDAY = date(2026, 3, 2)
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=TZ).astimezone(UTC)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    """An aware UTC instant for a local wall-clock time in Edmonton."""
    return datetime.combine(day, time(hour, minute), tzinfo=TZ).astimezone(UTC)


@dataclass(frozen=True)
class Clinic:
    acu: int  # Dr Mei Lin, acupuncture: Mon-Fri 09-17 (lunch 12-13), Sat 09-13
    physio: int  # Sam Patel, physiotherapy: Mon-Thu 10-19
    retired: int  # inactive chiropractor
    room1: int
    room2: int
    old_room: int  # inactive
    ann: int
    bob: int
    cara: int
    archived: int
    consult: int  # Initial consultation, 60 min, any discipline
    acupuncture: int  # 45 min, acupuncture only
    physio_type: int  # 45 min, physiotherapy only


def add_practitioner(
    s, name: str, discipline: str, hours: dict[int, tuple[time, time]], *, active: bool = True
) -> int:
    p = Practitioner(display_name=name, discipline=discipline, active=active)
    s.add(p)
    s.flush()
    for weekday, (a, b) in hours.items():
        s.add(WorkingHours(practitioner_id=p.id, weekday=weekday, starts_at=a, ends_at=b))
    return p.id


def add_patient(s, given: str, family: str, *, archived: bool = False) -> int:
    p = Patient(
        given_name=given, family_name=family, date_of_birth=date(1980, 5, 17), archived=archived
    )
    s.add(p)
    s.flush()
    return p.id


def build_clinic(db: Database) -> Clinic:
    with db.write() as s:
        weekdays = {d: (time(9), time(17)) for d in range(5)} | {5: (time(9), time(13))}
        acu = add_practitioner(s, "Dr Mei Lin", "acupuncture", weekdays)
        for d in range(5):
            s.add(
                PractitionerBreak(
                    practitioner_id=acu,
                    weekday=d,
                    starts_at=time(12),
                    ends_at=time(13),
                    label="Lunch",
                )
            )
        physio = add_practitioner(
            s, "Sam Patel", "physiotherapy", {d: (time(10), time(19)) for d in range(4)}
        )
        retired = add_practitioner(
            s, "Dr Old", "chiropractic", {0: (time(9), time(17))}, active=False
        )
        rooms = [Room(name="Room 1"), Room(name="Room 2"), Room(name="Room 3", active=False)]
        s.add_all(rooms)
        s.flush()
        types = {t.name: t.id for t in s.scalars(select(AppointmentType))}
        return Clinic(
            acu=acu,
            physio=physio,
            retired=retired,
            room1=rooms[0].id,
            room2=rooms[1].id,
            old_room=rooms[2].id,
            ann=add_patient(s, "Ann", "Smith"),
            bob=add_patient(s, "Bob", "Jones"),
            cara=add_patient(s, "Cara", "Diaz"),
            archived=add_patient(s, "Carl", "Gone", archived=True),
            consult=types["Initial consultation"],
            acupuncture=types["Acupuncture treatment"],
            physio_type=types["Physiotherapy"],
        )
