"""A Settings tab that lists records in a table with buttons for what can be done to them.

Practitioners, rooms, closures and appointment types all look and behave alike: whole-row
selection, Enter or double-click edits, buttons enabled for the selected row only. The list is
read on a worker (``Section.read``), a change to the selected record runs on one
(``change_selected``), and the add/edit dialogs save on one (``RecordDialog``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, tzinfo
from typing import Any, TypeVar

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from frontdesk.context import AppContext
from frontdesk.domain import FrontdeskError, ValidationError
from frontdesk.scheduling.dto import AppointmentView
from frontdesk.setup import StillBooked
from frontdesk.ui import qtbits
from frontdesk.ui.dialogs.base import FORM_KEY, FormDialog
from frontdesk.ui.settings.section import Section
from frontdesk.ui.worker import Latest

T = TypeVar("T")
Row = tuple[int, Sequence[str], bool]  # id, cell texts, greyed out (inactive)


def swatch(colour: str) -> QIcon:
    """A small square of a calendar colour, shown before a practitioner's or type's name."""
    pixmap = QPixmap(12, 12)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


def record_table(headers: Sequence[str]) -> QTableWidget:
    """A read-only, whole-row table in the app's list style."""
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setTabKeyNavigation(False)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(30)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return table


def fill_table(table: QTableWidget, rows: Sequence[Row]) -> None:
    """Replace the rows, keeping each record's id on its first cell."""
    table.setRowCount(len(rows))
    grey = QColor("#8a979f")
    for r, (row_id, cells, inactive) in enumerate(rows):
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, row_id)
            if inactive:
                item.setForeground(grey)
            table.setItem(r, c, item)


class ListSection(Section):
    """A table of records and a row of buttons under it."""

    def __init__(
        self,
        ctx: AppContext,
        intro: str,
        headers: Sequence[str],
        empty_text: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, intro, parent)
        self.table = record_table(headers)
        self._empty_text = empty_text
        self.empty = qtbits.label("Reading…", name="emptyState", wrap=True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # The table, or a line saying what to do when there is nothing in it yet (or that the
        # list is being read, or why it could not be).
        self.table_area = QStackedWidget()
        self.table_area.addWidget(self.table)
        self.table_area.addWidget(self.empty)
        self.table_area.setCurrentWidget(self.empty)
        self._changing = Latest()
        self.body.addWidget(self.table_area, 1)
        self.buttons = QHBoxLayout()
        self.body.addLayout(self.buttons)
        self._row_buttons: list[QPushButton] = []
        self.table.itemSelectionChanged.connect(self.update_buttons)
        self.table.activated.connect(self.activate)  # Enter or double-click

    def button(self, text: str, *, needs_row: bool = True, primary: bool = False) -> QPushButton:
        """A button in the row under the table; ``needs_row`` ones wait for a selection."""
        button = qtbits.button(text, name="primary" if primary else "")
        self.buttons.addWidget(button)
        if needs_row:
            self._row_buttons.append(button)
        return button

    def finish_buttons(self) -> None:
        self.buttons.addStretch(1)
        self.update_buttons()

    def set_rows(self, rows: Sequence[Row], select_id: int | None = None) -> None:
        keep = select_id if select_id is not None else self.selected_id()
        fill_table(self.table, rows)
        self.empty.setText(self._empty_text)
        self.table_area.setCurrentWidget(self.table if rows or not self._empty_text else self.empty)
        for r in range(self.table.rowCount()):
            if qtbits.must(self.table.item(r, 0)).data(Qt.ItemDataRole.UserRole) == keep:
                self.table.selectRow(r)
        self.update_buttons()

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return rows[0].data(Qt.ItemDataRole.UserRole) if rows else None

    def select_id(self, row_id: int) -> None:
        for r in range(self.table.rowCount()):
            if qtbits.must(self.table.item(r, 0)).data(Qt.ItemDataRole.UserRole) == row_id:
                self.table.selectRow(r)

    @Slot()
    def update_buttons(self) -> None:
        has_row = self.selected_id() is not None
        for button in self._row_buttons:
            button.setEnabled(has_row)

    def open_dialog(self, row_id: int | None) -> QDialog:
        """The add (``None``) or edit dialog, not yet shown; its ``saved`` is the result."""
        raise NotImplementedError

    @Slot()
    def add(self) -> None:
        self.run_dialog(self.open_dialog(None))

    @Slot()
    def activate(self) -> None:
        """Enter, double-click or Edit… on a row opens its edit dialog."""
        chosen = self.selected_id()
        if chosen is not None:
            self.run_dialog(self.open_dialog(chosen))

    def run_dialog(self, dialog: QDialog) -> None:
        """Show the dialog; once saved, list the record again, selected."""
        saved = getattr(dialog, "saved", None) if dialog.exec() else None
        if saved is not None:
            self.reload(saved.id)
            self.status_message.emit(self.saved_message(saved))

    def saved_message(self, saved: Any) -> str:
        """The status bar line after a dialog saved ``saved`` (a record's DTO)."""
        return f"Saved {getattr(saved, 'display_name', None) or getattr(saved, 'name', '')}."

    def reload(self, select_id: int | None = None) -> None:
        """List the records again (on a worker), keeping (or moving) the selection."""

    def say_read_failed(self, message: str) -> None:
        self.empty.setText(message)
        self.table_area.setCurrentWidget(self.empty)

    def tell(self, title: str, message: str) -> None:
        """Explain a refusal (e.g. bookings still ahead); tests replace this."""
        QMessageBox.information(self, title, message)

    def change_selected(self, action: Callable[[int], T], done: Callable[[T], None]) -> None:
        """Run ``action(id)`` (a service call on plain values) for the selected record on a
        worker, then ``done(result)``; a refusal is explained, not raised. A click while a
        change is still under way does nothing."""
        chosen = self.selected_id()
        if chosen is None or self._changing.running:
            return
        self._changing.run(self, lambda: action(chosen), done, self.refused)

    def refused(self, exc: Exception) -> None:
        """A change the service refused: say why, and show the records as they are."""
        if isinstance(exc, StillBooked):
            self.tell("Still booked", str(exc))
        elif isinstance(exc, FrontdeskError):
            self.tell("Not changed", str(exc))
            self.reload()
        else:
            raise exc


class RecordDialog(FormDialog):
    """An add or edit dialog of a list tab: ``saved`` is the record once the service took it.

    ``save_record(call)`` runs the service call on a worker; the dialog closes when it
    answers, or shows the refusal at the fields it names and stays open.
    """

    saved: Any = None
    tz: tzinfo = UTC  # the clinic's, read with the visits a change would strand

    def save_record(self, call: Callable[[], Any]) -> None:
        self.save_on_worker(call, self._took, self.refused)

    def _took(self, record: Any) -> bool:
        self.saved = record
        return True

    def refused(self, exc: FrontdeskError) -> None:
        self.show_errors(exc.errors if isinstance(exc, ValidationError) else {FORM_KEY: str(exc)})

    def check_then_save(
        self,
        check: Callable[[], tuple[list[AppointmentView], tzinfo]],
        write: Callable[[], Any],
    ) -> None:
        """Run ``check`` (the booked visits the change would strand, and the clinic's zone to
        list them in) on a worker; unless ``confirm_stranded`` goes back, save with ``write``."""

        def checked(found: tuple[list[AppointmentView], tzinfo]) -> bool:
            stranded, self.tz = found
            if not stranded or self.confirm_stranded(stranded):
                self.save_record(write)
            return False  # open until the record is saved

        self.save_on_worker(check, checked, self.refused)

    def confirm_stranded(self, stranded: list[AppointmentView]) -> bool:
        """Booked visits would be stranded (listed in ``self.tz``): True to save anyway."""
        raise NotImplementedError
