"""Batch printing of money papers: ``print-receipts``, ``print-statement``, ``print-day-sheet``.

The same services as the GUI's print buttons, no screen needed; sign in as for ``print-plan``
(``--user`` and ``--password-file``, or ``FRONTDESK_USER``/``FRONTDESK_PASSWORD_FILE``). Every
failure is one line on stderr: exit code 2 when the command line cannot work, 1 otherwise.
Files are written beside their target and renamed, so no half-written PDF is left behind.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from frontdesk.commands.patient_arg import (
    PatientNotChosen,
    add_patient_argument,
    check_patient_argument,
    patient_label,
    resolve_patient,
)

if TYPE_CHECKING:
    from frontdesk.db.engine import Database

USAGE = 2


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"give the day as YYYY-MM-DD, such as 2026-03-02 (not {text!r})"
        ) from None


def register(sub: argparse._SubParsersAction) -> None:
    from frontdesk.commands.sign_in import add_arguments

    p = sub.add_parser(
        "print-receipts",
        help="write the receipt of every invoice issued on a day to a folder and exit",
        description="One PDF per invoice issued on the day and still valid, named "
        "receipt-<number>.pdf. Void invoices are left out.",
    )
    p.add_argument("--date", type=_day, required=True, metavar="YYYY-MM-DD")
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder to write to")
    add_arguments(p)
    p.set_defaults(func=run_receipts)

    p = sub.add_parser(
        "print-statement",
        help="write a patient's yearly statement of paid services to a PDF file and exit",
        description="Every paid service of the calendar year, for insurance claims and the "
        "medical expense tax credit.",
    )
    add_patient_argument(p)
    p.add_argument("--year", type=int, required=True, metavar="YYYY")
    p.add_argument("--out", type=Path, required=True, metavar="FILE", help="PDF file to write")
    add_arguments(p)
    p.set_defaults(func=run_statement)

    p = sub.add_parser(
        "print-day-sheet",
        help="write the day sheet for the money (PDF, or CSV with --csv) and exit",
        description="Every payment, refund and void of the day, with totals by method and by "
        "practitioner.",
    )
    p.add_argument("--date", type=_day, required=True, metavar="YYYY-MM-DD")
    p.add_argument("--out", type=Path, required=True, metavar="FILE", help="file to write")
    p.add_argument("--csv", action="store_true", help="write CSV instead of PDF")
    add_arguments(p)
    p.set_defaults(func=run_day_sheet)


def _signed_in(args: argparse.Namespace, name: str) -> Database | int:
    from frontdesk.commands.sign_in import sign_in
    from frontdesk.database_setting import database_url
    from frontdesk.db.open import open_existing_database
    from frontdesk.domain import FrontdeskError

    try:
        db = open_existing_database(database_url(args))
    except FrontdeskError as exc:
        return _fail(name, str(exc))
    signed_in = sign_in(db, args)
    if isinstance(signed_in, str):
        db.dispose()
        return _fail(name, signed_in)
    return signed_in


def run_receipts(args: argparse.Namespace) -> int:
    from frontdesk.context import system_clock
    from frontdesk.domain import FrontdeskError
    from frontdesk.reports.printing import day_receipts, receipt_pdf

    name = "print-receipts"
    if not args.out.is_dir():
        return _fail(name, f"The folder {args.out} does not exist.")
    db = _signed_in(args, name)
    if isinstance(db, int):
        return db
    try:
        now = system_clock()
        invoices = day_receipts(db, args.date)
        written = 0
        for invoice_id in invoices:
            pdf = receipt_pdf(db, invoice_id, now=now)
            number = _invoice_number(db, invoice_id)
            if not _write(name, args.out / f"receipt-{number}.pdf", pdf):
                return 1
            written += 1
        print(f"Wrote {written} receipt{'s' if written != 1 else ''} for {args.date} to {args.out}")
        return 0
    except FrontdeskError as exc:
        return _fail(name, str(exc))
    finally:
        db.dispose()


def _invoice_number(db: Database, invoice_id: int) -> int:
    from frontdesk.billing import get_invoice

    return get_invoice(db, invoice_id).number


def run_statement(args: argparse.Namespace) -> int:
    from frontdesk.billing.statement import check_year
    from frontdesk.context import system_clock
    from frontdesk.domain import FrontdeskError, ValidationError
    from frontdesk.reports.printing import statement_pdf

    name = "print-statement"
    try:
        check_patient_argument(args.patient)
        check_year(args.year)
    except PatientNotChosen as exc:
        return _fail(name, str(exc), code=exc.code)
    except ValidationError as exc:
        return _fail(name, f"--year: {exc}", code=USAGE)
    if not args.out.parent.is_dir():
        return _fail(name, f"The folder {args.out.parent} does not exist.")
    db = _signed_in(args, name)
    if isinstance(db, int):
        return db
    try:
        try:
            patient = resolve_patient(db, args.patient)
        except PatientNotChosen as exc:
            return _fail(name, str(exc), code=exc.code)
        pdf = statement_pdf(db, patient.id, args.year, now=system_clock())
        if not _write(name, args.out, pdf):
            return 1
        print(f"Wrote the {args.year} statement for {patient_label(patient)} to {args.out}")
        return 0
    except FrontdeskError as exc:
        return _fail(name, str(exc))
    finally:
        db.dispose()


def run_day_sheet(args: argparse.Namespace) -> int:
    from frontdesk.context import system_clock
    from frontdesk.domain import FrontdeskError
    from frontdesk.reports.printing import money_day_sheet_csv, money_day_sheet_pdf

    name = "print-day-sheet"
    if not args.out.parent.is_dir():
        return _fail(name, f"The folder {args.out.parent} does not exist.")
    db = _signed_in(args, name)
    if isinstance(db, int):
        return db
    try:
        now = system_clock()
        if args.csv:
            try:
                money_day_sheet_csv(db, args.date, args.out, now=now)
            except OSError as exc:
                return _fail(name, f"Could not write {args.out}: {exc.strerror or exc}")
            ok = True
        else:
            pdf = money_day_sheet_pdf(db, args.date, now=now)
            ok = _write(name, args.out, pdf)
        if not ok:
            return 1
        print(f"Wrote the day sheet (money) for {args.date} to {args.out}")
        return 0
    except FrontdeskError as exc:
        return _fail(name, str(exc))
    finally:
        db.dispose()


def _write(name: str, out: Path, content: bytes) -> bool:
    """Write ``content`` to ``out`` through a temporary file beside it; False (and a line
    on stderr) when the file cannot be written."""
    try:
        handle, temporary = tempfile.mkstemp(prefix=".print-", suffix=out.suffix, dir=out.parent)
    except OSError as exc:
        _fail(name, f"Could not write {out}: {exc.strerror or exc}")
        return False
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
        current = os.umask(0)
        os.umask(current)
        os.chmod(temporary, 0o666 & ~current)
        os.replace(temporary, out)
        return True
    except OSError as exc:
        _fail(name, f"Could not write {out}: {exc.strerror or exc}")
        return False
    finally:
        Path(temporary).unlink(missing_ok=True)


def _fail(name: str, message: str, *, code: int = 1) -> int:
    print(f"frontdesk {name}: {message}", file=sys.stderr)
    return code
