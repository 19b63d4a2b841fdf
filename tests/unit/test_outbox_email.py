"""Patient emails through a real SMTP server on 127.0.0.1: sent once, on time, never wrongly.

The clinic is in America/Edmonton; the week of 2026-03-02 crosses the spring-forward night of
Sunday 2026-03-08, so a course's .ics must say 10:00 local on both sides of it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from icalendar import Calendar

from frontdesk.db.engine import Database
from frontdesk.domain import Frequency
from frontdesk.messaging.sender import backoff, send_due_messages
from frontdesk.scheduling import (
    BookingRequest,
    CourseRequest,
    book_appointment,
    book_course,
    cancel,
    reschedule,
)
from tests.unit.outbox_support import (
    MailServer,
    attachment,
    body_text,
    consent,
    outbox,
    running_server,
    use_server,
)
from tests.unit.test_scheduling_support import MONDAY, NOW, TZ, Clinic, local

NEXT_MONDAY = MONDAY + timedelta(days=7)  # 2026-03-09, the first Monday of daylight time


@pytest.fixture
def smtp() -> Iterator[MailServer]:
    """A real SMTP server on 127.0.0.1 for this test."""
    yield from running_server()


def _book(db: Database, c: Clinic, day: date = NEXT_MONDAY, hour: int = 10) -> int:
    view = book_appointment(
        db,
        BookingRequest(
            patient_id=c.ann,
            practitioner_id=c.acu,
            type_id=c.acupuncture,
            start=local(day, hour),
            room_id=c.room1,
        ),
        now=NOW,
    )
    return view.id


def test_a_booking_sends_one_confirmation_with_a_calendar_file(
    db: Database, clinic: Clinic, smtp: MailServer
) -> None:
    use_server(db, smtp.port)
    consent(db, clinic.ann)
    _book(db, clinic)

    report = send_due_messages(db, now=NOW)
    send_due_messages(db, now=NOW)  # a second run finds nothing new to send

    assert report.sent == 1
    assert len(smtp.inbox.messages) == 1
    message = smtp.inbox.messages[0]
    assert message["To"] == "ann@example.com"
    assert "Monday 9 March 2026 at 10:00" in body_text(message)
    event = next(iter(Calendar.from_ical(attachment(message)).walk("VEVENT")))
    start = event.decoded("dtstart")
    assert event["dtstart"].params["TZID"] == "America/Edmonton"
    assert (start.hour, start.minute, start.utcoffset()) == (10, 0, timedelta(hours=-6))


def test_a_course_confirmation_lists_every_session_at_local_time_across_the_dst_change(
    db: Database, clinic: Clinic, smtp: MailServer
) -> None:
    use_server(db, smtp.port)
    consent(db, clinic.ann)
    req = CourseRequest(
        patient_id=clinic.ann,
        practitioner_id=clinic.acu,
        type_id=clinic.acupuncture,
        sessions=3,
        frequency=Frequency.WEEKLY,
        preferred_time=local(MONDAY, 10).astimezone(TZ).time(),
        start_date=MONDAY,
        room_id=clinic.room1,
    )
    starts = [local(MONDAY + timedelta(days=7 * n), 10) for n in range(3)]
    book_course(db, req, starts, now=NOW)

    send_due_messages(db, now=NOW)

    assert smtp.inbox.subjects() == ["Your course of Acupuncture treatment with Dr Mei Lin"]
    events = list(Calendar.from_ical(attachment(smtp.inbox.messages[0])).walk("VEVENT"))
    local_starts = [e.decoded("dtstart") for e in events]
    assert [(s.date(), s.hour, s.minute) for s in local_starts] == [
        (MONDAY, 10, 0),
        (NEXT_MONDAY, 10, 0),
        (MONDAY + timedelta(days=14), 10, 0),
    ]
    # standard time before the change, daylight time after it
    assert [s.utcoffset() for s in local_starts] == [
        timedelta(hours=-7),
        timedelta(hours=-6),
        timedelta(hours=-6),
    ]
    assert all(e["dtstart"].params["TZID"] == "America/Edmonton" for e in events)


def test_a_reminder_goes_once_at_its_due_time(
    db: Database, clinic: Clinic, smtp: MailServer
) -> None:
    use_server(db, smtp.port)
    consent(db, clinic.ann)
    _book(db, clinic)
    due = local(NEXT_MONDAY, 10) - timedelta(hours=48)

    send_due_messages(db, now=NOW)  # the confirmation
    send_due_messages(db, now=due - timedelta(minutes=1))
    assert len(smtp.inbox.messages) == 1
    send_due_messages(db, now=due)
    send_due_messages(db, now=due + timedelta(hours=1))

    assert smtp.inbox.subjects() == [
        "Your appointment on Monday 9 March 2026 at 10:00",
        "Reminder: your appointment on Monday 9 March 2026 at 10:00",
    ]


def test_no_reminder_for_a_cancelled_visit_and_none_for_the_old_time_of_a_moved_one(
    db: Database, clinic: Clinic, smtp: MailServer
) -> None:
    use_server(db, smtp.port)
    consent(db, clinic.ann)
    cancelled = _book(db, clinic)
    moved = _book(db, clinic, hour=14)
    cancel(db, cancelled, "Patient is unwell", now=NOW)
    reschedule(db, moved, local(NEXT_MONDAY + timedelta(days=1), 15), now=NOW)

    send_due_messages(db, now=NOW + timedelta(days=14))

    subjects = smtp.inbox.subjects()
    assert not any(s.startswith("Reminder") and "10:00" in s for s in subjects)
    assert "Your appointment on Monday 9 March 2026 at 10:00 is cancelled" in subjects
    assert "Your appointment has moved to Tuesday 10 March 2026 at 15:00" in subjects
    reminders = [s for s in subjects if s.startswith("Reminder")]
    assert reminders == ["Reminder: your appointment on Tuesday 10 March 2026 at 15:00"]
    skipped = {m.reason for m in outbox(db) if m.status == "skipped"}
    assert skipped == {"skipped: the visit was cancelled", "skipped: the visit was moved"}


def test_a_reminder_written_before_a_cancel_is_not_sent_even_if_the_hook_was_bypassed(
    db: Database, clinic: Clinic, smtp: MailServer
) -> None:
    """The sender checks the visit itself just before sending."""
    from frontdesk.db.models import Appointment

    use_server(db, smtp.port)
    consent(db, clinic.ann)
    appointment = _book(db, clinic)
    send_due_messages(db, now=NOW)
    with db.write() as s:  # a change outside any service: no notice written
        row = s.get(Appointment, appointment)
        assert row is not None
        row.status, row.cancellation_reason = "cancelled", "test"

    send_due_messages(db, now=NOW + timedelta(days=14))

    assert len(smtp.inbox.messages) == 1  # the confirmation only
    assert [m.status for m in outbox(db) if m.kind == "reminder"] == ["skipped"]


def test_a_failed_send_is_retried_with_back_off_and_sent_when_the_server_is_back(
    db: Database, clinic: Clinic, smtp: MailServer
) -> None:
    use_server(db, smtp.port)
    consent(db, clinic.ann)
    smtp.stop()
    _book(db, clinic)

    first = send_due_messages(db, now=NOW)
    [row] = outbox(db)[:1]
    assert first.retrying == 1
    assert row.status == "pending" and row.reason.startswith("Could not reach the mail server")
    assert row.next_attempt_at == NOW + backoff(1)
    assert send_due_messages(db, now=NOW + timedelta(seconds=30)).sent == 0  # not yet

    smtp.start()
    again = send_due_messages(db, now=NOW + backoff(1))

    assert again.sent == 1
    assert len(smtp.inbox.messages) == 1
    assert outbox(db)[0].status == "sent" and outbox(db)[0].attempts == 2


def test_after_the_give_up_time_the_failure_is_kept_for_reception(
    db: Database, clinic: Clinic, smtp: MailServer
) -> None:
    use_server(db, smtp.port, give_up_hours=2)
    consent(db, clinic.ann)
    smtp.stop()
    _book(db, clinic)

    send_due_messages(db, now=NOW)
    send_due_messages(db, now=NOW + timedelta(hours=3))

    row = outbox(db)[0]
    assert row.status == "failed"
    assert row.reason.startswith("Gave up after 2 attempts: Could not reach the mail server")


def test_no_consent_means_no_email_and_says_so(
    db: Database, clinic: Clinic, smtp: MailServer
) -> None:
    use_server(db, smtp.port)
    consent(db, clinic.ann)
    from frontdesk.db.models import Patient

    with db.write() as s:
        patient = s.get(Patient, clinic.ann)
        assert patient is not None
        patient.email_consent = False
    _book(db, clinic)

    send_due_messages(db, now=NOW + timedelta(days=14))

    assert smtp.inbox.messages == []
    assert {(m.kind, m.status, m.reason) for m in outbox(db)} == {
        ("confirmation", "not_sent", "not sent: no consent"),
        ("reminder", "not_sent", "not sent: no consent"),
    }


def test_consent_withdrawn_after_booking_stops_the_reminder(
    db: Database, clinic: Clinic, smtp: MailServer
) -> None:
    from frontdesk.db.models import Patient

    use_server(db, smtp.port)
    consent(db, clinic.ann)
    _book(db, clinic)
    send_due_messages(db, now=NOW)
    with db.write() as s:
        patient = s.get(Patient, clinic.ann)
        assert patient is not None
        patient.email_consent = False

    send_due_messages(db, now=NOW + timedelta(days=14))

    assert len(smtp.inbox.messages) == 1
    assert [m.reason for m in outbox(db) if m.kind == "reminder"] == ["not sent: no consent"]


def test_the_send_reminders_command_sends_what_is_due(
    db: Database, clinic: Clinic, smtp: MailServer, capsys: pytest.CaptureFixture[str]
) -> None:
    from frontdesk.__main__ import main

    use_server(db, smtp.port)
    consent(db, clinic.ann)
    _book(db, clinic)
    database = db.sqlite_path or db.url.render_as_string(hide_password=False)

    code = main(["--database", database, "send-reminders", "--now", NOW.isoformat()])

    assert code == 0
    assert capsys.readouterr().out.strip() == "1 sent, 0 to retry, 0 given up, 0 skipped"
    assert smtp.inbox.subjects() == ["Your appointment on Monday 9 March 2026 at 10:00"]


def test_a_visit_given_to_another_practitioner_sends_a_notice_naming_them(
    db: Database, clinic: Clinic, smtp: MailServer
) -> None:
    from datetime import time

    from tests.unit.test_scheduling_support import add_practitioner

    use_server(db, smtp.port)
    consent(db, clinic.ann)
    with db.write() as s:
        other = add_practitioner(s, "Dr Jo Wu", "acupuncture", {0: (time(9), time(17))})
    visit = _book(db, clinic, day=NEXT_MONDAY, hour=11)
    reschedule(db, visit, local(NEXT_MONDAY, 11), now=NOW, practitioner_id=other)

    send_due_messages(db, now=NOW)

    assert smtp.inbox.subjects() == [
        "Your appointment on Monday 9 March 2026 at 11:00",
        "Your appointment has moved to Monday 9 March 2026 at 11:00",
    ]
    assert "with Dr Jo Wu, previously Monday 9 March 2026 at 11:00 with Dr Mei Lin" in body_text(
        smtp.inbox.messages[1]
    )
