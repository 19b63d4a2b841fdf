"""Small typed builders for the widgets the GUI makes over and over.

PySide6 accepts Qt properties as constructor keywords (``QLabel(text, objectName="muted",
wordWrap=True)``), but its type stubs do not describe most of them, so mypy rejects such
calls. The stub gap is handled here, in one place: each builder calls the setters, which the
stubs do know, and returns the widget with its exact type.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from typing import TypeVar

from PySide6.QtCore import QDate, QPoint, QRect, QSize, Qt, QTime
from PySide6.QtGui import QIcon, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import QDateEdit, QDialog, QLabel, QPushButton, QToolButton, QWidget

W = TypeVar("W", bound=QWidget)
T = TypeVar("T")


def must(value: T | None) -> T:
    """A Qt getter's result where the widget guarantees one (a layout set in ``__init__``,
    the line edit of an editable combo box, the item of an existing row).

    The stubs type such getters as optional; a ``None`` here is a bug in the GUI, so it fails
    loudly instead of being used.
    """
    if value is None:
        raise RuntimeError("Qt returned no object where the widget always has one")
    return value


def py_date(value: QDate) -> date:
    """A ``QDate`` as a ``datetime.date`` (``toPython()`` is typed ``object`` in the stubs)."""
    return date(value.year(), value.month(), value.day())


def py_time(value: QTime) -> time:
    """A ``QTime`` to the minute, as a naive wall-clock ``time``."""
    return time(value.hour(), value.minute())


def qdate(value: date) -> QDate:
    """A ``datetime.date`` as a ``QDate``."""
    return QDate(value.year, value.month, value.day)


def named(widget: W, name: str) -> W:
    """``widget`` with its object name (what the style sheet selects on)."""
    widget.setObjectName(name)
    return widget


def tip(widget: W, text: str) -> W:
    """``widget`` with a tool tip."""
    widget.setToolTip(text)
    return widget


def label(
    text: str = "",
    *,
    name: str = "",
    wrap: bool = False,
    align: Qt.AlignmentFlag | None = None,
    text_format: Qt.TextFormat | None = None,
) -> QLabel:
    """A label, optionally named for the style sheet, word-wrapped, aligned or plain text."""
    widget = QLabel(text)
    if name:
        widget.setObjectName(name)
    if wrap:
        widget.setWordWrap(True)
    if align is not None:
        widget.setAlignment(align)
    if text_format is not None:
        widget.setTextFormat(text_format)
    return widget


def button(
    text: str = "", *, name: str = "", tip: str = "", icon: QIcon | None = None
) -> QPushButton:
    """A push button, optionally named for the style sheet, with a tool tip or an icon."""
    widget = QPushButton(text) if icon is None else QPushButton(icon, text)
    if name:
        widget.setObjectName(name)
    if tip:
        widget.setToolTip(tip)
    return widget


def tool_button(text: str, *, tip: str = "", checkable: bool = False) -> QToolButton:
    """A tool button showing ``text``, optionally checkable."""
    widget = QToolButton()
    widget.setText(text)
    if tip:
        widget.setToolTip(tip)
    widget.setCheckable(checkable)
    return widget


def date_edit(value: QDate | None = None, *, display_format: str = "") -> QDateEdit:
    """A date field that drops down a calendar."""
    widget = QDateEdit() if value is None else QDateEdit(value)
    widget.setCalendarPopup(True)
    if display_format:
        widget.setDisplayFormat(display_format)
    return widget


def shortcut(
    keys: QKeySequence | QKeySequence.StandardKey, parent: QWidget, slot: Callable[[], object]
) -> QShortcut:
    """A keyboard shortcut on ``parent`` that calls ``slot``."""
    widget = QShortcut(keys, parent)
    widget.activated.connect(slot)
    return widget


# What a window manager adds around a window (title bar, borders), kept free of the screen.
WINDOW_FRAME = QSize(16, 48)


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    """Size a window ``width`` × ``height``, or as large as the screen it opens on allows, and
    place it over the window that opened it. Call it once the window's layout is built: a
    window is never made smaller than its layout's minimum.

    Sizes were chosen on a large screen: on a 768-pixel laptop the chart (780 pixels high) and
    the plan editor (860) opened with their bottom rows and buttons out of reach.
    """
    parent = window.parentWidget()
    owner = parent.window() if parent is not None else None
    screen = (owner if owner is not None else window).screen()
    room = screen.availableGeometry()
    size = QSize(
        min(width, room.width() - WINDOW_FRAME.width()),
        min(height, room.height() - WINDOW_FRAME.height()),
    ).expandedTo(window.minimumSizeHint().expandedTo(window.minimumSize()))
    window.resize(size)
    if isinstance(window, QDialog):
        return  # Qt centres a dialog over its window when it is shown, inside the screen
    area = owner.frameGeometry() if owner is not None and owner.isVisible() else room
    placed = QRect(QPoint(0, 0), size)
    placed.moveCenter(area.center())
    left = max(room.left(), min(placed.left(), room.right() - size.width()))
    top = max(room.top(), min(placed.top(), room.bottom() - size.height() - WINDOW_FRAME.height()))
    window.move(left, top)


class FittingLabel(QLabel):
    """A label with a long and a short wording: the long one while it fits, else the short.

    A heading such as "Tuesday 1 December 2026" is cut at 1024 pixels beside a full
    toolbar; "Tue 1 Dec 2026" says the same in the room there is.
    """

    def __init__(self, name: str = "") -> None:
        super().__init__()
        if name:
            self.setObjectName(name)
        self._long = self._short = ""

    def set_texts(self, long: str, short: str) -> None:
        changed = (long, short) != (self._long, self._short)
        self._long, self._short = long, short
        self.setToolTip(long)
        if changed:
            self.updateGeometry()
        self._fit()

    def _room_for(self, text: str) -> int:
        """The width that shows ``text`` whole (its advance and the label's margins)."""
        self.ensurePolished()  # the style sheet's font and padding
        margins = self.width() - self.contentsRect().width()
        return self.fontMetrics().horizontalAdvance(text) + margins

    def sizeHint(self) -> QSize:
        """Room for the long wording: a layout gives it that much when it can."""
        return QSize(self._room_for(self._long), super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:
        """Room for the short wording, never less: the heading is never cut."""
        return QSize(self._room_for(self._short or self._long), super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        room = self.contentsRect().width()
        fits = self.fontMetrics().horizontalAdvance(self._long) <= room
        text = self._long if fits or not self._short else self._short
        if text != self.text():
            self.setText(text)
