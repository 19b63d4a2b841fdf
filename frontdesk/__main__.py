"""Entry point of the ``frontdesk`` command."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    from frontdesk.cli import parse

    args = parse(argv)
    if getattr(args, "func", None) is not None:
        return int(args.func(args))
    from frontdesk.app import run_gui

    return run_gui(args)


if __name__ == "__main__":
    sys.exit(main())
