"""``frontdesk print-plan``: render a patient's current treatment plan to a PDF file.

For batch printing from a script and for tests: the same services as the GUI's print button,
no screen needed. Every failure is one line on stderr, never a traceback: exit code 2 when the
command line itself cannot work (an ambiguous name, a number no chart can have), 1 otherwise.
The command reads: it never creates or upgrades a database, and it leaves no PDF behind
unless the revision on it was recorded as printed (or ``--preview`` asked for a draft).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from frontdesk.commands.patient_arg import (
    PatientNotChosen,
    add_patient_argument,
    check_patient_argument,
    patient_label,
    resolve_patient,
)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "print-plan",
        help="write a patient's current treatment-plan handout to a PDF file and exit",
        description="Render the latest revision of the patient's most recently changed plan. "
        "The revision is recorded as printed, so later edits start a new revision. The "
        "database must already exist and be up to date: this command never creates or "
        "upgrades one.",
    )
    add_patient_argument(p)
    p.add_argument("--out", type=Path, required=True, metavar="FILE", help="PDF file to write")
    p.add_argument(
        "--preview",
        action="store_true",
        help="do not record the revision as printed (a draft for checking)",
    )
    from frontdesk.commands.sign_in import add_arguments

    add_arguments(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from frontdesk.database_setting import database_url
    from frontdesk.db.open import open_existing_database
    from frontdesk.domain import FrontdeskError

    url = database_url(args)
    try:
        check_patient_argument(args.patient)
    except PatientNotChosen as exc:
        return _fail(str(exc), code=exc.code)
    if not args.out.parent.is_dir():
        return _fail(f"The folder {args.out.parent} does not exist.")
    try:
        db = open_existing_database(url)
    except FrontdeskError as exc:
        return _fail(str(exc))
    from frontdesk.commands.sign_in import sign_in

    signed_in = sign_in(db, args)
    if isinstance(signed_in, str):
        db.dispose()
        return _fail(signed_in)
    db = signed_in
    try:
        try:
            patient = resolve_patient(db, args.patient)
        except PatientNotChosen as exc:
            return _fail(str(exc), code=exc.code)
        return _print(db, patient.id, patient_label(patient), args.out, mark=not args.preview)
    except FrontdeskError as exc:
        return _fail(str(exc))
    finally:
        db.dispose()


def _print(db: object, patient_id: int, name: str, out: Path, *, mark: bool) -> int:
    """Render and (unless a preview) freeze the revision, then put the PDF in place.

    The PDF is made in memory and the revision frozen before the file appears, so a database
    that refuses the freeze (read-only, say) leaves no handout claiming to be the printed
    revision; the file is written next to ``out`` and renamed, so no half-written PDF is left.
    """
    from frontdesk.context import system_clock
    from frontdesk.db.engine import Database
    from frontdesk.domain import DatabaseUnavailable
    from frontdesk.plans import current_plan_for_patient
    from frontdesk.reports import plan_handout_pdf

    assert isinstance(db, Database)
    plan = current_plan_for_patient(db, patient_id)
    if plan is None:
        return _fail(f"{name} has no treatment plan to print.")
    try:
        handle, temporary = tempfile.mkstemp(prefix=".print-plan-", suffix=".pdf", dir=out.parent)
    except OSError as exc:
        return _fail(f"Could not write {out}: {exc.strerror or exc}")
    try:
        try:
            pdf = plan_handout_pdf(db, plan.revision_id, now=system_clock(), mark=mark)
        except DatabaseUnavailable as exc:
            return _fail(
                f"{exc} No PDF was written, because the revision could not be "
                "recorded as printed (--preview writes a draft that is not)."
            )
        try:
            with os.fdopen(handle, "wb") as file:
                handle = -1
                file.write(pdf)
            os.chmod(temporary, 0o666 & ~_umask())  # as any new file, not mkstemp's 0600
            os.replace(temporary, out)
        except OSError as exc:
            return _fail(f"Could not write {out}: {exc.strerror or exc}")
    finally:
        if handle != -1:
            os.close(handle)
        Path(temporary).unlink(missing_ok=True)
    draft = " as a draft (not recorded as printed)" if not mark else ""
    print(f"Wrote plan {plan.plan_id} revision {plan.number} for {name} to {out}{draft}")
    return 0


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _fail(message: str, *, code: int = 1) -> int:
    print(f"frontdesk print-plan: {message}", file=sys.stderr)
    return code
