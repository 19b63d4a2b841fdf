"""Feedback before the drop: a dragged visit shows a busy or out-of-hours slot before release,
and calendar messages never push the grid down."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

import frontdesk.ui.calendar.appointment_ops as ops_module
from frontdesk.scheduling import get_appointment
from tests.ui.test_calendar import ACU, PHYSIO, book, slot
from tests.unit.test_scheduling_support import MONDAY, local

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def hover_drag(page, start: QPoint, end: QPoint) -> None:  # type: ignore[no-untyped-def]
    """Press on a block and move it to ``end`` without releasing."""
    viewport = page.view.viewport()
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    for step in range(1, 5):
        QTest.mouseMove(viewport, start + (end - start) * (step / 4))


def release(page, at: QPoint) -> None:  # type: ignore[no-untyped-def]
    QTest.mouseRelease(
        page.view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at
    )


@pytest.mark.parametrize(
    ("column", "hour", "reason"),
    [
        (ACU, 11, "practitioner busy"),  # Bob is booked with Dr Lin at 11
        (ACU, 12, "lunch"),  # Dr Lin's lunch break
        (ACU, 17, "out of hours"),  # Dr Lin stops at 17:00
        (PHYSIO, 9, "out of hours"),  # Sam Patel starts at 10:00
    ],
)
def test_the_ghost_shows_a_refused_slot_before_the_drop(
    settle, calendar_page, clinic, db, column, hour, reason
) -> None:  # type: ignore[no-untyped-def]
    ann = book(db, clinic.ann, clinic.acu, clinic.consult, 9, room=clinic.room1)
    book(db, clinic.bob, clinic.acu, clinic.consult, 11, room=clinic.room2)
    calendar_page.reload()
    settle()
    block = calendar_page.view.calendar_scene.blocks[ann.id]
    hover_drag(calendar_page, slot(calendar_page, ACU, 9), slot(calendar_page, column, hour))
    settle()  # the service's check runs on a worker; its verdict shows when it answers
    assert block.drag_problem == reason
    assert block.drag_text is not None and block.drag_text.startswith("✕")
    # Onward to a free slot: the ghost clears before any drop.
    hover_drag_to = slot(calendar_page, ACU, 14)
    QTest.mouseMove(calendar_page.view.viewport(), hover_drag_to)
    settle()
    assert block.drag_problem is None and block.drag_text.startswith("→ 1")
    shown = block.drag_text[2:7]  # "13:15": where the ghost said it would land
    release(calendar_page, hover_drag_to)
    settle()
    moved = get_appointment(db, ann.id).start
    assert (
        moved != local(MONDAY, 9) and moved.astimezone(calendar_page.tz).strftime("%H:%M") == shown
    )


def test_the_slot_check_is_asked_once_per_slot_not_per_mouse_move(
    settle, calendar_page, clinic, db, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    ann = book(db, clinic.ann, clinic.acu, clinic.consult, 9, room=clinic.room1)
    calendar_page.reload()
    settle()
    asked: list[object] = []
    real = ops_module.check_reschedule
    monkeypatch.setattr(
        ops_module, "check_reschedule", lambda *a, **kw: asked.append(a[2]) or real(*a, **kw)
    )
    target = slot(calendar_page, ACU, 14)
    hover_drag(calendar_page, slot(calendar_page, ACU, 9), target)
    settle()
    before = len(asked)
    for dx in range(-6, 7):  # wiggle inside the same slot
        QTest.mouseMove(calendar_page.view.viewport(), target + QPoint(dx, dx // 3))
    settle()
    assert len(asked) == before
    assert asked.count(local(MONDAY, 14)) == 1
    # Back over a slot already checked: answered from the cache, no query.
    QTest.mouseMove(calendar_page.view.viewport(), slot(calendar_page, ACU, 10))
    settle()
    QTest.mouseMove(calendar_page.view.viewport(), target)
    settle()
    assert asked.count(local(MONDAY, 14)) == 1
    release(calendar_page, target)
    settle()
    assert get_appointment(db, ann.id).start == local(MONDAY, 14)


def test_a_calendar_message_floats_over_the_grid_without_pushing_it_down(calendar_page) -> None:  # type: ignore[no-untyped-def]
    view = calendar_page.view
    before = view.geometry()
    calendar_page.show_error(
        "Ann Smith was not moved: Dr Mei Lin is already seeing Bob Jones "
        "(Initial consultation) at Mon 2 Mar 11:00–12:00."
    )
    assert calendar_page.message_bar.isVisible()
    assert view.geometry() == before
    bar = calendar_page.message_bar.geometry()
    assert calendar_page.message_bar.parentWidget() is view
    assert bar.top() >= 30 and bar.right() <= view.width()  # below the day names, inside
    calendar_page.message_bar.clear()
    assert view.geometry() == before
