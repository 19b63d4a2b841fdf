"""Power cut at the desk: a process booking appointments is killed (SIGKILL) 100 times.

Every booking the process reported as committed (it prints the id only after the commit
returned, and flushes) must be in the file afterwards, and ``PRAGMA integrity_check`` must say
ok each time: the WAL with ``synchronous = FULL`` set in ``db/engine.py`` is what promises it.
The workers are forked from a preloaded fork server so that 100 of them fit in a few seconds.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import random
import sqlite3
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from frontdesk.db.engine import Database
from frontdesk.domain import BookingConflict
from frontdesk.scheduling import BookingRequest, book_appointment, holidays_between
from tests.accounts_support import as_admin
from tests.unit.test_booking_race import HOURS
from tests.unit.test_scheduling_support import MONDAY, NOW, Clinic, local

KILLS = 100


def slots(db: Database, count: int) -> list[datetime]:
    """Dr Lin's free one-hour slots from the test Monday on, holidays skipped."""
    closed = holidays_between(db, MONDAY, MONDAY + timedelta(days=7 * count // 25 + 60))
    found: list[datetime] = []
    day = MONDAY
    while len(found) < count:
        if day.weekday() < 5 and day not in closed:
            found.extend(local(day, h) for h in HOURS)
        day += timedelta(days=1)
    return found[:count]


def booker(url: str, out: str, c: Clinic, slots: list[datetime]) -> None:
    """Book the slots one after the other, printing each id once it is committed."""
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(fd, 1)
    db = as_admin(Database(url))
    for start in slots:
        try:
            booked = book_appointment(
                db, BookingRequest(c.ann, c.acu, c.consult, start, c.room1), now=NOW
            )
        except BookingConflict:  # committed by a worker killed before it could say so
            continue
        print(booked.id, flush=True)
    time.sleep(60)  # done early: wait to be killed like the others


def _wait_for_first_report(out: Path, worker: mp.process.BaseProcess) -> None:
    deadline = time.monotonic() + 30
    while not (out.exists() and out.read_text().strip()):
        assert worker.is_alive(), "the booking worker died before booking anything"
        assert time.monotonic() < deadline, "the booking worker booked nothing in 30 s"
        time.sleep(0.005)


@pytest.mark.slow
@pytest.mark.sqlite_only  # SQLite's WAL and integrity_check on the file
def test_every_reported_booking_survives_sigkill(
    db: Database, clinic: Clinic, tmp_path: Path
) -> None:
    url = db.url.render_as_string(hide_password=False)
    free = slots(db, 3000)
    db.dispose()
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload([__name__])
    rng = random.Random(13)
    reported: set[int] = set()
    done = 0
    started = time.monotonic()
    for round_ in range(KILLS):
        out = tmp_path / f"worker-{round_}.out"
        worker = ctx.Process(target=booker, args=(url, str(out), clinic, free[done:]))
        worker.start()
        # Kill at a random moment after the worker's first commit, so every round writes
        # however slowly this machine starts a process.
        _wait_for_first_report(out, worker)
        time.sleep(rng.uniform(0.0, 0.1))
        worker.kill()
        worker.join(10)
        assert worker.exitcode == -9
        ids = {int(line) for line in out.read_text().split()}
        reported |= ids
        conn = sqlite3.connect(db.sqlite_path or "")
        try:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            present = {row[0] for row in conn.execute("SELECT id FROM appointments")}
        finally:
            conn.close()
        assert reported <= present, f"round {round_}: lost {sorted(reported - present)}"
        done = len(present)
        assert done < len(free)
    print(
        f"{len(reported)} bookings reported over {KILLS} kills in "
        f"{time.monotonic() - started:.1f} s",
        file=sys.stderr,
    )
    assert len(reported) > KILLS  # the workers did get work done between the kills
