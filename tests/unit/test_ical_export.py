"""A practitioner's schedule as an .ics file: local times across the clock change, names
left out unless asked for, one stable UID per visit, and the export command.

Clinic: the scheduling tests' small clinic (Edmonton). Clocks go forward on Sunday
2026-03-08, so Monday 2 March is MST (UTC−7) and Monday 9 March MDT (UTC−6).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar
from sqlalchemy import select

from frontdesk.db.engine import Database
from frontdesk.db.models import AuditEvent
from frontdesk.domain import ValidationError
from frontdesk.scheduling import BookingRequest, book_appointment, cancel, reschedule
from frontdesk.scheduling.ical import export_schedule_ics
from tests.unit.test_scheduling_support import MONDAY, NOW, Clinic, local

pytestmark = pytest.mark.usefixtures("clinic")
NEXT_MONDAY = MONDAY + timedelta(days=7)


def book(db: Database, c: Clinic, patient: int, day: date, hour: int, room: int) -> int:
    req = BookingRequest(patient, c.acu, c.acupuncture, local(day, hour), room_id=room)
    return book_appointment(db, req, now=NOW).id


def events(data: bytes) -> list:  # type: ignore[type-arg]
    return [c for c in Calendar.from_ical(data).walk("VEVENT")]


def test_times_are_the_clinics_local_times_on_both_sides_of_the_clock_change(
    db: Database, clinic: Clinic
) -> None:
    book(db, clinic, clinic.ann, MONDAY, 10, clinic.room1)
    book(db, clinic, clinic.bob, NEXT_MONDAY, 10, clinic.room1)

    exported = export_schedule_ics(db, clinic.acu, MONDAY, NEXT_MONDAY, now=NOW)

    found = events(exported.data)
    starts = [e.decoded("dtstart") for e in found]
    assert [(s.hour, s.minute) for s in starts] == [(10, 0), (10, 0)]
    assert [str(s.tzinfo) for s in starts] == ["America/Edmonton"] * 2
    assert [s.utcoffset() for s in starts] == [timedelta(hours=-7), timedelta(hours=-6)]
    assert [e.decoded("dtend") - e.decoded("dtstart") for e in found] == [timedelta(minutes=45)] * 2
    calendar = Calendar.from_ical(exported.data)
    assert [str(z["tzid"]) for z in calendar.walk("VTIMEZONE")] == ["America/Edmonton"]
    assert exported.events == 2


def test_patient_names_are_left_out_unless_asked_for(db: Database, clinic: Clinic) -> None:
    book(db, clinic, clinic.ann, MONDAY, 10, clinic.room1)

    plain = export_schedule_ics(db, clinic.acu, MONDAY, MONDAY, now=NOW)
    named = export_schedule_ics(db, clinic.acu, MONDAY, MONDAY, now=NOW, patient_names=True)

    assert b"Smith" not in plain.data and b"Ann" not in plain.data
    assert [str(e["summary"]) for e in events(plain.data)] == ["Acupuncture treatment"]
    assert [str(e["summary"]) for e in events(named.data)] == ["Ann Smith · Acupuncture treatment"]
    assert "Room 1" in str(events(plain.data)[0]["location"])


def test_a_moved_visit_keeps_its_uid_and_a_cancelled_one_leaves_the_file(
    db: Database, clinic: Clinic
) -> None:
    moved = book(db, clinic, clinic.ann, MONDAY, 10, clinic.room1)
    gone = book(db, clinic, clinic.bob, MONDAY, 14, clinic.room1)
    before = {
        str(e["uid"]): e
        for e in events(export_schedule_ics(db, clinic.acu, MONDAY, MONDAY, now=NOW).data)
    }

    reschedule(db, moved, local(MONDAY, 15), now=NOW)
    cancel(db, gone, "Unwell", now=NOW)
    after = events(export_schedule_ics(db, clinic.acu, MONDAY, MONDAY, now=NOW).data)

    assert len(before) == 2 and len(after) == 1
    uid = str(after[0]["uid"])
    assert uid in before and uid.startswith(f"appointment-{moved}@")
    assert after[0].decoded("dtstart").hour == 15
    assert int(after[0]["sequence"]) > int(before[uid]["sequence"])


def test_each_export_is_in_the_audit_trail_and_a_backwards_range_is_refused(
    db: Database, clinic: Clinic
) -> None:
    with pytest.raises(ValidationError) as refused:
        export_schedule_ics(db, clinic.acu, MONDAY, MONDAY - timedelta(days=1), now=NOW)
    assert "last_day" in refused.value.errors
    export_schedule_ics(db, clinic.acu, MONDAY, MONDAY, now=NOW)
    with db.read() as s:
        rows = s.scalars(select(AuditEvent).where(AuditEvent.action == "export_schedule_ics")).all()
        assert [(r.kind, r.entity, r.record_id) for r in rows] == [
            ("export", "practitioner_schedule", clinic.acu)
        ]


@pytest.mark.sqlite_only  # the command opens the file by its path, as a scheduled job would
def test_the_export_command_writes_the_feed_file(
    db: Database, clinic: Clinic, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from frontdesk.__main__ import main
    from tests.accounts_support import write_password_file

    book(db, clinic, clinic.ann, MONDAY, 10, clinic.room1)
    secret = write_password_file(tmp_path / "home")
    feed = tmp_path / "lin.ics"
    argv = [
        "--database",
        db.url.render_as_string(hide_password=False),
        "export-calendar",
        "--practitioner",
        "mei lin",
        "--from",
        "2026-03-02",
        "--days",
        "7",
        "--out",
        str(feed),
        "--user",
        "administrator",
        "--password-file",
        str(secret),
    ]
    assert main(argv) == 0
    assert "Wrote 1 visits of Dr Mei Lin" in capsys.readouterr().out
    assert [e.decoded("dtstart").hour for e in events(feed.read_bytes())] == [10]
    assert b"Smith" not in feed.read_bytes()
    assert feed.stat().st_mode & 0o777 == 0o644

    assert main([*argv, "--patient-names"]) == 0
    assert b"Ann Smith" in feed.read_bytes()
    assert feed.stat().st_mode & 0o777 == 0o600  # names: readable by its owner only
    assert main([*argv[:4], "Nobody", *argv[5:]]) == 2
    assert "no practitioner matches" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir() if "lin.ics" in p.name] == ["lin.ics"]  # no temp
