"""One engine per database and the two ways services talk to it.

``Database.read()`` opens a short session for queries. ``Database.write()`` opens a
transaction that no other connection can interleave with: on SQLite it starts with
``BEGIN IMMEDIATE`` (the write lock is taken before the first read, so a check-then-insert
cannot race another workstation); on PostgreSQL services lock the rows they check with
``SELECT ... FOR UPDATE``. Every SQLite-specific setting lives in this module alone.

A SQLite file is private to this account (0600; SQLite gives its -wal and -shm the same mode),
and before each write the file on disk is checked to still be the one opened: a database
deleted, moved or replaced under a running app would otherwise take writes into an unlinked
file and lose them when the app closes. SQL parameters never reach a log or an error message
(``hide_parameters``): they hold patients' names and notes.
"""

from __future__ import annotations

import contextlib
import copy
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from frontdesk.domain import Actor, DatabaseUnavailable
from frontdesk.private_files import create_private_file, tighten_database_files

SQLITE_BUSY_TIMEOUT_MS = 10_000
_IMMEDIATE = "frontdesk_immediate"


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        if not _is_memory(engine):
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if conn.get_execution_options().get(_IMMEDIATE):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


def _is_read_only(exc: DBAPIError) -> bool:
    """SQLite's "attempt to write a readonly database", PostgreSQL's SQLSTATE 25006."""
    text = str(exc.orig).lower()
    return (
        "readonly database" in text
        or "read-only transaction" in text
        or getattr(exc.orig, "sqlstate", None) == "25006"
    )


def display_url(url: str | Any) -> str:
    """A database URL safe to show or log: the password is replaced by ``***``."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not a URL at all: still never let a password through
        import re

        return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", str(url))


FileIdentity = tuple[int, int]


def _identity(path: str) -> FileIdentity | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def _is_memory(engine: Engine) -> bool:
    database = engine.url.database
    return not database or database == ":memory:"


def sqlite_file(url: URL) -> str | None:
    """The file a SQLite URL names, also in ``file:PATH?mode=ro&uri=true`` form; else None."""
    database = url.database
    if url.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    if url.query.get("uri") == "true" and database.startswith("file:"):
        return database.removeprefix("file:")
    return database


class Database:
    """The engine and its session factories for one database URL."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        parsed = make_url(url)
        kwargs: dict[str, Any] = {"echo": echo, "hide_parameters": True}
        if parsed.get_backend_name() == "sqlite":
            kwargs["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
        elif parsed.get_backend_name() == "postgresql":
            kwargs["pool_pre_ping"] = True
        self.url = parsed
        self.engine: Engine = create_engine(parsed, **kwargs)
        self._identity: FileIdentity | None = None
        if self.is_sqlite:
            _configure_sqlite(self.engine)
            self._prepare_file()
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(
            self.engine.execution_options(**{_IMMEDIATE: True}), expire_on_commit=False
        )
        # Who is signed in: every service checks it (``frontdesk.accounts.operation``).
        self.actor: Actor | None = None

    def as_actor(self, actor: Actor | None) -> Database:
        """This database as ``actor`` sees it: the same engine and sessions, another user.

        Cheap (no new connections), so signing in, switching user and tests just bind anew.
        """
        bound = copy.copy(self)
        bound.actor = actor
        return bound

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def sqlite_path(self) -> str | None:
        """File of a SQLite database, or None for memory or another server."""
        return sqlite_file(self.url)

    def _prepare_file(self) -> None:
        """Create a new SQLite file as 0600, tighten an existing one, remember which it is."""
        path = self.sqlite_path
        if path is None:
            return
        if not os.path.exists(path) and os.path.isdir(os.path.dirname(path) or "."):
            # An empty file is a valid empty database; on failure SQLite's own error at
            # connect says it better (read-only folder, ...).
            with contextlib.suppress(OSError):
                create_private_file(Path(path))
        tighten_database_files(Path(path))
        self._identity = _identity(path)

    def reopen(self) -> None:
        """Drop every connection and take the file now at the path as this database's.

        Called after a restore replaced the file on purpose, so the write check below
        accepts the new file and no pooled connection still reads the old one.
        """
        self.engine.dispose()
        if self.is_sqlite:
            self._prepare_file()

    def check_file(self) -> None:
        """Refuse to go on when the SQLite file was deleted, moved or replaced since opening."""
        path = self.sqlite_path
        if path is None:
            return
        now = _identity(path)
        if self._identity is None:
            self._identity = now
            return
        if now != self._identity:
            what = "is gone" if now is None else "was replaced by another file"
            raise DatabaseUnavailable(
                f"The clinic database file {path} {what} while Frontdesk was open, so nothing "
                "was saved (what you typed is still here). Put the file back or restore a "
                "backup, then close Frontdesk and start it again."
            )

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A short session for queries; whatever it changed is rolled back."""
        try:
            with self._read() as session:
                try:
                    yield session
                finally:
                    session.rollback()
        except OperationalError as exc:
            raise DatabaseUnavailable(self._explain(exc, writing=False)) from exc

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One all-or-nothing transaction: committed on success, rolled back on any error."""
        self.check_file()
        try:
            with self._write.begin() as session:
                yield session
        except OperationalError as exc:
            raise DatabaseUnavailable(self._explain(exc, writing=True)) from exc
        except DBAPIError as exc:  # PostgreSQL reports a read-only transaction as another type
            if not _is_read_only(exc):
                raise
            raise DatabaseUnavailable(self._explain(exc, writing=True)) from exc

    def _explain(self, exc: DBAPIError, *, writing: bool) -> str:
        """A message for the person at the desk; the technical cause stays in the log."""
        if _is_read_only(exc):
            # Waiting does not help here, so the message does not say "try again".
            where = (f"file {self.sqlite_path}" if self.is_sqlite
                     else f"on {self.url.host}")
            return (f"The clinic database {where} is read-only for this computer, so nothing "
                    "was saved; ask whoever looks after it to allow changes.")
        outcome = " Nothing was saved; try again in a moment." if writing else " Try again."
        text = str(exc.orig).lower()
        if "locked" in text or "busy" in text:
            return "The clinic database is busy with another workstation." + outcome
        where = "the database file" if self.is_sqlite else f"the database server {self.url.host}"
        return f"Frontdesk cannot reach {where} ({exc.orig})." + outcome

    @contextmanager
    def migration_connection(self) -> Iterator[Connection]:
        """A connection in one transaction for schema migrations.

        SQLite alters a table by copying it and dropping the original; with foreign keys
        enforced, dropping it would cascade-delete child rows (working hours, plan revisions)
        or fail. So enforcement is paused for the migration, the result is checked with
        ``PRAGMA foreign_key_check`` before committing, and enforcement is restored.
        """
        with self.engine.connect() as conn:
            if not self.is_sqlite:
                with conn.begin():
                    yield conn
                return
            raw = conn.connection.dbapi_connection
            assert raw is not None
            raw.execute("PRAGMA foreign_keys = OFF")  # outside a transaction, or it is ignored
            try:
                with conn.begin():
                    yield conn
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(
                            f"The schema upgrade would leave {len(broken)} broken references "
                            f"(first: {tuple(broken[0])}); nothing was changed."
                        )
            finally:
                raw.execute("PRAGMA foreign_keys = ON")

    def dispose(self) -> None:
        self.engine.dispose()
