"""Colours, sizes and fonts of the calendar, in one place so the views stay calm and consistent.

The palette follows the app's style sheet (deep blue-green chrome, teal accent) and keeps the
appointment colours soft: a block is a light tint of its type's colour with a solid stripe on
the left, so a full day of bookings is readable without shouting.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtGui import QColor, QFont, QFontMetricsF

from frontdesk.domain import AppointmentStatus

SLOT_MINUTES = 15
SLOT_HEIGHT = 20.0  # pixels per 15 minutes at 100 % zoom
MIN_COLUMN_WIDTH = 124.0
MIN_WEEK_COLUMN_WIDTH = 96.0  # seven days side by side on a 1024-pixel screen
RULER_WIDTH = 58
HEADER_HEIGHT = 48
BLOCK_MARGIN = 2.0
STRIPE_WIDTH = 4.0

ACCENT = QColor("#2b7a78")
CURSOR_FILL = QColor(43, 122, 120, 40)
SELECTION_FILL = QColor(43, 122, 120, 70)
HOVER_FILL = QColor(43, 122, 120, 22)
TEXT = QColor("#1d2b33")
TEXT_MUTED = QColor("#5f717c")
OPEN_FILL = QColor("#ffffff")
OFF_DUTY_FILL = QColor("#f1f4f6")  # clinic open, practitioner not working
CLOSED_FILL = QColor("#e3e8ec")  # clinic closed
BREAK_FILL = QColor("#eef1f3")
BREAK_HATCH = QColor("#cfd8de")
HOUR_LINE = QColor("#d3dce2")
QUARTER_LINE = QColor("#eef2f4")
COLUMN_LINE = QColor("#c9d4db")
NOW_LINE = QColor("#d64545")
HEADER_FILL = QColor("#f7f9fa")
TODAY_FILL = QColor("#e4f2f0")
CLOSED_BADGE_FILL = QColor("#fbeee0")
CLOSED_BADGE_TEXT = QColor("#7a4b00")
SELECTED_OUTLINE = QColor("#1f3b4a")


def tint(colour: QColor, strength: float) -> QColor:
    """The colour mixed into white: ``strength`` 0 is white, 1 is the colour itself."""
    r = round(255 - (255 - colour.red()) * strength)
    g = round(255 - (255 - colour.green()) * strength)
    b = round(255 - (255 - colour.blue()) * strength)
    return QColor(r, g, b)


def shade(colour: QColor, factor: float) -> QColor:
    """The colour darkened towards black (factor 0.7 keeps 70 %), for text on a tint."""
    return QColor(
        round(colour.red() * factor), round(colour.green() * factor), round(colour.blue() * factor)
    )


# Badge text (wide, narrow) per status, coloured from ``theme.STATUS_COLOURS``; booked
# appointments carry no badge.
STATUS_BADGES: dict[AppointmentStatus, tuple[str, str]] = {
    AppointmentStatus.CHECKED_IN: ("✓ In", "In"),
    AppointmentStatus.COMPLETED: ("✓ Done", "✓"),
    AppointmentStatus.CANCELLED: ("Cancelled", "✕"),
    AppointmentStatus.NO_SHOW: ("No-show", "NS"),
}
NARROW_BLOCK = 170.0  # below this width a block puts the room on the time line


@lru_cache(maxsize=32)
def _font(point_size: float, bold: bool, strike: bool) -> tuple[QFont, QFontMetricsF]:
    font = QFont()
    font.setPointSizeF(point_size)
    font.setBold(bold)
    font.setStrikeOut(strike)
    return font, QFontMetricsF(font)


def block_font(point_size: float = 8.5, *, bold: bool = False, strike: bool = False) -> QFont:
    """A font for painting (made once per size and weight: painting runs on every scroll)."""
    return _font(point_size, bold, strike)[0]


def metrics(font: QFont) -> QFontMetricsF:
    """Metrics of a font from ``block_font`` (cached with it)."""
    return _font(font.pointSizeF(), font.bold(), font.strikeOut())[1]


# A dragged visit over a slot where the move would be refused (busy, closed, out of hours).
UNPAID = QColor("#b3261e")  # a completed visit not yet paid: its "$" mark and right edge
REFUSED_FILL = QColor("#fbe3e0")
REFUSED_OUTLINE = QColor("#c0392b")
