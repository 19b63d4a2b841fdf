"""``frontdesk build-demo``: write a demo clinic database (also used by benchmarks)."""

from __future__ import annotations

import argparse
import sys

USAGE_ERROR = 2  # as argparse exits on a malformed command line


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "build-demo",
        help="build a demo clinic database and exit",
        description="Fill a database with a generated demo clinic. The database must be named "
        "with --database (or FRONTDESK_DATABASE) and be empty; a new SQLite file is created "
        "only at a name ending in .sqlite3, .sqlite or .db, so a mistyped name never becomes "
        "a database. The clinic's own database is never used by default.",
    )
    p.add_argument("--patients", type=int, default=None, help="default: 1,000")
    p.add_argument("--appointments", type=int, default=None)
    p.add_argument("--seed", type=int, default=2026)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from frontdesk.database_setting import new_database_target
    from frontdesk.db.open import open_database
    from frontdesk.demo import build_demo, check_demo_size
    from frontdesk.demo.builder import DEMO_PATIENTS
    from frontdesk.domain import FrontdeskError, ValidationError

    try:  # before the database is opened, so a wrong size creates no file
        patients = DEMO_PATIENTS if args.patients is None else args.patients
        check_demo_size(patients, args.appointments)
    except ValidationError as exc:
        for message in exc.errors.values():
            print(f"frontdesk build-demo: {message} Nothing was created.", file=sys.stderr)
        return USAGE_ERROR
    target = new_database_target(args, "build-demo")
    try:
        db = open_database(target.url, confirm_server_backup=args.confirm_server_backup)
    except FrontdeskError as exc:
        target.discard()
        print(f"frontdesk: {exc}", file=sys.stderr)
        return 1
    except BaseException:
        target.discard()
        raise
    try:
        summary = build_demo(db, patients=patients, appointments=args.appointments, seed=args.seed)
    except FrontdeskError as exc:
        db.dispose()
        target.discard()
        print(f"frontdesk: {exc}", file=sys.stderr)
        return 1
    except BaseException:
        db.dispose()
        target.discard()
        raise
    db.dispose()
    if target.created is not None:
        print(f"Created demo clinic at {target.created}.")
    print(summary)
    return 0
