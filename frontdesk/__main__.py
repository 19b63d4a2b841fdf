"""Entry point of the ``frontdesk`` command."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    from frontdesk.cli import parse
    from frontdesk.database_setting import UsageError

    args = parse(argv)
    command = getattr(args, "func", None)
    try:
        if command is not None:
            return int(command(args))
        from frontdesk.ui.pyside_hook import import_pyside_quietly

        import_pyside_quietly()  # before anything else loads, so no module's source is kept
        from frontdesk.app import run_gui

        return run_gui(args)
    except UsageError as exc:
        # A setting that cannot work: one sentence, exit code 2, nothing created or changed.
        print(f"frontdesk: {exc}", file=sys.stderr)
        if command is None and not args.screenshots:
            _tell_at_the_desk(str(exc))
        return 2


def _tell_at_the_desk(message: str) -> None:
    """Started from a desktop launcher, nobody reads stderr: show the sentence in a window."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    if QApplication.instance() is not None:
        QMessageBox.critical(None, "Frontdesk cannot use this database setting", message)


if __name__ == "__main__":
    sys.exit(main())
