"""The patient service's vocabulary: frozen DTOs the GUI, the demo builder and tests share.

``PatientInput`` is what a person typed (raw text, nothing cleaned); ``PatientRecord`` is what
the database holds after validation (names tidied, phones in E.164, health number as 9 digits);
``PatientSummary`` is one row of a search result, small enough to page through thousands.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

# Keyset position in the patient list: (sort name, id), the list's sort order; the sort name is
# ``frontdesk.folding.name_sort_key`` of the family and given names.
SortKey = tuple[str, int]

REASON_HEALTH_NUMBER = "same health number"
REASON_NAME_AND_BIRTH = "same name and date of birth"
REASON_PHONE = "same phone number"


@dataclass(frozen=True)
class PatientInput:
    """The patient form's fields exactly as typed; the service validates and normalises them."""

    given_name: str
    family_name: str
    date_of_birth: date | None
    preferred_name: str = ""
    phone: str = ""
    phone_alt: str = ""
    email: str = ""
    address: str = ""
    health_number: str = ""
    emergency_contact: str = ""
    referral_source: str = ""
    notes: str = ""
    # Email about visits (issue 19): the patient wants email, and has consented to it.
    contact_by_email: bool = False
    email_consent: bool = False


@dataclass(frozen=True)
class ValidPatient:
    """Normalised values ready to store: what ``validate_patient`` returns.

    Phones are E.164 (``+17805550123``) or ``""``; the health number is 9 digits or ``None``.
    """

    given_name: str
    family_name: str
    date_of_birth: date
    preferred_name: str
    phone: str
    phone_alt: str
    email: str
    address: str
    health_number: str | None
    emergency_contact: str
    referral_source: str
    notes: str
    contact_by_email: bool = False
    email_consent: bool = False


@dataclass(frozen=True)
class PatientSummary:
    """One patient in a list or search result.

    ``display_name`` is ``frontdesk.names.listing_name`` ("Family, Given (Preferred)", "王秀英");
    ``sort_key`` is the value to pass as
    ``after=`` to ``search_patients`` to fetch the next page.
    """

    id: int
    given_name: str
    family_name: str
    preferred_name: str
    display_name: str
    date_of_birth: date
    phone_display: str
    health_number: str | None
    archived: bool
    sort_key: SortKey


@dataclass(frozen=True)
class PatientRecord:
    """Everything stored about one patient, after the save that produced it.

    ``version`` must be handed back to ``update_patient`` as ``expected_version`` so an edit
    made at another workstation in between is detected instead of overwritten.
    """

    id: int
    version: int
    archived: bool
    created_at: datetime
    updated_at: datetime
    given_name: str
    family_name: str
    preferred_name: str
    display_name: str
    date_of_birth: date
    phone: str  # E.164 or ""
    phone_display: str  # national format for Canadian/US numbers, else international
    phone_alt: str
    phone_alt_display: str
    email: str
    address: str
    health_number: str | None
    emergency_contact: str  # as typed, for the edit form
    emergency_contact_display: str  # its phone numbers formatted like ``phone_display``
    referral_source: str
    notes: str
    contact_by_email: bool = False
    email_consent: bool = False

    def to_input(self) -> PatientInput:
        """The record as form text, so an edit dialog can start from what is stored."""
        return PatientInput(
            given_name=self.given_name,
            family_name=self.family_name,
            date_of_birth=self.date_of_birth,
            preferred_name=self.preferred_name,
            phone=self.phone_display,
            phone_alt=self.phone_alt_display,
            email=self.email,
            address=self.address,
            health_number=self.health_number or "",
            emergency_contact=self.emergency_contact,
            referral_source=self.referral_source,
            notes=self.notes,
            contact_by_email=self.contact_by_email,
            email_consent=self.email_consent,
        )


@dataclass(frozen=True)
class DuplicateCandidate:
    """An existing patient who may be the same person as the one being saved.

    ``reason`` is one of ``"same health number"``, ``"same name and date of birth"`` or
    ``"same phone number"`` (the strongest that applies; one candidate per patient).
    """

    patient: PatientSummary
    reason: str
