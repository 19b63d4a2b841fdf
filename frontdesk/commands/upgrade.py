"""``frontdesk upgrade``: bring a clinic database up to this version's schema, and exit.

The commands that only read (``print-plan``, ``export``) refuse a database an older Frontdesk
wrote rather than upgrade it behind the person's back; this is the deliberate way to upgrade
without opening the window (a shared server before the desks are updated, say). The upgrade
is the window's: a SQLite file is backed up first, a PostgreSQL database is dumped with
``pg_dump`` or waits for ``--confirm-server-backup``. It never creates a database.
"""

from __future__ import annotations

import argparse
import sys
import time


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "upgrade",
        help="upgrade the database to this version of Frontdesk (backing it up first) and exit",
        description="Upgrade an existing clinic database made by an older Frontdesk. A SQLite "
        "file is copied to the backups folder first; a PostgreSQL database is dumped with "
        "pg_dump when it is installed, otherwise the upgrade waits until "
        "--confirm-server-backup says an administrator has backed the server up.",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import DBAPIError

    from frontdesk import paths
    from frontdesk.database_setting import database_url, sqlite_file
    from frontdesk.db.engine import Database, failure_reason
    from frontdesk.db.open import open_database
    from frontdesk.db.schema import current_revision
    from frontdesk.domain import FrontdeskError

    started = time.time()
    url = database_url(args)
    path = sqlite_file(url)
    if path is not None and (not path.is_file() or path.stat().st_size == 0):
        return _fail(f"There is no clinic database at {path}; this command never creates one.")
    probe = Database(url)
    try:
        before = current_revision(probe)
    except FrontdeskError as exc:
        return _fail(str(exc))
    except DBAPIError as exc:  # a server that is down, refuses this login or wants a password
        where = probe.url.render_as_string(hide_password=True)
        return _fail(
            f"Frontdesk cannot open the database {where}: {failure_reason(exc)}. "
            "Nothing was changed."
        )
    finally:
        probe.dispose()
    if before is None:
        return _fail(
            "This database has no Frontdesk tables; this command upgrades a clinic "
            "database, it never creates one."
        )
    try:
        db = open_database(
            url, backup_dir=paths.backups_dir(), confirm_server_backup=args.confirm_server_backup
        )
    except FrontdeskError as exc:
        return _fail(str(exc))
    try:
        after = current_revision(db)
    finally:
        db.dispose()
    if after == before:
        print(f"The database is already up to date (schema revision {after}).")
        return 0
    copies = [
        c
        for c in paths.backups_dir().glob(f"*before-upgrade-from-{before}*")
        if c.stat().st_mtime >= started - 1
    ]
    taken = (
        f" The copy taken first is {max(copies, key=lambda c: c.stat().st_mtime)}."
        if copies
        else " No copy was taken here: the server's backup was confirmed."
    )
    print(f"Upgraded the database from schema revision {before} to {after}.{taken}")
    return 0


def _fail(message: str) -> int:
    print(f"frontdesk upgrade: {message}", file=sys.stderr)
    return 1
