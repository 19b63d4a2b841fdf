"""The ``--patient`` argument of the commands that act on one patient.

``print-plan`` and ``export-patient`` take the same thing, a chart number as the patients screen
shows it (``000123``) or a name that must match exactly one patient, and explain a wrong one the
same way: exit code 2 for what the command line itself gets wrong (a number no chart can have, a
name several patients share), 1 when the database has no such patient.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the services load when a command runs, not when the parser is built
    from frontdesk.db.engine import Database
    from frontdesk.patients import PatientSummary

USAGE_ERROR = 2


class PatientNotChosen(Exception):
    """The argument names no single patient; ``str()`` says why, ``code`` is the exit code."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def add_patient_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--patient",
        required=True,
        metavar="CHART-or-NAME",
        help="the chart number shown on the patients screen (e.g. 000123), or the patient's "
        "name, which must match exactly one patient",
    )


def check_patient_argument(text: str) -> None:
    """Refuse, before any database is opened, a number that no chart can have."""
    from frontdesk.patients import parse_chart_number

    try:
        parse_chart_number(text)
    except ValueError as exc:
        raise PatientNotChosen(f"--patient {exc}", USAGE_ERROR) from exc


def resolve_patient(db: Database, text: str) -> PatientSummary:
    """The one patient ``text`` names, or ``PatientNotChosen`` listing what it matched."""
    from frontdesk.patients import AmbiguousPatient, find_patient
    from frontdesk.patients.chart import describe

    try:
        return find_patient(db, text)
    except AmbiguousPatient as exc:
        lines = [describe(p) for p in exc.matches] + (["…"] if exc.more else [])
        listing = "\n".join(f"  {line}" for line in lines)
        raise PatientNotChosen(f"{exc}\n{listing}", USAGE_ERROR) from exc
    except ValueError as exc:
        raise PatientNotChosen(str(exc), USAGE_ERROR) from exc


def patient_label(patient: PatientSummary) -> str:
    """ "Ann Lee (Chart 000003)": how the commands name the patient they acted on."""
    from frontdesk.names import display_name
    from frontdesk.patients import chart_label

    return f"{display_name(patient.given_name, patient.family_name)} ({chart_label(patient.id)})"
