"""The home-care checklist: the library's advice for the chosen conditions, edited per patient.

Choosing a condition ticks its default advice; the practitioner unticks what does not suit this
patient, ticks other library items, or types advice of their own. A tick or untick made by hand
is remembered, so changing the condition afterwards does not silently undo it. A stored plan
shows its advice in the words it was saved with, even if the clinic has reworded or removed the
library item since; unticking such an item brings back the library's current words.
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

from frontdesk.plans import ConditionChoice, HomecareEntry, HomecareLibrary

KEY_ROLE = Qt.ItemDataRole.UserRole  # library id, or the text of the patient's own advice
ITEM_ROLE = Qt.ItemDataRole.UserRole + 1  # library id the advice came from, None for own advice


class HomecareChecklist(QWidget):
    """Checkable advice items; ``value()`` is the ticked advice as ``HomecareEntry`` values.

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
    def value(self) -> tuple[HomecareEntry, ...]:
        """The ticked advice in list order, each with the words shown (and printed)."""
        return tuple(
            HomecareEntry(item.text(), item.data(ITEM_ROLE))
            for item in self._items()
            if item.checkState() == Qt.CheckState.Checked
        )

    def item_ids(self) -> list[str]:
        """Each row's key: its library id, or the text of advice written for this patient."""
        return [item.data(KEY_ROLE) for item in self._items()]

    def set_value(
        self, conditions: Iterable[ConditionChoice], ticked: Sequence[HomecareEntry]
    ) -> None:
        """Show a stored plan: its ticks and their saved wording exactly, whatever the
        defaults and the library say now."""
        self._defaults = self.library.default_items(conditions)
        self._touched = set()
        self._rebuild(ticked)

    def set_conditions(self, conditions: Iterable[ConditionChoice]) -> None:
        """The conditions changed: tick new defaults, untick dropped ones, keep manual choices."""
        new = self.library.default_items(conditions)
        ticked = [
            e
            for e in self.value()
            if (k := _key(e)) in self._touched or k in new or k not in self._defaults
        ]
        keys = {_key(e) for e in ticked}
        ticked += [self.library.entry(i) for i in new if i not in keys and i not in self._touched]
        self._defaults = new
        self._rebuild(ticked)

    def set_checked(self, key: str, checked: bool) -> None:
        """Tick or untick one item (by library id or own text) as a person would."""
        for item in self._items():
            if item.data(KEY_ROLE) == key:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    @Slot()
    def add_own_item(self) -> None:
        text = " ".join(self.own.text().split())
        if not text:
            return
        self.own.clear()
        same = next((i for i in self._items() if text in (i.data(KEY_ROLE), i.text())), None)
        if same is not None:
            self.set_checked(same.data(KEY_ROLE), True)
            return
        self._touched.add(text)
        self._append(HomecareEntry(text), True)
        self.list.scrollToBottom()
        self.changed.emit()

    def _items(self) -> list[QListWidgetItem]:
        return [self.list.item(i) for i in range(self.list.count())]

    def _rebuild(self, ticked: Sequence[HomecareEntry]) -> None:
        """Defaults for the conditions first, then the rest of the library, then own advice."""
        chosen = {_key(e): e for e in ticked}
        order = list(self._defaults)
        order += [i for i in self.library.items if i not in order]
        order += [k for k in chosen if k not in order]
        self._filling = True
        self.list.clear()
        for key in order:
            self._append(chosen.get(key) or self.library.entry(key), key in chosen)
        self._filling = False

    def _append(self, entry: HomecareEntry, checked: bool) -> None:
        self._filling, was = True, self._filling
        item = QListWidgetItem(entry.text)
        item.setData(KEY_ROLE, _key(entry))
        item.setData(ITEM_ROLE, entry.item_id)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        item.setToolTip(self._tooltip(entry))
        if entry.item_id is None:
            font = item.font()
            font.setItalic(True)
            item.setFont(font)
        self.list.addItem(item)
        self._filling = was

    def _tooltip(self, entry: HomecareEntry) -> str:
        if entry.item_id is None:
            return "Advice written for this patient"
        current = self.library.items.get(entry.item_id)
        if current is None:
            return "No longer in the clinic's library; kept in the words it was saved with"
        if current.text != entry.text:
            return (
                "Saved with earlier wording. Untick and tick it again for the library's "
                f"current wording:\n{current.text}"
            )
        return "Suggested for the chosen condition" if entry.item_id in self._defaults else ""

    @Slot(QListWidgetItem)
    def _on_item_changed(self, item: QListWidgetItem) -> None:
        if self._filling:
            return
        current = self.library.items.get(item.data(ITEM_ROLE) or "")
        if item.checkState() == Qt.CheckState.Unchecked and current is not None:
            self._filling = True  # an unticked item offers the library's wording again
            item.setText(current.text)
            item.setToolTip(self._tooltip(self.library.entry(current.id)))
            self._filling = False
        self._touched.add(item.data(KEY_ROLE))
        self.changed.emit()


def _key(entry: HomecareEntry) -> str:
    """A row's identity: the library id, or the text of the patient's own advice."""
    return entry.item_id or entry.text
