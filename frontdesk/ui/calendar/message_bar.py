"""A slim bar above the calendar that says what just happened or why it could not.

A refused move or a failed undo must be explained where the receptionist is looking, not in a
modal box that interrupts the phone call; the bar stays until the next message or until closed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

_STYLES = {
    "error": "background:#fbe9e7; border:1px solid #f0c2bc; color:#7a1b14;",
    "info": "background:#e6f3f1; border:1px solid #b9dcd7; color:#17403e;",
}


class MessageBar(QFrame):
    """One line of text, coloured for information or refusal, with a close button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("calendarMessageBar")
        self.kind = "info"
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 4, 4)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QToolButton()
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip("Hide this message")
        close.clicked.connect(self.clear)
        layout.addWidget(self.label, 1)
        layout.addWidget(close)
        self.hide()

    def text(self) -> str:
        parent = self.parentWidget()
        shown = self.isVisibleTo(parent) if parent is not None else self.isVisible()
        return self.label.text() if shown else ""

    def show_message(self, text: str, kind: str = "info") -> None:
        self.kind = kind
        self.setStyleSheet(f"QFrame#calendarMessageBar {{ {_STYLES[kind]} border-radius:4px; }}")
        self.label.setStyleSheet(f"color:{'#7a1b14' if kind == 'error' else '#17403e'}; border:none;")
        self.label.setText(text)
        self.show()

    @Slot()
    def clear(self) -> None:
        self.label.clear()
        self.hide()
