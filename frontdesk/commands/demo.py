"""``frontdesk build-demo``: write a demo clinic database (also used by benchmarks)."""

from __future__ import annotations

import argparse
import sys

USAGE_ERROR = 2  # as argparse exits on a malformed command line


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("build-demo", help="build a demo clinic database and exit")
    p.add_argument("--patients", type=int, default=300)
    p.add_argument("--appointments", type=int, default=None)
    p.add_argument("--seed", type=int, default=2026)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from frontdesk.cli import database_url
    from frontdesk.db.open import open_database
    from frontdesk.demo import build_demo, check_demo_size
    from frontdesk.domain import FrontdeskError, ValidationError

    try:  # before the database is opened, so a wrong size creates no file
        check_demo_size(args.patients, args.appointments)
    except ValidationError as exc:
        for message in exc.errors.values():
            print(f"frontdesk build-demo: {message} Nothing was created.", file=sys.stderr)
        return USAGE_ERROR
    try:
        db = open_database(database_url(args))
    except FrontdeskError as exc:
        print(f"frontdesk: {exc}", file=sys.stderr)
        return 1
    try:
        summary = build_demo(
            db, patients=args.patients, appointments=args.appointments, seed=args.seed
        )
    except FrontdeskError as exc:
        print(f"frontdesk: {exc}", file=sys.stderr)
        return 1
    finally:
        db.dispose()
    print(summary)
    return 0
