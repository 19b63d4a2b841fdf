"""Register and edit patients: the one way patient details change.

Each function is one transaction. Patients are archived, never deleted, because their
appointments, plans and notes must outlive them in the list. Edits carry the version the form
was opened with, so a save made meanwhile at another workstation is refused, not overwritten.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from frontdesk.accounts.operation import by_patient, operation
from frontdesk.db.engine import Database
from frontdesk.db.models import Patient
from frontdesk.domain import NotFound, StaleRecord, ValidationError
from frontdesk.folding import name_sort_key
from frontdesk.names import display_name, listing_name
from frontdesk.patients.rows import record_from_row, rewrite_tokens
from frontdesk.patients.types import PatientInput, PatientRecord, ValidPatient
from frontdesk.patients.validation import validate_patient

_PATIENT_GONE = "This patient no longer exists; it may have been removed at another workstation."
_HEALTH_TAKEN = "Health number {number} already belongs to {name} (born {born})."


def _validate(
    session: Session, data: PatientInput, today: date, exclude_id: int | None
) -> ValidPatient:
    """Field checks plus the health number's uniqueness, reported together."""
    errors: dict[str, str] = {}
    valid: ValidPatient | None = None
    try:
        valid = validate_patient(data, today=today)
    except ValidationError as exc:
        errors.update(exc.errors)
    health = valid.health_number if valid else _health_digits(data.health_number)
    if health and "health_number" not in errors:
        query = select(Patient).where(Patient.health_number == health)
        if exclude_id is not None:
            query = query.where(Patient.id != exclude_id)
        other = session.scalars(query.limit(1)).first()
        if other is not None:
            errors["health_number"] = _HEALTH_TAKEN.format(
                number=health,
                name=display_name(other.given_name, other.family_name),
                born=other.date_of_birth.isoformat(),
            )
    if errors or valid is None:
        raise ValidationError(errors)
    return valid


def _sort_name(valid: ValidPatient) -> str:
    """Where the patient goes in the list: with the same names folded, accents and case last."""
    return name_sort_key(valid.family_name, valid.given_name)


def _health_digits(text: str) -> str | None:
    digits = "".join(ch for ch in text if ch.isdigit())
    return digits if len(digits) == 9 else None


def _flush(session: Session) -> None:
    """Flush, turning a constraint the checks missed (a race) into a field message."""
    try:
        session.flush()
    except IntegrityError as exc:
        if "health_number" in str(exc.orig):
            raise ValidationError.single(
                "health_number", "This health number was just saved for another patient."
            ) from exc
        raise


@operation("create_patient")
def create_patient(db: Database, data: PatientInput, *, today: date) -> PatientRecord:
    """Register a new patient; raises ValidationError (nothing saved) on any bad field."""
    with db.write() as session:
        valid = _validate(session, data, today, None)
        patient = Patient(**asdict(valid), sort_name=_sort_name(valid))
        session.add(patient)
        _flush(session)
        rewrite_tokens(session, patient)
        return record_from_row(patient)


def lock_patient(session: Session, patient_id: int) -> Patient:
    """The patient row, locked for this transaction; NotFound if it is gone."""
    patient = session.scalars(
        select(Patient).where(Patient.id == patient_id).with_for_update()
    ).first()
    if patient is None:
        raise NotFound(_PATIENT_GONE)
    return patient


@operation("update_patient")
def update_patient(
    db: Database, patient_id: int, data: PatientInput, *, expected_version: int, today: date
) -> PatientRecord:
    """Save an edit made to the record as it was at ``expected_version``.

    Raises StaleRecord when someone saved the patient since it was opened, ValidationError on
    bad fields, NotFound when the patient is gone.
    """
    with db.write() as session:
        patient = lock_patient(session, patient_id)
        if patient.version != expected_version:
            raise StaleRecord(
                f"{listing_name(patient.given_name, patient.family_name, patient.preferred_name)}"
                " was changed at another workstation after you opened the record. Close it and "
                "open it again to see those changes, then make your edit."
            )
        valid = _validate(session, data, today, patient_id)
        for field, value in asdict(valid).items():
            setattr(patient, field, value)
        patient.sort_name = _sort_name(valid)
        _flush(session)
        rewrite_tokens(session, patient)
        return record_from_row(patient)


@operation("get_patient", patient=by_patient)
def get_patient(db: Database, patient_id: int) -> PatientRecord:
    """The patient's full record; NotFound if there is no such patient."""
    with db.read() as session:
        patient = session.get(Patient, patient_id)
        if patient is None:
            raise NotFound(_PATIENT_GONE)
        return record_from_row(patient)
