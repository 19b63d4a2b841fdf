"""Two OS processes race 200 times for the same slot on one SQLite file.

Each round both workers are released by a barrier at the same moment and book the same
practitioner, room and time for different patients. Exactly one booking may win each round; the
loser must be told clearly (``SlotTaken`` when it lost between its check and its insert,
``BookingConflict`` when the winner had already committed before it checked), and the file must
stay consistent (``PRAGMA integrity_check``).
"""

from __future__ import annotations

import multiprocessing as mp
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from frontdesk.db.engine import Database
from frontdesk.db.models import Appointment
from frontdesk.domain import BookingConflict, SlotTaken
from frontdesk.scheduling import BookingRequest, book_appointment, holidays_between
from tests.accounts_support import as_admin
from tests.unit.test_scheduling_support import MONDAY, NOW, Clinic, local

ROUNDS = 200
HOURS = (9, 10, 11, 13, 14, 15, 16)  # Dr Lin's one-hour slots around lunch


def race_slots(db: Database, rounds: int) -> list[datetime]:
    closed = holidays_between(db, MONDAY, MONDAY + timedelta(days=120))
    slots: list[datetime] = []
    day = MONDAY
    while len(slots) < rounds:
        if day.weekday() < 5 and day not in closed:
            slots.extend(local(day, h) for h in HOURS)
        day += timedelta(days=1)
    return slots[:rounds]


def worker(  # type: ignore[no-untyped-def]
    url: str,
    patient_id: int,
    c: Clinic,
    slots: list[datetime],
    barrier,
    results,
    lock_rows: bool = True,
) -> None:
    if not lock_rows:  # the service's row locks switched off: only the server may refuse
        from frontdesk.scheduling import rules

        rules.lock_parties = lambda *_args, **_kwargs: None  # type: ignore[assignment]
    db = as_admin(Database(url))
    try:
        for i, start in enumerate(slots):
            barrier.wait(timeout=60)
            req = BookingRequest(patient_id, c.acu, c.consult, start, c.room1)
            try:
                book_appointment(db, req, now=NOW)
                results.put((i, patient_id, "won", ""))
            except SlotTaken as exc:
                results.put((i, patient_id, "taken", str(exc)))
            except BookingConflict as exc:
                results.put((i, patient_id, "conflict", str(exc)))
            except Exception as exc:  # reported, so the test shows what went wrong
                results.put((i, patient_id, "error", f"{type(exc).__name__}: {exc}"))
    finally:
        db.dispose()


def race(
    url: str, clinic: Clinic, slots: list[datetime], *, lock_rows: bool = True
) -> dict[int, list[tuple[str, str]]]:
    """Two worker processes book every slot at the same moment; each round's outcomes."""
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(2)
    results = ctx.Queue()
    procs = [
        ctx.Process(target=worker, args=(url, patient, clinic, slots, barrier, results, lock_rows))
        for patient in (clinic.ann, clinic.bob)
    ]
    for p in procs:
        p.start()
    outcomes: dict[int, list[tuple[str, str]]] = {}
    for _ in range(2 * len(slots)):
        i, _patient, outcome, message = results.get(timeout=120)
        outcomes.setdefault(i, []).append((outcome, message))
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    return outcomes


@pytest.mark.slow
@pytest.mark.sqlite_only  # the PostgreSQL races: test_booking_race_postgres
def test_two_processes_never_double_book(db: Database, clinic: Clinic) -> None:
    url = db.url.render_as_string(hide_password=False)
    slots = race_slots(db, ROUNDS)
    db.dispose()
    outcomes = race(url, clinic, slots)
    kinds: dict[str, int] = {}
    for i in range(ROUNDS):
        pair = sorted(outcomes[i])
        assert [o for o, _ in pair].count("won") == 1, (i, pair)
        loser, message = next(o for o in pair if o[0] != "won")
        assert loser in ("taken", "conflict"), message
        if loser == "taken":
            assert message.startswith("This time was just taken at another workstation."), message
        else:
            assert "Dr Mei Lin is already seeing" in message, message
        kinds[loser] = kinds.get(loser, 0) + 1
    check = Database(url)
    try:
        with check.read() as s:
            assert s.scalar(select(func.count(Appointment.id))) == ROUNDS
            starts = list(s.scalars(select(Appointment.start_at)))
            assert sorted(starts) == slots
        with check.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    finally:
        check.dispose()
    print(f"race outcomes for the loser: {kinds}")
