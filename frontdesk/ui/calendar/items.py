"""The things drawn in the calendar scene: column backgrounds, appointment blocks, markers.

Each item paints from the plain values it was built with (a ``CalendarColumn`` or an
``AppointmentView``); none of them reads the database, so scrolling and repainting cost only
drawing. One background item per column draws its shading and grid lines in a single pass,
which keeps the item count near the number of appointments.
"""

from __future__ import annotations

import html
from datetime import datetime, tzinfo
from functools import lru_cache
from typing import NamedTuple

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from frontdesk.billing.money import fmt_money
from frontdesk.domain import AppointmentStatus
from frontdesk.scheduling import AppointmentView
from frontdesk.timefmt import fmt_span
from frontdesk.ui.calendar import style
from frontdesk.ui.calendar.layout import CalendarColumn, TimeGrid
from frontdesk.ui.theme import status_fill_colour, status_text_colour


def _span_rect(
    column: CalendarColumn, grid: TimeGrid, x: float, start: datetime, end: datetime
) -> QRectF:
    top = grid.y(max(column.minute_of(start), grid.first_minute))
    bottom = grid.y(min(column.minute_of(end), grid.last_minute))
    return QRectF(x, top, grid.column_width, max(0.0, bottom - top))


class ColumnBackgroundItem(QGraphicsItem):
    """Closed time, off-duty time, working time, breaks, the grid and a closure's name."""

    def __init__(self, column: CalendarColumn, grid: TimeGrid, index: int) -> None:
        super().__init__()
        self.column = column
        self.grid = grid
        self._rect = QRectF(grid.x(index), 0, grid.column_width, grid.height)
        self.setZValue(0)

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        col, grid, rect = self.column, self.grid, self._rect
        x = rect.x()
        painter.fillRect(rect, style.CLOSED_FILL)
        if col.opening is not None:
            painter.fillRect(
                _span_rect(col, grid, x, col.opening.start, col.opening.end), style.OFF_DUTY_FILL
            )
        for span in col.working:
            painter.fillRect(_span_rect(col, grid, x, span.start, span.end), style.OPEN_FILL)
        for brk in col.breaks:
            self._paint_break(
                painter, _span_rect(col, grid, x, brk.start, brk.end), brk.label or "Break"
            )
        self._paint_grid(painter)
        if col.closed_reason or col.opening is None:
            self._paint_closed_label(painter, col.closed_reason or "Closed")
        painter.setPen(QPen(style.COLUMN_LINE, 1))
        painter.drawLine(QLineF(rect.right(), rect.top(), rect.right(), rect.bottom()))

    def _paint_break(self, painter: QPainter, rect: QRectF, label: str) -> None:
        painter.fillRect(rect, style.BREAK_FILL)
        painter.fillRect(rect, QBrush(style.BREAK_HATCH, Qt.BrushStyle.BDiagPattern))
        if rect.height() >= 14:
            painter.setFont(style.block_font(8))
            painter.setPen(style.TEXT_MUTED)
            text_rect = rect.adjusted(8, 1, -6, 0)
            metrics = style.metrics(style.block_font(8))
            box = metrics.boundingRect(label).adjusted(-4, -1, 4, 1)
            box.moveTopLeft(text_rect.topLeft() + QPointF(-4, 2))
            painter.fillRect(box, style.BREAK_FILL)
            painter.drawText(
                text_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, label
            )

    def _paint_grid(self, painter: QPainter) -> None:
        quarters, hours = _grid_lines(self.grid)
        painter.translate(self._rect.left(), 0)
        painter.setPen(QPen(style.QUARTER_LINE, 1))
        painter.drawLines(quarters)
        painter.setPen(QPen(style.HOUR_LINE, 1))
        painter.drawLines(hours)
        painter.translate(-self._rect.left(), 0)

    def _paint_closed_label(self, painter: QPainter, text: str) -> None:
        font = style.block_font(9.5, bold=True)
        painter.setFont(font)
        metrics = style.metrics(font)
        width = min(self._rect.width() - 16, metrics.horizontalAdvance(text) + 20)
        box = QRectF(0, 0, width, metrics.height() + 10)
        box.moveCenter(QPointF(self._rect.center().x(), 40))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(style.CLOSED_BADGE_FILL)
        painter.drawRoundedRect(box, 5, 5)
        painter.setPen(style.CLOSED_BADGE_TEXT)
        shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, box.width() - 12)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, shown)


@lru_cache(maxsize=8)
def _grid_lines(grid: TimeGrid) -> tuple[list[QLineF], list[QLineF]]:
    """A column's quarter-hour and hour lines, from x = 0: the same for every column of a grid,
    so they are worked out once per grid, not once per column painted."""
    quarters: list[QLineF] = []
    hours: list[QLineF] = []
    for slot in range(1, grid.slots):
        y = slot * grid.slot_height
        line = QLineF(0, y, grid.column_width, y)
        (hours if grid.slot_minute(slot) % 60 == 0 else quarters).append(line)
    return quarters, hours


class AppointmentItem(QGraphicsItem):
    """One appointment block: patient, type, room, time, course progress and status badge."""

    def __init__(
        self,
        appointment: AppointmentView,
        column_index: int,
        rect: QRectF,
        tz: tzinfo,
        owing_cents: int = 0,
    ) -> None:
        super().__init__()
        self.appointment = appointment
        self.owing_cents = owing_cents  # > 0: a completed visit whose invoice is not paid
        self.tz = tz
        self.column_index = column_index
        self.home_rect = QRectF(rect)
        self._rect = QRectF(rect)
        self.selected = False
        self.drag_text: str | None = None
        self.drag_problem: str | None = None  # why the hovered slot would be refused
        self.setZValue(10 if appointment.is_active else 5)

    def toolTip(self) -> str:
        """Written when the mouse rests on the block (``CalendarScene.helpEvent``), not for
        each of the hundreds of blocks a day of forty practitioners builds."""
        return _tooltip(self.appointment, self.owing_cents)

    @property
    def movable(self) -> bool:
        return self.appointment.is_active

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-2, -2, 2, 2)

    def set_rect(self, rect: QRectF) -> None:
        self.prepareGeometryChange()
        self._rect = QRectF(rect)

    def rect(self) -> QRectF:
        return QRectF(self._rect)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        appt, rect = self.appointment, self._rect
        status = appt.status
        fill, border, stripe_colour, faded = _block_colours(appt.type_colour, status)
        if self.selected:
            border = _SELECTED_BORDER
        if self.drag_problem:  # dragged over a slot the move would be refused in
            fill, border = style.REFUSED_FILL, QPen(style.REFUSED_OUTLINE, 2)
        painter.setPen(border)
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, 4, 4)
        if status is AppointmentStatus.CANCELLED:
            painter.fillRect(
                rect.adjusted(1, 1, -1, -1), QBrush(QColor("#e6eaee"), Qt.BrushStyle.FDiagPattern)
            )
        stripe = QRectF(rect.left() + 1, rect.top() + 1, style.STRIPE_WIDTH, rect.height() - 2)
        painter.fillRect(stripe, stripe_colour)
        if self.owing_cents > 0:  # the unpaid edge: seen at a glance down a day's column
            edge = QRectF(rect.right() - 4, rect.top() + 1, 3, rect.height() - 2)
            painter.fillRect(edge, style.UNPAID)
        self._paint_text(painter, rect.adjusted(style.STRIPE_WIDTH + 5, 2, -4, -1), faded)

    def _paint_text(self, painter: QPainter, area: QRectF, faded: bool) -> None:
        appt = self.appointment
        fonts = _block_fonts()
        badge_w = self._paint_badge(painter, area)
        if self.owing_cents > 0:
            badge_w += self._paint_unpaid(painter, area.adjusted(0, 0, -badge_w - 3, 0))
        lines_fit = max(1, int((area.height() + 1) // fonts.normal_height))
        text_pen = style.TEXT_MUTED if faded else style.TEXT
        narrow = area.width() < style.NARROW_BLOCK
        if lines_fit == 1:
            rows = [(f"{appt.patient_name} · {appt.type_name}", fonts.bold)]
        else:
            room = f" · {appt.room_name}" if appt.room_name and not narrow else ""
            rows = [(appt.patient_name, fonts.bold), (appt.type_name + room, fonts.normal)]
            if lines_fit >= 3:  # the time line, only when a third line fits
                rows.append((self._time_line(narrow, area.width()), fonts.normal))
        if self.drag_text:
            rows[-1] = (self.drag_text, fonts.bold)
        if self.drag_text and self.drag_problem:  # the reason on a line of its own if one fits
            if len(rows) >= 2:
                rows[-2:] = [(self.drag_text, fonts.bold), (self.drag_problem, fonts.bold)]
            else:
                rows[-1] = (f"{self.drag_text} · {self.drag_problem}", fonts.bold)
        if appt.status is AppointmentStatus.CANCELLED:
            rows[0] = (rows[0][0], fonts.struck)
        painter.setPen(text_pen)
        left, y, full = area.left(), area.top(), area.width()
        width = full - badge_w
        for text, (font, metrics, height) in rows:
            painter.setFont(font)
            shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, max(0.0, width))
            painter.drawText(QRectF(left, y, width, height), _LEFT_MIDDLE, shown)
            y += height
            width = full  # the status pill takes room from the first line only

    def _time_line(self, narrow: bool, width: float) -> str:
        """The time, then the room (narrow blocks) and the course session when they fit too:
        in a narrow week column "09:15–10:00" stays whole rather than "09:15–10:0…"."""
        appt = self.appointment
        parts = [_time_span(appt, self.tz)]
        room = [appt.room_name] if narrow and appt.room_name else []
        course = [f"{appt.course_index or '?'}/{appt.course_total}"] if appt.course_total else []
        metrics = _block_fonts().normal[1]
        for extra in (room + course, course, []):
            text = " · ".join(parts + extra)
            if metrics.horizontalAdvance(text) <= width:
                return text
        return parts[0]

    def _paint_badge(self, painter: QPainter, area: QRectF) -> float:
        """Draw the status pill at the top right; returns the width it took from line one."""
        appt = self.appointment
        late = appt.late_cancellation and appt.status is AppointmentStatus.CANCELLED
        badge = _badge(appt.status, late, area.width())
        if badge is None:
            return 0.0
        text, width, height, fg, bg = badge
        box = QRectF(area.right() - width, area.top() + 1, width, height)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(bg)
        painter.drawRoundedRect(box, 6, 6)
        painter.setFont(_block_fonts().badge[0])
        painter.setPen(fg)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
        return width + 4

    def _paint_unpaid(self, painter: QPainter, area: QRectF) -> float:
        """The "$" mark of an unpaid visit, left of the status pill; the width it took."""
        font = style.block_font(7.5, bold=True)
        metrics = style.metrics(font)
        width = metrics.horizontalAdvance("$") + 8
        box = QRectF(area.right() - width, area.top() + 1, width, metrics.height() + 1)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(style.UNPAID)
        painter.drawRoundedRect(box, 6, 6)
        painter.setFont(font)
        painter.setPen(QColor("#ffffff"))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, "$")
        return width + 3


_LEFT_MIDDLE = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_Font = tuple[QFont, QFontMetricsF, float]  # a font, its metrics and its line height


class _BlockFonts(NamedTuple):
    bold: _Font
    normal: _Font
    struck: _Font
    badge: _Font
    normal_height: float


@lru_cache(maxsize=1)
def _block_fonts() -> _BlockFonts:
    """The fonts a block is written in, with their metrics: looked up once, not per line of
    every block painted."""

    def font(size: float, *, bold: bool = False, strike: bool = False) -> _Font:
        f = style.block_font(size, bold=bold, strike=strike)
        metrics = style.metrics(f)
        return f, metrics, metrics.height()

    normal = font(8)
    return _BlockFonts(
        bold=font(8.5, bold=True),
        normal=normal,
        struck=font(8.5, bold=True, strike=True),
        badge=font(7.5, bold=True),
        normal_height=normal[2],
    )


@lru_cache(maxsize=64)
def _badge(
    status: AppointmentStatus, late_cancel: bool, area_width: float
) -> tuple[str, float, float, QColor, QColor] | None:
    """The status pill for a block this wide: its words (long or short), width, height and
    colours, worked out once per status and width rather than on every paint."""
    badge = style.STATUS_BADGES.get(status)
    if badge is None:
        return None
    wide, narrow = badge
    if late_cancel:
        wide = "Late cancel"
    metrics = _block_fonts().badge[1]
    text = wide if metrics.horizontalAdvance(wide) + 10 <= area_width * 0.4 else narrow
    return (
        text,
        metrics.horizontalAdvance(text) + 10,
        metrics.height() + 1,
        status_text_colour(status),
        status_fill_colour(status),
    )


_FADED = (AppointmentStatus.CANCELLED, AppointmentStatus.NO_SHOW, AppointmentStatus.COMPLETED)
_SELECTED_BORDER = QPen(style.SELECTED_OUTLINE, 2)


@lru_cache(maxsize=256)
def _block_colours(
    type_colour: str, status: AppointmentStatus
) -> tuple[QColor, QPen, QColor, bool]:
    """Fill, border, stripe colour and whether faded, for a block of this type and status;
    worked out once per pair, not on every paint of every block."""
    base = QColor(type_colour)
    faded = status in _FADED
    fill = style.tint(base, 0.10 if faded else 0.22)
    if status is AppointmentStatus.CANCELLED:
        fill = QColor("#fafbfc")
    border = QPen(style.shade(base, 0.8) if not faded else QColor("#b7c3cb"), 1)
    if status is AppointmentStatus.CANCELLED:
        border.setStyle(Qt.PenStyle.DashLine)
    return fill, border, style.tint(base, 0.45) if faded else base, faded


def _time_span(appt: AppointmentView, tz: tzinfo) -> str:
    return fmt_span(appt.start, appt.end, tz)


def _tooltip(appt: AppointmentView, owing_cents: int = 0) -> str:
    lines = [f"<b>{appt.patient_name}</b>", f"{appt.type_name} with {appt.practitioner_name}"]
    if owing_cents > 0:
        lines.append(f"<b>Unpaid: {fmt_money(owing_cents)}</b>")
    if appt.room_name:
        lines.append(f"Room: {appt.room_name}")
    lines.append(f"Status: {appt.status.label}")
    if appt.course_total:
        lines.append(f"Course session {appt.course_index or '?'} of {appt.course_total}")
    if appt.cancellation_reason:
        late = " (late)" if appt.late_cancellation else ""
        lines.append(f"Cancelled{late}: {appt.cancellation_reason}")
    if appt.notes:
        lines.append(appt.notes)
    if appt.emails:
        lines.append(f"Emails: {html.escape(appt.emails, quote=False)}")
    return "<br>".join(lines)


class NowLineItem(QGraphicsItem):
    """The red line at the current time across today's columns."""

    def __init__(self, y: float, spans: list[tuple[float, float]]) -> None:
        super().__init__()
        self._y = y
        self._spans = spans
        self.setZValue(30)

    def boundingRect(self) -> QRectF:
        if not self._spans:
            return QRectF()
        left = min(a for a, _ in self._spans)
        right = max(b for _, b in self._spans)
        return QRectF(left - 5, self._y - 5, right - left + 10, 10)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(style.NOW_LINE, 2))
        for left, right in self._spans:
            painter.drawLine(QLineF(left, self._y, right, self._y))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(style.NOW_LINE)
        painter.drawEllipse(QPointF(self._spans[0][0] + 4, self._y), 4, 4)


class SlotCursorItem(QGraphicsItem):
    """The keyboard cursor, or the span being selected with the mouse."""

    def __init__(self) -> None:
        super().__init__()
        self._rect = QRectF()
        self.label = ""
        self.setZValue(20)

    def set_rect(self, rect: QRectF) -> None:
        self.prepareGeometryChange()
        self._rect = QRectF(rect)
        self.update()

    def rect(self) -> QRectF:
        return QRectF(self._rect)

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-2, -2, 2, 2)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        if self._rect.isEmpty():
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(style.ACCENT, 1.5))
        painter.setBrush(style.CURSOR_FILL if self._rect.height() <= 30 else style.SELECTION_FILL)
        painter.drawRoundedRect(self._rect.adjusted(1, 1, -1, -1), 3, 3)
        self._paint_label(painter)

    def _paint_label(self, painter: QPainter) -> None:
        if self.label:
            font = style.block_font(8, bold=True)
            painter.setFont(font)
            painter.setPen(style.ACCENT)
            box = QRectF(
                self._rect.left() + 6,
                self._rect.top(),
                self._rect.width() - 12,
                min(self._rect.height(), style.metrics(font).height() + 4),
            )
            painter.drawText(
                box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.label
            )


class HoverItem(SlotCursorItem):
    """The free slot under the mouse, with its time: where a click would book."""

    def __init__(self) -> None:
        super().__init__()
        self.setZValue(15)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        if self._rect.isEmpty():
            return
        painter.fillRect(self._rect.adjusted(1, 1, -1, -1), style.HOVER_FILL)
        self._paint_label(painter)


__all__ = ["AppointmentItem", "ColumnBackgroundItem", "HoverItem", "NowLineItem", "SlotCursorItem"]
