"""Create, edit, archive and restore patients (bodies follow)."""

from __future__ import annotations

from datetime import date

from frontdesk.db.engine import Database
from frontdesk.patients.types import PatientInput, PatientRecord


def create_patient(db: Database, data: PatientInput, *, today: date) -> PatientRecord:
    raise NotImplementedError


def update_patient(
    db: Database, patient_id: int, data: PatientInput, *, expected_version: int, today: date
) -> PatientRecord:
    raise NotImplementedError


def archive_patient(db: Database, patient_id: int) -> PatientRecord:
    raise NotImplementedError


def restore_patient(db: Database, patient_id: int) -> PatientRecord:
    raise NotImplementedError


def get_patient(db: Database, patient_id: int) -> PatientRecord:
    raise NotImplementedError
