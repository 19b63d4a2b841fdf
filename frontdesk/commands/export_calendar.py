"""``frontdesk export-calendar``: a practitioner's schedule as an ``.ics`` file or feed.

Run by hand, or every few minutes by the clinic's scheduler to keep a read-only feed current
on the clinic's own network (a phone or desktop calendar subscribes to the file). The file is
replaced in one step, so a calendar reading it never sees half of it. Patient names are left
out unless ``--patient-names`` is given; then the file is written readable by its owner only.

Exit code 0 when written, 2 when nothing was written (with the reason on one line).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the option parser loads this module: SQLAlchemy is left for the command
    from frontdesk.db.engine import Database


def register(sub: argparse._SubParsersAction) -> None:
    from frontdesk.commands.sign_in import add_arguments

    p = sub.add_parser(
        "export-calendar",
        help="write a practitioner's schedule as an iCalendar (.ics) file",
        description="Write one practitioner's visits as an iCalendar file that calendar apps "
        "import or subscribe to. Patient names are left out unless --patient-names is given.",
    )
    p.add_argument(
        "--practitioner",
        required=True,
        metavar="NAME-or-ID",
        help="the practitioner's id, or a part of their name that matches only them",
    )
    p.add_argument("--out", type=Path, required=True, metavar="FILE", help="the .ics file")
    p.add_argument(
        "--from",
        dest="first_day",
        type=date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="first day (default: a week before today)",
    )
    p.add_argument(
        "--days", type=int, default=91, help="how many days from the first (default: 91)"
    )
    p.add_argument(
        "--patient-names",
        action="store_true",
        help="show each visit's patient (the file is then readable by its owner only)",
    )
    add_arguments(p)
    p.set_defaults(func=run)


def _practitioner(db: Database, wanted: str) -> tuple[int, str] | str:
    from frontdesk.scheduling import list_practitioners

    people = list_practitioners(db, active_only=False)
    if wanted.isdigit():
        found = [p for p in people if p.id == int(wanted)]
    else:
        found = [p for p in people if wanted.casefold() in p.display_name.casefold()]
    if len(found) == 1:
        return found[0].id, found[0].display_name
    if not found:
        return f"no practitioner matches “{wanted}”."
    names = ", ".join(p.display_name for p in found)
    return f"“{wanted}” matches {len(found)} practitioners ({names}); give more of the name."


def _write(path: Path, data: bytes, *, private: bool) -> None:
    """Replace ``path`` in one step: a temporary file beside it, then a rename."""
    folder = path.resolve().parent
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o600 if private else 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def run(args: argparse.Namespace) -> int:
    from frontdesk.clinic import clinic_today, get_clinic
    from frontdesk.commands.sign_in import sign_in
    from frontdesk.context import system_clock
    from frontdesk.database_setting import database_url
    from frontdesk.db.open import open_existing_database
    from frontdesk.domain import FrontdeskError
    from frontdesk.scheduling.ical import export_schedule_ics

    if args.days < 1:
        return _fail("--days must be 1 or more.")
    if not args.out.resolve().parent.is_dir():
        return _fail(f"the folder of {args.out} does not exist.")
    try:
        db = open_existing_database(database_url(args))
    except FrontdeskError as exc:
        return _fail(str(exc))
    try:
        signed_in = sign_in(db, args)
        if isinstance(signed_in, str):
            return _fail(signed_in)
        who = _practitioner(signed_in, args.practitioner)
        if isinstance(who, str):
            return _fail(who)
        now = system_clock()
        first = args.first_day or clinic_today(now, get_clinic(signed_in).tz) - timedelta(days=7)
        exported = export_schedule_ics(
            signed_in,
            who[0],
            first,
            first + timedelta(days=args.days - 1),
            now=now,
            patient_names=args.patient_names,
        )
        _write(args.out, exported.data, private=args.patient_names)
    except (FrontdeskError, OSError) as exc:
        return _fail(str(exc))
    finally:
        db.dispose()
    names = "with patient names" if exported.patient_names else "without patient names"
    print(
        f"Wrote {exported.events} visits of {exported.practitioner_name} "
        f"({exported.first_day:%d %b %Y} to {exported.last_day:%d %b %Y}, {names}) "
        f"to {args.out}."
    )
    return 0


def _fail(message: str) -> int:
    print(f"frontdesk export-calendar: {message}", file=sys.stderr)
    return 2
