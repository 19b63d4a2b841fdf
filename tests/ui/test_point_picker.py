"""The point picker and the needle safety check in the session note editor (issue 18)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt

from frontdesk.context import AppContext
from frontdesk.domain import Role
from frontdesk.needling.service import list_point_prescriptions, save_point_prescription
from frontdesk.needling.types import AdverseKind, ChosenPoint, PrescriptionInput, Side
from frontdesk.notes import note_for_appointment
from frontdesk.ui.practice import note_editor
from frontdesk.ui.practice.chart import PatientChartWindow
from frontdesk.ui.practice.needle_dialogs import AdverseEventDialog, SavePrescriptionDialog
from frontdesk.ui.practice.note_editor import SessionNoteEditor
from tests.accounts_support import as_role
from tests.ui.test_practice_data import Week, build_week, open_note, read_chart

pytestmark = [
    pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise)"),
]


@pytest.fixture
def week(db) -> Week:  # type: ignore[no-untyped-def]
    return build_week(db, notes=False)


def _mei(week: Week) -> AppContext:
    db = as_role(week.ctx.db, Role.PRACTITIONER, practitioner_id=week.clinic.acu, username="mei")
    return replace(week.ctx, db=db)


def _editor_and_chart(qtbot, week: Week) -> tuple[SessionNoteEditor, PatientChartWindow]:  # type: ignore[no-untyped-def]
    chart = PatientChartWindow(_mei(week), week.clinic.bob)
    qtbot.addWidget(chart)
    read_chart(chart).select_appointment(week.bob_visit)
    return open_note(chart), chart


@pytest.mark.parametrize("typed", ["hegu", "li4"])
def test_the_picker_finds_li4_and_marks_it_on_both_hands(qtbot, week: Week, typed: str) -> None:  # type: ignore[no-untyped-def]
    editor, _chart = _editor_and_chart(qtbot, week)
    picker = editor.picker
    qtbot.keyClicks(picker.search, typed)
    assert picker.result_codes()[0] == "LI4"
    assert "Hégǔ" in picker.results.item(0).text()
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)  # adds the first match
    assert picker.value().points == (ChosenPoint("LI4", Side.BOTH),)
    assert picker.value().needles_in == 2  # both hands
    marks = picker.diagram.marks()
    assert [(code, view) for code, view, _x, _y in marks] == [("LI4", "back"), ("LI4", "back")]
    assert {x < 0.5 for _c, _v, x, _y in marks} == {True, False}  # one on each hand
    picker.row("LI4").buttons[Side.LEFT].click()
    assert len(picker.diagram.marks()) == 1 and picker.value().needles_in == 1


def test_ten_needles_in_and_nine_out_block_signing_until_found(  # type: ignore[no-untyped-def]
    qtbot, week: Week, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor, _chart = _editor_and_chart(qtbot, week)
    for code in ("GB20", "GB21", "LI4", "SI3", "BL23"):
        editor.picker.add_point(code)
    assert editor.picker.value().needles_in == 10
    asked: list[int] = []
    monkeypatch.setattr(
        note_editor.NeedleCountDialog, "ask", classmethod(lambda cls, p, n: asked.append(n) or 9)
    )
    editor.sign()
    assert asked == [10]  # signing asked for the count removed
    qtbot.waitUntil(lambda: bool(editor.errors.text("needles_out")), timeout=5000)
    assert "1 needle is not accounted for" in editor.errors.text("needles_out")
    assert editor.mode == "draft"
    # Found under the couch: the count is corrected, and the note signs.
    editor.picker.needles_out.setValue(10)
    editor.sign()
    qtbot.waitUntil(lambda: editor.mode == "signed", timeout=5000)
    note = note_for_appointment(week.ctx.db, week.bob_visit)
    assert note is not None and note.needling.needles_out == 10


def test_a_needle_recorded_as_an_incident_lets_the_note_sign_and_shows_on_the_chart(  # type: ignore[no-untyped-def]
    qtbot, week: Week, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor, chart = _editor_and_chart(qtbot, week)
    for code in ("GB20", "GB21", "LI4", "SI3", "BL23"):
        editor.picker.add_point(code)
    editor.picker.needles_out.setValue(9)
    editor.sign()
    qtbot.waitUntil(lambda: bool(editor.errors.text("needles_out")), timeout=5000)
    offered: list[AdverseKind] = []

    def answer(cls, parent, kind):  # type: ignore[no-untyped-def]
        offered.append(kind)
        return (kind, "One needle missing at the end.", "Searched the room; patient informed.")

    monkeypatch.setattr(note_editor.AdverseEventDialog, "ask", classmethod(answer))
    with qtbot.waitSignal(editor.incident_recorded, timeout=5000):
        editor.incident_button.click()
    assert offered == [AdverseKind.NEEDLE_UNACCOUNTED]
    editor.sign()
    qtbot.waitUntil(lambda: editor.mode == "signed", timeout=5000)
    qtbot.waitUntil(lambda: len(chart.adverse_event_rows()) == 1, timeout=5000)
    row = chart.adverse_event_rows()[0]
    assert row[2].startswith("Needle not accounted for") and "Searched the room" in row[3]


def test_a_prescription_applied_in_the_picker_is_saved_with_the_note(  # type: ignore[no-untyped-def]
    qtbot, week: Week
) -> None:
    neck = save_point_prescription(
        week.ctx.db,
        None,
        PrescriptionInput(
            "Neck, pinched nerve",
            points=(ChosenPoint("GB20"), ChosenPoint("GB21"), ChosenPoint("LI4")),
            retention_minutes=20,
        ),
        now=week.ctx.clock(),
    )
    editor, _chart = _editor_and_chart(qtbot, week)
    picker = editor.picker
    with qtbot.waitSignal(picker.changed, timeout=5000):
        picker.apply_prescription(neck.id)
    assert [p.code for p in picker.value().points] == ["GB20", "GB21", "LI4"]
    picker.remove_point("LI4")  # adjusted for this patient
    editor.autosave()  # on a worker, as typing pauses
    qtbot.waitUntil(lambda: not editor.has_unsaved_changes(), timeout=5000)
    note = note_for_appointment(week.ctx.db, week.bob_visit)
    assert note is not None
    assert [p.code for p in note.needling.points] == ["GB20", "GB21"]
    assert note.needling.retention_minutes == 20 and note.needling.needles_in == 4


def test_closing_a_session_with_needles_asks_how_many_came_out(  # type: ignore[no-untyped-def]
    qtbot, week: Week, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor, _chart = _editor_and_chart(qtbot, week)
    editor.picker.add_point("ST36")
    monkeypatch.setattr(note_editor.NeedleCountDialog, "ask", classmethod(lambda cls, p, n: n))
    editor.show()
    editor.close()
    note = note_for_appointment(week.ctx.db, week.bob_visit)
    assert note is not None and (note.needling.needles_in, note.needling.needles_out) == (2, 2)


def test_the_session_points_saved_as_a_prescription(qtbot, week: Week) -> None:  # type: ignore[no-untyped-def]
    editor, _chart = _editor_and_chart(qtbot, week)
    for code in ("GB30", "BL40"):
        editor.picker.add_point(code, Side.LEFT)
    dialog = editor.picker.save_as_prescription()
    assert isinstance(dialog, SavePrescriptionDialog)
    dialog.save()  # no name yet: refused at the field, nothing stored
    qtbot.waitUntil(lambda: bool(dialog.errors.text("name")), timeout=5000)
    assert list_point_prescriptions(week.ctx.db) == []
    dialog.name.setText("Sciatica, left")
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        dialog.save()
    [saved] = list_point_prescriptions(week.ctx.db)
    assert saved.name == "Sciatica, left"
    assert saved.points == (ChosenPoint("GB30", Side.LEFT), ChosenPoint("BL40", Side.LEFT))


def test_a_suspected_pneumothorax_shows_its_red_flag_advice(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = AdverseEventDialog(AdverseKind.BRUISING)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.red_flag.isVisible()
    dialog.kind.setCurrentIndex(list(AdverseKind).index(AdverseKind.PNEUMOTHORAX))
    assert dialog.red_flag.isVisible() and "911" in dialog.red_flag.text()


def test_the_needle_counts_are_never_squeezed_below_their_words(qtbot, qapp) -> None:  # type: ignore[no-untyped-def]
    """In a real window the note editor cut "not counted" to "ot counted"."""
    from PySide6.QtWidgets import QHBoxLayout, QWidget

    from frontdesk.ui.practice.point_picker import CountSpinBox
    from frontdesk.ui.theme import apply_theme

    apply_theme(qapp)
    row = QWidget()
    layout = QHBoxLayout(row)
    box = CountSpinBox(60, empty="not counted")
    layout.addWidget(box)
    qtbot.addWidget(row)
    row.resize(40, 30)  # as squeezed as a layout can ask
    row.show()
    qtbot.waitExposed(row)
    text = box.fontMetrics().horizontalAdvance("not counted")
    assert box.width() >= box.sizeHint().width() > text
