"""``frontdesk audit verify``: recompute the audit trail's hash chain and say where it breaks.

Exit code 0 when every row is intact, 1 when a row was changed or removed (the first one is
named), 2 when the check could not run (no database, not signed in as an administrator).
"""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:
    from frontdesk.commands.sign_in import add_arguments

    p = sub.add_parser("audit", help="check the audit trail")
    actions = p.add_subparsers(dest="audit_action", required=True)
    v = actions.add_parser(
        "verify",
        help="recompute the audit trail's hash chain",
        description="Recompute every audit row's hash and its link to the "
        "row before, and report the first row changed or removed.",
    )
    add_arguments(v)
    v.set_defaults(func=run_verify)


def run_verify(args: argparse.Namespace) -> int:
    from frontdesk.accounts.trail import verify_audit
    from frontdesk.commands.sign_in import sign_in
    from frontdesk.database_setting import database_url
    from frontdesk.db.open import open_existing_database
    from frontdesk.domain import FrontdeskError

    try:
        db = open_existing_database(database_url(args))
    except FrontdeskError as exc:
        return _fail(str(exc))
    try:
        signed_in = sign_in(db, args)
        if isinstance(signed_in, str):
            return _fail(signed_in)
        report = verify_audit(signed_in)
    except FrontdeskError as exc:
        return _fail(str(exc))
    finally:
        db.dispose()
    if report.ok:
        print(f"The audit trail is intact: {report.rows} rows checked.")
        return 0
    print(f"The audit trail is broken: {report.problem}")
    return 1


def _fail(message: str) -> int:
    print(f"frontdesk audit verify: {message}", file=sys.stderr)
    return 2
