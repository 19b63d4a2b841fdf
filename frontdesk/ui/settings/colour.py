"""A calendar colour: the hex value to type and a swatch button that opens a colour picker."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QColorDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)


class ColourEdit(QWidget):
    """``#rrggbb`` in a short line edit, with a swatch showing it; Choose… picks visually.

    Signals:
        changed(): the colour was typed or picked.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit(maxLength=7, placeholderText="#4a7ab5")
        self.edit.setFixedWidth(110)
        self.swatch = QLabel()
        self.swatch.setFixedSize(28, 28)
        self.choose = QPushButton("Choose…", autoDefault=False)
        self.choose.setAccessibleName("Choose colour")
        row.addWidget(self.swatch)
        row.addWidget(self.edit)
        row.addWidget(self.choose)
        row.addStretch(1)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.edit.textChanged.connect(self._on_text)
        self.choose.clicked.connect(self._pick)

    def text(self) -> str:
        return self.edit.text().strip()

    def set_text(self, colour: str) -> None:
        self.edit.setText(colour)

    @Slot(str)
    def _on_text(self, text: str) -> None:
        colour = QColor(text) if len(text) == 7 else QColor()
        fill = colour.name() if colour.isValid() else "transparent"
        style = f"background: {fill}; border: 1px solid #c5d1d8; border-radius: 4px;"
        self.swatch.setStyleSheet(style)
        self.changed.emit()

    @Slot()
    def _pick(self) -> None:
        colour = QColorDialog.getColor(QColor(self.text()), self, "Calendar colour")
        if colour.isValid():
            self.edit.setText(colour.name())
