""" "When is the next free time?" — the question callers ask before they give a date.

A small chooser over ``frontdesk.scheduling.first_available``: the next free slots for one
appointment type, for this practitioner or anyone of the same discipline, filtered by time of
day, searched on a worker (``ui/worker.py``). Enter or a double-click takes the highlighted slot
back to the booking dialog.

It searches from now: a caller asking for the first free time means the first one, not the
first after the slot that happened to be clicked to open the booking form. When that slot lies
ahead, "From" offers it too, for "the first free time after next Tuesday".
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from frontdesk.context import AppContext
from frontdesk.domain import Discipline, FrontdeskError, TimeOfDay
from frontdesk.scheduling import PractitionerView, first_available
from frontdesk.scheduling import Slot as FreeSlot
from frontdesk.timefmt import fmt_day, fmt_short_when, fmt_slot, fmt_time
from frontdesk.ui.booking.common import ERROR_STYLE
from frontdesk.ui.worker import Latest

SLOT_COUNT = 10

TIME_OF_DAY_LABELS = {
    TimeOfDay.ANY: "Any time",
    TimeOfDay.MORNING: "Morning (before 12:00)",
    TimeOfDay.AFTERNOON: "Afternoon (12:00–17:00)",
    TimeOfDay.EVENING: "Evening (from 17:00)",
}


class FirstAvailableDialog(QDialog):
    """The next free slots, refreshed as the time-of-day or practitioner choice changes."""

    def __init__(
        self,
        parent: QWidget | None,
        ctx: AppContext,
        *,
        type_id: int,
        start_from: datetime,
        tz: ZoneInfo,
        slot_start: datetime | None = None,
        practitioners: list[PractitionerView],
        practitioner_id: int | None,
        patient_id: int | None = None,
        room_names: dict[int, str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("First available")
        self._ctx = ctx
        self._type_id = type_id
        self._tz = tz
        self._patient_id = patient_id
        self._rooms = room_names or {}
        self._names = {p.id: p.display_name for p in practitioners}
        self.slots: list[FreeSlot] = []
        self._search = Latest()

        # Kept here, not as item data, so they stay aware Python datetimes.
        self._starts = [start_from]
        self.start_choice = QComboBox()
        self.start_choice.addItem(f"Now ({fmt_short_when(start_from, tz)})")
        if slot_start is not None and slot_start > start_from:
            self._starts.append(slot_start)
            self.start_choice.addItem(f"The chosen time ({fmt_short_when(slot_start, tz)})")
        self.start_choice.setEnabled(len(self._starts) > 1)
        self.time_of_day = QComboBox()
        for value, label in TIME_OF_DAY_LABELS.items():
            self.time_of_day.addItem(label, value)
        self.scope = QComboBox()
        chosen = next((p for p in practitioners if p.id == practitioner_id), None)
        if chosen is not None:
            self.scope.addItem(f"Only {chosen.display_name}", ("practitioner", chosen.id))
            self.scope.addItem(
                f"Any {chosen.discipline.label.lower()} practitioner",
                ("discipline", chosen.discipline.value),
            )
        self.scope.addItem("Any practitioner", ("any", None))
        self.list = QListWidget()
        self.list.setMinimumSize(420, 260)
        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        self.buttons = QDialogButtonBox(  # a child from the start: sized in the window's style
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Use this time")
        ok.setMinimumWidth(ok.sizeHint().width() + 24)  # the bold primary style needs room

        form = QFormLayout()
        form.addRow("From:", self.start_choice)
        form.addRow("Time of day:", self.time_of_day)
        form.addRow("With:", self.scope)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        self.from_label = QLabel()
        layout.addWidget(self.from_label)
        layout.addWidget(self.list)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self._connect_signals()
        self.refresh()
        self.list.setFocus()

    def _connect_signals(self) -> None:
        self.start_choice.currentIndexChanged.connect(self.refresh)
        self.time_of_day.currentIndexChanged.connect(self.refresh)
        self.scope.currentIndexChanged.connect(self.refresh)
        self.list.itemActivated.connect(self._on_activated)
        self.list.currentRowChanged.connect(self._update_ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    @property
    def searching(self) -> bool:
        return self._search.running

    def start_from(self) -> datetime:
        """Where the search starts: now, or the booking form's time when that was chosen."""
        return self._starts[max(self.start_choice.currentIndex(), 0)]

    @Slot()
    def refresh(self) -> None:
        """Search on a worker for the choices as they stand; the list follows the answer."""
        kind, value = self.scope.currentData()
        start_from = self.start_from()
        self.from_label.setText(
            f"Free times from {fmt_day(start_from, self._tz)}, {fmt_time(start_from, self._tz)}:"
        )
        db, type_id, patient_id = self._ctx.db, self._type_id, self._patient_id
        time_of_day = TimeOfDay(self.time_of_day.currentData())
        self.slots = []
        self.list.clear()
        self._update_ok()

        def search() -> list[FreeSlot]:
            return first_available(
                db,
                type_id,
                start_from=start_from,
                count=SLOT_COUNT,
                practitioner_id=value if kind == "practitioner" else None,
                discipline=Discipline(value) if kind == "discipline" else None,
                time_of_day=time_of_day,
                patient_id=patient_id,
            )

        def failed(exc: Exception) -> None:
            if not isinstance(exc, FrontdeskError):
                raise exc
            self.message.setText(str(exc))
            self.message.setVisible(True)

        self._search.run(self, search, self._show_slots, failed)

    def _show_slots(self, slots: list[FreeSlot]) -> None:
        self.slots = slots
        self.message.setVisible(False)
        self.list.clear()
        for s in self.slots:
            where = [self._names.get(s.practitioner_id, ""), self._rooms.get(s.room_id or 0, "")]
            text = f"{fmt_slot(s.start, s.end, self._tz)}   " + " · ".join(w for w in where if w)
            self.list.addItem(QListWidgetItem(text))
        if not self.slots and not self.message.isVisible():
            self.message.setText("No free time found in the coming weeks for this choice.")
            self.message.setVisible(True)
        self.list.setCurrentRow(0 if self.slots else -1)
        self._update_ok()

    @Slot()
    def _update_ok(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(self.chosen() is not None)

    @Slot(QListWidgetItem)
    def _on_activated(self, _item: QListWidgetItem) -> None:
        self.accept()

    def chosen(self) -> FreeSlot | None:
        row = self.list.currentRow()
        return self.slots[row] if 0 <= row < len(self.slots) else None

    @classmethod
    def ask(cls, parent: QWidget | None, ctx: AppContext, **options: Any) -> FreeSlot | None:
        """Open the chooser modally (``options`` as for the constructor); the slot taken."""
        dlg = cls(parent, ctx, **options)
        dlg.setWindowModality(Qt.WindowModality.ApplicationModal)
        try:
            return dlg.chosen() if dlg.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dlg.deleteLater()
