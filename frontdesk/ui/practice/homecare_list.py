"""The home-care checklist: the library's advice for the chosen conditions, edited per patient.

Choosing a condition ticks its default advice; the practitioner unticks what does not suit this
patient, ticks other library items, or types advice of their own. A tick or untick made by hand
is remembered, so changing the condition afterwards does not silently undo it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from frontdesk.plans import ConditionChoice, HomecareLibrary

ID_ROLE = Qt.ItemDataRole.UserRole


class HomecareChecklist(QWidget):
    """Checkable advice items; ``value()`` is the ticked ids (or own texts) in list order.

    Signals:
        changed(): an item was ticked, unticked or added.
    """

    changed = Signal()

    def __init__(self, library: HomecareLibrary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self._defaults: tuple[str, ...] = ()
        self._touched: set[str] = set()
        self._filling = False
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setMinimumHeight(200)
        self.own = QLineEdit(placeholderText="Add advice of your own for this patient\u2026")
        self.add_button = QPushButton("Add")
        add_row = QHBoxLayout()
        add_row.addWidget(self.own, 1)
        add_row.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list, 1)
        layout.addLayout(add_row)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.list.itemChanged.connect(self._on_item_changed)
        self.add_button.clicked.connect(self.add_own_item)
        self.own.returnPressed.connect(self.add_own_item)

    # -- content ------------------------------------------------------------------------------
    def value(self) -> tuple[str, ...]:
        return tuple(
            self.list.item(i).data(ID_ROLE)
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        )

    def item_ids(self) -> list[str]:
        return [self.list.item(i).data(ID_ROLE) for i in range(self.list.count())]

    def set_value(self, conditions: Iterable[ConditionChoice], ticked: Sequence[str]) -> None:
        """Show a stored plan: its ticks exactly, whatever the defaults say."""
        self._defaults = self.library.default_items(conditions)
        self._touched = set()
        self._rebuild(ticked)

    def set_conditions(self, conditions: Iterable[ConditionChoice]) -> None:
        """The conditions changed: tick new defaults, untick dropped ones, keep manual choices."""
        new = self.library.default_items(conditions)
        ticked = [
            i for i in self.value() if i in self._touched or i in new or i not in self._defaults
        ]
        ticked += [i for i in new if i not in ticked and i not in self._touched]
        self._defaults = new
        self._rebuild(ticked)

    def set_checked(self, item_id: str, checked: bool) -> None:
        """Tick or untick one item as a person would."""
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(ID_ROLE) == item_id:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    @Slot()
    def add_own_item(self) -> None:
        text = " ".join(self.own.text().split())
        if not text:
            return
        self.own.clear()
        if text in self.item_ids():
            self.set_checked(text, True)
            return
        self._touched.add(text)
        self._append(text, text, True, own=True)
        self.list.scrollToBottom()
        self.changed.emit()

    def _rebuild(self, ticked: Sequence[str]) -> None:
        """Defaults for the conditions first, then the rest of the library, then own advice."""
        order = list(self._defaults)
        order += [i for i in self.library.items if i not in order]
        order += [i for i in ticked if i not in order]
        self._filling = True
        self.list.clear()
        for item_id in order:
            own = item_id not in self.library.items
            self._append(item_id, self.library.item_text(item_id), item_id in ticked, own=own)
        self._filling = False

    def _append(self, item_id: str, text: str, checked: bool, *, own: bool) -> None:
        self._filling, was = True, self._filling
        item = QListWidgetItem(text)
        item.setData(ID_ROLE, item_id)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        if own:
            item.setToolTip("Advice written for this patient")
            font = item.font()
            font.setItalic(True)
            item.setFont(font)
        elif item_id in self._defaults:
            item.setToolTip("Suggested for the chosen condition")
        self.list.addItem(item)
        self._filling = was

    @Slot(QListWidgetItem)
    def _on_item_changed(self, item: QListWidgetItem) -> None:
        if self._filling:
            return
        self._touched.add(item.data(ID_ROLE))
        self.changed.emit()
