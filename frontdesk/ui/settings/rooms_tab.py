"""The Rooms tab: the treatment rooms the booking dialog offers."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QFormLayout, QLineEdit, QWidget

from frontdesk.context import AppContext
from frontdesk.scheduling.dto import RoomView
from frontdesk.setup import (
    add_room,
    deactivate_room,
    list_all_rooms,
    reactivate_room,
    rename_room,
)
from frontdesk.ui.settings.list_section import ListSection, RecordDialog


class RoomDialog(RecordDialog):
    """A room's name; adding and renaming share it."""

    def __init__(
        self, ctx: AppContext, room: RoomView | None, parent: QWidget | None = None
    ) -> None:
        super().__init__("Add room" if room is None else "Rename room", parent)
        self.ctx = ctx
        self.room = room
        self.saved: RoomView | None = None
        body = QWidget()
        form = QFormLayout(body)
        form.setContentsMargins(0, 0, 0, 0)
        self.name = QLineEdit(room.name if room else "", maxLength=60, placeholderText="Room 1")
        self.name.setMinimumWidth(260)
        self.add_row(form, "&Name", "name", self.name)
        self.set_body(body)

    def save(self) -> bool:
        db, name = self.ctx.db, self.name.text()
        room_id = self.room.id if self.room is not None else None
        if room_id is None:
            self.save_record(lambda: add_room(db, name))
        else:
            self.save_record(lambda: rename_room(db, room_id, name))
        return False


class RoomsTab(ListSection):
    """Add, rename, deactivate and reactivate rooms."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            "Treatment rooms. Appointment types that need a room can only "
            "be booked into an active room that is free.",
            ("Room", "Status"),
            "No rooms yet.\nAdd your treatment rooms so consultations and "
            "treatments can be booked into them.",
            parent,
        )
        self.add_button = self.button("&Add room…", needs_row=False, primary=True)
        self.rename_button = self.button("Re&name…")
        self.deactivate_button = self.button("&Deactivate")
        self.reactivate_button = self.button("React&ivate")
        self._rooms: dict[int, RoomView] = {}
        self.finish_buttons()
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.add_button.clicked.connect(self.add)
        self.rename_button.clicked.connect(self.activate)
        self.deactivate_button.clicked.connect(self.deactivate)
        self.reactivate_button.clicked.connect(self.reactivate)

    def reload(self, select_id: int | None = None) -> None:
        db = self.ctx.db
        self.read(
            lambda: list_all_rooms(db), lambda rooms: self._show(rooms, select_id), "The rooms"
        )

    def _show(self, rooms: list[RoomView], select_id: int | None) -> None:
        self._rooms = {r.id: r for r in rooms}
        self.set_rows(
            [(r.id, (r.name, "Active" if r.active else "Inactive"), not r.active) for r in rooms],
            select_id,
        )

    @Slot()
    def update_buttons(self) -> None:
        super().update_buttons()
        chosen = self._rooms.get(self.selected_id() or 0)
        self.deactivate_button.setEnabled(chosen is not None and chosen.active)
        self.reactivate_button.setEnabled(chosen is not None and not chosen.active)

    def open_dialog(self, row_id: int | None) -> RoomDialog:
        return RoomDialog(self.ctx, self._rooms.get(row_id or 0), self)

    @Slot()
    def deactivate(self) -> None:
        db, now = self.ctx.db, self.ctx.clock()

        def done(room: RoomView) -> None:
            self.reload(room.id)
            self.status_message.emit(f"{room.name} is no longer offered for bookings.")

        self.change_selected(lambda room_id: deactivate_room(db, room_id, now=now), done)

    @Slot()
    def reactivate(self) -> None:
        db = self.ctx.db

        def done(room: RoomView) -> None:
            self.reload(room.id)
            self.status_message.emit(f"{room.name} can be booked again.")

        self.change_selected(lambda room_id: reactivate_room(db, room_id), done)
