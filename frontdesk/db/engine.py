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
import functools
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from frontdesk.domain import Actor, DatabaseUnavailable, SlotTaken
from frontdesk.private_files import create_private_file, tighten_database_files

# How long a call waits for another workstation before it gives up with a plain message.
# SQLite: a write (a booking, a saved note) waits for another desk's write to finish; a read
# only meets a lock in rare moments (a checkpoint, recovery), so it gives up sooner.
SQLITE_BUSY_TIMEOUT_MS = 5_000
SQLITE_READ_BUSY_TIMEOUT_MS = 2_000
# PostgreSQL: a server that does not answer the connection, a row or table another desk keeps
# locked, and a statement that runs away are all cut off by the server or the driver.
PG_CONNECT_TIMEOUT_S = 5
PG_LOCK_TIMEOUT_MS = 5_000
PG_STATEMENT_TIMEOUT_MS = 20_000
PG_IDLE_IN_TRANSACTION_TIMEOUT_MS = 60_000
# ... and a server that stops answering a connection already open (a hung or paused machine)
# is cut off by Frontdesk itself (``_Watchdog`` below): a statement, COMMIT or ROLLBACK after
# the server's own statement timeout had its chance, the pool's liveness check ("pre-ping",
# an empty query a live server answers at once) after the connect timeout.
PG_ANSWER_DEADLINE_S = PG_STATEMENT_TIMEOUT_MS / 1000 + 5
_IMMEDIATE = "frontdesk_immediate"
SSLMODE_ENV = "FRONTDESK_PG_SSLMODE"
CHANGES_CHANNEL = "frontdesk_changes"  # NOTIFY channel of committed changes (db/changes.py)
_CHANGED = "frontdesk_changed"
log = logging.getLogger("frontdesk")


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_READ_BUSY_TIMEOUT_MS}")
        if not _is_memory(engine):
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # The wait suits the call: set per transaction (a pragma costs microseconds).
        if conn.get_execution_options().get(_IMMEDIATE):
            conn.exec_driver_sql(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql(f"PRAGMA busy_timeout = {SQLITE_READ_BUSY_TIMEOUT_MS}")
            conn.exec_driver_sql("BEGIN")


_LOCAL_HOSTS = frozenset({"", "localhost", "127.0.0.1", "::1"})


def is_local_server(url: URL) -> bool:
    """A server on this computer: loopback or a unix socket (a path as the host)."""
    hosts = [url.host or ""]
    given = url.query.get("host")
    if given:
        hosts = [given] if isinstance(given, str) else list(given)
    return all(h.strip("[]") in _LOCAL_HOSTS or h.startswith("/") for h in hosts)


def sslmode_for(url: URL) -> str | None:
    """The ``sslmode`` to ask for, or None to leave it to the URL or libpq's environment.

    Patients' records cross the network only encrypted: any server other than this computer
    gets ``require``, unless the URL's ``?sslmode=``, ``$PGSSLMODE`` or
    ``$FRONTDESK_PG_SSLMODE`` (for a lab without certificates) says otherwise.
    """
    if "sslmode" in url.query or os.environ.get("PGSSLMODE"):
        return None
    chosen = os.environ.get(SSLMODE_ENV, "").strip()
    if chosen:
        return chosen
    return None if is_local_server(url) else "require"


def password_warning(url: URL) -> str | None:
    """A warning when a PostgreSQL address carries its password (it shows in process lists)."""
    if url.get_backend_name() != "postgresql" or url.password is None:
        return None
    return (
        "The database address includes a password, which other people on this computer "
        "can read from the list of running programs or the settings. Put it in ~/.pgpass "
        "or the PGPASSWORD environment variable instead, as the README shows."
    )


def _postgres_connect_args(url: URL) -> dict[str, Any]:
    """Timeouts (unless the URL sets its own) and encryption for every PostgreSQL session."""
    query = url.query
    args: dict[str, Any] = {}
    sslmode = sslmode_for(url)
    if sslmode is not None:
        args["sslmode"] = sslmode
    if "connect_timeout" not in query:
        args["connect_timeout"] = PG_CONNECT_TIMEOUT_S
    settings = {
        "lock_timeout": PG_LOCK_TIMEOUT_MS,
        "statement_timeout": PG_STATEMENT_TIMEOUT_MS,
        "idle_in_transaction_session_timeout": PG_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    }
    given = query.get("options", "")
    given = given if isinstance(given, str) else " ".join(given)
    extra = [f"-c {name}={value}" for name, value in settings.items() if name not in given]
    args["options"] = " ".join([given, *extra]).strip()
    return args


# ----- a client-side deadline for PostgreSQL round trips ----------------------------------------
#
# The server's statement_timeout cannot fire while the server is stopped (a hung machine, a
# paused VM or process), the kernel keeps acknowledging what is sent, and psycopg then waits in
# poll() on the socket with no limit of its own: the worker thread never comes back, and once
# the pool's threads are all stuck the desk answers nothing. So every round trip on an open
# connection is registered with one watchdog thread for the process, and a call still waiting
# at its deadline has its socket shut down (on a dup of libpq's descriptor, which stays
# libpq's to close): poll() wakes, libpq reads end-of-file, psycopg raises and marks the
# connection broken, and SQLAlchemy throws it away instead of returning it to the pool.
# (Asking the server to cancel the query, psycopg's ``cancel_safe()``, was tried and cannot
# help: a stopped backend does not act on the request, and a stopped postmaster never takes it.)
# A URL that sets a longer ``statement_timeout`` of its own is still cut off at the deadline.
# The cost on the happy path is a dict insert and pop under a lock; no thread per call.


class ServerSilent(Exception):
    """The server did not answer a connection already open within Frontdesk's deadline."""

    def __init__(self, seconds: float, *, committing: bool) -> None:
        super().__init__(f"the database server did not answer within {seconds:g} seconds")
        self.seconds = seconds
        self.committing = committing  # cut off during COMMIT: saved or not, nobody knows


@functools.cache
def _server_silent() -> type[ServerSilent]:
    """``ServerSilent`` as a driver error, so SQLAlchemy handles it as one (and drops the
    connection). Made on first use: a SQLite desk never loads psycopg."""
    import psycopg

    class DriverServerSilent(ServerSilent, psycopg.OperationalError):
        pass

    return DriverServerSilent


_TICK_S = 0.2  # how often the watchdog looks while a call is in flight (idle: it sleeps)


class _Watchdog:
    """Shuts down the socket of any registered call past its deadline."""

    def __init__(self) -> None:
        # id(entry) -> entry = [deadline (monotonic), socket descriptor, cut off?]
        self._calls: dict[int, list[Any]] = {}
        self._lock = threading.Lock()
        self._busy = threading.Event()  # set while anything is registered
        self._thread: threading.Thread | None = None

    def watch(self, fd: int, seconds: float) -> list[Any]:
        entry = [time.monotonic() + seconds, fd, False]
        with self._lock:
            self._calls[id(entry)] = entry
            if not self._busy.is_set():  # (setting it again costs more than asking)
                self._busy.set()
        if self._thread is None:
            self._start()
        return entry

    def done(self, entry: list[Any]) -> None:
        with self._lock:
            self._calls.pop(id(entry), None)

    def _start(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="frontdesk-pg-watchdog", daemon=True
                )
                self._thread.start()

    def _run(self) -> None:
        while True:
            self._busy.wait()
            time.sleep(_TICK_S)
            now = time.monotonic()
            with self._lock:  # under the lock: a call that just finished is never cut
                for key, entry in list(self._calls.items()):
                    if entry[0] <= now:
                        del self._calls[key]
                        entry[2] = True
                        _shut_down(entry[1])
                if not self._calls:
                    self._busy.clear()


def _shut_down(fd: int) -> None:
    try:
        sock = socket.socket(fileno=os.dup(fd))
    except OSError:  # already closed meanwhile
        return
    with sock, contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    log.warning("The database server did not answer in time; Frontdesk closed the connection.")


_WATCHDOG = _Watchdog()
_NO_DEADLINE = "frontdesk_no_deadline"  # execution option: a schema upgrade may take long


def _watched(
    method: Callable[..., Any],
    connection_of: Callable[[Any], Any],
    deadline: Callable[[Any], float | None],
    *,
    committing: bool = False,
) -> Callable[..., Any]:
    """``method`` (a dialect's round trip) under the watchdog's deadline."""
    import psycopg

    silent = _server_silent()

    def call(target: Any, *args: Any) -> Any:
        seconds = deadline(args)
        if seconds is None:
            return method(target, *args)
        try:
            fd = connection_of(target).pgconn.socket
        except Exception:  # closed or broken already: nothing on the wire to wait for
            return method(target, *args)
        entry = _WATCHDOG.watch(fd, seconds)
        try:
            return method(target, *args)
        except psycopg.Error as exc:
            if entry[2]:  # the watchdog cut it off (marked before the socket was shut)
                raise silent(seconds, committing=committing) from exc
            raise
        finally:
            _WATCHDOG.done(entry)

    return call


def _statement_deadline(args: tuple[Any, ...]) -> float | None:
    context = args[-1]  # do_execute*(cursor, statement, [parameters,] context)
    if context is not None and context.execution_options.get(_NO_DEADLINE):
        return None
    return PG_ANSWER_DEADLINE_S


def _deadline_on_round_trips(engine: Engine) -> None:
    """Every statement, pre-ping, COMMIT and ROLLBACK of ``engine`` gets a deadline.

    Wrapping the dialect's own methods (this engine's instance only) covers each round trip
    exactly once, including the pool's ROLLBACK when a connection is returned; the connection
    events would not (``commit``/``rollback`` fire before the call, with no event after it).
    A new connection needs nothing here: libpq's ``connect_timeout`` already limits it.
    """
    dialect: Any = engine.dialect

    def cursor_connection(cursor: Any) -> Any:
        return cursor.connection

    def itself(connection: Any) -> Any:
        return connection  # a psycopg connection or the pool's proxy of one

    for name in ("do_execute", "do_execute_no_params", "do_executemany"):
        setattr(
            dialect, name, _watched(getattr(dialect, name), cursor_connection, _statement_deadline)
        )
    dialect.do_ping = _watched(dialect.do_ping, itself, lambda _args: PG_CONNECT_TIMEOUT_S)
    dialect.do_commit = _watched(
        dialect.do_commit, itself, lambda _args: PG_ANSWER_DEADLINE_S, committing=True
    )
    dialect.do_rollback = _watched(dialect.do_rollback, itself, lambda _args: PG_ANSWER_DEADLINE_S)


def _is_read_only(exc: DBAPIError) -> bool:
    """SQLite's "attempt to write a readonly database", PostgreSQL's SQLSTATE 25006."""
    text = str(exc.orig).lower()
    return (
        "readonly database" in text
        or "read-only transaction" in text
        or getattr(exc.orig, "sqlstate", None) == "25006"
    )


_LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL: lock_timeout expired
_QUERY_CANCELED = "57014"  # PostgreSQL: statement_timeout expired
_EXCLUSION_VIOLATION = "23P01"  # PostgreSQL: an overlap the exclusion constraints refuse
# PostgreSQL gave up one of two transactions that waited for each other (two desks inserting
# clashing bookings at once can do that); trying the whole action again is safe.
_TRY_AGAIN = frozenset({"40P01", "40001"})  # deadlock_detected, serialization_failure


class WriteConflict(DatabaseUnavailable):
    """The server cancelled this write because of another desk's at the same moment.

    Nothing was saved; the service may run the whole action again once.
    """


def _seconds(ms: int) -> str:
    n = round(ms / 1000)
    return "1 second" if n == 1 else f"{n} seconds"


def is_connect_timeout(exc: DBAPIError) -> bool:
    """The server accepted no connection, or never answered one, within the connect timeout."""
    text = str(exc.orig).lower()
    return "timeout expired" in text or "timed out" in text


def failure_reason(exc: DBAPIError) -> str:
    """Why a database could not be opened, in one clause for a sentence about it."""
    if is_connect_timeout(exc):
        return (
            f"the server did not answer within {PG_CONNECT_TIMEOUT_S} seconds (check that "
            "it is running and that this computer is on the clinic network)"
        )
    if "no password supplied" in str(exc.orig).lower():
        return (
            "the server asks for a password and none was found (put it in ~/.pgpass or "
            "the PGPASSWORD environment variable, as the README shows)"
        )
    return str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__


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


def _announce_changes(factory: sessionmaker[Session]) -> None:
    """A write that changed rows ends with ``NOTIFY``: sent only if it commits, so other desks'
    open views reload (``db/changes.py``). SQLite's ``data_version`` needs nothing here."""

    @event.listens_for(factory, "after_flush")
    def _mark(session: Session, _context: Any) -> None:
        session.info[_CHANGED] = True

    @event.listens_for(factory, "do_orm_execute")
    def _mark_statement(state: Any) -> None:
        if state.is_insert or state.is_update or state.is_delete:
            state.session.info[_CHANGED] = True

    @event.listens_for(factory, "before_commit")
    def _announce(session: Session) -> None:
        session.flush()  # what commit would flush counts too
        if session.info.pop(_CHANGED, False):
            session.execute(text(f"NOTIFY {CHANGES_CHANNEL}"))


class Database:
    """The engine and its session factories for one database URL."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        parsed = make_url(url)
        kwargs: dict[str, Any] = {"echo": echo, "hide_parameters": True}
        if parsed.get_backend_name() == "sqlite":
            kwargs["connect_args"] = {"timeout": SQLITE_READ_BUSY_TIMEOUT_MS / 1000}
        elif parsed.get_backend_name() == "postgresql":
            kwargs["pool_pre_ping"] = True
            kwargs["connect_args"] = _postgres_connect_args(parsed)
            warning = password_warning(parsed)
            if warning:
                log.warning("%s (%s)", warning, display_url(parsed))
        self.url = parsed
        self.engine: Engine = create_engine(parsed, **kwargs)
        self._identity: FileIdentity | None = None
        if self.is_sqlite:
            _configure_sqlite(self.engine)
            self._prepare_file()
        elif parsed.get_backend_name() == "postgresql":
            _deadline_on_round_trips(self.engine)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(
            self.engine.execution_options(**{_IMMEDIATE: True}), expire_on_commit=False
        )
        if not self.is_sqlite:
            _announce_changes(self._write)

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
            if getattr(exc.orig, "sqlstate", None) in _TRY_AGAIN:
                raise WriteConflict(self._explain(exc, writing=True)) from exc
            raise DatabaseUnavailable(self._explain(exc, writing=True)) from exc
        except IntegrityError as exc:
            if getattr(exc.orig, "sqlstate", None) != _EXCLUSION_VIOLATION:
                raise
            # The server refused an overlap (migration 0004): another desk's booking of the
            # same practitioner, room or patient committed first. Services name the clash.
            raise SlotTaken(
                "This time was just taken at another workstation. Choose another time."
            ) from exc
        except DBAPIError as exc:  # PostgreSQL reports a read-only transaction as another type
            if not _is_read_only(exc):
                raise
            raise DatabaseUnavailable(self._explain(exc, writing=True)) from exc

    def _explain(self, exc: DBAPIError, *, writing: bool) -> str:
        """A message for the person at the desk; the technical cause stays in the log."""
        if _is_read_only(exc):
            # Waiting does not help here, so the message does not say "try again".
            where = f"file {self.sqlite_path}" if self.is_sqlite else f"on {self.url.host}"
            return (
                f"The clinic database {where} is read-only for this computer, so nothing "
                "was saved; ask whoever looks after it to allow changes."
            )
        outcome = " Nothing was saved; try again in a moment." if writing else " Try again."
        sqlstate = getattr(exc.orig, "sqlstate", None)
        text = str(exc.orig).lower()
        if (
            sqlstate == _LOCK_NOT_AVAILABLE
            or sqlstate in _TRY_AGAIN
            or "database is locked" in text
            or "busy" in text
        ):
            return "The clinic database is busy with another workstation." + outcome
        if sqlstate == _QUERY_CANCELED:
            return (
                f"The database server {self.url.host} took longer than "
                f"{_seconds(PG_STATEMENT_TIMEOUT_MS)} to answer, so Frontdesk stopped "
                "waiting." + outcome + " If it keeps happening, ask whoever looks after "
                "the server to check it."
            )
        if isinstance(exc.orig, ServerSilent):  # the watchdog cut off a silent server
            silent = (
                f"The database server {self.url.host} did not answer within "
                f"{_seconds(round(exc.orig.seconds * 1000))}"
            )
            check = " If it keeps happening, ask whoever looks after the server to check it."
            if exc.orig.committing:  # it may have saved just before it stopped answering
                return (
                    f"{silent} while saving, so Frontdesk cannot tell whether the change was "
                    "saved. Check whether it is there before doing it again." + check
                )
            return f"{silent}, so Frontdesk stopped waiting." + outcome + check
        where = "the database file" if self.is_sqlite else f"the database server {self.url.host}"
        if is_connect_timeout(exc):
            return (
                f"Frontdesk cannot reach {where}: it did not answer within "
                f"{PG_CONNECT_TIMEOUT_S} seconds. Check that the server is running and "
                "that this computer is on the clinic network." + outcome
            )
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
                    # An upgrade of a big clinic may take longer than any one desk's call.
                    conn.execution_options(**{_NO_DEADLINE: True})
                    conn.exec_driver_sql("SET LOCAL statement_timeout = 0")
                    yield conn
                return
            conn.execution_options(**{_IMMEDIATE: True})  # the write lock from the start
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
