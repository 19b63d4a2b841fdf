"""What every part of the app is handed instead of reaching for globals.

The composition root (``frontdesk.app``) builds one ``AppContext``; widgets, commands and tests
receive it and pass it on. Services stay plain functions over ``ctx.db``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the start names ``system_clock`` before SQLAlchemy is loaded
    from frontdesk.db.engine import Database


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass
class AppContext:
    db: Database
    demo: bool = False
    # Everything that asks "what time is it?" asks this, so tests can fix the day.
    clock: Callable[[], datetime] = field(default=system_clock)
    data_dir: Path | None = None
