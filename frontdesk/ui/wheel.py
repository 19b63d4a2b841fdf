"""The mouse wheel scrolls forms; it never changes a field the user did not pick.

Qt lets the wheel change any combo box, spin box or date field under the mouse. In a long
scrolling form (Settings, the plan editor) a receptionist scrolling down would then change
whatever passed under the pointer: the clinic's time zone became "Africa/Asmera" that way.
An unfocused field now hands the wheel on to the form around it, which scrolls; a field the
user clicked or tabbed into still takes it, as they expect.

The app's style (``theme._FrontdeskStyle.polish``) guards each such field as it is made, so
only their own events pass through here, not every event of the application.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QWidget


class _WheelGuard(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Wheel
            and isinstance(watched, QWidget)
            and not watched.hasFocus()
        ):
            # Ignored and filtered: QApplication passes an ignored wheel event on to the
            # parent widgets, so the scroll area around the field scrolls instead.
            event.ignore()
            return True
        return False


_guard: _WheelGuard | None = None


def guard_field(widget: QWidget) -> None:
    """Make ``widget`` (if it is a combo box or spin box) leave the wheel to its form unless
    it has the focus; the wheel no longer gives it the focus either."""
    global _guard
    if not isinstance(widget, QComboBox | QAbstractSpinBox):
        return
    if _guard is None:
        _guard = _WheelGuard()
    widget.removeEventFilter(_guard)  # polished again (a style change): guarded once
    widget.installEventFilter(_guard)
    if widget.focusPolicy() == Qt.FocusPolicy.WheelFocus:
        widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
