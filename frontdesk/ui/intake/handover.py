"""Handing the screen to a patient: full screen, large text, big targets for a finger.

Reception turns a form window into this mode (F11, or the button) before giving a tablet or a
second screen to the patient; Escape or F11 gives the desk its window back. The style is set on
the window alone, so the rest of the app keeps its normal size.
"""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QWidget

LARGE_STYLE = """
QWidget { font-size: 19pt; }
QLabel#pageTitle { font-size: 28pt; }
QLabel#questionLabel { font-size: 21pt; font-weight: 600; }
QLabel#sectionTitle { font-size: 24pt; }
QLabel#fieldError { font-size: 17pt; }
QRadioButton { padding: 8px 18px 8px 0; }
QRadioButton::indicator { width: 30px; height: 30px; }
QLineEdit { padding: 10px 12px; }
QPushButton { padding: 10px 20px; }
"""


def set_handover(window: QWidget, on: bool, button: QAbstractButton, *desk_only: QWidget) -> None:
    """Full screen with large text (``on``), or the window as the desk uses it. ``button``
    (the one that switches) says what it does next; ``desk_only`` widgets hide meanwhile."""
    window.setStyleSheet(LARGE_STYLE if on else "")
    button.setText(TAKE_BACK if on else HAND_OVER)
    for widget in desk_only:
        widget.setVisible(not on)
    window.setProperty("handover", on)
    if on:
        window.showFullScreen()
    else:
        window.showNormal()


HAND_OVER = "Hand to patient (F11)"
TAKE_BACK = "Back to the desk (F11)"
HAND_OVER_TIP = "Full screen with large text, for the patient on a tablet or second screen"


def in_handover(window: QWidget) -> bool:
    return bool(window.property("handover"))
