"""Two desks (OS processes) hit a unique rule of the database at the same moment.

On PostgreSQL transactions interleave: both desks look, find nothing, and both insert. The
server's unique constraint refuses the second; the desk must get a domain error it can show
(never a raw ``IntegrityError``), and nothing of the loser's is stored.
"""

from __future__ import annotations

import multiprocessing as mp
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from frontdesk.db.engine import Database
from frontdesk.db.models import (
    Appointment,
    AppointmentType,
    Patient,
    Practitioner,
    SessionNote,
)
from frontdesk.domain import FrontdeskError
from tests.accounts_support import as_admin

ROUNDS = 60
NOW = datetime(2026, 3, 10, 18, 0, tzinfo=UTC)


def _note_worker(url: str, desk: int, ids: dict[str, Any], barrier: Any, results: Any) -> None:
    from frontdesk.notes import NO_NOTE_YET, SessionNoteInput, save_note

    db = as_admin(Database(url))
    try:
        for i, appointment_id in enumerate(ids["appointments"]):
            data = SessionNoteInput(
                patient_id=ids["patient"],
                practitioner_id=ids["doc"][desk],
                appointment_id=appointment_id,
                techniques=("acupuncture",),
                points="",
                response="",
                pain_before=None,
                pain_after=None,
                body=f"Written at desk {desk}",
            )
            barrier.wait(timeout=60)
            results.put(
                (i, *_outcome(save_note, db, None, data, now=NOW, expected_version=NO_NOTE_YET))
            )
    finally:
        db.dispose()


def _patient_worker(url: str, desk: int, rounds: int, barrier: Any, results: Any) -> None:
    from frontdesk.patients import PatientInput, create_patient

    db = as_admin(Database(url))
    try:
        for i in range(rounds):
            family = "Round " + "abcdefghij"[i % 10] * (1 + i // 10)
            data = PatientInput(
                "Desk " + "AB"[desk], family, date(1980, 1, 1), health_number=str(500_000_000 + i)
            )
            barrier.wait(timeout=60)
            results.put((i, *_outcome(create_patient, db, data, today=date(2026, 3, 10))))
    finally:
        db.dispose()


def _outcome(call: Any, *args: Any, **kwargs: Any) -> tuple[str, str]:
    try:
        call(*args, **kwargs)
        return ("won", "")
    except FrontdeskError as exc:
        return (type(exc).__name__, str(exc))
    except Exception as exc:  # reported, so the test shows what went wrong
        return ("raw " + type(exc).__name__, str(exc)[:200])


def _race(target: Any, args_of: Any, rounds: int) -> dict[int, list[tuple[str, str]]]:
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(2)
    results = ctx.Queue()
    procs = [ctx.Process(target=target, args=(*args_of(desk), barrier, results)) for desk in (0, 1)]
    for p in procs:
        p.start()
    outcomes: dict[int, list[tuple[str, str]]] = {}
    for _ in range(2 * rounds):
        i, outcome, message = results.get(timeout=120)
        outcomes.setdefault(i, []).append((outcome, message))
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    return outcomes


def _clinic(db: Database) -> dict[str, Any]:
    with db.write() as s:
        patient = Patient(given_name="Alice", family_name="Moreau", date_of_birth=date(1980, 5, 1))
        docs = [Practitioner(display_name=n, discipline="acupuncture") for n in ("Dr A", "Dr B")]
        s.add_all([patient, *docs])
        s.flush()
        kind = s.scalar(select(AppointmentType).where(AppointmentType.discipline == "acupuncture"))
        assert kind is not None
        appointments = []
        for n in range(ROUNDS):
            start = datetime(2026, 1, 5, 16, tzinfo=UTC) + timedelta(hours=n)
            appt = Appointment(
                patient_id=patient.id,
                practitioner_id=docs[0].id,
                appointment_type_id=kind.id,
                start_at=start,
                end_at=start + timedelta(minutes=45),
            )
            s.add(appt)
            s.flush()
            appointments.append(appt.id)
        return {"patient": patient.id, "doc": [d.id for d in docs], "appointments": appointments}


@pytest.mark.slow
def test_two_desks_starting_one_appointments_note_get_a_domain_error(pg_db: Database) -> None:
    ids = _clinic(pg_db)
    url = pg_db.url.render_as_string(hide_password=False)
    outcomes = _race(_note_worker, lambda desk: (url, desk, ids), ROUNDS)
    for i in range(ROUNDS):
        pair = sorted(outcomes[i])
        assert [o for o, _ in pair].count("won") == 1, (i, pair)
        loser, message = next(o for o in pair if o[0] != "won")
        assert loser == "StaleRecord", (i, pair)
        assert "already started the note for this appointment at another workstation" in message
        assert message.startswith(("Dr A", "Dr B")), message
    with pg_db.read() as s:
        assert s.scalar(select(func.count(SessionNote.id))) == ROUNDS


@pytest.mark.slow
def test_two_desks_saving_one_health_number_get_a_field_message(pg_db: Database) -> None:
    url = pg_db.url.render_as_string(hide_password=False)
    outcomes = _race(_patient_worker, lambda desk: (url, desk, ROUNDS), ROUNDS)
    for i in range(ROUNDS):
        pair = sorted(outcomes[i])
        assert [o for o, _ in pair].count("won") == 1, (i, pair)
        loser, message = next(o for o in pair if o[0] != "won")
        assert loser == "ValidationError", (i, pair)
        assert (
            "health_number" in message and "another patient" in message
        ) or "already belongs to" in message, message
    with pg_db.read() as s:
        assert s.scalar(select(func.count(Patient.id))) == ROUNDS
