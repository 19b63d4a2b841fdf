"""The two small questions the calendar asks: why is this cancelled, and where does it move to.

Both hand the answer to a callable that goes through the scheduling service, run on a worker
(``FormDialog.save_on_worker``); a refusal comes back as a message under the field (the dialog
stays open), so the rules stay in the service. What the callable returned is ``outcome``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, time
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QWidget,
)

from frontdesk.domain import BookingError, FrontdeskError, ValidationError
from frontdesk.scheduling import AppointmentView, PractitionerView
from frontdesk.scheduling.localtime import to_utc
from frontdesk.timefmt import fmt_long_date, fmt_span, fmt_time
from frontdesk.ui.dialogs.base import FormDialog
from frontdesk.ui.qtbits import must, py_date

COMMON_REASONS = (
    "Patient called: unwell",
    "Patient called: schedule conflict",
    "Weather or travel",
    "Practitioner unavailable",
    "Booked in error",
)


def _messages(exc: FrontdeskError, default_field: str) -> dict[str, str]:
    if isinstance(exc, ValidationError):
        return dict(exc.errors)
    if isinstance(exc, BookingError) and exc.field:
        return {exc.field: str(exc)}
    return {default_field: str(exc)}


def _summary(appt: AppointmentView, tz: ZoneInfo) -> str:
    start = appt.start.astimezone(tz)
    return (
        f"<b>{appt.patient_name}</b><br>{appt.type_name} with {appt.practitioner_name}<br>"
        f"{fmt_long_date(start.date())}, {fmt_span(appt.start, appt.end, tz)}"
    )


class CancelDialog(FormDialog):
    """Ask for the reason; the appointment is cancelled only when the service accepts it."""

    def __init__(
        self,
        parent: QWidget | None,
        appointment: AppointmentView,
        tz: ZoneInfo,
        apply: Callable[[str], object],
    ) -> None:
        super().__init__("Cancel appointment", parent)
        self._apply = apply
        self.reason = ""
        self.outcome: object = None
        body = QWidget()
        form = QFormLayout(body)
        form.addRow(QLabel(_summary(appointment, tz)))
        self.reason_box = QComboBox()
        self.reason_box.setEditable(True)
        self.reason_box.addItems(COMMON_REASONS)
        self.reason_box.setCurrentIndex(-1)
        must(self.reason_box.lineEdit()).setPlaceholderText("Why is it cancelled? (kept on record)")
        self.reason_box.setMinimumWidth(320)
        self.add_row(form, "&Reason:", "reason", self.reason_box)
        self.set_body(body)
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setText("Cancel appointment")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Keep appointment")
        self.reason_box.setFocus()

    def save(self) -> bool:
        reason, apply = self.reason_box.currentText().strip(), self._apply

        def saved(outcome: object) -> bool:
            self.reason, self.outcome = reason, outcome
            return True

        def refused(exc: FrontdeskError) -> None:
            messages = _messages(exc, "reason")
            self.show_errors(
                {
                    ("reason" if key in ("reason", "cancellation_reason") else key): msg
                    for key, msg in messages.items()
                }
            )

        self.save_on_worker(lambda: apply(reason), saved, refused)
        return False

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        appointment: AppointmentView,
        tz: ZoneInfo,
        apply: Callable[[str], object],
    ) -> tuple[str, object] | None:
        """The reason the appointment was cancelled with and what ``apply`` returned, or None
        if it was kept."""
        dialog = cls(parent, appointment, tz, apply)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return dialog.reason, dialog.outcome
        finally:
            dialog.deleteLater()


class RescheduleDialog(FormDialog):
    """Pick a new day, time and practitioner; the move happens when the service accepts it."""

    def __init__(
        self,
        parent: QWidget | None,
        appointment: AppointmentView,
        tz: ZoneInfo,
        practitioners: Sequence[PractitionerView],
        apply: Callable[[datetime, int], object],
        *,
        first_minute: int = 7 * 60,
        last_minute: int = 21 * 60,
    ) -> None:
        super().__init__("Reschedule appointment", parent)
        self._apply = apply
        self._tz = tz
        self.outcome: object = None
        start = appointment.start.astimezone(tz)
        body = QWidget()
        form = QFormLayout(body)
        form.addRow(QLabel(_summary(appointment, tz)))
        self.date_edit = QDateEdit(QDate(start.year, start.month, start.day))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("ddd d MMM yyyy")
        self.add_row(form, "&Day:", "date", self.date_edit)
        self.time_box = QComboBox()
        for minute in range(first_minute, last_minute, 15):
            self.time_box.addItem(f"{minute // 60:02d}:{minute % 60:02d}", minute)
        here = self.time_box.findData(start.hour * 60 + start.minute)
        if here < 0:
            self.time_box.addItem(fmt_time(start), start.hour * 60 + start.minute)
            here = self.time_box.count() - 1
        self.time_box.setCurrentIndex(here)
        self.add_row(form, "&Time:", "start", self.time_box)
        self.practitioner_box = QComboBox()
        for p in practitioners:
            self.practitioner_box.addItem(p.display_name, p.id)
        self.practitioner_box.setCurrentIndex(
            max(0, self.practitioner_box.findData(appointment.practitioner_id))
        )
        self.add_row(form, "&Practitioner:", "practitioner_id", self.practitioner_box)
        self.set_body(body)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("Move appointment")
        self.time_box.setFocus()

    def chosen_start(self) -> datetime:
        day = py_date(self.date_edit.date())
        minute = int(self.time_box.currentData())
        return to_utc(day, time(minute // 60, minute % 60), self._tz)

    def save(self) -> bool:
        start, practitioner_id = self.chosen_start(), int(self.practitioner_box.currentData())
        apply = self._apply

        def saved(outcome: object) -> bool:
            self.outcome = outcome
            return True

        def refused(exc: FrontdeskError) -> None:
            messages = _messages(exc, "start")
            known = {"date", "start", "practitioner_id"}
            self.show_errors(
                {(key if key in known else "start"): msg for key, msg in messages.items()}
            )

        self.save_on_worker(lambda: apply(start, practitioner_id), saved, refused)
        return False

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        appointment: AppointmentView,
        tz: ZoneInfo,
        practitioners: Sequence[PractitionerView],
        apply: Callable[[datetime, int], object],
        **hours: int,
    ) -> tuple[object] | None:
        """What ``apply`` returned (in a 1-tuple) once the appointment was moved, or None if
        the dialog was closed; ``hours``: first_minute / last_minute offered."""
        dialog = cls(parent, appointment, tz, practitioners, apply, **hours)
        try:
            return (dialog.outcome,) if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()
