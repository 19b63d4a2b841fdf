"""Sheets that hide a window's content while the desk is locked, leaving the window as it was.

A locked desk must show no health information, yet close nothing: a half-typed note stays in
its editor, an open dialog stays open (hiding a dialog would end it). So each window gets an
opaque child laid over all of its content, and a neutral title (the taskbar shows titles,
and a note's title names the patient); taking the cover off gives both back untouched.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from frontdesk.ui import qtbits

LOCKED_TITLE = "Frontdesk \u2013 locked"
# The sidebar's colour, set here rather than by the style sheet: a cover must be opaque even
# in a window the style sheet does not reach.
COVER_COLOUR = QColor("#1f3b4a")
TEXT_COLOUR = QColor("#dce7ed")
SAYS_WHY_FROM = (360, 160)  # a smaller window (a message box) is simply covered
_COVER = "lockCover"
# Windows of these kinds are covered; popups (menus, completions) and tool tips are closed.
_WINDOWS = frozenset({Qt.WindowType.Window, Qt.WindowType.Dialog, Qt.WindowType.Tool})


class Cover(QWidget):
    """An opaque sheet over the whole of one top-level window, kept on top and to size."""

    def __init__(self, window: QWidget, text: str) -> None:
        super().__init__(window)
        self.setObjectName(_COVER)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, COVER_COLOUR)
        palette.setColor(QPalette.ColorRole.WindowText, TEXT_COLOUR)
        self.setPalette(palette)
        self.setAutoFillBackground(True)
        self.caption = qtbits.label(text, wrap=True, align=Qt.AlignmentFlag.AlignCenter)
        # Over the window's own style sheet (a dialog's labels may be styled dark).
        self.caption.setStyleSheet(f"color: {TEXT_COLOUR.name()}; background: transparent;")
        font = self.caption.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.caption.setFont(font)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.caption)
        layout.addStretch(1)
        self._window = window
        self._title = window.windowTitle()
        self._retitling = False
        self._retitle(LOCKED_TITLE)
        self._fit()
        self.raise_()
        self.show()
        window.installEventFilter(self)

    def _fit(self) -> None:
        self.setGeometry(self._window.rect())
        wide, tall = SAYS_WHY_FROM
        self.caption.setVisible(self.width() >= wide and self.height() >= tall)

    def _retitle(self, title: str) -> None:
        self._retitling = True
        try:
            self._window.setWindowTitle(title)
        finally:
            self._retitling = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window:
            kind = event.type()
            if kind == QEvent.Type.Resize:
                self._fit()
            elif kind == QEvent.Type.ChildAdded:  # a part added while locked goes under
                self.raise_()
            elif kind == QEvent.Type.WindowTitleChange and not self._retitling:
                # The window renamed itself (a note got saved): keep that for later.
                title = self._window.windowTitle()
                if title != LOCKED_TITLE:
                    self._title = title
                    self._retitle(LOCKED_TITLE)
        return super().eventFilter(watched, event)

    def remove(self) -> None:
        """Give the window its content and title back."""
        self._window.removeEventFilter(self)
        self._retitle(self._title)
        self.hide()
        self.setParent(None)
        self.deleteLater()


def coverable(widget: QWidget) -> bool:
    """A visible top-level window whose content a lock must hide."""
    return widget.isWindow() and widget.isVisible() and widget.windowType() in _WINDOWS


def close_popups() -> None:
    """Close open menus, drop-down lists and tool tips (they would float over the lock)."""
    from PySide6.QtWidgets import QToolTip

    QToolTip.hideText()
    for _ in range(20):  # nested menus close one level at a time
        popup = QApplication.activePopupWidget()
        if popup is None:
            break
        popup.close()
