"""The side panel with everything about the selected patient, and the buttons to act on them.

Read-only: editing happens in the patient dialog, so there is one place where typing is
checked. The panel is handed a ``PatientRecord``; it never queries the database itself.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QSize, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from frontdesk.names import display_name
from frontdesk.patients import PatientRecord, chart_number
from frontdesk.ui import qtbits, theme
from frontdesk.ui.formatting import age_on, format_date, format_health_number, format_long_date

_ROWS = (
    ("Chart", "chart"),
    ("Born", "birth"),
    ("Phone", "phone_display"),
    ("Other phone", "phone_alt_display"),
    ("Email", "email"),
    ("Address", "address"),
    ("Health number", "health"),
    ("Emergency contact", "emergency_contact"),
    ("Referred by", "referral_source"),
    ("Notes", "notes"),
)


MIN_WIDTH = 300


class PatientDetails(QFrame):
    """Details of one patient with Edit and Archive/Restore buttons.

    Signals:
        edit_requested(int): the user wants to edit this patient.
        archive_requested(int): the user wants to archive this patient.
        restore_requested(int): the user wants to bring this archived patient back.
    """

    edit_requested = Signal(int)
    archive_requested = Signal(int)
    restore_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailsPanel")
        self.record: PatientRecord | None = None
        self._stack = QStackedLayout(self)
        empty = qtbits.label("Select a patient to see their details.", name="emptyState")
        empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        empty.setWordWrap(True)
        self._stack.addWidget(empty)

        body = QWidget()
        lay = QVBoxLayout(body)
        lay.setContentsMargins(18, 16, 18, 16)
        lay.setSpacing(8)
        # Patient data is shown as typed, never interpreted as HTML.
        self.name = qtbits.label(name="pageTitle", wrap=True, text_format=Qt.TextFormat.PlainText)
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.name)
        self.goes_by = qtbits.label(name="muted", text_format=Qt.TextFormat.PlainText)
        lay.addWidget(self.goes_by)
        self.archived = qtbits.label("Archived", name="archivedBadge")
        lay.addWidget(self.archived, alignment=Qt.AlignmentFlag.AlignLeft)
        self.fields: dict[str, QLabel] = {}
        self._form = form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        form.setVerticalSpacing(1)
        for caption, key in _ROWS:
            value = QLabel(wordWrap=True, textFormat=Qt.TextFormat.PlainText)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label = qtbits.label(caption, name="detailLabel")
            form.addRow(label, value)
            self.fields[key] = value
        lay.addLayout(form)
        self.registered = qtbits.label(name="muted", wrap=True)
        lay.addWidget(self.registered)
        self._body = lay
        lay.addStretch(1)
        buttons = QHBoxLayout()
        self.edit_button = QPushButton(theme.icon("edit"), "Edit…")
        self.edit_button.setToolTip("Edit this patient (Enter)")
        self.archive_button = QPushButton(theme.icon("archive"), "Archive…")
        self.restore_button = QPushButton(theme.icon("restore"), "Restore")
        buttons.addWidget(self.edit_button)
        buttons.addStretch(1)
        buttons.addWidget(self.archive_button)
        buttons.addWidget(self.restore_button)
        lay.addLayout(buttons)
        self._scroll = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        self._stack.addWidget(scroll)
        self._connect_signals()

    def minimumSizeHint(self) -> QSize:
        """Never narrower than what it shows (the hub's buttons side by side, beside the
        scroll bar): a panel that scrolls sideways hides its right edge."""
        hint = super().minimumSizeHint()
        body = qtbits.must(self._scroll.widget()).minimumSizeHint().width()
        bar = self._scroll.verticalScrollBar().sizeHint().width()
        return QSize(
            max(MIN_WIDTH, hint.width(), body + bar + 2 * self.frameWidth()), hint.height()
        )

    def add_under_name(self, widget: QWidget) -> None:
        """Place a one-line summary (the balance owing) right under the patient's name."""
        self._body.insertWidget(self._body.indexOf(self.goes_by) + 1, widget)

    def add_hub(self, hub: QWidget) -> None:
        """Place the patient hub (actions, visits, courses, plans) under the details."""
        self._body.insertWidget(self._body.indexOf(self.registered) + 1, hub)

    def _connect_signals(self) -> None:
        self.edit_button.clicked.connect(self._on_edit)
        self.archive_button.clicked.connect(self._on_archive)
        self.restore_button.clicked.connect(self._on_restore)

    def show_patient(self, record: PatientRecord | None, today: date) -> None:
        """Show ``record`` (None shows the "select a patient" hint)."""
        self.record = record
        if record is None:
            self._stack.setCurrentIndex(0)
            return
        self._stack.setCurrentIndex(1)
        self.name.setText(display_name(record.given_name, record.family_name))
        values = {
            "chart": chart_number(record.id),
            "birth": f"{format_long_date(record.date_of_birth)} "
            f"({format_date(record.date_of_birth)}), age {age_on(record.date_of_birth, today)}",
            "phone_display": record.phone_display,
            "phone_alt_display": record.phone_alt_display,
            "email": record.email,
            "address": record.address,
            "health": format_health_number(record.health_number),
            "emergency_contact": record.emergency_contact_display,
            "referral_source": record.referral_source,
            "notes": record.notes,
        }
        goes_by = record.preferred_name and record.preferred_name != record.given_name
        self.goes_by.setText(f"Goes by {record.preferred_name}" if goes_by else "")
        self.goes_by.setVisible(bool(goes_by))
        for row, (key, label) in enumerate(self.fields.items()):
            label.setText(values[key])
            self._form.setRowVisible(row, bool(values[key]))  # no rows of dashes
        self.archived.setVisible(record.archived)
        self.archive_button.setVisible(not record.archived)
        self.restore_button.setVisible(record.archived)
        self.registered.setText(
            f"Registered {format_date(record.created_at.date())} · "
            f"last changed {format_date(record.updated_at.date())}"
        )

    @Slot()
    def _on_edit(self) -> None:
        if self.record is not None:
            self.edit_requested.emit(self.record.id)

    @Slot()
    def _on_archive(self) -> None:
        if self.record is not None:
            self.archive_requested.emit(self.record.id)

    @Slot()
    def _on_restore(self) -> None:
        if self.record is not None:
            self.restore_requested.emit(self.record.id)
