"""The support log: private, size-limited, and free of passwords.

The log is for whoever supports the clinic, so it records what failed and where, but it sits
on a shared computer: the file and its rotated copies are 0600, and a password in any URL
(a PostgreSQL login in an error message or a traceback) is replaced by ``***`` before the line
is written. SQL parameters (names, notes) never get here because every engine is created with
``hide_parameters=True`` (``frontdesk.db.engine``).
"""

from __future__ import annotations

import logging
import re
from io import TextIOWrapper
from logging.handlers import RotatingFileHandler
from pathlib import Path

from frontdesk.private_files import open_private

LOG_MAX_BYTES = 1_000_000
LOG_FILES_KEPT = 3
_PASSWORD_IN_URL = re.compile(r"(\b[a-zA-Z][a-zA-Z0-9+.\-]*://[^:/@\s]*:)[^@\s]+@")
_PASSWORD_WORD = re.compile(r"(\bpassword\s*=\s*)('[^']*'|\"[^\"]*\"|\S+)", re.IGNORECASE)


def redact(text: str) -> str:
    """``text`` with passwords in URLs and ``password=...`` settings replaced by ``***``."""
    return _PASSWORD_WORD.sub(r"\1***", _PASSWORD_IN_URL.sub(r"\1***@", text))


class RedactingFormatter(logging.Formatter):
    """Formats a record as usual, tracebacks included, then masks passwords in it."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class PrivateRotatingFileHandler(RotatingFileHandler):
    """A rotating log whose every file, the first and each one after a rollover, is 0600."""

    def _open(self) -> TextIOWrapper:
        stream = open_private(
            Path(self.baseFilename), "a", encoding=self.encoding, errors=self.errors
        )
        assert isinstance(stream, TextIOWrapper)  # text mode: what FileHandler writes to
        return stream


def add_file_log(logger: logging.Logger, log_file: Path) -> None:
    """Send ``logger``'s records to ``log_file`` (once, however often this is called)."""
    if any(getattr(h, "baseFilename", None) == str(log_file) for h in logger.handlers):
        return
    handler = PrivateRotatingFileHandler(
        log_file, maxBytes=LOG_MAX_BYTES, backupCount=LOG_FILES_KEPT, encoding="utf-8"
    )
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
