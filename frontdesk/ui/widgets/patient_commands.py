"""Archiving and restoring as undoable steps, so a wrong click is one Ctrl+Z away.

The change is made through the patients service before the step is pushed on the window's one
undo history (so a failure is reported where it happened and nothing lands on the stack); undo
and redo then call the opposite service function and tell the page to refresh. A step the
service refuses (a visit was booked meanwhile) is reported and drops off the stack.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from frontdesk.db.engine import Database
from frontdesk.patients import archive_patient, restore_patient
from frontdesk.ui.undo import Report, ServiceStep


class ArchiveToggleCommand(ServiceStep):
    """Records that a patient was archived (``archived=True``) or restored, done already."""

    def __init__(
        self,
        db: Database,
        patient_id: int,
        name: str,
        *,
        archived: bool,
        refresh: Callable[[int], None],
        clock: Callable[[], datetime],
        report: Report,
    ) -> None:
        super().__init__(f"{'archive' if archived else 'restore'} {name}", report=report)
        self._db = db
        self._patient_id = patient_id
        self._archived = archived
        self._refresh = refresh
        self._clock = clock

    def revert(self) -> None:
        self._apply(not self._archived)

    def reapply(self) -> None:
        self._apply(self._archived)

    def refresh(self) -> None:
        self._refresh(self._patient_id)

    def _apply(self, archived: bool) -> None:
        if archived:
            archive_patient(self._db, self._patient_id, now=self._clock())
        else:
            restore_patient(self._db, self._patient_id)
