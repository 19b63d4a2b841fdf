"""No call waits for ever: a silent server, a lock another desk keeps, a runaway statement.

Each expiry is a sentence saying what happened and what to do, within the timeout.
"""

from __future__ import annotations

import os
import signal
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from frontdesk.db import engine as engine_module
from frontdesk.db.engine import Database
from frontdesk.db.models import Room
from frontdesk.domain import DatabaseUnavailable
from frontdesk.scheduling.catalogue import list_rooms
from tests.accounts_support import as_admin
from tests.pg_server import PgServer


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A TCP port on loopback that accepts connections and never says a word."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield int(listener.getsockname()[1])
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    listener.close()


def test_print_plan_against_a_server_that_never_answers_ends_with_a_sentence(
    silent_server: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from frontdesk.__main__ import main

    url = f"postgresql+psycopg://desk@127.0.0.1:{silent_server}/clinic"
    started = time.monotonic()
    code = main(
        [
            "--database",
            url,
            "print-plan",
            "--patient",
            "000001",
            "--out",
            str(tmp_path / "plan.pdf"),
        ]
    )
    took = time.monotonic() - started
    err = capsys.readouterr().err
    assert code != 0
    assert took < engine_module.PG_CONNECT_TIMEOUT_S + 3, took
    assert f"did not answer within {engine_module.PG_CONNECT_TIMEOUT_S} seconds" in err, err
    assert "check that it is running" in err and "Traceback" not in err
    assert not (tmp_path / "plan.pdf").exists()


def test_a_read_from_a_server_that_never_answers_ends_with_a_sentence(
    silent_server: int,
) -> None:
    db = Database(f"postgresql+psycopg://desk@127.0.0.1:{silent_server}/clinic")
    started = time.monotonic()
    with (
        pytest.raises(DatabaseUnavailable, match="did not answer within 5 seconds") as exc,
        db.read() as s,
    ):
        s.execute(text("SELECT 1"))
    assert time.monotonic() - started < engine_module.PG_CONNECT_TIMEOUT_S + 3
    assert "Check that the server is running" in str(exc.value)
    db.dispose()


def test_a_write_blocked_by_a_lock_another_desk_keeps_ends_with_the_busy_message(
    pg_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine_module, "PG_LOCK_TIMEOUT_MS", 1_000)
    url = pg_db.url.render_as_string(hide_password=False)
    desk = Database(url)
    other = sa.create_engine(url)
    try:
        with other.connect() as conn, conn.begin():
            conn.execute(text("LOCK TABLE rooms IN ACCESS EXCLUSIVE MODE"))  # a desk stuck
            started = time.monotonic()
            with (
                pytest.raises(DatabaseUnavailable, match="busy with another workstation"),
                desk.write() as s,
            ):
                s.add(Room(name="Room 9", active=True))
            assert time.monotonic() - started < 3
        with desk.read() as s:
            assert s.scalar(sa.select(sa.func.count(Room.id))) == 0
    finally:
        desk.dispose()
        other.dispose()


def test_a_runaway_statement_is_cut_off_by_the_server(
    pg_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine_module, "PG_STATEMENT_TIMEOUT_MS", 1_000)
    desk = Database(pg_db.url.render_as_string(hide_password=False))
    try:
        started = time.monotonic()
        with (
            pytest.raises(DatabaseUnavailable, match="took longer than 1 second to answer"),
            desk.read() as s,
        ):
            s.execute(text("SELECT pg_sleep(30)"))
        assert time.monotonic() - started < 5
    finally:
        desk.dispose()


def test_the_url_may_set_its_own_timeouts() -> None:
    db = Database(
        "postgresql+psycopg://desk@127.0.0.1:1/clinic?connect_timeout=2"
        "&options=-c%20lock_timeout%3D100"
    )
    args = engine_module._postgres_connect_args(db.url)
    assert "connect_timeout" not in args  # the URL's own value is used
    assert args["options"].count("lock_timeout") == 1
    assert "statement_timeout=" in args["options"]
    db.dispose()


# ----- a connection already open to a server that stops answering ------------------------------
# The server's own timeouts cannot fire while its processes are stopped (SIGSTOP, like a hung
# machine); Frontdesk's watchdog cuts the call off and the pool drops that connection.

DEADLINE_S = 2  # the statement deadline, shortened for the tests
PING_S = 1  # the pool's liveness check gives up after the connect timeout


@contextmanager
def backend_paused(pid: int) -> Iterator[None]:
    """One server process (the backend of one connection) stopped while the block runs."""
    os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(pid, signal.SIGCONT)


@pytest.fixture
def desk(pg_db: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    """Another desk on the test's database, with one connection open in its pool."""
    monkeypatch.setattr(engine_module, "PG_ANSWER_DEADLINE_S", DEADLINE_S)
    monkeypatch.setattr(engine_module, "PG_CONNECT_TIMEOUT_S", PING_S)
    with pg_db.write() as s:
        s.add(Room(name="Room 1", active=True))
    desk = as_admin(Database(pg_db.url.render_as_string(hide_password=False)))
    assert _rooms(desk) == ["Room 1"]  # connected: the pool keeps that connection
    yield desk
    desk.dispose()


def _rooms(db: Database) -> list[str]:
    return [room.name for room in list_rooms(db)]  # a service's read


def _backend_pid(db: Database) -> int:
    with db.engine.connect() as conn:  # the pooled connection: the pool holds only that one
        return int(conn.scalar(text("SELECT pg_backend_pid()")))


def test_a_backend_that_stops_answering_mid_read_is_cut_off_with_a_sentence(
    desk: Database,
) -> None:
    with desk.read() as s:
        pid = int(s.scalar(text("SELECT pg_backend_pid()")))
        with backend_paused(pid):
            started = time.monotonic()
            with pytest.raises(OperationalError) as exc:
                s.execute(sa.select(sa.func.count(Room.id)))
            took = time.monotonic() - started
    message = desk._explain(exc.value, writing=False)
    assert DEADLINE_S <= took < DEADLINE_S + 2, took
    assert message == (
        "The database server 127.0.0.1 did not answer within 2 seconds, so Frontdesk stopped "
        "waiting. Try again. If it keeps happening, ask whoever looks after the server to "
        "check it."
    )
    assert exc.value.connection_invalidated  # the pool dropped it
    assert _backend_pid(desk) != pid  # the next call works, on a new connection
    assert _rooms(desk) == ["Room 1"]


def test_a_write_to_a_backend_that_stops_answering_ends_with_a_sentence(
    desk: Database,
) -> None:
    with pytest.raises(DatabaseUnavailable) as exc, desk.write() as s:
        pid = int(s.scalar(text("SELECT pg_backend_pid()")))
        with backend_paused(pid):
            s.add(Room(name="Room 9", active=True))
            s.flush()
    assert "did not answer within 2 seconds" in str(exc.value)
    assert "Nothing was saved" in str(exc.value) and "Traceback" not in str(exc.value)
    assert _rooms(desk) == ["Room 1"]  # Room 9 was not saved


def test_a_pooled_connection_whose_backend_stopped_is_replaced_by_a_new_one(
    desk: Database,
) -> None:
    pid = _backend_pid(desk)
    with backend_paused(pid):
        started = time.monotonic()
        assert _rooms(desk) == ["Room 1"]  # the liveness check gave up; a new connection read
        took = time.monotonic() - started
    assert PING_S <= took < PING_S + 2, took
    assert _backend_pid(desk) != pid


def test_a_whole_server_paused_with_a_connection_in_the_pool_ends_with_a_sentence(
    desk: Database, pg_server: PgServer
) -> None:
    pid = _backend_pid(desk)
    with pg_server.paused():
        started = time.monotonic()
        with pytest.raises(DatabaseUnavailable) as exc:
            list_rooms(desk)
        took = time.monotonic() - started
    # The liveness check gives up, then connecting anew does: each after the connect timeout.
    assert took < 2 * PING_S + 2, took
    assert "did not answer within 1 second" in str(exc.value)
    assert "Check that the server is running" in str(exc.value)
    assert _rooms(desk) == ["Room 1"]  # the server is back: the next call works
    assert _backend_pid(desk) != pid


def test_a_commit_the_server_never_answers_says_nobody_knows_whether_it_was_saved(
    desk: Database,
) -> None:
    with desk.read() as s:
        pid = int(s.scalar(text("SELECT pg_backend_pid()")))  # the pool's one connection

    def stop_the_server_now(_conn: object) -> None:  # just before COMMIT goes out
        os.kill(pid, signal.SIGSTOP)

    sa.event.listen(desk.engine, "commit", stop_the_server_now)
    try:
        with pytest.raises(DatabaseUnavailable) as exc, desk.write() as s:
            s.add(Room(name="Room 9", active=True))
    finally:
        os.kill(pid, signal.SIGCONT)
        sa.event.remove(desk.engine, "commit", stop_the_server_now)
    assert str(exc.value) == (
        "The database server 127.0.0.1 did not answer within 2 seconds while saving, so "
        "Frontdesk cannot tell whether the change was saved. Check whether it is there before "
        "doing it again. If it keeps happening, ask whoever looks after the server to check it."
    )
    assert _rooms(desk) in (["Room 1"], ["Room 1", "Room 9"])  # the next call works
