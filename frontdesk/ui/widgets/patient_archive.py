"""The questions asked when archiving a patient who still has visits booked ahead.

The patients service refuses to archive such a patient (``PatientStillBooked``) and lists the
visits; this module shows them and asks for one reason, and the patients service cancels them
and archives in one transaction, on a worker. If any cancellation is refused nothing changes and the message
names the appointment that stood in the way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import tzinfo

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget

from frontdesk.context import AppContext
from frontdesk.domain import FrontdeskError
from frontdesk.patients import PatientRecord, PatientStillBooked, cancel_visits_and_archive
from frontdesk.ui.dialogs.stranded import visit_lines
from frontdesk.ui.worker import run_query


@dataclass(frozen=True)
class Archived:
    """A patient just archived, and the visits ahead cancelled with it (ids, and the reason)."""

    record: PatientRecord
    cancelled: tuple[int, ...] = ()
    reason: str = ""


def ask_cancel_and_archive(
    parent: QWidget, record: PatientRecord, refusal: PatientStillBooked, tz: tzinfo
) -> bool:
    """Show the visits in the way; True for "Cancel them and archive", False for "Go back"."""
    box = QMessageBox(
        QMessageBox.Icon.Warning, "Appointments still booked", str(refusal), parent=parent
    )
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
            parent,
            "Reason for cancelling",
            f"Why is {record.display_name}'s {noun} being cancelled?\n"
            "(kept with each cancelled appointment)",
            QLineEdit.EchoMode.Normal,
            "Patient archived",
        )
        if not ok:
            return None
        if text.strip():
            return text.strip()


def cancel_then_archive(
    owner: QObject,
    ctx: AppContext,
    record: PatientRecord,
    refusal: PatientStillBooked,
    *,
    choose: Callable[[PatientRecord, PatientStillBooked], bool],
    reason_for: Callable[[PatientRecord, int], str | None],
    warn: Callable[[str], None],
    done: Callable[[Archived], None],
    not_done: Callable[[], None],
) -> None:
    """Run the offer until archived (``done``) or given up (``not_done``, ``warn`` told why).

    The cancelling and the archiving are one service call, on a worker; if the visits changed
    while the questions were open, nothing was done and the offer is repeated with the visits
    as they now are.
    """
    if not choose(record, refusal):
        not_done()
        return
    reason = reason_for(record, len(refusal.appointments))
    if reason is None:
        not_done()
        return

    def refused(exc: Exception) -> None:
        if isinstance(exc, PatientStillBooked):
            cancel_then_archive(
                owner,
                ctx,
                record,
                exc,
                choose=choose,
                reason_for=reason_for,
                warn=warn,
                done=done,
                not_done=not_done,
            )
        elif isinstance(exc, FrontdeskError):
            warn(str(exc))
            not_done()
        else:
            raise exc

    db, clock, expected = ctx.db, ctx.clock, refusal.appointments
    run_query(
        owner,
        lambda: cancel_visits_and_archive(db, record.id, reason, now=clock(), expected=expected),
        lambda archived: done(Archived(archived, tuple(a.id for a in expected), reason)),
        refused,
    )
