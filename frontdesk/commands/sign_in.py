"""Headless commands sign in too: ``--user`` and a password from a prompt or a private file.

A password file must be readable by its owner only (mode 0600 or stricter), or it is refused:
a password anyone on the computer can read is no password. ``FRONTDESK_USER`` and
``FRONTDESK_PASSWORD_FILE`` give the same for scheduled jobs (a nightly backup).
"""

from __future__ import annotations

import argparse
import getpass
import os
import stat
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the option parser loads this module: SQLAlchemy is left for the commands
    from frontdesk.db.engine import Database


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--user",
        metavar="NAME",
        default=os.environ.get("FRONTDESK_USER"),
        help="staff account to sign in as (default: $FRONTDESK_USER)",
    )
    parser.add_argument(
        "--password-file",
        type=Path,
        metavar="FILE",
        default=os.environ.get("FRONTDESK_PASSWORD_FILE"),
        help="read the password from FILE (only its owner may read it); "
        "without it the password is asked for",
    )


def read_password_file(path: Path) -> str:
    """The first line of ``path``; ``PermissionError`` when others may read it."""
    info = path.stat()
    if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO) or info.st_uid != os.getuid():
        raise PermissionError(
            f"The password file {path} must be readable by only its owner "
            f"(chmod 600 {path}); it was not used."
        )
    return path.read_text(encoding="utf-8").splitlines()[0] if info.st_size else ""


def sign_in(db: Database, args: argparse.Namespace) -> Database | str:
    """``db`` bound to the signed-in user, or the reason signing in failed (one line)."""
    from frontdesk.accounts.service import authenticate
    from frontdesk.domain import FrontdeskError

    user = getattr(args, "user", None)
    if not user:
        return "sign in with --user NAME (and --password-file FILE, or type the password)."
    try:
        if args.password_file:
            password = read_password_file(Path(args.password_file))
        else:
            password = getpass.getpass(f"Password for {user}: ")
    except (OSError, IndexError) as exc:
        return (
            str(exc)
            if isinstance(exc, PermissionError)
            else (f"cannot read the password file {args.password_file}: {exc}")
        )
    try:
        return db.as_actor(authenticate(db, user, password, now=datetime.now(UTC)))
    except FrontdeskError as exc:
        return str(exc)
