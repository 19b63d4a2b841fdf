"""The whole clinic as CSV files: one per table, UTF-8, a header row, one row per record.

Values are written so any program reads them back the same way: instants as ISO 8601 in UTC
(``2026-03-02T15:00:00+00:00``), dates and times as ISO 8601, booleans as ``true``/``false``,
lists and objects as JSON, a missing value as an empty field, and the logo picture as base64.
All tables are read in one transaction, so the files agree with each other.
"""

from __future__ import annotations

import base64
import csv
import json
import os
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import Table, select

from frontdesk.accounts.operation import operation
from frontdesk.db import models  # noqa: F401 (registers every table on Base.metadata)
from frontdesk.db.base import Base
from frontdesk.db.engine import Database
from frontdesk.domain import ValidationError


@dataclass(frozen=True)
class CsvExport:
    """What was written: the folder and each table's file with its row count."""

    folder: Path
    rows: dict[str, int]

    @property
    def files(self) -> tuple[Path, ...]:
        return tuple(self.folder / f"{name}.csv" for name in self.rows)


# The audit trail has its own export (Audit page, ``export_audit_csv``); a clinic export
# would record itself into the table it is writing.
NOT_EXPORTED = frozenset({"audit_events"})
# Never written anywhere: the column is exported with a blank value.
SECRET_COLUMNS = frozenset({"password_hash", "password_sealed"})


def export_tables() -> tuple[Table, ...]:
    """The tables exported, parents before children (the order a re-import needs)."""
    return tuple(t for t in Base.metadata.sorted_tables if t.name not in NOT_EXPORTED)


@operation("export_clinic_csv", access="export", entity="clinic")
def export_clinic_csv(db: Database, folder: Path, *, overwrite: bool = False) -> CsvExport:
    """Write every table to ``folder/<table>.csv``.

    A folder that already holds files is refused (``ValidationError`` on ``out``) unless
    ``overwrite``: an export must not mix with, or silently replace, other files. Each file is
    written under a temporary name and renamed when complete, so a failure (a full disk) never
    leaves a half-written CSV that looks whole.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise ValidationError.single("out", f"{folder} is a file, not a folder; choose a folder.")
    if folder.is_dir() and any(folder.iterdir()) and not overwrite:
        raise ValidationError.single(
            "out",
            f"The folder {folder} is not empty; choose an empty or new folder "
            "(or allow replacing the files in it).",
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ValidationError.single(
            "out", f"Cannot create the folder {folder}: {exc.strerror or exc}."
        ) from exc
    counts: dict[str, int] = {}
    with db.read() as s:
        for table in export_tables():
            order = list(table.primary_key.columns) or list(table.columns)
            result = s.execute(select(table).order_by(*order))
            counts[table.name] = _write_table(folder / f"{table.name}.csv", table, result)
    return CsvExport(folder, counts)


def _write_table(path: Path, table: Table, rows: Any) -> int:
    partial = path.with_name(path.name + ".part")
    count = 0
    try:
        with open(partial, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            names = [c.name for c in table.columns]
            writer.writerow(names)
            for row in rows:
                writer.writerow(
                    [
                        "" if c.name in SECRET_COLUMNS else csv_value(row._mapping[c])
                        for c in table.columns
                    ]
                )
                count += 1
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return count


def csv_value(value: Any) -> str:
    """One field as text (see the module docstring for the conventions)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
