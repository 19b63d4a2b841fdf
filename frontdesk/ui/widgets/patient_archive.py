"""The questions asked when archiving a patient who still has visits booked ahead.

The patients service refuses to archive such a patient (``PatientStillBooked``) and lists the
visits; this module shows them and offers to cancel them all with one reason, through the
scheduling service, before archiving. If any cancellation is refused the patient is not
archived and the message names the appointment that stood in the way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import tzinfo

from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget

from frontdesk.context import AppContext
from frontdesk.domain import FrontdeskError
from frontdesk.patients import PatientRecord, PatientStillBooked
from frontdesk.scheduling import AppointmentView, cancel
from frontdesk.ui.dialogs.stranded import describe, visit_lines


def ask_cancel_and_archive(parent: QWidget, record: PatientRecord, refusal: PatientStillBooked,
                           tz: tzinfo) -> bool:
    """Show the visits in the way; True for "Cancel them and archive", False for "Go back"."""
    box = QMessageBox(QMessageBox.Icon.Warning, "Appointments still booked", str(refusal),
                      parent=parent)
    box.setInformativeText(visit_lines(refusal.appointments, tz))
    go = box.addButton("Cancel them and archive", QMessageBox.ButtonRole.DestructiveRole)
    back = box.addButton("Go back", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(back)
    box.setEscapeButton(back)
    box.exec()
    return box.clickedButton() is go


def ask_reason(parent: QWidget, record: PatientRecord, count: int) -> str | None:
    """The cancellation reason for all the visits, or None if the user backed out."""
    noun = "appointment" if count == 1 else f"{count} appointments"
    while True:
        text, ok = QInputDialog.getText(
            parent, "Reason for cancelling",
            f"Why is {record.display_name}'s {noun} being cancelled?\n"
            "(kept with each cancelled appointment)",
            QLineEdit.EchoMode.Normal, "Patient archived",
        )
        if not ok:
            return None
        if text.strip():
            return text.strip()


def cancel_all(ctx: AppContext, appointments: Sequence[AppointmentView], reason: str,
               tz: tzinfo) -> tuple[int, str | None]:
    """Cancel each visit in turn; (how many were cancelled, why the first refusal happened)."""
    done = 0
    for appt in appointments:
        try:
            cancel(ctx.db, appt.id, reason, now=ctx.clock(), expected_version=appt.version)
        except FrontdeskError as exc:
            return done, f"The appointment on {describe(appt, tz)} could not be cancelled: {exc}"
        done += 1
    return done, None


def cancel_then_archive(
    ctx: AppContext,
    record: PatientRecord,
    refusal: PatientStillBooked,
    tz: tzinfo,
    *,
    choose: Callable[[PatientRecord, PatientStillBooked], bool],
    reason_for: Callable[[PatientRecord, int], str | None],
    archive: Callable[[], PatientRecord],
    warn: Callable[[str], None],
) -> PatientRecord | None:
    """Run the offer until archived (the record) or given up (None, with ``warn`` told why).

    A visit booked while the questions were open makes the archive refuse again; the offer is
    then repeated with the new list.
    """
    while True:
        if not choose(record, refusal):
            return None
        reason = reason_for(record, len(refusal.appointments))
        if reason is None:
            return None
        done, problem = cancel_all(ctx, refusal.appointments, reason, tz)
        if problem is not None:
            kept = f" {done} other appointment{'s were' if done != 1 else ' was'} cancelled." \
                if done else ""
            warn(f"{problem}\n\n{record.display_name} was not archived.{kept}")
            return None
        try:
            return archive()
        except PatientStillBooked as again:
            refusal = again
