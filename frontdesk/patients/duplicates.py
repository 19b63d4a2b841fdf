"""Possible duplicates of a patient about to be saved, so reception can stop a second chart.

Works on what was typed, even when other fields are still wrong, because the warning is most
useful while the form is being filled in. Archived patients are included: restoring the old
chart is usually the right answer. Every lookup uses an index (birth date, search tokens,
health number), so the check stays instant at 100,000 patients.
"""

from __future__ import annotations

from sqlalchemy import or_, select

from frontdesk.accounts.operation import operation
from frontdesk.db.engine import Database
from frontdesk.db.models import Patient, PatientSearchToken
from frontdesk.folding import fold
from frontdesk.patients.rows import SUMMARY_COLUMNS, summary_from_row
from frontdesk.patients.types import (
    REASON_HEALTH_NUMBER,
    REASON_NAME_AND_BIRTH,
    REASON_PHONE,
    DuplicateCandidate,
    PatientInput,
)
from frontdesk.patients.validation import normalise_health_number, parse_phone

_MAX_PER_REASON = 20


def _same_name(a: str, b: str) -> bool:
    return " ".join(fold(a).split()) == " ".join(fold(b).split())


def _phones(data: PatientInput) -> set[str]:
    found = set()
    for text in (data.phone, data.phone_alt):
        try:
            e164 = parse_phone(text)
        except ValueError:
            continue
        if e164:
            found.add(e164)
    return found


@operation("find_duplicates")
def find_duplicates(
    db: Database, data: PatientInput, *, exclude_id: int | None = None
) -> list[DuplicateCandidate]:
    """Existing patients with the same health number, name and date of birth, or phone.

    One candidate per patient, with the strongest reason that applies (health number, then
    name and date of birth, then phone); ``exclude_id`` is the patient being edited.
    """
    try:
        health = normalise_health_number(data.health_number)
    except ValueError:
        health = None
    phones = _phones(data)
    found: dict[int, DuplicateCandidate] = {}

    def keep(rows: object, reason: str) -> None:
        for row in rows:  # type: ignore[attr-defined]
            if row.id != exclude_id and row.id not in found:
                found[row.id] = DuplicateCandidate(summary_from_row(row), reason)

    with db.read() as session:
        if health:
            keep(
                session.execute(select(*SUMMARY_COLUMNS).where(Patient.health_number == health)),
                REASON_HEALTH_NUMBER,
            )
        if data.date_of_birth is not None and data.given_name.strip() and data.family_name.strip():
            same_day = session.execute(
                select(*SUMMARY_COLUMNS).where(Patient.date_of_birth == data.date_of_birth)
            )
            keep(
                (
                    r
                    for r in same_day
                    if _same_name(r.given_name, data.given_name)
                    and _same_name(r.family_name, data.family_name)
                ),
                REASON_NAME_AND_BIRTH,
            )
        if phones:
            # The national-digits token narrows by index; the E.164 comparison confirms.
            digits = [p[2:] if p.startswith("+1") else p.lstrip("+") for p in phones]
            candidates = select(PatientSearchToken.patient_id).where(
                PatientSearchToken.token.in_(digits)
            )
            keep(
                session.execute(
                    select(*SUMMARY_COLUMNS)
                    .where(Patient.id.in_(candidates))
                    .where(or_(Patient.phone.in_(phones), Patient.phone_alt.in_(phones)))
                    .order_by(Patient.family_name, Patient.given_name, Patient.id)
                    .limit(_MAX_PER_REASON)
                ),
                REASON_PHONE,
            )
    return list(found.values())
