"""The audit screen's services: rows by filter, the chain check, and a CSV export."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import select

from frontdesk.accounts.audit import AUDIT, ChainReport, verify_chain
from frontdesk.accounts.operation import operation
from frontdesk.accounts.types import AuditFilter, AuditRow
from frontdesk.db.engine import Database
from frontdesk.private_files import create_private_file

CSV_COLUMNS = (
    "seq",
    "at_utc",
    "username",
    "workstation",
    "action",
    "kind",
    "entity",
    "record_id",
    "patient_id",
    "before",
    "after",
)


def _rows(db: Database, flt: AuditFilter) -> list[AuditRow]:
    t = AUDIT
    query = select(t).order_by(t.c.seq.desc()).limit(flt.limit)
    if flt.username:
        query = query.where(t.c.username == flt.username)
    if flt.patient_id is not None:
        query = query.where(t.c.patient_id == flt.patient_id)
    if flt.action:
        query = query.where(t.c.action == flt.action)
    if flt.first_day is not None:
        query = query.where(t.c.at >= datetime.combine(flt.first_day, time(), UTC))
    if flt.last_day is not None:
        query = query.where(
            t.c.at < datetime.combine(flt.last_day + timedelta(days=1), time(), UTC)
        )
    with db.read() as s:
        return [
            AuditRow(
                r.seq,
                r.at,
                r.username,
                r.workstation,
                r.action,
                r.kind,
                r.entity,
                r.record_id,
                r.patient_id,
                r.before,
                r.after,
            )
            for r in s.execute(query)
        ]


@operation("list_audit")
def list_audit(db: Database, flt: AuditFilter) -> list[AuditRow]:
    """Audit rows matching ``flt``, newest first."""
    return _rows(db, flt)


@operation("audit_choices")
def audit_choices(db: Database) -> tuple[list[str], list[str]]:
    """User names and actions that occur in the trail, for the screen's filters."""
    with db.read() as s:
        users = list(s.scalars(select(AUDIT.c.username).distinct().order_by(AUDIT.c.username)))
        actions = list(s.scalars(select(AUDIT.c.action).distinct().order_by(AUDIT.c.action)))
    return users, actions


@operation("verify_audit")
def verify_audit(db: Database) -> ChainReport:
    """Recompute the hash chain over the whole trail; the first break, if any."""
    with db.read() as s:
        return verify_chain(s)


@operation("export_audit_csv", access="export", entity="audit_events")
def export_audit_csv(db: Database, flt: AuditFilter, path: Path) -> int:
    """Write the rows matching ``flt`` to a private CSV file; the number of rows."""
    rows = _rows(db, flt)
    create_private_file(path)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        for r in rows:
            writer.writerow(
                [
                    r.seq,
                    r.at.isoformat(),
                    r.username,
                    r.workstation,
                    r.action,
                    r.kind,
                    r.entity,
                    r.record_id or "",
                    r.patient_id or "",
                    r.before,
                    r.after,
                ]
            )
    return len(rows)
