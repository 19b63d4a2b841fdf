"""The Appointment types tab: what can be booked, for how long, and in which colour."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from frontdesk.context import AppContext
from frontdesk.domain import Discipline
from frontdesk.scheduling import list_appointment_types
from frontdesk.scheduling.dto import AppointmentTypeView
from frontdesk.setup import AppointmentTypeInput, add_appointment_type, update_appointment_type
from frontdesk.ui import qtbits
from frontdesk.ui.settings.colour import ColourEdit
from frontdesk.ui.settings.list_section import ListSection, RecordDialog, swatch


class TypeDialog(RecordDialog):
    """A type's name, length, colour, whether it needs a room, and who gives it."""

    def __init__(
        self, ctx: AppContext, kind: AppointmentTypeView | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            "Add appointment type" if kind is None else "Edit appointment type", parent
        )
        self.ctx = ctx
        self.kind = kind
        self.saved: AppointmentTypeView | None = None
        body = QWidget()
        form = QFormLayout(body)
        form.setContentsMargins(0, 0, 0, 0)
        self.name = QLineEdit(maxLength=80, placeholderText="Cupping")
        self.name.setMinimumWidth(280)
        self.duration = QSpinBox(minimum=5, maximum=480, singleStep=5, suffix=" min")
        self.colour = ColourEdit()
        self.needs_room = QCheckBox("Needs a treatment room")
        self.discipline = QComboBox()
        self.discipline.addItem("Any practitioner", None)
        for discipline in Discipline:
            self.discipline.addItem(f"{discipline.label} only", discipline.value)
        self.add_row(form, "&Name", "name", self.name)
        self.add_row(form, "&Length", "duration_minutes", self.duration)
        self.add_row(form, "Calendar c&olour", "colour", self.colour, self.colour.edit)
        self.add_row(form, "", "needs_room", self.needs_room)
        self.add_row(form, "&Given by", "discipline", self.discipline)
        self.set_body(body)
        self._fill()
        self.duration.valueChanged.connect(self._mark_dirty)
        self.needs_room.toggled.connect(self._mark_dirty)
        self.colour.changed.connect(self._mark_dirty)

    def _fill(self) -> None:
        kind = self.kind
        self.name.setText(kind.name if kind else "")
        self.duration.setValue(kind.duration_minutes if kind else 30)
        self.colour.set_text(kind.colour if kind else "#7aa6d6")
        self.needs_room.setChecked(kind.needs_room if kind else True)
        value = kind.discipline.value if kind and kind.discipline else None
        self.discipline.setCurrentIndex(max(0, self.discipline.findData(value)))
        self.mark_clean()

    def data(self) -> AppointmentTypeInput:
        value = self.discipline.currentData()
        return AppointmentTypeInput(
            self.name.text(),
            self.duration.value(),
            self.colour.text(),
            self.needs_room.isChecked(),
            Discipline(value) if value else None,
        )

    def save(self) -> bool:
        db, data = self.ctx.db, self.data()
        kind_id = self.kind.id if self.kind is not None else None
        if kind_id is None:
            self.save_record(lambda: add_appointment_type(db, data))
        else:
            self.save_record(lambda: update_appointment_type(db, kind_id, data))
        return False


class TypesTab(ListSection):
    """Edit the lengths and colours of what reception books, or add a new kind."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            "What reception can book. A new length applies to new bookings; "
            "appointments already booked keep theirs.",
            ("Type", "Length", "Room", "Given by"),
            parent=parent,
        )
        self.add_button = self.button("&Add type…", needs_row=False, primary=True)
        self.edit_button = self.button("&Edit…")
        self.finish_buttons()
        self._types: dict[int, AppointmentTypeView] = {}
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.activate)

    def reload(self, select_id: int | None = None) -> None:
        db = self.ctx.db
        self.read(
            lambda: list_appointment_types(db),
            lambda kinds: self._show(kinds, select_id),
            "The appointment types",
        )

    def _show(self, kinds: list[AppointmentTypeView], select_id: int | None) -> None:
        self._types = {k.id: k for k in kinds}
        self.set_rows(
            [
                (
                    k.id,
                    (
                        k.name,
                        f"{k.duration_minutes} min",
                        "Yes" if k.needs_room else "No",
                        f"{k.discipline.label} only" if k.discipline else "Anyone",
                    ),
                    False,
                )
                for k in kinds
            ],
            select_id,
        )
        for r, k in enumerate(kinds):
            qtbits.must(self.table.item(r, 0)).setIcon(swatch(k.colour))

    def open_dialog(self, row_id: int | None) -> TypeDialog:
        return TypeDialog(self.ctx, self._types.get(row_id or 0), self)
