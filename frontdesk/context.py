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
    from frontdesk.clinic import ClinicFacts
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
    # The clinic's name, zone and whether it has practitioners, kept so no widget waits on the
    # database for them: read when the window opens (the start passes them in; without them
    # they are read here, as tests and tools do) and replaced by the main window, on the GUI
    # thread, after a read on a worker when Settings saved or another desk changed something.
    clinic_facts: ClinicFacts | None = None

    def __post_init__(self) -> None:
        if self.clinic_facts is None:
            from frontdesk.clinic import get_clinic_facts

            self.clinic_facts = get_clinic_facts(self.db)

    @property
    def clinic(self) -> ClinicFacts:
        assert self.clinic_facts is not None  # set in __post_init__
        return self.clinic_facts
