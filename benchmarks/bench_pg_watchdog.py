"""What the PostgreSQL watchdog (``frontdesk/db/engine.py``) costs a statement.

Every statement, COMMIT, ROLLBACK and pre-ping on PostgreSQL is registered with the watchdog
thread and unregistered after it (a dict insert and pop under a lock). This runs ``SELECT 1``
on one connection, and short read sessions (checkout with pre-ping, a query, the rollback), on
a throw-away local server, through an engine with the watchdog and one without it, in
alternating rounds; it prints the median per call of each and the difference.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import report  # first: it makes the source tree importable
from _postgres import postgres_server
from sqlalchemy import text

from frontdesk.db import engine as engine_module
from frontdesk.db.engine import Database

STATEMENTS = 2_000
SESSIONS = 500
ROUNDS = 7


def _unwatched(url: str) -> Database:
    keep = engine_module._deadline_on_round_trips
    engine_module._deadline_on_round_trips = lambda engine: None  # type: ignore[assignment]
    try:
        return Database(url)
    finally:
        engine_module._deadline_on_round_trips = keep


def _per_statement_us(db: Database) -> float:
    with db.engine.connect() as conn:
        started = time.perf_counter()
        for _ in range(STATEMENTS):
            conn.execute(text("SELECT 1"))
        return (time.perf_counter() - started) / STATEMENTS * 1e6


def _per_session_us(db: Database) -> float:
    started = time.perf_counter()
    for _ in range(SESSIONS):
        with db.read() as s:
            s.execute(text("SELECT 1"))
    return (time.perf_counter() - started) / SESSIONS * 1e6


def main() -> None:
    with postgres_server(None) as server:
        url = server.url("postgres")
        dbs = {"watched": Database(url), "unwatched": _unwatched(url)}
        figures: dict[tuple[str, str], list[float]] = {}
        for _ in range(ROUNDS):
            for name, db in dbs.items():
                figures.setdefault((name, "statement"), []).append(_per_statement_us(db))
                figures.setdefault((name, "session"), []).append(_per_session_us(db))
        for db in dbs.values():
            db.dispose()
    for what in ("statement", "session"):
        watched = statistics.median(figures[("watched", what)])
        unwatched = statistics.median(figures[("unwatched", what)])
        report(f"pg_select1_per_{what}_watched", watched, "µs")
        report(f"pg_select1_per_{what}_unwatched", unwatched, "µs")
        report(f"pg_watchdog_overhead_per_{what}", watched - unwatched, "µs")


if __name__ == "__main__":
    main()
