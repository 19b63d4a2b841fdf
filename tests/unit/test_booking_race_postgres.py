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
ROUNDS_WITHOUT_LOCKS = 500
# The loser waits for the winner's commit; on a loaded test machine that can take longer than
# a desk's 5 s lock timeout, which would make the loser "busy" instead of refused.
PATIENT = "?options=-c%20lock_timeout%3D60000"


@pytest.mark.slow
def test_two_workstations_never_double_book_on_postgresql(pg_db: Database) -> None:
    clinic: Clinic = build_clinic(pg_db)
    url = pg_db.url.render_as_string(hide_password=False) + PATIENT
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


@pytest.mark.slow
def test_the_server_alone_refuses_every_overlap_when_the_row_locks_are_off(
    pg_db: Database,
) -> None:
    """The exclusion constraints (migration 0004) are the judge, not only the services."""
    clinic: Clinic = build_clinic(pg_db)
    url = pg_db.url.render_as_string(hide_password=False) + PATIENT
    slots = race_slots(pg_db, ROUNDS_WITHOUT_LOCKS)
    outcomes = race(url, clinic, slots, lock_rows=False)
    kinds: dict[str, int] = {}
    for i in range(ROUNDS_WITHOUT_LOCKS):
        pair = sorted(outcomes[i])
        assert [o for o, _ in pair].count("won") == 1, (i, pair)
        loser, message = next(o for o in pair if o[0] != "won")
        assert loser in ("taken", "conflict"), message
        if loser == "taken":
            assert message.startswith("This time was just taken at another workstation."), message
        # Named whichever way the clash was seen: the practitioner's or the room's.
        assert "Dr Mei Lin is already seeing" in message or "Room 1 is already in use" in message, (
            message
        )
        kinds[loser] = kinds.get(loser, 0) + 1
    with pg_db.read() as s:
        assert s.scalar(select(func.count(Appointment.id))) == ROUNDS_WITHOUT_LOCKS
        assert sorted(s.scalars(select(Appointment.start_at))) == slots
    assert kinds.get("taken", 0) > 0, kinds  # the race really happened
    print(f"race outcomes for the loser without row locks: {kinds}")
