"""One editable editor per note and per plan on a workstation, and saves that do not overwrite
what another workstation saved in between."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget

from frontdesk.db.engine import Database
from frontdesk.notes import SessionNoteInput
from frontdesk.plans import (
    ConditionChoice,
    PlanInput,
    create_plan,
    get_plan,
    mark_printed,
    save_plan,
)
from frontdesk.ui.practice import actions
from frontdesk.ui.practice.note_editor import SessionNoteEditor
from frontdesk.ui.practice.plan_editor import PlanEditorWindow
from frontdesk.ui.practice.windows import WindowRegistry
from tests.ui.answers import wait_for_answers
from tests.ui.test_booking_support import TZ
from tests.ui.test_practice_data import Week, build_week

pytestmark = pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise)")


@pytest.fixture
def week(db: Database) -> Week:
    return build_week(db)


@pytest.fixture
def root(qtbot, monkeypatch: pytest.MonkeyPatch) -> QWidget:
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a: QMessageBox.StandardButton.Discard)
    )
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def _plan(week: Week) -> int:
    data = PlanInput(week.clinic.ann, week.clinic.acu, week.course, (ConditionChoice("sciatica"),))
    return create_plan(week.ctx.db, data, now=week.ctx.clock()).plan_id


def test_a_plan_opens_once_from_its_row_or_its_latest_revision(root: QWidget, week: Week) -> None:
    plan_id = _plan(week)
    by_plan = actions.open_plan_editor(root, week.ctx, week.clinic.ann, plan_id=plan_id)
    shown: list[QWidget] = []
    actions.open_plan_editor(
        root, week.ctx, week.clinic.ann, plan_id=plan_id, revision=1, shown=shown.append
    )
    wait_for_answers()  # whether revision 1 is the latest is asked on a worker
    assert shown == [by_plan]
    again = actions.open_plan_editor(root, week.ctx, week.clinic.ann, plan_id=plan_id, revision=1)
    assert again is by_plan  # its editor knows it shows revision 1: nothing to ask


def test_an_old_revision_picked_by_number_opens_read_only_beside_the_plan(
    root: QWidget, week: Week
) -> None:
    plan_id = _plan(week)
    first = get_plan(week.ctx.db, plan_id)
    mark_printed(week.ctx.db, first.revision_id, now=week.ctx.clock())
    save_plan(week.ctx.db, plan_id, replace(first.as_input(), pain_score=3), now=week.ctx.clock())
    shown: list[QWidget] = []
    opened = actions.open_plan_editor(
        root, week.ctx, week.clinic.ann, plan_id=plan_id, revision=1, shown=shown.append
    )
    assert opened is None and shown == []  # whether 1 is the latest is asked on a worker
    wait_for_answers()
    (old,) = shown
    assert isinstance(old, PlanEditorWindow) and old.read_only
    assert "read-only" in old.revision_label.text()
    latest = actions.open_plan_editor(root, week.ctx, week.clinic.ann, plan_id=plan_id)
    assert latest is not old
    again = actions.open_plan_editor(root, week.ctx, week.clinic.ann, plan_id=plan_id, revision=1)
    assert again is old  # the open window, raised without asking


def test_a_new_plan_is_found_by_its_id_once_saved(qtbot, root: QWidget, week: Week) -> None:
    editor = actions.open_plan_editor(
        root, week.ctx, week.clinic.ann, plan_id=None, practitioner_id=week.clinic.acu
    )
    wait_for_answers()  # the editor reads the patient on a worker
    editor.save()
    wait_for_answers()
    again = actions.open_plan_editor(
        root, week.ctx, week.clinic.ann, plan_id=editor.revision.plan_id
    )
    assert again is editor


def test_a_loose_note_is_found_by_its_id_once_saved(qtbot, root: QWidget, week: Week) -> None:
    base = SessionNoteInput(week.clinic.bob, week.clinic.acu, None)
    editor = actions.open_note_editor(root, week.ctx, base, heading="Bob", tz=TZ, on_saved=None)
    qtbot.keyClicks(editor.body, "Phoned: the wrist is better")
    assert editor.save_now()
    again = actions.open_existing_note(
        root, week.ctx, editor.note_id, heading="Bob", tz=TZ, on_saved=None
    )
    assert again is editor


def test_a_note_is_read_before_its_editor_opens_and_opens_once(
    qtbot, root: QWidget, week: Week
) -> None:
    base = SessionNoteInput(week.clinic.bob, None, week.bob_visit)
    opened: list[QWidget] = []
    for _ in range(2):  # a double click: the second arrives while the note is being read
        asked = actions.open_note_editor(
            root, week.ctx, base, heading="Bob", tz=TZ, on_saved=None, shown=opened.append
        )
        assert asked is None  # nothing yet: it opens when the read answers
    wait_for_answers()
    assert len(opened) == 1
    editor = opened[0]
    assert isinstance(editor, SessionNoteEditor) and editor.isVisible()
    assert WindowRegistry.of(root).windows() == [editor]
    qtbot.keyClicks(editor.body, "Wrist better")
    assert editor.save_now()
    editor.close()
    qtbot.waitUntil(lambda: WindowRegistry.of(root).windows() == [])  # the closed window goes
    # Picked from the chart's notes list: read on a worker, then the editor shows it.
    note_id = editor.note_id
    again = actions.open_existing_note(
        root, week.ctx, note_id, heading="Bob", tz=TZ, on_saved=None, shown=opened.append
    )
    assert again is None
    wait_for_answers()
    reopened = opened[-1]
    assert isinstance(reopened, SessionNoteEditor) and reopened is not editor
    assert reopened.body.toPlainText() == "Wrist better"
    assert reopened.windowTitle() == "Session note \u2013 Bob, 9 Mar 2026"
    # Asked again while it is open: brought to the front at once, nothing read.
    assert (
        actions.open_existing_note(root, week.ctx, note_id, heading="Bob", tz=TZ, on_saved=None)
        is reopened
    )


def test_a_plan_saved_elsewhere_is_not_overwritten_and_can_be_loaded(
    qtbot, root: QWidget, week: Week
) -> None:
    plan_id = _plan(week)
    editor = actions.open_plan_editor(root, week.ctx, week.clinic.ann, plan_id=plan_id)
    assert isinstance(editor, PlanEditorWindow)
    wait_for_answers()  # the plan is read on a worker
    theirs = get_plan(week.ctx.db, plan_id)
    save_plan(
        week.ctx.db,
        plan_id,
        replace(theirs.as_input(), pain_score=2),
        now=week.ctx.clock(),
        expected_version=theirs.version,
    )
    editor.form.better_with.setText("Heat")  # (its frequency is the linked course's)
    editor.save()
    wait_for_answers()
    assert "changed at another workstation" in editor.message.text()
    assert editor.form.better_with.text() == "Heat"  # still on screen
    assert get_plan(week.ctx.db, plan_id).better_with == ""
    assert not editor.reload_button.isHidden()
    editor.reload_button.click()
    wait_for_answers()
    assert editor.form.value().pain_score == 2 and not editor.is_dirty()
    editor.form.better_with.setText("Heat")
    editor.save()
    wait_for_answers()
    assert get_plan(week.ctx.db, plan_id).better_with == "Heat"


def make_active(widget: QWidget) -> None:
    """The offscreen platform activates no window by itself; window shortcuts need one."""
    from PySide6.QtWidgets import QApplication

    QApplication.setActiveWindow(widget)


@pytest.mark.filterwarnings("ignore:Function.*setActiveWindow.*:DeprecationWarning")
@pytest.mark.parametrize("keys", ["Esc", "Ctrl+W"])
def test_a_note_editor_and_a_plan_editor_close_with_esc_or_ctrl_w(
    qtbot, root: QWidget, week: Week, keys: str
) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from frontdesk.notes import get_note

    key, mods = (
        (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier)
        if keys == "Esc"
        else (Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    )
    note = actions.open_note_editor(
        root,
        week.ctx,
        SessionNoteInput(week.clinic.bob, week.clinic.acu, None),
        heading="Bob",
        tz=TZ,
        on_saved=None,
    )
    make_active(note)
    qtbot.keyClicks(note.body, "Wrist better")
    QTest.keyClick(note.body, key, mods)
    qtbot.waitUntil(lambda: not note.isVisible())
    assert note.note_id is not None and "Wrist better" in get_note(week.ctx.db, note.note_id).body
    plan = actions.open_plan_editor(root, week.ctx, week.clinic.ann, plan_id=_plan(week))
    make_active(plan)
    QTest.keyClick(plan.focusWidget() or plan, key, mods)
    qtbot.waitUntil(lambda: not plan.isVisible())
