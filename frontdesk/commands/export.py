"""``frontdesk export`` and ``frontdesk export-patient``: the clinic's data, taken elsewhere.

``export`` writes every table as a CSV file (columns in docs/EXPORT.md); ``export-patient``
writes one patient's full record as a PDF. Same services as the Settings button and the
patient chart's menu; every failure is one line on stderr and exit code 1, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from frontdesk.commands.patient_arg import (
    PatientNotChosen,
    add_patient_argument,
    check_patient_argument,
    patient_label,
    resolve_patient,
)


def register(sub: argparse._SubParsersAction) -> None:
    from frontdesk.commands.sign_in import add_arguments

    p = sub.add_parser(
        "export",
        help="write the whole clinic as CSV files (one per table) to a folder and exit",
        description="Write every table of the clinic database as a UTF-8 CSV file with a "
        "header row into DIR (docs/EXPORT.md describes the columns). DIR must be new or "
        "empty unless --replace is given.",
    )
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder to write")
    p.add_argument(
        "--replace", action="store_true", help="write into DIR even though it already holds files"
    )
    add_arguments(p)
    p.set_defaults(func=run_export)
    q = sub.add_parser(
        "export-patient",
        help="write one patient's full record (details, appointments, plans, notes) as a PDF",
    )
    add_patient_argument(q)
    q.add_argument("--out", type=Path, required=True, metavar="FILE", help="PDF file to write")
    add_arguments(q)
    q.set_defaults(func=run_export_patient)


def _open(args: argparse.Namespace) -> object:
    """The database, or the message why not (a str). Exporting reads: a missing, empty or
    out-of-date database is refused, never created or upgraded."""
    from frontdesk.commands.sign_in import sign_in
    from frontdesk.database_setting import database_url
    from frontdesk.db.open import open_existing_database
    from frontdesk.domain import FrontdeskError

    try:
        db = open_existing_database(database_url(args))
    except FrontdeskError as exc:
        return str(exc)
    signed_in = sign_in(db, args)
    if isinstance(signed_in, str):
        db.dispose()
    return signed_in


def run_export(args: argparse.Namespace) -> int:
    from frontdesk.db.engine import Database
    from frontdesk.domain import FrontdeskError
    from frontdesk.export import export_clinic_csv

    db = _open(args)
    if not isinstance(db, Database):
        return _fail("export", str(db))
    try:
        result = export_clinic_csv(db, args.out, overwrite=args.replace)
    except FrontdeskError as exc:
        return _fail("export", str(exc))
    except OSError as exc:
        return _fail("export", f"Could not write to {args.out}: {exc.strerror or exc}")
    finally:
        db.dispose()
    total = sum(result.rows.values())
    print(f"Wrote {len(result.rows)} tables ({total} rows) as CSV files to {result.folder}")
    return 0


def run_export_patient(args: argparse.Namespace) -> int:
    from frontdesk.context import system_clock
    from frontdesk.db.engine import Database
    from frontdesk.domain import FrontdeskError
    from frontdesk.reports.patient_record import patient_record_pdf

    try:
        check_patient_argument(args.patient)
    except PatientNotChosen as exc:
        return _fail("export-patient", str(exc), code=exc.code)
    if not args.out.parent.exists():
        return _fail("export-patient", f"The folder {args.out.parent} does not exist.")
    db = _open(args)
    if not isinstance(db, Database):
        return _fail("export-patient", str(db))
    try:
        try:
            patient = resolve_patient(db, args.patient)
        except PatientNotChosen as exc:
            return _fail("export-patient", str(exc), code=exc.code)
        patient_record_pdf(db, patient.id, now=system_clock(), out=args.out)
    except FrontdeskError as exc:
        return _fail("export-patient", str(exc))
    except OSError as exc:
        return _fail("export-patient", f"Could not write {args.out}: {exc.strerror or exc}")
    finally:
        db.dispose()
    print(f"Wrote the record of {patient_label(patient)} to {args.out}")
    return 0


def _fail(command: str, message: str, *, code: int = 1) -> int:
    print(f"frontdesk {command}: {message}", file=sys.stderr)
    return code
