"""``frontdesk print-plan``: render a patient's current treatment plan to a PDF file.

For batch printing from a script and for tests: the same services as the GUI's print button,
no screen needed. Every failure is one line on stderr and exit code 1, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "print-plan",
        help="write a patient's current treatment-plan handout to a PDF file and exit",
        description="Render the latest revision of the patient's most recently changed plan. "
        "The revision is recorded as printed, so later edits start a new revision.",
    )
    p.add_argument("--patient", type=int, required=True, metavar="ID", help="patient id")
    p.add_argument("--out", type=Path, required=True, metavar="FILE", help="PDF file to write")
    p.add_argument(
        "--preview",
        action="store_true",
        help="do not record the revision as printed (a draft for checking)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from frontdesk.cli import database_url
    from frontdesk.context import system_clock
    from frontdesk.db.open import open_database
    from frontdesk.domain import FrontdeskError
    from frontdesk.plans import current_plan_for_patient
    from frontdesk.reports import plan_handout_pdf

    url = database_url(args)
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return _fail(f"No database at {url.removeprefix('sqlite:///')}.")
    if not args.out.parent.exists():
        return _fail(f"The folder {args.out.parent} does not exist.")
    try:
        db = open_database(url, confirm_server_backup=args.confirm_server_backup)
    except FrontdeskError as exc:
        return _fail(str(exc))
    try:
        plan = current_plan_for_patient(db, args.patient)
        if plan is None:
            return _fail(f"Patient {args.patient} has no treatment plan to print.")
        plan_handout_pdf(db, plan.revision_id, now=system_clock(), out=args.out,
                         mark=not args.preview)  # fmt: skip
    except FrontdeskError as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"Could not write {args.out}: {exc.strerror or exc}")
    finally:
        db.dispose()
    print(f"Wrote plan {plan.plan_id} revision {plan.number} to {args.out}")
    return 0


def _fail(message: str) -> int:
    print(f"frontdesk print-plan: {message}", file=sys.stderr)
    return 1
