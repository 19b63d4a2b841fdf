"""Patients: register, edit, archive and find the people the clinic treats.

Plain functions over a ``Database`` returning frozen DTOs (see ``types``); the patients screen,
the demo builder, benchmarks and tests all come in through these names.
"""

from frontdesk.patients.archiving import (
    PatientStillBooked,
    archive_patient,
    cancel_visits_and_archive,
    restore_patient,
    upcoming_appointments,
)
from frontdesk.patients.chart import (
    AmbiguousPatient,
    chart_label,
    chart_number,
    find_patient,
    parse_chart_number,
)
from frontdesk.patients.duplicates import find_duplicates
from frontdesk.patients.search import search_patients
from frontdesk.patients.service import create_patient, get_patient, update_patient
from frontdesk.patients.types import (
    REASON_HEALTH_NUMBER,
    REASON_NAME_AND_BIRTH,
    REASON_PHONE,
    DuplicateCandidate,
    PatientInput,
    PatientRecord,
    PatientSummary,
    SortKey,
    ValidPatient,
)
from frontdesk.patients.validation import validate_patient

__all__ = [
    "REASON_HEALTH_NUMBER",
    "REASON_NAME_AND_BIRTH",
    "REASON_PHONE",
    "AmbiguousPatient",
    "DuplicateCandidate",
    "PatientInput",
    "PatientRecord",
    "PatientStillBooked",
    "PatientSummary",
    "SortKey",
    "ValidPatient",
    "archive_patient",
    "cancel_visits_and_archive",
    "chart_label",
    "chart_number",
    "create_patient",
    "find_duplicates",
    "find_patient",
    "get_patient",
    "parse_chart_number",
    "restore_patient",
    "search_patients",
    "upcoming_appointments",
    "update_patient",
    "validate_patient",
]
