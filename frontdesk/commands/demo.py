"""``frontdesk build-demo``: write a demo clinic database (also used by benchmarks)."""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("build-demo", help="build a demo clinic database and exit")
    p.add_argument("--patients", type=int, default=300)
    p.add_argument("--appointments", type=int, default=None)
    p.add_argument("--seed", type=int, default=2026)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from frontdesk.cli import database_url
    from frontdesk.db.demo import build_demo
    from frontdesk.db.open import open_database

    from frontdesk.domain import FrontdeskError

    try:
        db = open_database(database_url(args), confirm_server_backup=args.confirm_server_backup)
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
