"""Booking, first available and the calendar's day on PostgreSQL beside SQLite, same clinic.

One clinic, two databases: the cached SQLite demo file (copied fresh) and the same clinic on
a PostgreSQL server (a throw-away one on loopback started for the run, or ``--postgres URL``);
every row of every table is compared before anything is timed. The measurements are those of
``bench_scheduling.py`` and ``bench_calendar.py``, taken in rounds that alternate between the
databases so load from other programs on the machine falls on both alike:

* ``booking``: one ``book_appointment`` (rules, overlap checks, row locks, insert, audit row,
  commit) beside the raw overlap query on a bare connection;
* ``first_available``: ten slots of an initial consultation with any practitioner;
* ``calendar_day``: show a day of every practitioner (read, build the scene, paint offscreen),
  and step to the next day.

Each figure is printed as ``sqlite_…`` and ``postgresql_…``, then their ratio.

Usage: ``python benchmarks/bench_postgres.py --scale small|full [--postgres URL] [--rebuild]``
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_calendar
import bench_scheduling
from _common import (
    SCALES,
    cached_demo_path,
    median,
    parse_args,
    percentile,
    report,
    sign_in_as_demo_admin,
)
from _postgres import (
    Server,
    check_same_data,
    demo_template,
    fingerprint,
    postgres_server,
    server_settings,
)
from PySide6.QtWidgets import QApplication
from sqlalchemy import event

from frontdesk.db.engine import Database
from frontdesk.db.open import open_database
from frontdesk.scheduling import list_practitioners

BACKENDS = ("sqlite", "postgresql")
CALENDAR_ROUNDS = 2  # alternating calendar rounds per database, 30 clicks of each kind each


def _options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="a PostgreSQL server to use (a role that may create databases) instead of "
        "starting a throw-away one; put its password in ~/.pgpass or PGPASSWORD",
    )


def _open(args: argparse.Namespace, work: Path, server: Server) -> dict[str, Database]:
    """The two copies of the clinic, checked to hold the same rows, then signed in."""
    scale = SCALES[args.scale]
    sqlite_file = work / "bench.sqlite3"
    shutil.copyfile(cached_demo_path(scale, rebuild=args.rebuild), sqlite_file)
    sqlite_file.chmod(0o600)  # as Frontdesk keeps a clinic file (it would say so otherwise)
    template = demo_template(server, scale, rebuild=args.rebuild)
    name = server.copy(template, f"{template}_run")
    server.drop(template)
    dbs = {
        "sqlite": open_database(f"sqlite:///{sqlite_file}"),
        "postgresql": open_database(server.url(name)),
    }
    check_same_data({backend: fingerprint(db) for backend, db in dbs.items()})
    return {backend: sign_in_as_demo_admin(db, f"{backend}_") for backend, db in dbs.items()}


def _scheduling(dbs: dict[str, Database]) -> dict[str, dict[str, list[float]]]:
    setups = {n: bench_scheduling._setup(db) for n, db in dbs.items()}
    conns = {n: db.engine.connect() for n, db in dbs.items()}
    try:
        repeat, rounds = bench_scheduling.REPEAT, bench_scheduling.ROUNDS
        return {
            "first_available": bench_scheduling.interleaved(
                {n: bench_scheduling.first_available_call(b) for n, b in setups.items()}, repeat
            ),
            "booking": bench_scheduling.interleaved(
                {n: bench_scheduling.booking_call(b, repeat + rounds) for n, b in setups.items()},
                repeat,
            ),
            "raw_overlap_query": bench_scheduling.interleaved(
                {n: bench_scheduling.raw_overlap_call(b, conns[n]) for n, b in setups.items()},
                repeat * 5,
            ),
        }
    finally:
        for conn in conns.values():
            conn.close()


def statements_per_booking(dbs: dict[str, Database]) -> dict[str, tuple[int, int]]:
    """How many SQL statements one booking sends, and how many connections it takes from the
    pool (on PostgreSQL each is checked with a statement of its own first): round trips to a
    server."""
    counts: dict[str, tuple[int, int]] = {}
    for backend, db in dbs.items():
        book = bench_scheduling.booking_call(bench_scheduling._setup(db), 1)
        sent: list[str] = []
        lent: list[object] = []

        def note(*args: object, sent: list[str] = sent) -> None:
            sent.append(str(args[2]))

        def lend(*args: object, lent: list[object] = lent) -> None:
            lent.append(args[0])

        event.listen(db.engine, "before_cursor_execute", note)
        event.listen(db.engine.pool, "checkout", lend)
        try:
            book()
        finally:
            event.remove(db.engine, "before_cursor_execute", note)
            event.remove(db.engine.pool, "checkout", lend)
        counts[backend] = (len(sent), len(lent))
    return counts


def _calendar(dbs: dict[str, Database]) -> dict[str, dict[str, list[float]]]:
    figures: dict[str, dict[str, list[float]]] = {"calendar_day_show": {}, "calendar_day_next": {}}
    for _ in range(CALENDAR_ROUNDS):
        for backend, db in dbs.items():
            samples = bench_calendar.measure(db, None)
            figures["calendar_day_show"].setdefault(backend, []).extend(samples["day"])
            figures["calendar_day_next"].setdefault(backend, []).extend(samples["next_day"])
    return figures


def main() -> int:
    args = parse_args(__doc__ or "", extra=_options)
    QApplication.instance() or QApplication([])
    print(f"# {os.cpu_count()} CPUs; load average before: {os.getloadavg()}", flush=True)
    with (
        tempfile.TemporaryDirectory(prefix="bench-postgres-") as work,
        postgres_server(args.postgres) as server,
    ):
        print(f"# PostgreSQL: {server_settings(server)}", flush=True)
        dbs = _open(args, Path(work), server)
        practitioners = len(list_practitioners(dbs["sqlite"]))
        figures = _scheduling(dbs) | _calendar(dbs)
        statements = statements_per_booking(dbs)
        for db in dbs.values():
            db.dispose()
    print(f"# load average after: {os.getloadavg()}", flush=True)
    scale = SCALES[args.scale]
    print(
        f"# {scale.name} demo clinic: {scale.patients} patients, {scale.appointments} "
        f"appointments; calendar day of all {practitioners} practitioners"
    )
    for backend in BACKENDS:
        sent, lent = statements[backend]
        print(f"{backend}_statements_per_booking = {sent} statements")
        print(f"{backend}_connections_per_booking = {lent} connections")
    for figure, by_backend in figures.items():
        for stat, fn in (("median", median), ("p95", lambda v: percentile(v, 95))):
            values = {b: fn(by_backend[b]) for b in BACKENDS}
            for backend in BACKENDS:
                report(f"{backend}_{figure}_{stat}", values[backend], "ms")
            report(
                f"postgresql_over_sqlite_{figure}_{stat}",
                values["postgresql"] / values["sqlite"],
                "x",
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
