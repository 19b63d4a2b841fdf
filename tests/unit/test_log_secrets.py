"""The support log never holds a password or a patient's words, even after failures."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from frontdesk import app, paths
from frontdesk.context import system_clock
from frontdesk.db.engine import Database
from frontdesk.db.models import SessionNote

PASSWORD = "Tr0ub4dor-and-3"
NOTE = "Patient disclosed a private family matter during needling"


@pytest.fixture
def log_file() -> Iterator[Path]:
    path = app._configure_logging()
    yield path
    logger = logging.getLogger("frontdesk")
    for handler in list(logger.handlers):
        if getattr(handler, "baseFilename", None) == str(path):
            handler.close()
            logger.removeHandler(handler)


def test_a_failed_open_with_a_password_logs_no_password(log_file: Path, qapp) -> None:  # type: ignore[no-untyped-def]
    args = argparse.Namespace(
        database=f"postgresql://frontdesk:{PASSWORD}@127.0.0.1:1/clinic",
        demo=False,
        screenshots=str(paths.data_dir() / "shots"),
    )
    assert app._run(qapp, args, headless=True, clock=system_clock) == 2
    text = log_file.read_text(encoding="utf-8")
    assert "Could not open the database" in text
    assert "frontdesk:***@127.0.0.1" in text
    assert PASSWORD not in text


@pytest.mark.sqlite_only  # checks SQLite's wording of the error
def test_a_failed_note_insert_logs_no_note_text(log_file: Path, db: Database) -> None:
    log = logging.getLogger("frontdesk")
    with pytest.raises(IntegrityError) as caught, db.write() as session:
        # a note for a patient that does not exist
        session.add(SessionNote(patient_id=999, practitioner_id=999, body=NOTE, response=NOTE))
    log.error("Unhandled error", exc_info=caught.value)  # what the last-resort hook does
    text = log_file.read_text(encoding="utf-8")
    assert "IntegrityError" in text and "FOREIGN KEY" in text
    assert NOTE not in text


def test_a_password_in_any_logged_text_is_masked(log_file: Path) -> None:
    logging.getLogger("frontdesk").error(
        "server said: postgresql+psycopg://desk:%s@db.clinic/frontdesk and password=%s",
        PASSWORD,
        PASSWORD,
    )
    text = log_file.read_text(encoding="utf-8")
    assert PASSWORD not in text
    assert "desk:***@db.clinic" in text
