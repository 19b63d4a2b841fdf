"""The benchmarks' PostgreSQL server, holding the same demo clinic as the cached SQLite file.

The server is a throw-away one started from the system's binaries like the tests' (see
``tests/pg_server.py``), with PostgreSQL's default durability (fsync on, synchronous commit),
or one the caller names with ``--postgres URL`` (a role that may create databases; the URL's
database is only used to create and drop the benchmark's own).

The demo generator writes explicit ids from one seeded random stream, so the PostgreSQL clinic
is built by the same generator, with the same seed and day, as the SQLite file. Building it
takes about two minutes, so it is built once, dumped with ``pg_dump`` into the cache beside the
SQLite file, and restored into each run's server (about half a minute). ``fingerprint`` hashes
every row of every table on both databases, so "the same data" is checked on each run, not
assumed.
"""

from __future__ import annotations

import glob
import hashlib
import json
import multiprocessing
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from datetime import time as clock_time
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from _common import BENCH_SEED, BENCH_TODAY, Scale, cache_dir, demo_name, report
from sqlalchemy.engine import URL, make_url

from frontdesk.db.base import Base
from frontdesk.db.engine import Database
from frontdesk.db.open import open_database
from frontdesk.demo import build_demo

# What two builds of the same clinic cannot share: a password hash is salted anew each time,
# and an audit row records when it was written (its hashes chain over that time).
VARYING_COLUMNS = frozenset(
    {
        ("staff_accounts", "password_hash"),
        ("audit_events", "at"),
        ("audit_events", "prev_hash"),
        ("audit_events", "hash"),
    }
)


@dataclass
class Server:
    """Where the benchmark's databases are created: ``base`` is a SQLAlchemy URL of the server
    with a maintenance database; ``log`` is the server's log when the benchmark started it."""

    base: URL
    datadir: Path | None = None  # when the benchmark started the server itself

    @property
    def log(self) -> Path | None:
        return None if self.datadir is None else self.datadir / "log"

    def url(self, database: str) -> str:
        return self.base.set(database=database).render_as_string(hide_password=False)

    def admin(self) -> sa.Engine:
        return sa.create_engine(self.base, isolation_level="AUTOCOMMIT")

    def execute(self, statement: str) -> None:
        engine = self.admin()
        try:
            with engine.connect() as conn:
                conn.exec_driver_sql(statement)
        finally:
            engine.dispose()

    def copy(self, template: str, name: str) -> str:
        """A fresh database ``name`` copied from ``template`` (a file copy on the server)."""
        self.drop(name)
        self.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return name

    def drop(self, name: str) -> None:
        self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def tool(self, name: str, *args: str, database: str) -> None:
        """Run ``pg_dump``/``pg_restore`` on ``database``; a password in the URL goes in
        ``PGPASSWORD``, never on the command line."""
        target = self.base.set(drivername="postgresql", database=database, password=None)
        env = dict(os.environ)
        if self.base.password is not None:
            env["PGPASSWORD"] = str(self.base.password)
        conninfo = target.render_as_string(hide_password=False)
        subprocess.run(
            [_tool(name), *args, f"--dbname={conninfo}"],
            check=True,
            env=env,
            capture_output=True,
            text=True,
        )

    def cpu_seconds(self) -> float | None:
        """CPU time the server's processes have used so far, those ended included (Linux;
        None when the benchmark did not start the server)."""
        if self.datadir is None:
            return None
        postmaster = int((self.datadir / "postmaster.pid").read_text().split()[0])
        ticks = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # a process that ended meanwhile
            pid, parent = int(stat.parent.name), int(fields[1])
            if pid == postmaster:  # its own time and that of every child it has reaped
                ticks += sum(int(f) for f in fields[11:15])
            elif parent == postmaster:  # the children still running
                ticks += int(fields[11]) + int(fields[12])
        return ticks / os.sysconf("SC_CLK_TCK")

    def log_count(self, phrase: str) -> int | None:
        """How many lines of the server's log contain ``phrase`` (None: not our server)."""
        if self.log is None or not self.log.exists():
            return None
        with self.log.open(errors="replace") as log:
            return sum(phrase in line for line in log)


def _tool(name: str) -> str:
    """A PostgreSQL client program of the same version as the server binaries, if any."""
    initdb = shutil.which("initdb")
    folders = [os.path.dirname(os.path.realpath(initdb))] if initdb else []
    folders += sorted(os.path.dirname(p) for p in glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    for folder in folders:
        if os.access(os.path.join(folder, name), os.X_OK):
            return os.path.join(folder, name)
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found: install Debian's 'postgresql' package.")
    return found


@contextmanager
def postgres_server(given: str | None, *, connections: int = 60) -> Iterator[Server]:
    """The server at ``given`` (a URL), or a throw-away one on loopback for this run."""
    if given:
        url = make_url(given)
        if url.drivername in ("postgresql", "postgres"):
            url = url.set(drivername="postgresql+psycopg")
        yield Server(url.set(database=url.database or "postgres"))
        return
    # The tests' server starter, with the defaults a clinic's server would keep.
    from tests import pg_server

    server = pg_server.start(fsync=True, max_connections=connections)
    try:
        yield Server(make_url(server.url("postgres")), Path(server.datadir))
    finally:
        server.stop()


def server_settings(server: Server) -> str:
    """The settings that decide write speed, as one line for the report."""
    engine = server.admin()
    try:
        with engine.connect() as conn:
            names = ("server_version", "fsync", "synchronous_commit", "shared_buffers")
            values = [str(conn.exec_driver_sql(f"SHOW {n}").scalar()) for n in names]
    finally:
        engine.dispose()
    return ", ".join(f"{n} {v}" for n, v in zip(names, values, strict=True))


def demo_template(server: Server, scale: Scale, *, rebuild: bool = False) -> str:
    """A database on ``server`` holding the demo clinic of ``scale``; copy it, do not use it.

    Restored from the cached dump, or built (and dumped for next time) when there is none.
    Analysed afterwards, as autovacuum would have done on a server in use.
    """
    name = f"frontdesk_bench_{scale.name}_{os.getpid()}"
    dump = cache_dir() / f"{demo_name(scale)}.pgdump"
    server.drop(name)
    server.execute(f'CREATE DATABASE "{name}"')
    started = time.perf_counter()
    if dump.exists() and not rebuild:
        server.tool("pg_restore", "--no-owner", "--no-privileges", str(dump), database=name)
        report("postgres_restore_seconds", time.perf_counter() - started, "s")
    else:
        child = multiprocessing.get_context("spawn").Process(
            target=_build, args=(server.url(name), scale)
        )
        child.start()
        child.join()
        if child.exitcode != 0:
            raise RuntimeError(f"building the {scale.name} demo clinic on PostgreSQL failed")
        report("postgres_demo_build_seconds", time.perf_counter() - started, "s")
        partial = dump.with_suffix(".dumping")
        server.tool("pg_dump", "--format=custom", f"--file={partial}", database=name)
        partial.replace(dump)
    engine = sa.create_engine(server.url(name), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
    finally:
        engine.dispose()
    return name


def _build(url: str, scale: Scale) -> None:
    db = open_database(url)
    try:
        build_demo(
            db,
            patients=scale.patients,
            appointments=scale.appointments,
            seed=BENCH_SEED,
            today=BENCH_TODAY,
        )
    finally:
        db.dispose()


def _plain(value: Any) -> Any:
    """A value as both databases give it back: instants in UTC, JSON with sorted keys."""
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return aware.astimezone(UTC).isoformat()
    if isinstance(value, date | clock_time):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return hashlib.sha256(bytes(value)).hexdigest()
    if isinstance(value, Decimal):
        return str(value.normalize())
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)
    return value


def fingerprint(db: Database) -> dict[str, tuple[int, str]]:
    """Rows and a SHA-256 of their contents, ordered by key, for every table of the schema."""
    result: dict[str, tuple[int, str]] = {}
    with db.engine.connect() as conn:
        streaming = conn.execution_options(stream_results=True, yield_per=5000)
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if (table.name, c.name) not in VARYING_COLUMNS]
            order = list(table.primary_key.columns) or columns
            digest, rows = hashlib.sha256(), 0
            for row in streaming.execute(sa.select(*columns).order_by(*order)):
                digest.update(repr(tuple(_plain(v) for v in row)).encode())
                rows += 1
            result[table.name] = (rows, digest.hexdigest())
    return result


def check_same_data(prints: dict[str, dict[str, tuple[int, str]]]) -> None:
    """Print the row counts and stop when the databases differ in any row."""
    (first_name, first), *others = prints.items()
    for name, other in others:
        differing = sorted(t for t in first if first[t] != other.get(t))
        if differing:
            raise SystemExit(
                f"{first_name} and {name} hold different data in: {', '.join(differing)}"
            )
    rows = sum(n for n, _ in first.values())
    digest = hashlib.sha256("".join(d for _, d in first.values()).encode()).hexdigest()
    print(
        f"# same data in {', '.join(prints)}: {len(first)} tables, {rows} rows, "
        f"every row equal (SHA-256 {digest[:16]}…)",
        flush=True,
    )
