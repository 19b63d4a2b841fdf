"""The audit screen's services: rows by filter, the chain check, and a CSV export.

Rows come newest first with the patient's name of today beside the patient id, a page at a time
(keyset on ``seq``), so a trail of millions of rows lists as fast as a short one.
"""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from frontdesk.accounts.audit import AUDIT, ChainReport, verify_chain
from frontdesk.accounts.operation import operation
from frontdesk.accounts.types import AuditFilter, AuditRow
from frontdesk.db.engine import Database
from frontdesk.db.models import ClinicSettings, Patient
from frontdesk.domain import ValidationError
from frontdesk.names import display_name
from frontdesk.private_files import create_private_file

EXPORT_BATCH = 5000  # rows read at a time while writing the CSV file

# What a row's ``kind`` means, in the words the audit screen and the access report use.
KIND_WORDS = {
    "open": "Opened",
    "print": "Printed",
    "export": "Exported",
    "create": "Created",
    "update": "Changed",
    "delete": "Removed",
    "send": "Sent",  # a test email (Settings ▸ Email)
}


def kind_words(kind: str) -> str:
    """ "update" -> "Changed": what happened to the record."""
    return KIND_WORDS.get(kind, kind.capitalize())


def action_words(action: str) -> str:
    """The operation, readable: "book_appointment" -> "book appointment", and what the kind
    already says left out: "list_notes" opened -> "notes", "appointment_card_pdf" -> "appointment
    card"."""
    words = action.removesuffix("_pdf")
    for verb in ("get_", "list_", "load_"):
        words = words.removeprefix(verb)
    return words.replace("_", " ")


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
    "patient_name",
    "before",
    "after",
)


def _where(flt: AuditFilter, tz: ZoneInfo) -> list[ColumnElement[bool]]:
    """The filter as conditions; days are the clinic's, from midnight to midnight."""
    t = AUDIT
    if flt.first_day and flt.last_day and flt.last_day < flt.first_day:
        raise ValidationError.single(
            "last_day", "The last day comes before the first; swap them or change one."
        )
    conditions: list[ColumnElement[bool]] = []
    if flt.username:
        conditions.append(t.c.username == flt.username)
    if flt.patient_id is not None:
        conditions.append(t.c.patient_id == flt.patient_id)
    if flt.action:
        conditions.append(t.c.action == flt.action)
    if flt.first_day is not None:
        conditions.append(t.c.at >= _midnight(flt.first_day, tz))
    if flt.last_day is not None:
        conditions.append(t.c.at < _midnight(flt.last_day + timedelta(days=1), tz))
    return conditions


def _midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), tz).astimezone(UTC)


def _clinic_zone(s: Session) -> ZoneInfo:
    return ZoneInfo(s.scalar(select(ClinicSettings.timezone)) or "UTC")


def _page(
    s: Session, conditions: list[ColumnElement[bool]], limit: int, before: int | None
) -> list[AuditRow]:
    """Up to ``limit`` rows below ``before``, newest first, with the patient's name of today."""
    t = AUDIT
    query = (
        select(t, Patient.given_name, Patient.family_name, Patient.preferred_name)
        .outerjoin(Patient, Patient.id == t.c.patient_id)
        .where(*conditions)
        .order_by(t.c.seq.desc())
        .limit(limit)
    )
    if before is not None:
        query = query.where(t.c.seq < before)
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
            display_name(r.given_name, r.family_name, r.preferred_name or "")
            if r.given_name is not None
            else "",
        )
        for r in s.execute(query)
    ]


def _rows(db: Database, flt: AuditFilter) -> list[AuditRow]:
    with db.read() as s:
        conditions = _where(flt, _clinic_zone(s))
        return _page(s, conditions, flt.limit, flt.before_seq)


@operation("list_audit")
def list_audit(db: Database, flt: AuditFilter) -> list[AuditRow]:
    """Audit rows matching ``flt``, newest first (at most ``flt.limit``, below
    ``flt.before_seq`` when given); ``ValidationError`` for a last day before the first."""
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
    """Write every row matching ``flt`` (whatever its ``limit``: the screen shows a page at a
    time, the file holds them all), newest first, to a private CSV file; the number of rows."""
    with db.read() as s:
        conditions = _where(flt, _clinic_zone(s))
    create_private_file(path)
    count, before = 0, None
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        while True:
            with db.read() as s:
                rows = _page(s, conditions, EXPORT_BATCH, before)
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
                        r.patient_name,
                        r.before,
                        r.after,
                    ]
                )
            count += len(rows)
            if len(rows) < EXPORT_BATCH:
                return count
            before = rows[-1].seq
