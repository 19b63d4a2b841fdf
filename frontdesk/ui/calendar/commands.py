"""Undoable front-desk changes on the calendar: a move, a cancellation and a status change.

Each is a ``ServiceStep`` on the window's one undo history (``frontdesk.ui.undo``): pushed after
its change succeeded, undone and redone through the scheduling service, a refusal reported and
the step dropped instead of pretending it worked.

Every call sends the appointment's version as this workstation last saw it (``KnownVersions``,
shared by the page and all its steps), so an undo never overwrites another desk's change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from frontdesk.context import AppContext
from frontdesk.domain import AppointmentStatus, StaleRecord
from frontdesk.scheduling import (
    AppointmentView,
    cancel,
    check_in,
    complete,
    mark_no_show,
    reschedule,
    restore_cancelled,
    undo_status_change,
)
from frontdesk.ui.undo import Report, ServiceStep

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


class CalendarCommand(ServiceStep):
    """Base: service calls on one appointment with the version last seen, then a reload."""

    def __init__(
        self,
        ctx: AppContext,
        appointment_id: int,
        text: str,
        *,
        versions: KnownVersions,
        report: Report,
        on_changed: Callable[[int], None],
    ) -> None:
        super().__init__(text, report=report)
        self.ctx = ctx
        self.appointment_id = appointment_id
        self.versions = versions
        self._on_changed = on_changed

    def _call(self, change: Callable[[int | None], AppointmentView]) -> AppointmentView:
        # On a worker; the history runs one step at a time, so no other step records meanwhile.
        return change(self.versions.get(self.appointment_id))

    def applied(self, result: object) -> None:
        assert isinstance(result, AppointmentView)
        self.versions.record(result)

    def refresh(self) -> None:
        self._on_changed(self.appointment_id)

    def stale_reason(self, exc: StaleRecord) -> str:
        return STALE


class MoveAppointmentCommand(CalendarCommand):
    """Undo puts the appointment back at its old start, practitioner and room."""

    def __init__(
        self,
        ctx: AppContext,
        appointment_id: int,
        before: Placement,
        after: Placement,
        text: str,
        **callbacks,
    ) -> None:
        super().__init__(ctx, appointment_id, text, **callbacks)
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

    def revert(self) -> AppointmentView:
        return self._call(self._place(self.before))

    def reapply(self) -> AppointmentView:
        return self._call(self._place(self.after))


class CancelAppointmentCommand(CalendarCommand):
    """Undo restores the cancelled appointment (if its time is still free)."""

    def __init__(
        self, ctx: AppContext, appointment_id: int, reason: str, text: str, **callbacks
    ) -> None:
        super().__init__(ctx, appointment_id, text, **callbacks)
        self.reason = reason

    def revert(self) -> AppointmentView:
        return self._call(
            lambda version: restore_cancelled(
                self.ctx.db, self.appointment_id, now=self.ctx.clock(), expected_version=version
            )
        )

    def reapply(self) -> AppointmentView:
        return self._call(
            lambda version: cancel(
                self.ctx.db,
                self.appointment_id,
                self.reason,
                now=self.ctx.clock(),
                expected_version=version,
            )
        )


# The service that records each undoable status (redo goes through it again, with its rules).
STATUS_SERVICES: dict[AppointmentStatus, Callable[..., AppointmentView]] = {
    AppointmentStatus.CHECKED_IN: check_in,
    AppointmentStatus.COMPLETED: complete,
    AppointmentStatus.NO_SHOW: mark_no_show,
}


class StatusChangeCommand(CalendarCommand):
    """A check-in, completion or no-show; undo takes it back through ``undo_status_change``."""

    def __init__(
        self,
        ctx: AppContext,
        appointment_id: int,
        status: AppointmentStatus,
        text: str,
        **callbacks,
    ) -> None:
        super().__init__(ctx, appointment_id, text, **callbacks)
        self.status = status

    def revert(self) -> AppointmentView:
        return self._call(
            lambda version: undo_status_change(
                self.ctx.db,
                self.appointment_id,
                self.status,
                now=self.ctx.clock(),
                expected_version=version,
            )
        )

    def reapply(self) -> AppointmentView:
        service = STATUS_SERVICES[self.status]
        return self._call(
            lambda version: service(
                self.ctx.db, self.appointment_id, now=self.ctx.clock(), expected_version=version
            )
        )
