"""Headless subcommands of ``frontdesk``; each module exposes ``register(subparsers)``."""

from __future__ import annotations

import argparse


def register_all(sub: argparse._SubParsersAction) -> None:
    from frontdesk.commands import demo

    demo.register(sub)
    from frontdesk.commands import print_plan

    print_plan.register(sub)
    from frontdesk.commands import print_money

    print_money.register(sub)
    from frontdesk.commands import backup

    backup.register(sub)

    from frontdesk.commands import export

    export.register(sub)
    from frontdesk.commands import upgrade

    upgrade.register(sub)

    from frontdesk.commands import audit

    audit.register(sub)
    from frontdesk.commands import export_calendar

    export_calendar.register(sub)
    from frontdesk.commands import send_reminders

    send_reminders.register(sub)
