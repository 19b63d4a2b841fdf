"""Settings, read-only for now: what the clinic is set up as, so staff can check it.

Editing clinic details, hours, practitioners and rooms comes later; this page already shows the
values every booking and printout uses, read fresh each time the page is opened.
"""

from __future__ import annotations

import calendar

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QFormLayout, QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from frontdesk.clinic import ClinicInfo, get_clinic
from frontdesk.context import AppContext
from frontdesk.ui.widgets.page import Page


class SettingsPage(Page):
    """The clinic's settings shown as a read-only form."""

    def __init__(self, ctx: AppContext, undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(ctx, undo_stack, parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(28, 22, 28, 22)
        outer.setSpacing(6)
        outer.addWidget(QLabel("Settings", objectName="pageTitle"))
        outer.addWidget(
            QLabel(
                "How this clinic is set up. Changing these from here is coming soon; "
                "until then they are shown for checking only.",
                objectName="pageSubtitle",
                wordWrap=True,
            )
        )
        row = QHBoxLayout()
        row.setSpacing(16)
        self._clinic_form = QFormLayout()
        self._hours_form = QFormLayout()
        row.addWidget(self._card("Clinic", self._clinic_form), 3)
        row.addWidget(self._card("Opening hours", self._hours_form), 2)
        outer.addSpacing(10)
        outer.addLayout(row)
        outer.addStretch(1)

    @staticmethod
    def _card(title: str, form: QFormLayout) -> QFrame:
        card = QFrame(objectName="card")
        lay = QVBoxLayout(card)
        lay.setContentsMargins(20, 16, 20, 18)
        lay.addWidget(QLabel(title, objectName="sectionTitle"))
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setHorizontalSpacing(16)
        form.setVerticalSpacing(8)
        lay.addLayout(form)
        lay.addStretch(1)
        return card

    def activated(self) -> None:
        self._show(get_clinic(self.ctx.db))

    def _show(self, clinic: ClinicInfo) -> None:
        for form in (self._clinic_form, self._hours_form):
            while form.rowCount():
                form.removeRow(0)
        rows = [
            ("Name", clinic.name),
            ("Address", clinic.address),
            ("Phone", clinic.phone),
            ("Email", clinic.email),
            ("Time zone", clinic.timezone),
            ("Holidays of", clinic.province),
            ("Optional holidays closed", ", ".join(clinic.closed_optional_holidays) or "None"),
            ("Handout paper size", clinic.page_size.value),
            ("Logo", "Set" if clinic.logo_png else "Not set"),
        ]
        for label, value in rows:
            field = QLabel(value or "—", wordWrap=True, textFormat=Qt.TextFormat.PlainText)
            field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self._clinic_form.addRow(f"{label}:", field)
        for weekday in range(7):
            hours = clinic.opening_hours.get(weekday)
            text = f"{hours[0]:%H:%M} – {hours[1]:%H:%M}" if hours else "Closed"
            self._hours_form.addRow(f"{calendar.day_name[weekday]}:", QLabel(text))
