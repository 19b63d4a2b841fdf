"""Which database a command line (or ``FRONTDESK_DATABASE``) names, checked before it is opened.

Shared by the GUI's composition root and the headless commands, below both: the option parser
in ``cli`` and the commands in ``frontdesk.commands`` import it, it imports neither.
"""

from __future__ import annotations

import argparse
import os
import re
from dataclasses import dataclass
from pathlib import Path

from frontdesk import paths
from frontdesk.domain import FrontdeskError


class UsageError(FrontdeskError):
    """The command line, or ``FRONTDESK_DATABASE``, asks for something that cannot work.

    The message is one sentence naming the option; the command exits with code 2 and has
    created or changed nothing.
    """


# Schemes a clinic may write, and the SQLAlchemy driver each one means.
_SCHEMES = {
    "sqlite": "sqlite",
    "sqlite+pysqlite": "sqlite",
    "postgresql": "postgresql+psycopg",
    "postgres": "postgresql+psycopg",
    "postgresql+psycopg": "postgresql+psycopg",
}
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
_PASSWORD = re.compile(r"(://[^:/@]*):[^@/]*@")
_NEW_DATABASE_SUFFIXES = (".sqlite3", ".sqlite", ".db")
_EXAMPLE = "a file path or postgresql://user@host/database"


def _origin(args: argparse.Namespace) -> str:
    """Where the database setting came from, as the person typed it."""
    env = os.environ.get("FRONTDESK_DATABASE")
    return "FRONTDESK_DATABASE={}" if env and args.database == env else "--database {}"


def database_url(args: argparse.Namespace) -> str:
    """The URL to open: the demo's own file with ``--demo``, else option/env, else the default.

    ``--demo`` never opens another database: ``--database`` and ``$FRONTDESK_DATABASE`` name
    the clinic's real data, which the generated demo clinic must not be written into.

    Raises ``UsageError`` (one sentence) for a setting Frontdesk cannot use: an address that is
    neither a SQLite file nor PostgreSQL, one that cannot be parsed, a port that is not a
    number, or a folder where a file should be.
    """
    if args.demo:
        return paths.demo_database_url()
    if not args.database:
        return paths.default_database_url()
    value: str = args.database
    shown = _origin(args).format(_PASSWORD.sub(r"\1:***@", value))
    match = _SCHEME.match(value)
    if match is None:
        if "://" in value:
            raise UsageError(f"{shown} is not a database address; give {_EXAMPLE}.")
        url = f"sqlite:///{os.path.abspath(value)}"
    else:
        scheme = match.group(1).lower()
        if scheme not in _SCHEMES:
            backend = scheme.split("+")[0]
            if backend in ("postgresql", "postgres"):
                raise UsageError(
                    f"{shown} names a PostgreSQL driver Frontdesk does not ship; "
                    "write postgresql://user@host/database instead."
                )
            raise UsageError(
                f"{shown} is neither a SQLite file nor a PostgreSQL database; give {_EXAMPLE}."
            )
        url = _SCHEMES[scheme] + value[match.end(1) :]
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        try:
            port = make_url(url).port
        except ValueError:
            raise UsageError(
                f"{shown} has a port that is not a number; write it like "
                "postgresql://user@host:5432/database."
            ) from None
        except ArgumentError:
            raise UsageError(f"{shown} is not a database address; give {_EXAMPLE}.") from None
        if port is not None and not 0 < port < 65536:
            raise UsageError(
                f"{shown} has the port {port}, but a port is a number from 1 to 65535."
            )
    path = sqlite_file(url)
    if path is not None and path.is_dir():
        raise UsageError(f"{shown} is a folder, not a database file.")
    return url


def sqlite_file(url: str) -> Path | None:
    """The file a SQLite URL names (also in ``file:...?mode=ro&uri=true`` form), else None."""
    plain = url.removeprefix("sqlite:///")
    if plain != url and plain.startswith("/") and not any(c in plain for c in "?%"):
        # An absolute path with nothing to decode, as ``make_url`` reads it: the start checks
        # the clinic file this way without loading SQLAlchemy.
        return Path(plain)
    from sqlalchemy.engine import make_url

    from frontdesk.db.engine import sqlite_file as named_file

    path = named_file(make_url(url))
    return None if path is None else Path(path)


@dataclass(frozen=True)
class NewDatabaseTarget:
    """Where a command that builds a database will write, and whether it creates the file."""

    url: str
    created: Path | None  # the SQLite file this command creates, None when it exists already

    def discard(self) -> None:
        """Remove the file this command created, after a failure: nothing is left behind."""
        if self.created is not None:
            for leftover in (
                self.created,
                Path(f"{self.created}-wal"),
                Path(f"{self.created}-shm"),
                Path(f"{self.created}-journal"),
            ):
                leftover.unlink(missing_ok=True)


def new_database_target(args: argparse.Namespace, command: str) -> NewDatabaseTarget:
    """The database a building command (``build-demo``) may write into.

    It must be named (``--database`` or ``FRONTDESK_DATABASE``), so the clinic's own database
    is never filled by accident; a SQLite file that does not exist yet is created only when its
    name ends in .sqlite3, .sqlite or .db and its folder exists, so a mistyped setting does not
    become a database. Raises ``UsageError`` otherwise.
    """
    if not args.database:
        raise UsageError(
            f"{command} needs the database to write, given as --database FILE "
            "(a new file such as demo.sqlite3) or FRONTDESK_DATABASE."
        )
    url = database_url(args)
    path = sqlite_file(url)
    if path is None or path.exists():
        return NewDatabaseTarget(url, None)
    shown = _origin(args).format(args.database)
    if not path.parent.is_dir():
        raise UsageError(
            f"{shown} is in a folder that does not exist ({path.parent}); "
            f"{command} creates the file but not its folder."
        )
    if path.suffix.lower() not in _NEW_DATABASE_SUFFIXES:
        raise UsageError(
            f"{shown} does not exist, and {command} creates a new database only "
            "at a name ending in .sqlite3, .sqlite or .db, such as demo.sqlite3."
        )
    return NewDatabaseTarget(url, path)
