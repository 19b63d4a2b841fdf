"""A PostgreSQL database backed up with ``pg_dump`` before Frontdesk upgrades its schema.

A clinic's server is usually backed up by whoever runs it, but an upgrade must never be the
first thing to touch a database nobody has a copy of. So when ``pg_dump`` is on the PATH the
database is dumped (custom format, restorable with ``pg_restore``) into the backups folder;
when it is not, or the dump fails, the upgrade is refused until an administrator confirms that
a backup exists. The password goes to the child process in ``PGPASSWORD`` only: never on its
command line (visible to every account in ``ps``) and never in a log or a message.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import URL

from frontdesk.domain import ServerBackupNeeded

log = logging.getLogger(__name__)

DUMP_TIMEOUT_S = 3600
CONFIRM_HINT = (
    "Back the server up (see “Backing up a PostgreSQL server” in the README), then start "
    "Frontdesk again and confirm the backup exists (headless commands: "
    "--confirm-server-backup)."
)


def find_pg_dump() -> str | None:
    """The ``pg_dump`` program on the PATH, or None."""
    return shutil.which("pg_dump")


def dump_command(url: URL, target: Path, program: str) -> tuple[list[str], dict[str, str]]:
    """The ``pg_dump`` arguments and environment for ``url``; the password only in the env."""
    args = [program, "--format=custom", "--no-password", f"--file={target}"]
    if url.host:
        args.append(f"--host={url.host}")
    if url.port:
        args.append(f"--port={url.port}")
    if url.username:
        args.append(f"--username={url.username}")
    args.append(f"--dbname={url.database or ''}")
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    sslmode = url.query.get("sslmode")
    if isinstance(sslmode, str):
        env["PGSSLMODE"] = sslmode
    return args, env


def backup_before_upgrade(
    url: URL, backup_dir: Path, *, label: str, confirmed: bool
) -> Path | None:
    """Dump the database into ``backup_dir``; the dump's path, or None when confirmed without one.

    Raises ``ServerBackupNeeded`` (nothing changed) when no dump could be made and no
    administrator has confirmed a backup.
    """
    program = find_pg_dump()
    if program is None:
        if confirmed:
            log.warning("PostgreSQL upgrade without pg_dump: an administrator confirmed a backup")
            return None
        raise ServerBackupNeeded(
            f"The database {url.database} on {url.host or 'the local server'} needs an upgrade "
            "for this version of Frontdesk, and Frontdesk cannot back it up first because "
            f"pg_dump is not installed on this computer. Nothing was changed. {CONFIRM_HINT}"
        )
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = backup_dir / f"{url.database}-{stamp}-before-upgrade-from-{label}.pgdump"
    try:
        backup_dir.mkdir(parents=True, exist_ok=True)
        # Created private before pg_dump writes into it (pg_dump keeps the file's mode).
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
        args, env = dump_command(url, target, program)
        done = subprocess.run(
            args, env=env, capture_output=True, text=True, timeout=DUMP_TIMEOUT_S, check=False
        )
        if done.returncode != 0:
            lines = done.stderr.strip().splitlines()
            raise RuntimeError(lines[-1] if lines else f"pg_dump exited with {done.returncode}")
    except (OSError, RuntimeError, subprocess.TimeoutExpired) as exc:
        target.unlink(missing_ok=True)
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        if confirmed:
            log.warning(
                "pg_dump before the upgrade failed (%s); an administrator confirmed "
                "a backup exists",
                reason,
            )
            return None
        raise ServerBackupNeeded(
            f"The database {url.database} needs an upgrade for this version of Frontdesk, and "
            f"the backup Frontdesk takes first with pg_dump failed: {reason}. Nothing was "
            f"changed. {CONFIRM_HINT}"
        ) from exc
    log.info("PostgreSQL database backed up to %s before the upgrade", target)
    return target
