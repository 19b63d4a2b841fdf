"""Two OS processes issue invoices at the same moment, 200 rounds: numbers stay gap-free.

Each round both workers are released by a barrier and check out a visit of their own. Every
check-out must succeed and the numbers taken must be exactly 1..400, each once: the counter row
is locked by the issuing transaction (SQLite's ``BEGIN IMMEDIATE``; ``FOR UPDATE`` on
PostgreSQL), and a failed invoice would roll its number back.
"""

from __future__ import annotations

import multiprocessing as mp
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from frontdesk.billing import check_out
from frontdesk.db.engine import Database
from frontdesk.db.models import Invoice, InvoiceCounter
from tests.accounts_support import as_admin
from tests.unit.billing_support import add_massage_type, price_list, visit
from tests.unit.test_scheduling_support import MONDAY, NOW, Clinic, build_clinic

ROUNDS = 200
# The loser waits for the winner's commit; on a loaded machine longer than a desk's 5 s.
PG_WAIT = "?options=-c%20lock_timeout%3D60000"


def worker(url: str, appointments: list[int], barrier, results) -> None:  # type: ignore[no-untyped-def]
    db = as_admin(Database(url))
    try:
        for i, appointment in enumerate(appointments):
            barrier.wait(timeout=60)
            try:
                results.put((i, check_out(db, appointment, now=NOW + timedelta(days=400)).number))
            except Exception as exc:  # reported, so the test shows what went wrong
                results.put((i, f"{type(exc).__name__}: {exc}"))
    finally:
        db.dispose()


def visits(db: Database, c: Clinic) -> tuple[list[int], list[int]]:
    """Completed visits, one per round per worker, on days of their own."""
    massage = add_massage_type(db)
    price_list(db, c, massage)
    first, second = [], []
    for i in range(ROUNDS):
        day = MONDAY + timedelta(days=i)
        first.append(visit(db, c, c.acupuncture, day=day, hour=9, status="completed"))
        second.append(
            visit(
                db,
                c,
                massage,
                patient=c.bob,
                practitioner=c.physio,
                day=day,
                hour=11,
                status="completed",
            )
        )
    return first, second


def race(url: str, first: list[int], second: list[int]) -> list[object]:
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(2)
    results = ctx.Queue()
    procs = [
        ctx.Process(target=worker, args=(url, ids, barrier, results)) for ids in (first, second)
    ]
    for p in procs:
        p.start()
    outcomes = [results.get(timeout=120)[1] for _ in range(2 * ROUNDS)]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    return outcomes


def check_numbers(db: Database, outcomes: list[object]) -> None:
    errors = [o for o in outcomes if not isinstance(o, int)]
    assert errors == []
    assert sorted(outcomes) == list(range(1, 2 * ROUNDS + 1))  # type: ignore[type-var]
    with db.read() as s:
        numbers = sorted(s.scalars(select(Invoice.number)))
        assert numbers == list(range(1, 2 * ROUNDS + 1))
        assert s.scalar(select(func.count(Invoice.id))) == 2 * ROUNDS
        assert s.scalar(select(InvoiceCounter.next_number)) == 2 * ROUNDS + 1


@pytest.mark.slow
@pytest.mark.sqlite_only
def test_two_processes_issue_gap_free_invoice_numbers(db: Database, clinic: Clinic) -> None:
    first, second = visits(db, clinic)
    url = db.url.render_as_string(hide_password=False)
    db.dispose()
    outcomes = race(url, first, second)
    check = Database(url)
    try:
        check_numbers(check, outcomes)
    finally:
        check.dispose()


@pytest.mark.slow
def test_two_workstations_issue_gap_free_invoice_numbers_on_postgresql(pg_db: Database) -> None:
    clinic = build_clinic(pg_db)
    first, second = visits(as_admin(pg_db), clinic)
    outcomes = race(pg_db.url.render_as_string(hide_password=False) + PG_WAIT, first, second)
    check_numbers(pg_db, outcomes)
