"""A slim bar above the calendar that says what just happened or why it could not.

A refused move or a failed undo must be explained where the receptionist is looking, not in a
modal box that interrupts the phone call; the bar stays until the next message or until closed.
It floats over the top of the calendar (``float_over``) instead of taking a row of the layout,
so a message never pushes the grid down under the mouse in the middle of a drag.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Slot
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
        self._top: int | None = None  # set by float_over
        self.hide()

    def float_over(self, widget: QWidget, top: int = 0) -> None:
        """Lie over ``widget``, ``top`` pixels from its top edge, following its size."""
        self.setParent(widget)
        self._top = top
        widget.installEventFilter(self)
        self._place()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self._place()
        return False

    def _place(self) -> None:
        parent = self.parentWidget()
        if parent is None or self._top is None:
            return
        width = max(100, parent.width() - 24)
        height = self.heightForWidth(width) if self.hasHeightForWidth() else -1
        self.setGeometry(12, self._top, width, max(height, self.sizeHint().height()))
        self.raise_()

    def text(self) -> str:
        parent = self.parentWidget()
        shown = self.isVisibleTo(parent) if parent is not None else self.isVisible()
        return self.label.text() if shown else ""

    def show_message(self, text: str, kind: str = "info") -> None:
        self.kind = kind
        self.setStyleSheet(f"QFrame#calendarMessageBar {{ {_STYLES[kind]} border-radius:4px; }}")
        self.label.setStyleSheet(
            f"color:{'#7a1b14' if kind == 'error' else '#17403e'}; border:none;"
        )
        self.label.setText(text)
        self._place()
        self.show()

    @Slot()
    def clear(self) -> None:
        self.label.clear()
        self.hide()
