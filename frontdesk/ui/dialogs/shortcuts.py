"""Help ▸ Keyboard shortcuts: every shortcut of the window and of each page, in one list.

Built from the live actions and the pages' own lists, so a page added later documents its keys
by implementing ``Page.shortcuts()``.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from frontdesk.ui import qtbits

# (section, [(keys, what they do)])
ShortcutSections = Sequence[tuple[str, Sequence[tuple[str, str]]]]


class ShortcutsDialog(QDialog):
    """A read-only table of shortcuts grouped by where they work."""

    def __init__(self, sections: ShortcutSections, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(560, 520)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(20, 16, 20, 14)
        lay.addWidget(qtbits.label("Keyboard shortcuts", name="pageTitle"))
        rows = sum(len(items) + 1 for _title, items in sections if items)
        self.table = QTableWidget(rows, 2)
        self.table.setHorizontalHeaderLabels(["Keys", "Does"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setShowGrid(False)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.horizontalHeader().setDefaultAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        )
        row = 0
        for title, items in sections:
            if not items:
                continue
            heading = QTableWidgetItem(title)
            font = heading.font()
            font.setBold(True)
            heading.setFont(font)
            self.table.setItem(row, 0, heading)
            self.table.setSpan(row, 0, 1, 2)
            row += 1
            for keys, does in items:
                self.table.setItem(row, 0, QTableWidgetItem(keys))
                self.table.setItem(row, 1, QTableWidgetItem(does))
                row += 1
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        # A long explanation wraps onto as many lines as it needs, never ends in "…".
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        rows_header = self.table.verticalHeader()
        rows_header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        rows_header.setMinimumSectionSize(self.fontMetrics().height() + 10)
        lay.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def entries(self) -> list[tuple[str, str]]:
        """(keys, does) of every shortcut row, for tests and screen readers."""
        found = []
        for row in range(self.table.rowCount()):
            keys, does = self.table.item(row, 0), self.table.item(row, 1)
            if keys is not None and does is not None:
                found.append((keys.text(), does.text()))
        return found
