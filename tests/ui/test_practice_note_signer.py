"""A session note is signed by the practitioner who treated, never by whoever is listed first."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from frontdesk.db.engine import Database
from frontdesk.notes import list_notes, note_for_appointment
from frontdesk.ui.practice.chart import PatientChartWindow
from frontdesk.ui.practice.note_editor import SessionNoteEditor
from tests.ui.test_practice_data import Week, build_week

pytestmark = pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise)")


@pytest.fixture
def week(db: Database, monkeypatch: pytest.MonkeyPatch) -> Week:
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a: QMessageBox.StandardButton.Discard)
    )
    return build_week(db)


def _chart(qtbot, week: Week, practitioner_id: int | None) -> PatientChartWindow:
    chart = PatientChartWindow(week.ctx, week.clinic.bob, practitioner_id=practitioner_id)
    qtbot.addWidget(chart)
    return chart


def test_a_loose_note_asks_who_treated_when_nobody_is_known(qtbot, week: Week) -> None:
    chart = _chart(qtbot, week, None)
    chart.appointment_tree.setCurrentItem(None)
    editor = chart.open_note_for_selection()
    assert isinstance(editor, SessionNoteEditor)
    assert editor.practitioner.currentData() == 0  # nobody preselected
    qtbot.keyClicks(editor.body, "Phoned in: wrist much better")
    assert not editor.save_now()
    assert "Choose the practitioner" in editor.errors.text("practitioner_id")
    assert list_notes(week.ctx.db, week.clinic.bob) == []
    editor.practitioner.setCurrentIndex(editor.practitioner.findData(week.clinic.physio))
    assert editor.save_now()
    assert [n.practitioner_id for n in list_notes(week.ctx.db, week.clinic.bob)] == [
        week.clinic.physio
    ]


def test_a_loose_note_defaults_to_the_my_day_practitioner(qtbot, week: Week) -> None:
    chart = _chart(qtbot, week, week.clinic.physio)
    chart.appointment_tree.setCurrentItem(None)
    editor = chart.open_note_for_selection()
    assert editor.practitioner.currentData() == week.clinic.physio


def test_an_appointment_note_defaults_to_the_appointments_practitioner(qtbot, week: Week) -> None:
    chart = _chart(qtbot, week, week.clinic.physio)
    chart.select_appointment(week.bob_visit)
    editor = chart.open_note_for_selection()
    assert editor.practitioner.currentData() == week.clinic.acu
    qtbot.keyClicks(editor.body, "Needled LI4")
    assert editor.save_now()
    assert note_for_appointment(week.ctx.db, week.bob_visit).practitioner_id == week.clinic.acu
