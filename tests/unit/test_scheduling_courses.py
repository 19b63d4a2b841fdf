"""Courses: the preview with its suggestions, all-or-nothing booking, later course changes."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time, timedelta

import pytest
from sqlalchemy import func, select

from frontdesk.db.engine import Database
from frontdesk.db.models import Appointment, TreatmentCourse
from frontdesk.domain import (
    AppointmentStatus,
    BookingConflict,
    BookingError,
    CourseStatus,
    Frequency,
    SlotTaken,
    ValidationError,
)
from frontdesk.scheduling import (
    BookingRequest,
    CourseRequest,
    add_closure,
    book_appointment,
    book_course,
    cancel_remaining,
    check_course_sessions,
    check_in,
    complete,
    extend_course,
    get_course,
    preview_course,
    preview_extension,
    reschedule,
    shift_following,
)
from tests.unit.test_scheduling_support import MONDAY, NOW, TZ, Clinic, local


def weekly(c: Clinic, sessions: int = 6, **kw) -> CourseRequest:  # type: ignore[no-untyped-def]
    base = CourseRequest(
        patient_id=c.ann,
        practitioner_id=c.acu,
        type_id=c.acupuncture,
        sessions=sessions,
        frequency=Frequency.WEEKLY,
        preferred_time=time(10),
        start_date=MONDAY,
        room_id=c.room1,
    )
    return replace(base, **kw)


def rows(db: Database, model) -> int:  # type: ignore[no-untyped-def]
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_weekly_preview_all_free(db: Database, clinic: Clinic) -> None:
    preview = preview_course(db, weekly(clinic), now=NOW)
    assert [p.start for p in preview] == [local(MONDAY + timedelta(weeks=i), 10) for i in range(6)]
    assert all(p.free and p.problem is None and p.suggestion is None for p in preview)
    assert all(p.end - p.start == timedelta(minutes=45) for p in preview)
    assert rows(db, Appointment) == 0


def test_conflict_gets_nearest_free_slot_in_the_same_week(db: Database, clinic: Clinic) -> None:
    third = MONDAY + timedelta(weeks=2)
    clash = book_appointment(
        db,
        BookingRequest(clinic.bob, clinic.acu, clinic.consult, local(third, 10), clinic.room2),
        now=NOW,
    )
    preview = preview_course(db, weekly(clinic), now=NOW)
    session = preview[2]
    assert not session.free
    assert (
        session.problem
        == "Dr Mei Lin is already seeing Bob Jones (Initial consultation) at 10:00–11:00 on Mon 16 Mar 2026."
    )
    assert session.suggestion is not None and session.suggestion.start == local(third, 9, 15)
    assert (
        session.suggestion.practitioner_id == clinic.acu
        and session.suggestion.room_id == clinic.room1
    )
    assert all(p.free for i, p in enumerate(preview) if i != 2)
    assert clash.id


def test_holiday_session_is_moved_within_its_week(db: Database, clinic: Clinic) -> None:
    req = weekly(clinic, sessions=3, start_date=date(2026, 3, 20))  # Fridays; 3rd is Good Friday
    good_friday = preview_course(db, req, now=NOW)[2]
    assert good_friday.problem == "The clinic is closed on 2026-04-03 (Good Friday)."
    assert good_friday.suggestion is not None
    # Nearest in time within the week: Thursday's last slot (17h45 earlier) beats Saturday 09:00.
    assert good_friday.suggestion.start == local(date(2026, 4, 2), 16, 15)


def test_blocked_week_suggests_the_next_week(db: Database, clinic: Clinic) -> None:
    last = MONDAY + timedelta(weeks=2)
    add_closure(db, last, last + timedelta(days=6), "Staff training")
    preview = preview_course(db, weekly(clinic, sessions=3), now=NOW)
    assert preview[2].problem == "The clinic is closed on 2026-03-16 (Staff training)."
    assert preview[2].suggestion is not None
    assert preview[2].suggestion.start == local(last + timedelta(weeks=1), 10)


def test_suggestions_never_collide_with_earlier_sessions(db: Database, clinic: Clinic) -> None:
    add_closure(db, MONDAY + timedelta(weeks=1), MONDAY + timedelta(weeks=1, days=6), "Training")
    preview = preview_course(db, weekly(clinic, sessions=3), now=NOW)
    # Session 2's week is closed: it moves to week 3 at 10:00, so session 3 must move too.
    assert preview[1].suggestion is not None and preview[1].suggestion.start == local(
        MONDAY + timedelta(weeks=2), 10
    )
    assert preview[2].problem == "10:00–10:45 on Mon 16 Mar 2026 overlaps session 2 of this course."
    assert (
        preview[2].suggestion is not None
        and preview[2].suggestion.start != preview[1].suggestion.start
    )


def test_twice_weekly_and_every_k_days_dates(db: Database, clinic: Clinic) -> None:
    twice = preview_course(
        db, weekly(clinic, sessions=4, frequency=Frequency.TWICE_WEEKLY, weekdays=(1, 3)), now=NOW
    )
    assert [p.start.astimezone(TZ).date() for p in twice] == [
        date(2026, 3, 3),
        date(2026, 3, 5),
        date(2026, 3, 10),
        date(2026, 3, 12),
    ]
    every = preview_course(
        db, weekly(clinic, sessions=3, frequency=Frequency.EVERY_K_DAYS, interval_days=3), now=NOW
    )
    assert [p.start.astimezone(TZ).date() for p in every] == [
        date(2026, 3, 2),
        date(2026, 3, 5),
        date(2026, 3, 8),
    ]
    assert every[2].problem == "The clinic is closed on Sundays."


def test_weekly_on_a_chosen_weekday(db: Database, clinic: Clinic) -> None:
    preview = preview_course(db, weekly(clinic, sessions=2, weekdays=(2,)), now=NOW)
    assert [p.start.astimezone(TZ).date() for p in preview] == [date(2026, 3, 4), date(2026, 3, 11)]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"frequency": Frequency.TWICE_WEEKLY, "weekdays": (1,)}, "weekdays"),
        ({"frequency": Frequency.EVERY_K_DAYS}, "interval_days"),
        ({"sessions": 0}, "sessions"),
        ({"weekdays": (7,)}, "weekdays"),
    ],
)
def test_bad_plans_are_refused_per_field(
    db: Database, clinic: Clinic, change: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as err:
        preview_course(db, weekly(clinic, **change), now=NOW)
    assert field in err.value.errors


def test_book_course_links_sessions_and_counts_progress(db: Database, clinic: Clinic) -> None:
    req = weekly(clinic)
    course = book_course(db, req, [p.start for p in preview_course(db, req, now=NOW)], now=NOW)
    assert (course.planned, course.attended, course.status) == (6, 0, CourseStatus.ACTIVE)
    assert [a.course_index for a in course.appointments] == [1, 2, 3, 4, 5, 6]
    assert {a.course_total for a in course.appointments} == {6}
    first = course.appointments[0]
    check_in(db, first.id, now=first.start)
    complete(db, first.id, now=first.end)
    assert get_course(db, course.id).attended == 1
    assert get_course(db, course.id).progress_text == "1 of 6 sessions attended"


def test_book_course_is_all_or_nothing(db: Database, clinic: Clinic) -> None:
    req = weekly(clinic)
    starts = [p.start for p in preview_course(db, req, now=NOW)]
    book_appointment(
        db, BookingRequest(clinic.bob, clinic.acu, clinic.consult, starts[3], clinic.room2), now=NOW
    )
    with pytest.raises(
        BookingConflict, match=r"^Session 4: Dr Mei Lin is already seeing Bob Jones"
    ):
        book_course(db, req, starts, now=NOW)
    assert rows(db, TreatmentCourse) == 0 and rows(db, Appointment) == 1


def test_book_course_refuses_sessions_overlapping_each_other(db: Database, clinic: Clinic) -> None:
    starts = [local(MONDAY, 10), local(MONDAY, 10, 30)]
    with pytest.raises(Exception, match=r"Sessions 1 and 2 overlap"):
        book_course(db, weekly(clinic, sessions=2), starts, now=NOW)


def test_check_course_sessions_judges_each_time_like_book_course(
    db: Database, clinic: Clinic
) -> None:
    """The wizard's re-check: the database's refusals and overlaps inside the list, per session."""
    req = weekly(clinic, sessions=4)
    starts = [p.start for p in preview_course(db, req, now=NOW)]
    book_appointment(
        db, BookingRequest(clinic.bob, clinic.acu, clinic.consult, starts[3], clinic.room2), now=NOW
    )
    starts[2] = starts[1] + timedelta(minutes=30)  # session 3 typed onto session 2
    problems = check_course_sessions(db, req, starts, now=NOW)
    assert problems[0] is None
    assert problems[1] == "10:00–10:45 on Mon 9 Mar 2026 overlaps session 3 of this course."
    assert problems[2] == "10:30–11:15 on Mon 9 Mar 2026 overlaps session 2 of this course."
    assert (problems[3] or "").startswith("Dr Mei Lin is already seeing Bob Jones")
    with pytest.raises(BookingError, match=r"^Sessions 2 and 3 overlap"):  # book_course: the first
        book_course(db, req, starts, now=NOW)
    assert rows(db, TreatmentCourse) == 0 and rows(db, Appointment) == 1


def test_course_without_room_takes_a_free_one(db: Database, clinic: Clinic) -> None:
    book_appointment(
        db,
        BookingRequest(clinic.bob, clinic.physio, clinic.consult, local(MONDAY, 10), clinic.room1),
        now=NOW,
    )
    req = weekly(clinic, sessions=2, room_id=None)
    course = book_course(db, req, [p.start for p in preview_course(db, req, now=NOW)], now=NOW)
    assert [a.room_id for a in course.appointments] == [clinic.room2, clinic.room1]


def _booked_course(db: Database, c: Clinic, sessions: int = 6):  # type: ignore[no-untyped-def]
    req = weekly(c, sessions=sessions)
    return book_course(db, req, [p.start for p in preview_course(db, req, now=NOW)], now=NOW)


def test_shift_this_and_following(db: Database, clinic: Clinic) -> None:
    course = _booked_course(db, clinic)
    third = course.appointments[2]
    moved = shift_following(db, third.id, third.start + timedelta(days=2, hours=1), now=NOW)
    starts = [a.start for a in moved.appointments]
    assert starts[:2] == [a.start for a in course.appointments[:2]]
    assert starts[2:] == [local(MONDAY + timedelta(weeks=w, days=2), 11) for w in range(2, 6)]


def test_shift_refused_as_a_whole_naming_the_session(db: Database, clinic: Clinic) -> None:
    course = _booked_course(db, clinic)
    blocker = book_appointment(
        db,
        BookingRequest(
            clinic.bob,
            clinic.acu,
            clinic.consult,
            local(MONDAY + timedelta(weeks=4), 11),
            clinic.room2,
        ),
        now=NOW,
    )
    with pytest.raises(BookingConflict, match=r"^Session 5: ") as err:
        shift_following(
            db,
            course.appointments[2].id,
            course.appointments[2].start + timedelta(hours=1),
            now=NOW,
        )
    assert err.value.clash_id == blocker.id
    assert [a.start for a in get_course(db, course.id).appointments] == [
        a.start for a in course.appointments
    ]


def test_cancel_remaining(db: Database, clinic: Clinic) -> None:
    course = _booked_course(db, clinic)
    after_two = course.appointments[1].end + timedelta(hours=1)
    done = cancel_remaining(db, course.id, "Feeling better", now=after_two)
    assert done.status == CourseStatus.CANCELLED
    assert [a.status for a in done.appointments] == [AppointmentStatus.BOOKED] * 2 + [
        AppointmentStatus.CANCELLED
    ] * 4
    assert all(a.cancellation_reason == "Feeling better" for a in done.appointments[2:])


def test_extend_course_follows_the_pattern(db: Database, clinic: Clinic) -> None:
    course = _booked_course(db, clinic, sessions=3)
    preview = preview_extension(db, course.id, 2, now=NOW)
    assert [p.index for p in preview] == [4, 5]
    extended = extend_course(db, course.id, 2, now=NOW)
    assert extended.planned == 5
    assert [a.start for a in extended.appointments][3:] == [
        local(MONDAY + timedelta(weeks=w), 10) for w in (3, 4)
    ]
    assert [a.course_index for a in extended.appointments] == [1, 2, 3, 4, 5]


def test_extend_course_takes_suggestions_for_taken_times(db: Database, clinic: Clinic) -> None:
    course = _booked_course(db, clinic, sessions=2)
    taken = local(MONDAY + timedelta(weeks=2), 10)
    book_appointment(
        db, BookingRequest(clinic.bob, clinic.acu, clinic.consult, taken, clinic.room2), now=NOW
    )
    extended = extend_course(db, course.id, 1, now=NOW)
    assert extended.appointments[-1].start == local(MONDAY + timedelta(weeks=2), 9, 15)


def test_single_booking_into_a_course_must_be_the_patients(db: Database, clinic: Clinic) -> None:
    course = _booked_course(db, clinic, sessions=2)
    extra = BookingRequest(
        clinic.bob,
        clinic.acu,
        clinic.acupuncture,
        local(MONDAY, 14),
        clinic.room1,
        course_id=course.id,
    )
    with pytest.raises(BookingError, match=r"not one of this patient's") as err:
        book_appointment(db, extra, now=NOW)
    assert err.value.field == "course_id"
    mine = book_appointment(db, replace(extra, patient_id=clinic.ann), now=NOW)
    assert (mine.course_id, mine.course_index, mine.course_total) == (course.id, 2, 2)
    cancel_remaining(db, course.id, "Moving away", now=NOW)
    with pytest.raises(BookingError, match=r"This course is cancelled"):
        book_appointment(
            db, replace(extra, patient_id=clinic.ann, start=local(MONDAY, 15)), now=NOW
        )


def test_a_completed_course_can_be_extended(db: Database, clinic: Clinic) -> None:
    course = _booked_course(db, clinic, sessions=1)
    only = course.appointments[0]
    check_in(db, only.id, now=only.start)
    complete(db, only.id, now=only.end)
    assert get_course(db, course.id).status == CourseStatus.COMPLETED
    extended = extend_course(db, course.id, 1, now=only.end)
    assert (extended.status, extended.planned, extended.attended) == (CourseStatus.ACTIVE, 2, 1)
    assert extended.appointments[-1].start == local(MONDAY + timedelta(weeks=1), 10)  # DST on 03-08


def test_extending_needs_one_time_per_new_session(db: Database, clinic: Clinic) -> None:
    """An empty list must not reopen a completed course with no session to attend."""
    course = _booked_course(db, clinic, sessions=1)
    only = course.appointments[0]
    check_in(db, only.id, now=only.start)
    complete(db, only.id, now=only.end)
    week_on = local(MONDAY + timedelta(weeks=1), 10)
    for starts in ([], [week_on, week_on + timedelta(days=1)]):
        with pytest.raises(ValidationError) as err:
            extend_course(db, course.id, 1, now=only.end, starts=starts)
        assert err.value.errors == {
            "starts": f"Give one time per new session: 1 needed, {len(starts)} given."
        }
    after = get_course(db, course.id)
    assert (after.status, after.planned, len(after.appointments)) == (CourseStatus.COMPLETED, 1, 1)
    extended = extend_course(db, course.id, 1, now=only.end, starts=[week_on])
    assert [a.start for a in extended.appointments] == [only.start, week_on]


def test_reschedule_one_session_keeps_the_others(db: Database, clinic: Clinic) -> None:
    course = _booked_course(db, clinic, sessions=3)
    second = course.appointments[1]
    moved = reschedule(db, second.id, second.start + timedelta(days=1), now=NOW)
    assert (moved.course_id, moved.course_index) == (course.id, 2)
    after = get_course(db, course.id)
    assert [a.start for a in after.appointments] == [
        course.appointments[0].start,
        second.start + timedelta(days=1),
        course.appointments[2].start,
    ]


@pytest.mark.sqlite_only  # the rival books inside the check's session, whose row locks it would wait for on PostgreSQL; races there: test_booking_race_postgres
def test_course_losing_a_race_writes_nothing(
    db: Database, clinic: Clinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another workstation takes session 2's time between the preview check and the insert."""
    from frontdesk.scheduling import courses, rules

    req = weekly(clinic, sessions=3)
    starts = [p.start for p in preview_course(db, req, now=NOW)]
    rival = BookingRequest(clinic.bob, clinic.acu, clinic.consult, starts[1], clinic.room2)

    def checked_write(db_, check, apply, precheck=None):  # type: ignore[no-untyped-def]
        def check_then_rival_books(s):  # type: ignore[no-untyped-def]
            check(s)
            book_appointment(db, rival, now=NOW)  # the other workstation wins here

        return rules.checked_write(db_, check, apply, precheck=check_then_rival_books)

    monkeypatch.setattr(courses, "checked_write", checked_write)
    with pytest.raises(SlotTaken, match=r"^This time was just taken at another workstation"):
        book_course(db, req, starts, now=NOW)
    assert rows(db, TreatmentCourse) == 0 and rows(db, Appointment) == 1


def test_a_busy_practitioner_is_named_before_a_full_house(db: Database, clinic: Clinic) -> None:
    """When every room is taken because the practitioner is already seeing someone there,
    reception needs to hear about the practitioner, not about rooms."""
    start = local(MONDAY + timedelta(days=7), 10)
    book_appointment(
        db, BookingRequest(clinic.bob, clinic.acu, clinic.consult, start, clinic.room1), now=NOW
    )
    book_appointment(
        db, BookingRequest(clinic.cara, clinic.physio, clinic.consult, start, clinic.room2), now=NOW
    )
    req = weekly(clinic, sessions=1, room_id=None)
    problems = check_course_sessions(db, req, [start], now=NOW)
    assert (problems[0] or "").startswith("Dr Mei Lin is already seeing Bob Jones"), problems
