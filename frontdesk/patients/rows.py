"""Turning patient rows into DTOs, and keeping a patient's search tokens in step with the row.

Shared by the save functions, search and duplicate detection so a patient looks the same
wherever the GUI meets them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from frontdesk.db.models import Patient, PatientSearchToken
from frontdesk.names import listing_name
from frontdesk.patients.tokens import patient_tokens
from frontdesk.patients.types import PatientRecord, PatientSummary
from frontdesk.phones import format_phone, format_phones_in

# Columns a summary needs; search selects only these, never whole rows.
SUMMARY_COLUMNS = (
    Patient.id,
    Patient.given_name,
    Patient.family_name,
    Patient.preferred_name,
    Patient.date_of_birth,
    Patient.phone,
    Patient.health_number,
    Patient.archived,
    Patient.sort_name,
)


def summary_from_row(row: Any) -> PatientSummary:
    """A summary from a row holding ``SUMMARY_COLUMNS`` (or a whole ``Patient``)."""
    return PatientSummary(
        id=row.id,
        given_name=row.given_name,
        family_name=row.family_name,
        preferred_name=row.preferred_name,
        display_name=listing_name(row.given_name, row.family_name, row.preferred_name),
        date_of_birth=row.date_of_birth,
        phone_display=format_phone(row.phone),
        health_number=row.health_number,
        archived=bool(row.archived),
        sort_key=(row.sort_name, row.id),
    )


def record_from_row(p: Patient) -> PatientRecord:
    return PatientRecord(
        id=p.id,
        version=p.version,
        archived=p.archived,
        created_at=p.created_at,
        updated_at=p.updated_at,
        given_name=p.given_name,
        family_name=p.family_name,
        preferred_name=p.preferred_name,
        display_name=listing_name(p.given_name, p.family_name, p.preferred_name),
        date_of_birth=p.date_of_birth,
        phone=p.phone,
        phone_display=format_phone(p.phone),
        phone_alt=p.phone_alt,
        phone_alt_display=format_phone(p.phone_alt),
        email=p.email,
        address=p.address,
        health_number=p.health_number,
        emergency_contact=p.emergency_contact,
        emergency_contact_display=format_phones_in(p.emergency_contact),
        referral_source=p.referral_source,
        notes=p.notes,
        contact_by_email=p.contact_by_email,
        email_consent=p.email_consent,
    )


def tokens_for(values: Any) -> set[str]:
    """Search tokens of anything with the patient's normalised attributes (row, DTO)."""
    return patient_tokens(
        given_name=values.given_name,
        family_name=values.family_name,
        preferred_name=values.preferred_name,
        date_of_birth=values.date_of_birth,
        phone=values.phone,
        phone_alt=values.phone_alt,
        health_number=values.health_number,
    )


def token_rows(patient_id: int, values: Any) -> list[dict[str, Any]]:
    """Rows for ``patient_search_tokens``, ready for a bulk insert."""
    return [{"token": t, "patient_id": patient_id} for t in sorted(tokens_for(values))]


def rewrite_tokens(session: Session, patient: Patient) -> None:
    """Replace the patient's tokens with those of its current values (same transaction)."""
    session.execute(delete(PatientSearchToken).where(PatientSearchToken.patient_id == patient.id))
    session.execute(insert(PatientSearchToken), token_rows(patient.id, patient))
