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
from frontdesk.patients import (
    PatientStillBooked,
    archive_patient,
    cancel_visits_and_archive,
    restore_patient,
)
from frontdesk.ui.undo import Report, ServiceStep


class ArchiveToggleCommand(ServiceStep):
    """Records that a patient was archived (``archived=True``) or restored, done already.

    An archiving that cancelled the visits booked ahead (``cancelled``, with ``reason``) is one
    step named for both: undoing it brings the patient and those visits back in one service
    call, and redoing it cancels them again with the same reason.
    """

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
        cancelled: tuple[int, ...] = (),
        reason: str = "",
    ) -> None:
        text = f"{'archive' if archived else 'restore'} {name}"
        if cancelled:
            noun = "appointment" if len(cancelled) == 1 else f"{len(cancelled)} appointments"
            text += f" and cancel {noun}"
        super().__init__(text, report=report)
        self._cancelled = cancelled
        self._reason = reason
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
        if not archived:
            restore_patient(self._db, self._patient_id, visits=self._cancelled, now=self._clock())
            return
        try:
            archive_patient(self._db, self._patient_id, now=self._clock())
        except PatientStillBooked as refusal:
            # Redo of an archiving that cancelled visits: cancel exactly those again, or refuse.
            if not self._cancelled or {a.id for a in refusal.appointments} != set(self._cancelled):
                raise
            cancel_visits_and_archive(
                self._db,
                self._patient_id,
                self._reason,
                now=self._clock(),
                expected=refusal.appointments,
            )
