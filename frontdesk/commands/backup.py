"""``frontdesk backup`` and ``frontdesk restore FILE``: the Settings ▸ Backups buttons, headless.

``backup`` writes one verified backup to the folder chosen in Settings (for a scheduled task).
``restore`` works even when the current database is damaged and the GUI cannot open it: that
is when a restore is needed most. Failures are one line on stderr and exit code 1.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "backup",
        help="write a checked backup of the clinic database to the backup folder and exit",
        description="Copy the database consistently (even while Frontdesk is open), check the "
        "copy, encrypt it if a passphrase is set in Settings ▸ Backups, and apply the rotation.",
    )
    from frontdesk.commands.sign_in import add_arguments

    add_arguments(p)
    p.set_defaults(func=run_backup)
    r = sub.add_parser(
        "restore",
        help="replace the clinic database with a backup file and exit",
        description="The backup is checked first; the current database is backed up before it "
        "is replaced. Close Frontdesk on every desk using this database first.",
    )
    r.add_argument("file", type=Path, metavar="FILE", help="backup file (.sqlite3 or .fdbackup)")
    r.add_argument(
        "--ask-passphrase",
        action="store_true",
        help="ask for the passphrase instead of using the one saved in Settings ▸ Backups",
    )
    add_arguments(r)
    r.set_defaults(func=run_restore)


def run_backup(args: argparse.Namespace) -> int:
    from frontdesk import paths
    from frontdesk.backup import back_up
    from frontdesk.database_setting import database_url, sqlite_file
    from frontdesk.db.engine import Database
    from frontdesk.domain import FrontdeskError

    url = database_url(args)
    path = sqlite_file(url)
    if path is not None and (not path.is_file() or path.stat().st_size == 0):
        # Backing up reads: a mistyped path must not become a new, empty clinic database.
        return _fail("backup", f"There is no clinic database at {path}; nothing was backed up.")
    from frontdesk.commands.sign_in import sign_in

    db = Database(url)  # copied as it is: a backup neither upgrades nor seeds the database

    signed_in = sign_in(db, args)
    if isinstance(signed_in, str):
        db.dispose()
        return _fail("backup", signed_in)
    try:
        result = back_up(signed_in, paths.data_dir())
    except FrontdeskError as exc:
        return _fail("backup", str(exc))
    finally:
        db.dispose()
    kind = "encrypted backup" if result.encrypted else "backup"
    print(f"Wrote and checked the {kind} {result.path} ({result.rows} rows)")
    for old in result.removed:
        print(f"Removed by the rotation: {old}")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from frontdesk import paths
    from frontdesk.backup import restore_backup
    from frontdesk.database_setting import database_url
    from frontdesk.db.engine import Database
    from frontdesk.domain import FrontdeskError

    passphrase = getpass.getpass("Backup passphrase: ") if args.ask_passphrase else None
    try:
        # Not open_database: a damaged database, which that refuses, is what restore is for.
        db = Database(database_url(args))
    except Exception as exc:  # an unusable URL: say so in one line
        return _fail("restore", f"cannot use the database {args.database}: {exc}")
    from frontdesk.commands.sign_in import sign_in

    if _readable(db):
        signed_in = sign_in(db, args)
        if isinstance(signed_in, str):
            db.dispose()
            return _fail("restore", signed_in)
    else:
        # Restoring is how a damaged database is mended, and a damaged database has no
        # account table to check: the data folder is this computer account's alone (0700),
        # so its owner restores without signing in.
        print(
            "The clinic database cannot be read, so no one can sign in to it: restoring as "
            "the owner of the data folder.",
            file=sys.stderr,
        )
        from frontdesk.domain import RECOVERY

        signed_in = db.as_actor(RECOVERY)
    try:
        result = restore_backup(signed_in, paths.data_dir(), args.file, passphrase=passphrase)
    except FrontdeskError as exc:
        return _fail("restore", str(exc))
    finally:
        db.dispose()
    print(
        f"Restored {result.restored_from}. The database it replaced was saved as "
        f"{result.previous_saved_as}."
    )
    return 0


def _readable(db: object) -> bool:
    """Whether the clinic database opens and passes SQLite's quick check (a server: yes)."""
    from frontdesk.db.engine import Database
    from frontdesk.db.open import check_integrity

    assert isinstance(db, Database)
    path = db.sqlite_path
    if path is None:
        return True
    if not Path(path).is_file() or Path(path).stat().st_size == 0:
        return False
    try:
        check_integrity(db)
    except Exception:  # damaged, or not a database at all: what restore is for
        return False
    return True


def _fail(command: str, message: str) -> int:
    print(f"frontdesk {command}: {message}", file=sys.stderr)
    return 1
