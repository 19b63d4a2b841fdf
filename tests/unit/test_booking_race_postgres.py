"""Two workstations (OS processes) race for one slot on a shared PostgreSQL server.

The SQLite race test proves ``BEGIN IMMEDIATE``; this one proves the row locks that stand in
for it on PostgreSQL, where transactions do interleave.
"""

from __future__ import annotations

import multiprocessing as mp

import pytest
from sqlalchemy import func, select

from frontdesk.db.engine import Database
from frontdesk.db.models import Appointment
from tests.unit.test_booking_race import race_slots, worker
from tests.unit.test_scheduling_support import Clinic, build_clinic

ROUNDS = 60


@pytest.mark.slow
def test_two_workstations_never_double_book_on_postgresql(pg_db: Database) -> None:
    clinic: Clinic = build_clinic(pg_db)
    url = pg_db.url.render_as_string(hide_password=False)
    slots = race_slots(pg_db, ROUNDS)
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(2)
    results = ctx.Queue()
    procs = [
        ctx.Process(target=worker, args=(url, patient, clinic, slots, barrier, results))
        for patient in (clinic.ann, clinic.bob)
    ]
    for p in procs:
        p.start()
    outcomes: dict[int, list[tuple[str, str]]] = {}
    for _ in range(2 * ROUNDS):
        i, _patient, outcome, message = results.get(timeout=120)
        outcomes.setdefault(i, []).append((outcome, message))
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    for i in range(ROUNDS):
        pair = sorted(outcomes[i])
        assert [o for o, _ in pair].count("won") == 1, (i, pair)
        loser, message = next(o for o in pair if o[0] != "won")
        assert loser in ("taken", "conflict"), message
    with pg_db.read() as s:
        assert s.scalar(select(func.count(Appointment.id))) == ROUNDS
        assert sorted(s.scalars(select(Appointment.start_at))) == slots
