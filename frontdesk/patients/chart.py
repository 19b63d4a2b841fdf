"""The chart number: how the screen, paper and scripts name one patient unambiguously.

It is the patient's id shown with six digits ("000123"), so the number on the patients screen
is the one ``frontdesk print-plan --patient`` takes. Formatting and reading it back live here
alone; a command line also accepts a name, which must then match exactly one patient.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from frontdesk.accounts.operation import operation
from frontdesk.db.engine import Database
from frontdesk.db.models import Patient
from frontdesk.domain import FrontdeskError, NotFound
from frontdesk.patients.rows import SUMMARY_COLUMNS, summary_from_row
from frontdesk.patients.search import search_patients
from frontdesk.patients.types import PatientSummary

CHART_DIGITS = 6
MAX_CHART = 2**31 - 1  # patient ids are 32-bit integers on PostgreSQL
LISTED_MATCHES = 10
_TYPED_CHART = re.compile(r"^\s*(?:chart\s*)?#?\s*(\d+)\s*$", re.IGNORECASE)


def chart_number(patient_id: int) -> str:
    """``123`` -> ``"000123"``: the one way a chart number is written."""
    return f"{patient_id:0{CHART_DIGITS}d}"


def chart_label(patient_id: int) -> str:
    """``"Chart 000123"``, for a line of text that names a patient."""
    return f"Chart {chart_number(patient_id)}"


def parse_chart_number(text: str) -> int | None:
    """The id of a typed chart number ("123", "000123", "#123", "Chart 000123").

    None when the text is not a number (it is then a name); ``ValueError`` with the message
    when it is a number no chart can have.
    """
    match = _TYPED_CHART.match(text)
    if match is None:
        return None
    digits = match.group(1).lstrip("0") or "0"
    if len(digits) > len(str(MAX_CHART)) or int(digits) > MAX_CHART or int(digits) == 0:
        raise ValueError(
            f"{text.strip()} is not a chart number; chart numbers go from "
            f"{chart_number(1)} to {MAX_CHART}."
        )
    return int(digits)


class AmbiguousPatient(FrontdeskError):
    """A name that fits several patients; ``matches`` lists them (at most ``LISTED_MATCHES``)."""

    def __init__(self, text: str, matches: list[PatientSummary], more: bool) -> None:
        self.matches = matches
        self.more = more
        super().__init__(
            f"{'More than ' if more else ''}{len(matches)} patients match \u201c{text}\u201d; "
            "give the chart number of the one you mean."
        )


def describe(patient: PatientSummary) -> str:
    """One line naming a patient: ``Chart 000123  Lee, Ann  born 1980-01-02``."""
    archived = "  (archived)" if patient.archived else ""
    return (
        f"{chart_label(patient.id)}  {patient.display_name}  "
        f"born {patient.date_of_birth.isoformat()}{archived}"
    )


@operation("find_patient")
def find_patient(db: Database, text: str) -> PatientSummary:
    """The one patient ``text`` names: a chart number, or words matching exactly one name.

    Words follow the search box's rules (each word starts a name, accents and case aside) and
    find current patients; an archived patient is found by chart number. ``ValueError`` for a
    number no chart can have, ``NotFound`` when nobody matches, ``AmbiguousPatient`` when
    several do.
    """
    patient_id = parse_chart_number(text)
    if patient_id is not None:
        with db.read() as s:
            row = s.execute(select(*SUMMARY_COLUMNS).where(Patient.id == patient_id)).first()
        if row is None:
            raise NotFound(f"There is no patient with chart number {chart_number(patient_id)}.")
        return summary_from_row(row)
    if not text.strip():
        raise ValueError("Give a chart number or the patient's name.")
    found = search_patients(db, text, limit=LISTED_MATCHES + 1)
    if not found:
        raise NotFound(
            f"No patient matches \u201c{text.strip()}\u201d; check the spelling, "
            "or give the chart number."
        )
    if len(found) > 1:
        raise AmbiguousPatient(text.strip(), found[:LISTED_MATCHES], len(found) > LISTED_MATCHES)
    return found[0]
