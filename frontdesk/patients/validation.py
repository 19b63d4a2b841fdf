"""Validation of the patient form (body follows)."""

from __future__ import annotations

from datetime import date

from frontdesk.patients.types import PatientInput, ValidPatient


def validate_patient(data: PatientInput, *, today: date) -> ValidPatient:
    """Check and normalise every field; raise ValidationError listing every bad field."""
    raise NotImplementedError
