"""The calendar's view: a scrolling time grid with a sticky column header and time ruler.

The header (practitioner or weekday names, closures) and the ruler (hours) are painted widgets
in the view's margins, kept in step with the scroll bars, so they stay in sight while the grid
scrolls. Keys move the slot cursor; the view only reports where the user wants to go.

Signals:
    periodStepRequested(int steps): previous/next day (day view) or week (week view).
    dayStepRequested(int days): move the cursor by whole days (Ctrl+arrows, crossing weeks).
    edgeReached(int direction): Left/Right pressed at the first or last column.
    headerClicked(int column): a column's title was clicked.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, Qt, Signal, Slot
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPen, QResizeEvent
from PySide6.QtWidgets import QFrame, QGraphicsView, QWidget

from frontdesk.clinic import clinic_today
from frontdesk.timefmt import fmt_time
from frontdesk.ui.calendar import style
from frontdesk.ui.calendar.layout import CalendarColumn, TimeGrid
from frontdesk.ui.calendar.scene import CalendarScene

MAX_SLOT_HEIGHT = 30.0
VIEW_PADDING = 3  # QGraphicsView scrolls when the scene is within 2 px of the viewport


class CalendarView(QGraphicsView):
    """Shows a ``CalendarScene``; owns the geometry (column width, slot height) of its columns."""

    periodStepRequested = Signal(int)
    dayStepRequested = Signal(int)
    edgeReached = Signal(int)
    headerClicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.calendar_scene = CalendarScene(self)
        self.setScene(self.calendar_scene)
        self.setObjectName("calendarView")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setViewportMargins(style.RULER_WIDTH, style.HEADER_HEIGHT, 0, 0)
        self.setBackgroundBrush(style.CLOSED_FILL)
        self.header = _Header(self)
        self.ruler = _Ruler(self)
        self.columns: list[CalendarColumn] = []
        self.time_range = (8 * 60, 18 * 60)
        self.now: datetime | None = None
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.horizontalScrollBar().valueChanged.connect(self._on_scrolled)
        self.verticalScrollBar().valueChanged.connect(self._on_scrolled)

    EMPTY_TEXT = "No active practitioners in this clinic yet,\nso there is no one to book with."

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        """With no columns, say why the grid is empty instead of showing grey."""
        if self.columns:
            return
        painter.save()
        painter.resetTransform()
        painter.setPen(style.TEXT_MUTED)
        painter.setFont(style.block_font(11))
        painter.drawText(self.viewport().rect(), Qt.AlignmentFlag.AlignCenter, self.EMPTY_TEXT)
        painter.restore()

    @property
    def grid(self) -> TimeGrid:
        return self.calendar_scene.grid

    def set_columns(
        self, columns: Sequence[CalendarColumn], time_range: tuple[int, int], now: datetime
    ) -> None:
        """Show new columns (after a date change or a reload); keeps the scroll position."""
        self.columns = list(columns)
        self.time_range = time_range
        self.now = now
        self._rebuild()

    def _fitted_grid(self) -> TimeGrid:
        first, last = self.time_range
        count = max(1, len(self.columns))
        # A week's seven days fit a 1024-pixel screen whole; practitioners' columns keep more
        # room and scroll sideways when there are many.
        week = len({c.day for c in self.columns}) > 1
        least = style.MIN_WEEK_COLUMN_WIDTH if week else style.MIN_COLUMN_WIDTH
        width = max(least, (self.viewport().width() - VIEW_PADDING) / count)
        slots = max(1, (last - first) // style.SLOT_MINUTES)
        height = min(
            MAX_SLOT_HEIGHT,
            max(style.SLOT_HEIGHT, (self.viewport().height() - VIEW_PADDING) / slots),
        )
        return TimeGrid(first, last, len(self.columns), width, height)

    def _rebuild(self) -> None:
        grid = self._fitted_grid()
        self.calendar_scene.populate(self.columns, grid, self.now or datetime.now().astimezone())
        self.header.update()
        self.ruler.update()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        rect = self.viewport().geometry()
        self.header.setGeometry(
            rect.left(), rect.top() - style.HEADER_HEIGHT, rect.width(), style.HEADER_HEIGHT
        )
        self.ruler.setGeometry(
            rect.left() - style.RULER_WIDTH,
            rect.top() - style.HEADER_HEIGHT,
            style.RULER_WIDTH,
            rect.height() + style.HEADER_HEIGHT,
        )
        if self.columns and self._fitted_grid() != self.grid:
            self._rebuild()

    @Slot()
    def _on_scrolled(self) -> None:
        self.header.update()
        self.ruler.update()

    def scroll_to_minute(self, minute: int) -> None:
        """Scroll so ``minute`` is near the top (the start of the day or the current time)."""
        y = self.grid.y(minute) - self.grid.slot_height * 2
        self.verticalScrollBar().setValue(int(max(0, y)))

    def ensure_cursor_visible(self) -> None:
        self.ensureVisible(self.calendar_scene.cursor_rect(), 10, 30)

    def slot_center(self, column: int, minute: int) -> QPoint:
        """Viewport position of a slot's centre (tests click there, menus open there)."""
        grid = self.grid
        scene_point = QPointF(
            grid.x(column) + grid.column_width / 2, grid.y(minute) + grid.slot_height / 2
        )
        self.ensureVisible(QRectF(scene_point, scene_point).adjusted(-2, -2, 2, 2), 10, 30)
        return self.mapFromScene(scene_point)

    # ----- keyboard --------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        scene, key = self.calendar_scene, event.key()
        mods = event.modifiers()
        ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
        shift = bool(mods & Qt.KeyboardModifier.ShiftModifier)
        col, slot = scene.cursor_column, scene.cursor_slot
        if key == Qt.Key.Key_Up:
            scene.set_cursor(col, slot - 1, extend=shift)
        elif key == Qt.Key.Key_Down:
            scene.set_cursor(col, slot + 1, extend=shift)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            step = -1 if key == Qt.Key.Key_Left else 1
            if ctrl:
                self.dayStepRequested.emit(step)
            elif 0 <= col + step < len(self.columns):
                scene.set_cursor(col + step, slot)
            else:
                self.edgeReached.emit(step)
        elif key in (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
            self.periodStepRequested.emit(-1 if key == Qt.Key.Key_PageUp else 1)
        elif key == Qt.Key.Key_Home:
            scene.set_cursor(col, 0)
        elif key == Qt.Key.Key_End:
            scene.set_cursor(col, self.grid.slots - 1)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            scene.activate_cursor()
        elif key == Qt.Key.Key_Escape:
            scene.set_cursor(col, slot)
        elif key == Qt.Key.Key_Menu:
            self._keyboard_menu()
        else:
            super().keyPressEvent(event)
            return
        self.ensure_cursor_visible()
        event.accept()

    def _keyboard_menu(self) -> None:
        scene = self.calendar_scene
        if not self.columns:
            return
        rect = scene.cursor_rect()
        point = self.viewport().mapToGlobal(self.mapFromScene(rect.center()))
        target = scene.selected_id if scene.selected_id is not None else -1
        scene.contextMenuRequested.emit(
            target, scene.cursor_column, self.grid.slot_minute(scene.cursor_slot), point
        )

    def leaveEvent(self, event) -> None:
        super().leaveEvent(event)
        self.calendar_scene.hide_hover()

    def focusInEvent(self, event) -> None:
        super().focusInEvent(event)
        self.calendar_scene.cursor_visible = True
        self.calendar_scene._update_cursor()

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        self.calendar_scene.cursor_visible = False
        self.calendar_scene._update_cursor()


class _Margin(QWidget):
    """A strip painted in the view's margin, in step with its scroll bars."""

    def __init__(self, view: CalendarView) -> None:
        super().__init__(view)
        self.view = view

    def _painter(self) -> QPainter:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), style.HEADER_FILL)
        return painter


class _Header(_Margin):
    """Column titles: practitioner (day view) or weekday (week view), closures, counts."""

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = self._painter()
        grid = self.view.grid
        title_font, sub_font = style.block_font(10, bold=True), style.block_font(8.5)
        several_days = len({c.day for c in self.view.columns}) > 1  # the week view
        for index, column in enumerate(self.view.columns):
            left = self.view.mapFromScene(QPointF(grid.x(index), 0)).x()
            rect = QRectF(left, 0, grid.column_width, self.height())
            if rect.right() < 0 or rect.left() > self.width():
                continue
            if column.is_today and several_days:
                painter.fillRect(rect, style.TODAY_FILL)
            text_rect = rect.adjusted(10, 6, -8, -4)
            if column.practitioner is not None and not several_days:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor(column.practitioner.colour))
                painter.drawEllipse(QPointF(text_rect.left() + 4, text_rect.top() + 9), 4, 4)
                text_rect.adjust(13, 0, 0, 0)
            active = sum(1 for a in column.appointments if a.is_active)
            count = f"{active} booked" if active else ""
            painter.setFont(sub_font)
            metrics = style.metrics(sub_font)
            count_w = metrics.horizontalAdvance(count) + 6 if count else 0
            title_w = style.metrics(title_font).horizontalAdvance(column.title)
            if count and title_w + count_w > text_rect.width():  # a narrow column: "7", not "Mon …"
                count = str(active)
                count_w = metrics.horizontalAdvance(count) + 6
            painter.setPen(style.TEXT_MUTED)
            painter.drawText(
                text_rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop, count
            )
            painter.setFont(title_font)
            painter.setPen(style.ACCENT if column.is_today and several_days else style.TEXT)
            title = style.metrics(title_font).elidedText(
                column.title, Qt.TextElideMode.ElideRight, text_rect.width() - count_w
            )
            painter.drawText(
                text_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, title
            )
            sub = column.subtitle
            if column.closed_reason or column.opening is None:
                painter.setPen(style.CLOSED_BADGE_TEXT)
                sub = f"Closed · {column.closed_reason}" if column.closed_reason else "Closed"
            else:
                painter.setPen(style.TEXT_MUTED)
            painter.setFont(sub_font)
            sub_rect = text_rect.adjusted(0, 20, 0, 0)
            painter.drawText(
                sub_rect,
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                metrics.elidedText(sub, Qt.TextElideMode.ElideRight, sub_rect.width()),
            )
            painter.setPen(QPen(style.COLUMN_LINE, 1))
            painter.drawLine(QPointF(rect.right(), 0), QPointF(rect.right(), self.height()))
        painter.setPen(QPen(style.COLUMN_LINE, 1))
        painter.drawLine(
            QPointF(0, self.height() - 0.5), QPointF(self.width(), self.height() - 0.5)
        )

    def mousePressEvent(self, event: QMouseEvent) -> None:
        scene_x = self.view.mapToScene(QPoint(int(event.position().x()), 0)).x()
        if self.view.columns and 0 <= scene_x < self.view.grid.width:
            self.view.headerClicked.emit(self.view.grid.column_at(scene_x))


class _Ruler(_Margin):
    """Hour labels down the left edge, and the current time beside the red line."""

    def hour_labels(self) -> list[tuple[str, QRectF]]:
        """Each hour's label and where it is drawn, none over another.

        A label sits centred on its hour line. Scrolled down, the hour whose line has gone past
        the top keeps its label pinned there until the next hour's label pushes it out, as a
        sticky heading does; labels of hours further up are not drawn at all (they were all
        pinned at the top, one over the other).
        """
        grid, top = self.view.grid, style.HEADER_HEIGHT
        height = style.metrics(style.block_font(8.5)).height()
        hours = [
            (minute, self.view.mapFromScene(QPointF(0, grid.y(minute))).y() + top)
            for minute in range(grid.first_minute, grid.last_minute + 1, 60)
        ]
        now_box = self._now_box(top, height)
        labels = []
        for index, (minute, y) in enumerate(hours):
            label_y = y - height / 2
            if label_y < top:
                below = hours[index + 1][1] - height / 2 if index + 1 < len(hours) else None
                if below is not None and below <= top:
                    continue  # a later hour is pinned at the top instead
                label_y = top if below is None else min(float(top), below - height)
            rect = QRectF(0, label_y, self.width() - 10, height)
            if now_box is not None and rect.intersects(now_box):
                continue  # the current time's badge says where we are
            labels.append((f"{minute // 60:02d}:00", rect))
        return labels

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = self._painter()
        grid, top = self.view.grid, style.HEADER_HEIGHT
        painter.setClipRect(0, top, self.width(), self.height() - top)
        font = style.block_font(8.5)
        painter.setFont(font)
        height = style.metrics(font).height()
        painter.setPen(style.TEXT)
        for text, rect in self.hour_labels():
            painter.drawText(
                rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text
            )
        painter.setPen(QPen(style.HOUR_LINE, 1))
        for minute in range(grid.first_minute, grid.last_minute + 1, 30):
            y = self.view.mapFromScene(QPointF(0, grid.y(minute))).y() + top
            tick = 6 if minute % 60 == 0 else 4
            painter.drawLine(QPointF(self.width() - tick, y), QPointF(self.width(), y))
        self._paint_now(painter, top, height)
        painter.setClipping(False)
        painter.setPen(QPen(style.COLUMN_LINE, 1))
        painter.drawLine(QPointF(self.width() - 0.5, 0), QPointF(self.width() - 0.5, self.height()))

    def _now_box(self, top: int, height: float) -> QRectF | None:
        """Where the current time's badge goes, or None when now is not on the grid."""
        view, now = self.view, self.view.now
        if now is None or not view.columns:
            return None
        today = [c for c in view.columns if c.day == clinic_today(now, c.tz)]
        if not today:
            return None
        minute = today[0].minute_of(now)
        if not view.grid.first_minute <= minute <= view.grid.last_minute:
            return None
        y = view.mapFromScene(QPointF(0, view.grid.y(minute))).y() + top
        return QRectF(4, y - height / 2 - 1, self.width() - 8, height + 2)

    def _paint_now(self, painter: QPainter, top: int, height: float) -> None:
        box = self._now_box(top, height)
        if box is None:
            return
        now = self.view.now
        assert now is not None
        tz = self.view.columns[0].tz
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(style.NOW_LINE)
        painter.drawRoundedRect(box, 4, 4)
        painter.setPen(QColor("#ffffff"))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, fmt_time(now, tz))
