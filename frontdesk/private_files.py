"""Files that hold patients' records are readable by this account only, whatever the umask.

Another account on the same computer must not be able to open the database, its WAL, the
backups or the log with ``sqlite3`` or a text editor. Folders the app makes are 0700 and files
it writes are 0600; the mode is set explicitly (``chmod`` after creating) because the creating
call's mode is filtered through the process's umask, which the app does not control.
No Qt and no SQLAlchemy here: the database layer, the services and the GUI all use it.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path
from typing import IO, Any

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600

log = logging.getLogger("frontdesk")


def private_dir(path: Path) -> Path:
    """Create ``path`` (and missing parents) and make the folder itself 0700."""
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
    tighten(path, PRIVATE_DIR_MODE)
    return path


def create_private_file(path: Path, *, exclusive: bool = False) -> None:
    """Create ``path`` empty as 0600 if it does not exist (or fail if ``exclusive``)."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else 0)
    fd = os.open(path, flags, PRIVATE_FILE_MODE)
    try:
        os.fchmod(fd, PRIVATE_FILE_MODE)
    finally:
        os.close(fd)


def open_private(path: Path, mode: str = "wb", **kwargs: Any) -> IO[Any]:
    """``open()`` for writing a file that is 0600 from its first byte."""
    flags = os.O_WRONLY | os.O_CREAT
    if "a" in mode:
        flags |= os.O_APPEND
    elif "x" in mode:
        flags |= os.O_EXCL
    else:
        flags |= os.O_TRUNC
    fd = os.open(path, flags, PRIVATE_FILE_MODE)
    try:
        os.fchmod(fd, PRIVATE_FILE_MODE)
        return os.fdopen(fd, mode.replace("x", "w"), **kwargs)
    except BaseException:
        os.close(fd)
        raise


def tighten(path: Path, mode: int = PRIVATE_FILE_MODE) -> bool:
    """Take group and other permissions away from ``path``; True when it was looser.

    A file owned by another account is left alone (changing it is not ours to do, and would
    fail); a missing file is nothing to tighten.
    """
    try:
        st = path.stat()
    except FileNotFoundError:
        return False
    if stat.S_IMODE(st.st_mode) & 0o077 == 0 or st.st_uid != os.getuid():
        return False
    os.chmod(path, mode)
    return True


def tighten_database_files(path: Path) -> None:
    """Make a SQLite database and its -wal, -shm and -journal files private, noting it."""
    for candidate in (path, *(Path(f"{path}{suffix}") for suffix in ("-wal", "-shm", "-journal"))):
        if tighten(candidate):
            log.warning(
                "%s was readable by other accounts; it is now private to this one (0600)", candidate
            )
