"""Command-line options and headless commands.

``frontdesk`` with no command opens the GUI. Commands that need no screen (printing a plan,
building a demo database) are subcommands, so batch jobs use the same services as the GUI.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence

from frontdesk import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="frontdesk",
        description="Front desk for a physiotherapy, chiropractic and acupuncture clinic: "
        "patients, bookings, acupuncture courses and treatment-plan handouts.",
    )
    parser.add_argument("--version", action="version", version=f"frontdesk {__version__}")
    parser.add_argument(
        "--database",
        metavar="PATH-or-URL",
        default=os.environ.get("FRONTDESK_DATABASE"),
        help="SQLite file or SQLAlchemy URL (postgresql+psycopg://user@host/db). "
        "Default: $FRONTDESK_DATABASE, else a file in the user data folder.",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open a demo clinic with generated patients and bookings, always in its own file "
        "in the user data folder (--database and $FRONTDESK_DATABASE are not used)",
    )
    parser.add_argument(
        "--confirm-server-backup",
        action="store_true",
        help="PostgreSQL only: an administrator has backed the server up, so a schema upgrade "
        "may run without the pg_dump backup Frontdesk otherwise takes first",
    )
    parser.add_argument(
        "--screenshots",
        metavar="DIR",
        help="write PNG screenshots of the main views to DIR and exit",
    )
    # For benchmarks/bench_startup.py only: print when the first screen is painted and the
    # process's peak memory, then exit.
    parser.add_argument("--quit-after-first-paint", action="store_true", help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    _register_commands(sub)
    return parser


def _register_commands(sub: argparse._SubParsersAction) -> None:
    """Each headless command module adds its subparser and sets ``func``."""
    from frontdesk.commands import register_all

    register_all(sub)


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    return build_parser().parse_args(argv)
