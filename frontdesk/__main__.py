"""Entry point of the ``frontdesk`` command."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

    from frontdesk.db.early_check import EarlyCheck


def main(argv: Sequence[str] | None = None) -> int:
    from frontdesk.cli import parse
    from frontdesk.database_setting import UsageError

    args = parse(argv)
    command = getattr(args, "func", None)
    try:
        if command is not None:
            return int(command(args))
        early_check = _start_early_check(args)
        from frontdesk.ui.pyside_hook import import_pyside_quietly

        import_pyside_quietly()  # before anything else loads, so no module's source is kept
        from frontdesk.app import run_gui

        return run_gui(args, early_check=early_check)
    except UsageError as exc:
        # A setting that cannot work: one sentence, exit code 2, nothing created or changed.
        print(f"frontdesk: {exc}", file=sys.stderr)
        if command is None and not args.screenshots:
            _tell_at_the_desk(str(exc))
        return 2


def _start_early_check(args: argparse.Namespace) -> EarlyCheck | None:
    """The database file's integrity check, started now so that it runs while Qt and
    SQLAlchemy load (``frontdesk.db.early_check``); None when there is nothing to start.

    Only a plain file path (or the default file) is checked early, found without importing
    SQLAlchemy; whatever this gets wrong costs nothing, as the open checks any file this did
    not check. When the window starts on the sign-in dialog (``signs_in_first``), the check is
    only prepared: the app starts it once the dialog is painted, so that on a busy computer it
    does not take the processor from the first screen.
    """
    import os

    from frontdesk import paths
    from frontdesk.db.early_check import signs_in_first, start_early_check

    if args.demo:  # the demo's file may yet be discarded and built anew
        return None
    value = args.database
    if not value:
        url = paths.default_database_url()
    elif "://" in value:  # a URL: a server, or a file with options, is checked at open
        return None
    else:
        url = f"sqlite:///{os.path.abspath(value)}"
    return start_early_check(url, start=bool(args.screenshots) or not signs_in_first(url))


def _tell_at_the_desk(message: str) -> None:
    """Started from a desktop launcher, nobody reads stderr: show the sentence in a window."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    if QApplication.instance() is not None:
        QMessageBox.critical(None, "Frontdesk cannot use this database setting", message)


if __name__ == "__main__":
    sys.exit(main())
