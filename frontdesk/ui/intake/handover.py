"""Handing the screen to a patient: full screen, large text, big targets for a finger.

Reception turns a form window into this mode (F11, or the button) before giving a tablet or a
second screen to the patient; Escape or F11 gives the desk its window back. The style is set on
the window alone, so the rest of the app keeps its normal size.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

LARGE_STYLE = """
QWidget { font-size: 19pt; }
QLabel#pageTitle { font-size: 28pt; }
QLabel#questionLabel { font-size: 21pt; font-weight: 600; }
QLabel#sectionTitle { font-size: 24pt; }
QLabel#fieldError { font-size: 17pt; }
QRadioButton { padding: 8px 18px 8px 0; }
QRadioButton::indicator { width: 30px; height: 30px; }
QLineEdit, QPlainTextEdit { padding: 10px 12px; }
QPushButton { padding: 12px 26px; }
"""


def set_handover(window: QWidget, on: bool) -> None:
    """Full screen with large text (``on``), or the window as the desk uses it."""
    window.setStyleSheet(LARGE_STYLE if on else "")
    window.setProperty("handover", on)
    if on:
        window.showFullScreen()
    else:
        window.showNormal()


def in_handover(window: QWidget) -> bool:
    return bool(window.property("handover"))
