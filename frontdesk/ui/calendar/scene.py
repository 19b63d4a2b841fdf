"""The calendar's scene: builds items from columns and turns mouse gestures into requests.

The scene decides nothing about bookings. A click or drag on empty time becomes
``slotActivated``; dropping a block somewhere else becomes ``moveRequested``; the page asks the
scheduling service and rebuilds the scene from what the service says, so a refused move simply
snaps back.

Signals:
    slotActivated(int column, int start_minute, int end_minute): book this empty span.
    moveRequested(int appointment_id, int column, int start_minute): the user dropped a block.
    selectionChanged(int appointment_id): the selected block changed (-1 for none).
    appointmentActivated(int appointment_id): a block was double-clicked.
    contextMenuRequested(int appointment_id, int column, int minute, QPoint screen_pos):
        right click; ``appointment_id`` is -1 on empty time.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsScene,
    QGraphicsSceneContextMenuEvent,
    QGraphicsSceneHelpEvent,
    QGraphicsSceneMouseEvent,
    QToolTip,
)

from frontdesk.clinic import clinic_today
from frontdesk.ui.calendar import style
from frontdesk.ui.calendar.items import (
    AppointmentItem,
    ColumnBackgroundItem,
    HoverItem,
    NowLineItem,
    SlotCursorItem,
)
from frontdesk.ui.calendar.layout import CalendarColumn, TimeGrid, assign_lanes
from frontdesk.ui.calendar.style import SLOT_MINUTES

MoveCheck = Callable[[int, int, int], "str | None"]
"""(appointment id, column, start minute) -> why a drop there would be refused, or None."""


class CalendarScene(QGraphicsScene):
    """Columns of time with appointment blocks, a slot cursor and the current-time line.

    ``move_check``, when the page sets one, is asked once per slot a dragged block enters
    (never per mouse pixel); a refusal colours the block and names the reason before the drop.
    """

    slotActivated = Signal(int, int, int)
    moveRequested = Signal(int, int, int)
    selectionChanged = Signal(int)
    appointmentActivated = Signal(int)
    contextMenuRequested = Signal(int, int, int, QPoint)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.columns: list[CalendarColumn] = []
        self.grid = TimeGrid(8 * 60, 18 * 60, 0)
        self.blocks: dict[int, AppointmentItem] = {}
        self.cursor_column = 0
        self.cursor_slot = 0
        self.anchor_slot: int | None = None
        self.selected_id: int | None = None
        self._cursor_item: SlotCursorItem | None = None
        self._hover_item: HoverItem | None = None
        self.cursor_visible = False  # the view shows the cursor while it has the focus
        self._press: _Press | None = None
        self._now: datetime | None = None
        self.move_check: MoveCheck | None = None
        # What each completed, unpaid visit shown still owes (cents), read with the schedules.
        self.unpaid: dict[int, int] = {}

    # ----- building -------------------------------------------------------------------------

    def populate(self, columns: Sequence[CalendarColumn], grid: TimeGrid, now: datetime) -> None:
        """Replace every item with ones drawn from ``columns`` (no database access here)."""
        self._press = None
        self.clear()
        self.blocks = {}
        self.columns = list(columns)
        self.grid = grid
        self._now = now
        self.setSceneRect(QRectF(0, 0, grid.width, grid.height))
        for index, column in enumerate(self.columns):
            self.addItem(ColumnBackgroundItem(column, grid, index))
            lanes = assign_lanes(column.appointments)
            for appt in column.appointments:
                lane, count = lanes[appt.id]
                item = AppointmentItem(
                    appt,
                    index,
                    self._block_rect(index, appt, lane, count),
                    column.tz,
                    self.unpaid.get(appt.id, 0),
                )
                item.selected = appt.id == self.selected_id
                self.addItem(item)
                self.blocks[appt.id] = item
        if self.selected_id is not None and self.selected_id not in self.blocks:
            self.selected_id = None
        self._add_now_line(now)
        self._cursor_item = SlotCursorItem()
        self.addItem(self._cursor_item)
        self._hover_item = HoverItem()
        self.addItem(self._hover_item)
        self.cursor_column = min(self.cursor_column, max(0, len(self.columns) - 1))
        self.cursor_slot = min(self.cursor_slot, max(0, grid.slots - 1))
        self.anchor_slot = None
        self._update_cursor()

    def _block_rect(self, index: int, appt, lane: int, lanes: int) -> QRectF:
        column, grid = self.columns[index], self.grid
        top = grid.y(max(column.minute_of(appt.start), grid.first_minute))
        bottom = grid.y(min(column.minute_of(appt.end), grid.last_minute))
        width = (grid.column_width - 2 * style.BLOCK_MARGIN - 6) / lanes
        left = grid.x(index) + style.BLOCK_MARGIN + lane * width
        return QRectF(left, top + 1, width - 1, max(bottom - top - 2, 6))

    def _add_now_line(self, now: datetime) -> None:
        spans = []
        minute = None
        for index, column in enumerate(self.columns):
            if column.day == clinic_today(now, column.tz):
                minute = column.minute_of(now)
                spans.append((self.grid.x(index), self.grid.x(index) + self.grid.column_width))
        if (
            spans
            and minute is not None
            and self.grid.first_minute <= minute <= self.grid.last_minute
        ):
            self.addItem(NowLineItem(self.grid.y(minute), spans))

    def helpEvent(self, event: QGraphicsSceneHelpEvent) -> None:
        """A block's tooltip, written when the mouse rests on it (blocks do not carry one)."""
        for item in self.items(event.scenePos()):  # the topmost first
            if isinstance(item, AppointmentItem):
                QToolTip.showText(event.screenPos(), item.toolTip(), event.widget())
                event.setAccepted(True)
                return
        super().helpEvent(event)

    def idle(self) -> bool:
        """True when no mouse gesture is under way (safe to rebuild the items)."""
        return self._press is None

    # ----- cursor and selection --------------------------------------------------------------

    def cursor_span(self) -> tuple[int, int]:
        """First and last slot of the cursor (the anchor extends it with Shift+arrows)."""
        if self.anchor_slot is None:
            return self.cursor_slot, self.cursor_slot
        return min(self.anchor_slot, self.cursor_slot), max(self.anchor_slot, self.cursor_slot)

    def cursor_rect(self) -> QRectF:
        first, last = self.cursor_span()
        grid = self.grid
        return QRectF(
            grid.x(self.cursor_column),
            first * grid.slot_height,
            grid.column_width,
            (last - first + 1) * grid.slot_height,
        )

    def _update_cursor(self) -> None:
        if self._cursor_item is None:
            return
        first, last = self.cursor_span()
        start, end = self.grid.slot_minute(first), self.grid.slot_minute(last + 1)
        self._cursor_item.label = (
            f"{start // 60:02d}:{start % 60:02d}–{end // 60:02d}:{end % 60:02d}"
            if last > first
            else ""
        )
        self._cursor_item.set_rect(
            self.cursor_rect() if self.cursor_visible and self.columns else QRectF()
        )

    def set_cursor(self, column: int, slot: int, *, extend: bool = False) -> None:
        """Move the slot cursor; selects the active block under it, if any."""
        if not self.columns:
            return
        if extend and self.anchor_slot is None:
            self.anchor_slot = self.cursor_slot
        elif not extend:
            self.anchor_slot = None
        self.cursor_column = max(0, min(column, len(self.columns) - 1))
        self.cursor_slot = max(0, min(slot, self.grid.slots - 1))
        self._update_cursor()
        if not extend:
            under = self.appointment_at_slot(self.cursor_column, self.cursor_slot)
            self.select(under.appointment.id if under else None)

    def appointment_at_slot(self, column: int, slot: int) -> AppointmentItem | None:
        """The block covering a slot, active ones first."""
        minute = self.grid.slot_minute(slot)
        hits = [
            item
            for item in self.blocks.values()
            if item.column_index == column
            and self.columns[column].minute_of(item.appointment.start)
            <= minute
            < self.columns[column].minute_of(item.appointment.end)
        ]
        hits.sort(key=lambda item: not item.appointment.is_active)
        return hits[0] if hits else None

    def select(self, appointment_id: int | None) -> None:
        if appointment_id == self.selected_id:
            return
        for key in (self.selected_id, appointment_id):
            if key is not None and key in self.blocks:
                self.blocks[key].selected = key == appointment_id
                self.blocks[key].update()
        self.selected_id = appointment_id
        self.selectionChanged.emit(appointment_id if appointment_id is not None else -1)

    def activate_cursor(self) -> None:
        """Enter: open the block under the cursor, or book the cursor's span."""
        if not self.columns:
            return
        under = self.appointment_at_slot(self.cursor_column, self.cursor_slot)
        if under is not None and self.anchor_slot is None:
            self.select(under.appointment.id)
            self.appointmentActivated.emit(under.appointment.id)
            return
        first, last = self.cursor_span()
        self.slotActivated.emit(
            self.cursor_column, self.grid.slot_minute(first), self.grid.slot_minute(last + 1)
        )

    # ----- mouse ----------------------------------------------------------------------------

    def _block_at(self, pos: QPointF) -> AppointmentItem | None:
        for item in self.items(pos):
            if isinstance(item, AppointmentItem) and item.rect().contains(pos):
                return item
        return None

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or not self.columns:
            event.accept()
            return
        pos = event.scenePos()
        block = self._block_at(pos)
        column, slot = self.grid.column_at(pos.x()), self.grid.slot_at(pos.y())
        if block is not None:
            self.select(block.appointment.id)
            grab = self._minute_at(pos.y()) - self.columns[block.column_index].minute_of(
                block.appointment.start
            )
            self._press = _Press(pos, block, grab)
        else:
            self.select(None)
            self.cursor_column, self.cursor_slot, self.anchor_slot = column, slot, slot
            self.cursor_visible = True
            self._update_cursor()
            self._press = _Press(pos, None, 0)
        event.accept()

    def hide_hover(self) -> None:
        if self._hover_item is not None:
            self._hover_item.set_rect(QRectF())

    def _set_pointer(self, shape: Qt.CursorShape) -> None:
        for view in self.views():
            view.viewport().setCursor(shape)

    def _show_hover(self, pos: QPointF) -> None:
        if self._hover_item is None or not self.columns:
            return
        column, slot = self.grid.column_at(pos.x()), self.grid.slot_at(pos.y())
        block = self._block_at(pos)
        movable = block is not None and block.movable
        self._set_pointer(Qt.CursorShape.OpenHandCursor if movable else Qt.CursorShape.ArrowCursor)
        if block is not None or not self.sceneRect().contains(pos):
            self.hide_hover()
            return
        minute = self.grid.slot_minute(slot)
        self._hover_item.label = f"{minute // 60:02d}:{minute % 60:02d}"
        self._hover_item.set_rect(
            QRectF(
                self.grid.x(column),
                slot * self.grid.slot_height,
                self.grid.column_width,
                self.grid.slot_height,
            )
        )

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        press = self._press
        if press is None or not event.buttons() & Qt.MouseButton.LeftButton:
            self._show_hover(event.scenePos())
            return
        self.hide_hover()
        pos = event.scenePos()
        if (
            not press.moved
            and (pos - press.pos).manhattanLength() < QApplication.startDragDistance()
        ):
            return
        press.moved = True
        if press.block is None:
            self.cursor_slot = self.grid.slot_at(pos.y())
            self._update_cursor()
        elif press.block.movable:
            self._set_pointer(Qt.CursorShape.ClosedHandCursor)
            self._drag_block(press, pos)
        event.accept()

    def _minute_at(self, y: float) -> float:
        return self.grid.first_minute + y / self.grid.slot_height * SLOT_MINUTES

    def _drop_target(self, press: _Press, pos: QPointF) -> tuple[int, int]:
        assert press.block is not None
        column = self.grid.column_at(pos.x())
        appt = press.block.appointment
        length = (appt.end - appt.start).total_seconds() / 60
        start = round((self._minute_at(pos.y()) - press.grab) / SLOT_MINUTES) * SLOT_MINUTES
        start = max(self.grid.first_minute, min(start, int(self.grid.last_minute - length)))
        return column, int(start)

    def _drag_block(self, press: _Press, pos: QPointF) -> None:
        assert press.block is not None
        column, start = self._drop_target(press, pos)
        block, grid = press.block, self.grid
        height = block.home_rect.height()
        block.set_rect(
            QRectF(
                grid.x(column) + style.BLOCK_MARGIN,
                grid.y(start) + 1,
                grid.column_width - 2 * style.BLOCK_MARGIN - 6,
                height,
            )
        )
        appt = block.appointment
        length = int((appt.end - appt.start).total_seconds() // 60)
        end = start + length
        if (column, start) != press.target:
            press.target = (column, start)
            self._check_drop(press)
        span = f"{start // 60:02d}:{start % 60:02d}–{end // 60 % 24:02d}:{end % 60:02d}"
        block.drag_text = f"✕ {span}" if block.drag_problem else f"→ {span}"
        block.setZValue(40)
        block.setOpacity(0.9)
        block.update()

    def _check_drop(self, press: _Press) -> None:
        """Ask ``move_check`` about the slot the dragged block is over (None: fine or unknown)."""
        assert press.block is not None and press.target is not None
        block, (column, start) = press.block, press.target
        appt = block.appointment
        home = column == block.column_index and start == self.columns[column].minute_of(appt.start)
        check = self.move_check
        block.drag_problem = None if home or check is None else check(appt.id, column, start)

    def recheck_drag(self) -> None:
        """A move check answered: show its verdict if a block is still dragged over a slot."""
        press = self._press
        if press is None or press.block is None or press.target is None or not press.moved:
            return
        block = press.block
        self._check_drop(press)
        if block.drag_text:
            span = block.drag_text[2:]
            block.drag_text = f"✕ {span}" if block.drag_problem else f"→ {span}"
        block.update()

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        press, self._press = self._press, None
        if press is None or event.button() != Qt.MouseButton.LeftButton:
            return
        self._set_pointer(Qt.CursorShape.ArrowCursor)
        event.accept()
        if press.block is None:
            first, last = self.cursor_span()
            self.anchor_slot = None if first == last else self.anchor_slot
            self.slotActivated.emit(
                self.cursor_column, self.grid.slot_minute(first), self.grid.slot_minute(last + 1)
            )
            return
        if not press.moved or not press.block.movable:
            return
        column, start = self._drop_target(press, event.scenePos())
        block = press.block
        home_column = self.columns[block.column_index]
        if column == block.column_index and start == home_column.minute_of(block.appointment.start):
            self.snap_back(block.appointment.id)
            return
        self.moveRequested.emit(block.appointment.id, column, start)

    def snap_back(self, appointment_id: int) -> None:
        """Put a dragged block back where its appointment is."""
        block = self.blocks.get(appointment_id)
        if block is None:
            return
        block.set_rect(block.home_rect)
        block.drag_text = None
        block.drag_problem = None
        block.setOpacity(1.0)
        block.setZValue(10 if block.appointment.is_active else 5)
        block.update()

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        block = self._block_at(event.scenePos())
        if block is not None:
            self.appointmentActivated.emit(block.appointment.id)
        event.accept()

    def contextMenuEvent(self, event: QGraphicsSceneContextMenuEvent) -> None:
        if not self.columns:
            return
        pos = event.scenePos()
        block = self._block_at(pos)
        column, slot = self.grid.column_at(pos.x()), self.grid.slot_at(pos.y())
        if block is not None:
            self.select(block.appointment.id)
        else:
            self.set_cursor(column, slot)
        self.contextMenuRequested.emit(
            block.appointment.id if block else -1,
            column,
            self.grid.slot_minute(slot),
            event.screenPos(),
        )
        event.accept()


class _Press:
    """Where a left-button gesture started and on what."""

    def __init__(self, pos: QPointF, block: AppointmentItem | None, grab: float) -> None:
        self.pos = QPointF(pos)
        self.block = block
        self.grab = grab
        self.moved = False
        self.target: tuple[int, int] | None = None  # the slot last checked while dragging
