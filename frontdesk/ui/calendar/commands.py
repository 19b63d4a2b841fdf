"""Undoable front-desk changes: moving an appointment and cancelling one.

Each command is pushed after its change already succeeded (the first ``redo`` does nothing),
so a refused change never lands on the undo stack. Undo and redo go through the scheduling
service like any other change; if the service refuses (the old time was booked meanwhile, or
the appointment was changed at another workstation), the reason is reported and the command
drops off the stack instead of pretending it worked.

Every call sends the appointment's version as this workstation last saw it (``KnownVersions``,
shared by the page and all its commands), so an undo never overwrites another desk's change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtGui import QUndoCommand

from frontdesk.context import AppContext
from frontdesk.domain import FrontdeskError, StaleRecord
from frontdesk.scheduling import AppointmentView, cancel, reschedule, restore_cancelled

STALE = (
    "the appointment was changed at another workstation meanwhile, so nothing was changed here; "
    "the calendar now shows the latest version."
)


class KnownVersions(dict[int, int]):
    """Appointment id → its version after this workstation's last change to it.

    Two undo steps on the same appointment must each send the version the other left behind,
    so the version lives here rather than in each command.
    """

    def record(self, appt: AppointmentView) -> AppointmentView:
        self[appt.id] = appt.version
        return appt


@dataclass(frozen=True)
class Placement:
    """Where an appointment sits: its start, practitioner and room."""

    start: datetime
    practitioner_id: int
    room_id: int | None


class CalendarCommand(QUndoCommand):
    """Base: runs service calls, reports refusals and tells the calendar to reload."""

    def __init__(
        self,
        ctx: AppContext,
        text: str,
        *,
        versions: KnownVersions,
        on_error: Callable[[str], None],
        on_changed: Callable[[int], None],
    ) -> None:
        super().__init__(text)
        self.ctx = ctx
        self.versions = versions
        self._on_error = on_error
        self._on_changed = on_changed
        self._applied = True  # pushed after the change was made

    def _attempt(self, appointment_id: int, change: Callable[[int | None], AppointmentView], failure: str) -> None:
        try:
            self.versions.record(change(self.versions.get(appointment_id)))
        except StaleRecord:
            self._on_error(f"{failure}: {STALE}")
            self.setObsolete(True)
        except FrontdeskError as exc:
            self._on_error(f"{failure}: {exc}")
            self.setObsolete(True)
        self._on_changed(appointment_id)


class MoveAppointmentCommand(CalendarCommand):
    """Undo puts the appointment back at its old start, practitioner and room."""

    def __init__(self, ctx: AppContext, appointment_id: int, before: Placement, after: Placement, text: str, **callbacks) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx, text, **callbacks)
        self.appointment_id = appointment_id
        self.before = before
        self.after = after

    def _place(self, where: Placement) -> Callable[[int | None], AppointmentView]:
        return lambda version: reschedule(
            self.ctx.db,
            self.appointment_id,
            where.start,
            now=self.ctx.clock(),
            practitioner_id=where.practitioner_id,
            room_id=where.room_id,
            expected_version=version,
        )

    def undo(self) -> None:
        self._attempt(self.appointment_id, self._place(self.before), f"Could not undo “{self.text()}”")

    def redo(self) -> None:
        if self._applied:
            self._applied = False
            return
        self._attempt(self.appointment_id, self._place(self.after), f"Could not redo “{self.text()}”")


class CancelAppointmentCommand(CalendarCommand):
    """Undo restores the cancelled appointment (if its time is still free)."""

    def __init__(self, ctx: AppContext, appointment_id: int, reason: str, text: str, **callbacks) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx, text, **callbacks)
        self.appointment_id = appointment_id
        self.reason = reason

    def undo(self) -> None:
        self._attempt(
            self.appointment_id,
            lambda version: restore_cancelled(self.ctx.db, self.appointment_id, now=self.ctx.clock(), expected_version=version),
            f"Could not undo “{self.text()}”",
        )

    def redo(self) -> None:
        if self._applied:
            self._applied = False
            return
        self._attempt(
            self.appointment_id,
            lambda version: cancel(self.ctx.db, self.appointment_id, self.reason, now=self.ctx.clock(), expected_version=version),
            f"Could not redo “{self.text()}”",
        )
