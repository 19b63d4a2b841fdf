"""Two workstations (OS processes) race for one slot on a shared PostgreSQL server.

The SQLite race test proves ``BEGIN IMMEDIATE``; this one proves the row locks that stand in
for it on PostgreSQL, where transactions do interleave.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from frontdesk.db.engine import Database
from frontdesk.db.models import Appointment
from tests.unit.test_booking_race import race, race_slots
from tests.unit.test_scheduling_support import Clinic, build_clinic

ROUNDS = 60


@pytest.mark.slow
def test_two_workstations_never_double_book_on_postgresql(pg_db: Database) -> None:
    clinic: Clinic = build_clinic(pg_db)
    url = pg_db.url.render_as_string(hide_password=False)
    slots = race_slots(pg_db, ROUNDS)
    outcomes = race(url, clinic, slots)
    for i in range(ROUNDS):
        pair = sorted(outcomes[i])
        assert [o for o, _ in pair].count("won") == 1, (i, pair)
        loser, message = next(o for o in pair if o[0] != "won")
        assert loser in ("taken", "conflict"), message
    with pg_db.read() as s:
        assert s.scalar(select(func.count(Appointment.id))) == ROUNDS
        assert sorted(s.scalars(select(Appointment.start_at))) == slots
