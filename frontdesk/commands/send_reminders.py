"""``frontdesk send-reminders``: send the outbox's due emails once, for a scheduled job.

The same sender as the running app's timer (``messaging.sender.send_due_messages``): each
message is claimed before it is sent, so a scheduled job and an open desk never both send it.
Prints one line of what happened; a failure to reach the database or sign in is one line on
stderr and exit code 1. Messages that could not be sent stay in the outbox for the next run.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime


def register(sub: argparse._SubParsersAction) -> None:
    from frontdesk.commands.sign_in import add_arguments

    p = sub.add_parser(
        "send-reminders",
        help="send the appointment emails that are due (confirmations, reminders, notices) and exit",
        description="Send every email in the outbox that is due now through the mail server "
        "set in Settings ▸ Email, retrying earlier failures whose wait is over. Run it every "
        "few minutes from cron or Task Scheduler; two runs at once never send a message twice.",
    )
    p.add_argument("--now", metavar="ISO-TIME", help=argparse.SUPPRESS)  # tests: a fixed clock
    add_arguments(p)
    p.set_defaults(func=run_send_reminders)


def run_send_reminders(args: argparse.Namespace) -> int:
    from frontdesk.commands.sign_in import sign_in
    from frontdesk.context import system_clock
    from frontdesk.database_setting import database_url
    from frontdesk.db.open import open_existing_database
    from frontdesk.domain import FrontdeskError
    from frontdesk.messaging.sender import send_due_messages

    try:
        db = open_existing_database(database_url(args))
    except FrontdeskError as exc:
        return _fail(str(exc))
    signed_in = sign_in(db, args)
    if isinstance(signed_in, str):
        db.dispose()
        return _fail(signed_in)
    now = datetime.fromisoformat(args.now) if args.now else system_clock()
    try:
        report = send_due_messages(signed_in, now=now)
    except FrontdeskError as exc:
        return _fail(str(exc))
    finally:
        db.dispose()
    print(report.summary())
    return 0 if report.configured else 1


def _fail(message: str) -> int:
    print(f"frontdesk send-reminders: {message}", file=sys.stderr)
    return 1
