"""Migration 0003: a database that stored optional holidays by name keeps the clinic's choices.

Names were stored in the language of the desk that saved them; after the upgrade every desk
reads the same keys, and observed days are left open (the new setting starts off).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from alembic import command
from sqlalchemy import text

from frontdesk.clinic import get_clinic
from frontdesk.db.engine import Database
from frontdesk.db.schema import (
    alembic_config,
    current_revision,
    ensure_schema,
    head_revision,
    upgrade,
)
from frontdesk.scheduling.closures import holiday_on
from tests.accounts_support import as_admin


def _database_at_0002(path: Path, stored: list[str]) -> None:
    old = Database(f"sqlite:///{path}")
    upgrade(old, "0002")
    with old.write() as s:
        s.execute(
            text(
                "INSERT INTO clinic_settings (id, name, address, phone, email, timezone,"
                " province, closed_optional_holidays, page_size) VALUES (1, 'Riverbend', '',"
                " '', '', 'America/Edmonton', 'AB', :chosen, 'Letter')"
            ),
            {"chosen": json.dumps(stored)},
        )
    old.dispose()


def test_stored_holiday_names_in_any_language_become_keys(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _database_at_0002(
        path,
        [
            "Lundi de Pâques",  # Easter Monday, saved from a French desk
            "Heritage Day",  # English
            "Journée nationale de la vérité et de la réconciliation",  # 30 September, French
            "Boxing Day (observed)",  # an observed name kept by an older save
            "Saint Swithin's Day",  # no such holiday: it never closed anything
        ],
    )
    db = Database(f"sqlite:///{path}")
    ensure_schema(db, backup_dir=tmp_path / "backups")
    assert current_revision(db) == head_revision()
    clinic = get_clinic(as_admin(db))
    db.dispose()
    assert clinic.closed_optional_holidays == (
        "easter_monday",
        "heritage_day",
        "national_day_for_truth_and_reconciliation",
        "boxing_day",
    )
    assert clinic.close_on_observed_days is False
    assert holiday_on(clinic, date(2027, 3, 29)) == "Easter Monday"
    assert holiday_on(clinic, date(2027, 9, 30)) == "National Day for Truth and Reconciliation"
    assert holiday_on(clinic, date(2027, 12, 28)) is None  # Boxing Day observed: open


def test_downgrade_writes_canadian_english_names_back(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _database_at_0002(path, ["Labor Day", "Lundi de Pâques"])
    db = Database(f"sqlite:///{path}")
    upgrade(db, "head")
    command.downgrade(alembic_config(db), "0002")
    with db.read() as s:
        stored = s.execute(text("SELECT closed_optional_holidays FROM clinic_settings")).scalar()
    db.dispose()
    assert json.loads(stored) == ["Labour Day", "Easter Monday"]
