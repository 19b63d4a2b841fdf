"""The demo clinic is reproducible and obeys the clinic's rules: no clashes, within hours."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from frontdesk.clinic import load_clinic
from frontdesk.db.engine import Database
from frontdesk.db.models import (
    Appointment,
    Closure,
    Patient,
    PatientSearchToken,
    PlanRevision,
    Practitioner,
    Room,
    SessionNote,
    TreatmentCourse,
)
from frontdesk.db.open import open_database
from frontdesk.demo import build_demo
from frontdesk.domain import FrontdeskError, ValidationError
from frontdesk.patients import get_patient, search_patients, validate_patient
from frontdesk.patients.rows import tokens_for
from frontdesk.plans import load_library
from frontdesk.scheduling.availability import Calendar
from frontdesk.scheduling.closures import closed_reason
from tests.accounts_support import as_admin

TODAY = date(2026, 3, 2)  # a Monday
NOW = datetime(2026, 3, 2, 19, 0, tzinfo=UTC)  # noon in Edmonton


def _build(path: Path, **kw: object) -> Database:
    db = open_database(f"sqlite:///{path}")
    build_demo(db, today=TODAY, **kw)  # type: ignore[arg-type]
    return as_admin(db)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db = _build(tmp_path_factory.mktemp("demo") / "demo.sqlite3")
    yield db
    db.dispose()


def _dump(db: Database) -> dict[str, list[tuple[object, ...]]]:
    tables = (
        "clinic_settings",
        "practitioners",
        "working_hours",
        "practitioner_breaks",
        "rooms",
        "patients",
        "patient_search_tokens",
        "treatment_courses",
        "appointments",
        "treatment_plans",
        "plan_revisions",
        "session_notes",
        "closures",
    )
    with db.engine.connect() as conn:
        return {t: conn.execute(text(f"SELECT * FROM {t} ORDER BY 1, 2")).all() for t in tables}


def test_same_seed_gives_the_same_clinic_and_another_seed_does_not(tmp_path: Path) -> None:
    first = _build(tmp_path / "a.sqlite3", patients=80, appointments=400, seed=5)
    second = _build(tmp_path / "b.sqlite3", patients=80, appointments=400, seed=5)
    other = _build(tmp_path / "c.sqlite3", patients=80, appointments=400, seed=6)
    try:
        assert _dump(first) == _dump(second)
        assert _dump(first)["patients"] != _dump(other)["patients"]
    finally:
        for db in (first, second, other):
            db.dispose()


def test_the_everyday_demo_has_the_promised_shape(demo: Database) -> None:
    with demo.read() as s:
        disciplines = sorted(s.scalars(select(Practitioner.discipline)))
        assert disciplines == ["acupuncture", "acupuncture", "physiotherapy"]
        assert s.scalar(select(func.count()).select_from(Room)) == 3
        assert s.scalar(select(func.count()).select_from(Patient)) == 1000
        assert s.scalar(select(func.count()).select_from(Appointment)) == 6000
        statuses = set(s.scalars(select(Appointment.status)))
        assert {"booked", "completed", "cancelled", "no_show"} <= statuses
        assert load_clinic(s).name == "Aspen Ravine Wellness Clinic"


def test_the_everyday_demo_has_a_busy_year_behind_today(demo: Database) -> None:
    # Issue 17: a year of visits, so every report has something to show; each of the twelve
    # months before this one about as busy as the next, not a few busy months and then nothing.
    with demo.read() as s:
        tz = load_clinic(s).tz
        starts = s.scalars(select(Appointment.start_at).where(Appointment.status == "completed"))
        months = Counter(f"{a.astimezone(tz):%Y-%m}" for a in starts)
    first = TODAY.replace(day=1)
    year = []
    for _ in range(12):
        first = (first - timedelta(days=1)).replace(day=1)
        year.append(f"{first:%Y-%m}")
    assert all(months[m] >= 250 for m in year), {m: months[m] for m in year}


def _local(db: Database) -> list[tuple[Any, datetime, datetime]]:
    """Every appointment row with its start and end in the clinic's time zone."""
    with db.read() as s:
        tz = load_clinic(s).tz
        rows = s.execute(select(Appointment.__table__)).all()
    return [(a, a.start_at.astimezone(tz), a.end_at.astimezone(tz)) for a in rows]


@pytest.mark.parametrize("key", ["practitioner_id", "room_id", "patient_id"])
def test_appointments_never_overlap(demo: Database, key: str) -> None:
    by_owner: dict[int, list[tuple[datetime, datetime]]] = {}
    for a, start, end in _local(demo):
        by_owner.setdefault(getattr(a, key), []).append((start, end))
    for spans in by_owner.values():
        spans.sort()
        assert all(prev_end <= start for (_, prev_end), (start, _) in itertools.pairwise(spans))


def test_appointments_lie_in_working_hours_outside_breaks_on_open_days(demo: Database) -> None:
    # The booking rules themselves (closed days, opening hours, working hours, breaks) accept
    # every appointment the demo wrote.
    appointments = _local(demo)
    first = min(start.date() for _, start, _ in appointments)
    last = max(start.date() for _, start, _ in appointments)
    with demo.read() as s:
        clinic = load_clinic(s)
        ids = list(s.scalars(select(Practitioner.id)))
        calendar = Calendar(s, clinic, first, last, ids)
    for a, start, end in appointments:
        assert end.date() == start.date(), a.id
        calendar.check(a.practitioner_id, a.start_at, a.end_at)


def test_no_appointment_on_good_friday_or_the_training_day(demo: Database) -> None:
    with demo.read() as s:
        training = s.scalars(select(Closure.starts_on)).one()
    days = {start.date() for _, start, _ in _local(demo)}
    assert date(2026, 4, 3) not in days and training not in days
    assert date(2026, 3, 2) in days


def test_statuses_agree_with_the_clock(demo: Database) -> None:
    for a, _, _ in _local(demo):
        if a.end_at <= NOW:
            assert a.status in ("completed", "cancelled", "no_show"), a.id
        elif a.start_at > NOW:
            assert a.status in ("booked", "cancelled"), a.id
        if a.status == "cancelled":
            assert a.cancellation_reason


def test_patients_are_valid_and_indexed_as_the_service_would(demo: Database) -> None:
    with demo.read() as s:
        ids = list(s.scalars(select(Patient.id)))
        stored: dict[int, set[str]] = {}
        rows = s.execute(select(PatientSearchToken.token, PatientSearchToken.patient_id))
        for token, pid in rows:
            stored.setdefault(pid, set()).add(token)
    for pid in ids:
        record = get_patient(demo, pid)
        assert stored[pid] == tokens_for(record)
        assert validate_patient(record.to_input(), today=TODAY).phone == record.phone


@pytest.mark.parametrize(
    ("query", "family"),
    [
        ("zoe trem", "Tremblay"),
        ("nguyen thi anh", "Nguyễn"),
        ("王秀英", "王"),
        ("lukasz", "Kowalski"),
        ("obrien", "O'Brien-Smith"),
        ("overgard", "Øvergård"),
    ],
)
def test_showcase_names_are_found(demo: Database, query: str, family: str) -> None:
    assert family in [p.family_name for p in search_patients(demo, query)]


def test_courses_have_linked_sessions_plans_and_pain_notes(demo: Database) -> None:
    with demo.read() as s:
        courses = s.scalars(select(TreatmentCourse)).all()
        assert courses and {c.status for c in courses} >= {"active", "completed"}
        for course in courses:
            assert 6 <= course.planned_sessions <= 10
            sessions = s.scalars(
                select(Appointment).where(Appointment.course_id == course.id)
            ).all()
            assert 0 < len(sessions) <= course.planned_sessions
            assert all(a.patient_id == course.patient_id for a in sessions)
        conditions = {
            (c["code"], c.get("level"))
            for rev in s.scalars(select(PlanRevision))
            for c in rev.conditions
        }
        expected = {("pinched_nerve", "L4-L5"), ("sciatica", None), ("carpal_tunnel", None)}
        assert expected <= conditions
        assert any(
            code == "pinched_nerve" and level in ("C5-C6", "C6-C7") for code, level in conditions
        )
        notes = s.scalars(select(SessionNote)).all()
        assert notes and all(n.pain_before is not None and n.pain_after is not None for n in notes)
        attended = s.scalars(
            select(Appointment.status).where(Appointment.id.in_([n.appointment_id for n in notes]))
        ).all()
        assert set(attended) == {"completed"}


def test_demo_plans_keep_the_wording_of_their_home_care(demo: Database) -> None:
    library = load_library()
    with demo.read() as s:
        stored = [entry for rev in s.scalars(select(PlanRevision)) for entry in rev.homecare]
    assert stored
    assert all(e == {"id": e["id"], "text": library.items[e["id"]].text} for e in stored)


def test_refuses_a_database_that_is_not_empty(demo: Database) -> None:
    with pytest.raises(FrontdeskError, match="empty database"):
        build_demo(demo, today=TODAY)
    with demo.read() as s:
        assert s.scalar(select(func.count()).select_from(Patient)) == 1000


def test_practitioners_and_rooms_grow_with_the_appointments_asked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # At full scale one practitioner per 50,000 appointments; scaled down here to stay quick.
    monkeypatch.setattr("frontdesk.demo.builder.APPOINTMENTS_PER_PRACTITIONER", 300)
    db = _build(tmp_path / "big.sqlite3", patients=400, appointments=3000)
    try:
        with db.read() as s:
            assert s.scalar(select(func.count()).select_from(Practitioner)) == 10
            assert s.scalar(select(func.count()).select_from(Room)) == 10
            assert s.scalar(select(func.count()).select_from(Appointment)) == 3000
        on_today = {a.practitioner_id for a, start, _ in _local(db) if start.date() == TODAY}
        assert len(on_today) == 10  # the calendar benchmark's ten-practitioner day
    finally:
        db.dispose()


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"patients": -5}, "patients"),
        ({"patients": 0}, "patients"),
        ({"patients": 10, "appointments": -1}, "appointments"),
    ],
)
def test_a_size_the_generator_cannot_build_is_refused_before_writing(
    db: Database, kw: dict[str, int], field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        build_demo(db, today=TODAY, **kw)  # type: ignore[arg-type]
    assert list(refused.value.errors) == [field]
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Practitioner)) == 0


def test_the_demo_clinic_closes_on_the_optional_holiday_it_chose(demo: Database) -> None:
    # The demo closes on Boxing Day; its choice is stored as the key the rules read.
    with demo.read() as s:
        clinic = load_clinic(s)
    assert closed_reason(clinic, date(2026, 12, 26)) == "Boxing Day"


def test_the_demos_audit_trail_shows_a_morning_at_the_desks(demo: Database) -> None:
    # The Audit trail page of the demo opens on real rows, made through the services.
    from frontdesk.accounts.trail import list_audit, verify_audit
    from frontdesk.accounts.types import AuditFilter

    rows = list_audit(demo, AuditFilter(limit=100))
    done = {(r.username, r.kind, r.action) for r in rows}
    assert ("reception", "print", "appointment_card_pdf") in done
    assert ("practitioner", "open", "list_notes") in done
    assert ("practitioner", "open", "get_plan") in done
    assert all(r.patient_name for r in rows if r.action == "list_notes")
    assert verify_audit(demo).ok


def test_the_demo_acupuncture_patients_have_intakes_and_signed_consents(demo: Database) -> None:
    from frontdesk.intake import intake_cautions, list_consents, read_intakes
    from frontdesk.reports.printing import consent_pdf

    with demo.read() as s:
        started = list(
            s.scalars(
                select(TreatmentCourse.patient_id)
                .where(TreatmentCourse.start_date <= TODAY)
                .distinct()
            )
        )
    assert started
    with_cautions = [p for p in started if intake_cautions(demo, p)]
    assert 2 <= len(with_cautions) < len(started)  # a few to watch, not everyone
    for patient_id in started:
        assert len(read_intakes(demo, patient_id)) == 1
        consent = list_consents(demo, patient_id)[0]
        assert consent.signature_png.startswith(b"\x89PNG")
        assert consent.witness_name == "Demo reception"
    assert consent_pdf(demo, with_cautions[0]).startswith(b"%PDF")
