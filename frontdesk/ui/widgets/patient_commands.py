"""Archiving and restoring as undoable steps, so a wrong click is one Ctrl+Z away.

The change is made through the patients service before the command is pushed (so a failure is
reported where it happened and nothing lands on the undo stack); undo and redo then call the
opposite service function and tell the page to refresh. A redo the service refuses (a visit was
booked meanwhile) is reported and drops the command from the stack.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtGui import QUndoCommand

from frontdesk.db.engine import Database
from frontdesk.domain import FrontdeskError
from frontdesk.patients import archive_patient, restore_patient


class ArchiveToggleCommand(QUndoCommand):
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
        report: Callable[[str], None],
    ) -> None:
        super().__init__(f"{'archive' if archived else 'restore'} {name}")
        self._db = db
        self._patient_id = patient_id
        self._archived = archived
        self._refresh = refresh
        self._clock = clock
        self._report = report
        self._done = True  # pushed after the change was made

    def redo(self) -> None:
        if self._done:  # QUndoStack.push() calls redo(); the change is already made
            self._done = False
            return
        self._apply(self._archived)

    def undo(self) -> None:
        self._apply(not self._archived)

    def _apply(self, archived: bool) -> None:
        try:
            if archived:
                archive_patient(self._db, self._patient_id, now=self._clock())
            else:
                restore_patient(self._db, self._patient_id)
        except FrontdeskError as exc:
            self.setObsolete(True)  # the stack drops a command that could not be applied
            self._report(f"Could not {self.text()}: {exc}")
        self._refresh(self._patient_id)
