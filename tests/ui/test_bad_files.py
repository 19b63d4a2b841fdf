"""A damaged logo or a broken home-care library never stops the note editor, the plan editor
or printing: the logo is left out, and only the home-care picker waits for the library."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QMessageBox

from frontdesk.db.engine import Database
from frontdesk.db.models import ClinicSettings
from frontdesk.plans import ConditionChoice, PlanInput, create_plan, load_library
from frontdesk.plans import library as library_module
from frontdesk.reports import plan_handout_pdf
from frontdesk.ui.practice import actions
from frontdesk.ui.practice.my_day import MyDayPage
from frontdesk.ui.practice.note_editor import SessionNoteEditor
from frontdesk.ui.practice.plan_editor import PlanEditorWindow
from frontdesk.ui.settings.clinic_tab import ClinicTab
from tests.ui.answers import wait_for_answers
from tests.ui.test_practice_data import Week, build_week, open_note
from tests.unit.test_homecare_library import broken_libraries
from tests.unit.test_logo import jpeg_cut_in_half, png_bomb, png_with_garbage_stream

pytestmark = pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise)")


@pytest.fixture
def week(db: Database) -> Week:
    return build_week(db)


def _text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _open_note(qtbot, week: Week) -> SessionNoteEditor:
    page = MyDayPage(week.ctx, QUndoStack())
    qtbot.addWidget(page)
    page.set_practitioner(week.clinic.acu)
    wait_for_answers()  # the practitioners and the day are read on a worker
    chart = page.open_chart(1)
    qtbot.addWidget(chart)
    return open_note(chart)


def _plan(week: Week) -> int:
    data = PlanInput(week.clinic.ann, week.clinic.acu, week.course, (ConditionChoice("sciatica"),))
    return create_plan(week.ctx.db, data, now=week.ctx.clock()).plan_id


@pytest.mark.parametrize(
    "make", [png_with_garbage_stream, jpeg_cut_in_half], ids=["garbage stream", "half a JPEG"]
)
def test_a_damaged_stored_logo_stops_neither_editor_nor_handout(qtbot, week: Week, make) -> None:
    plan_id = _plan(week)
    with week.ctx.db.write() as s:
        row = s.get(ClinicSettings, 1)
        assert row is not None
        row.logo_png = make()
    editor = PlanEditorWindow(week.ctx, week.clinic.ann, plan_id=plan_id)
    qtbot.addWidget(editor)
    wait_for_answers()  # the plan and its preview are made on a worker
    assert "Sciatica" in _text(editor.preview.pdf_bytes)
    assert _open_note(qtbot, week).windowTitle().startswith("Session note")
    revision = editor.revision
    assert revision is not None
    assert "Sciatica" in _text(
        plan_handout_pdf(week.ctx.db, revision.revision_id, now=week.ctx.clock(), mark=False)
    )


@pytest.mark.parametrize(
    "make",
    [png_with_garbage_stream, jpeg_cut_in_half, png_bomb],
    ids=["garbage stream", "half a JPEG", "bomb"],
)
def test_choosing_a_bad_logo_says_why_at_the_field_and_keeps_the_old_one(
    qtbot, week: Week, tmp_path: Path, make
) -> None:
    tab = ClinicTab(week.ctx)
    qtbot.addWidget(tab)
    tab.reload()
    wait_for_answers()  # the form shows the saved details (read on a worker)
    bad = tmp_path / "logo.png"
    bad.write_bytes(make())
    tab.load_logo(bad)
    assert "logo.png:" in tab.errors.text("logo")
    assert tab.details().logo is None and not tab.remove_logo.isEnabled()


@pytest.mark.parametrize("case", ["items = 5", "Latin-1 byte", "conditions = []"])
def test_a_broken_library_turns_off_only_the_home_care_picker(
    qtbot, week: Week, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    plan_id = _plan(week)  # made while the library was fine
    path, line, _field, _words = broken_libraries(tmp_path)[case]
    monkeypatch.setattr(library_module, "default_library_path", lambda: path)
    actions.technique_labels.cache_clear()
    with pytest.raises(ValueError):
        load_library()

    note = _open_note(qtbot, week)  # the session note editor still opens
    assert note.windowTitle().startswith("Session note")

    editor = PlanEditorWindow(week.ctx, week.clinic.ann, plan_id=plan_id)
    qtbot.addWidget(editor)
    wait_for_answers()  # the plan and its preview are made on a worker
    message = editor.form.library_message.text()
    assert str(path) in message and f"line {line}" in message
    assert not editor.form.homecare.isEnabled() and editor.form.goals.isEnabled()
    assert "Sciatica" in _text(editor.preview.pdf_bytes)  # the handout still prints

    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *_a: QMessageBox.StandardButton.Discard)
    )  # closing the unsaved new plan
    fresh = PlanEditorWindow(week.ctx, week.clinic.ann, practitioner_id=week.clinic.acu)
    qtbot.addWidget(fresh)  # a new plan opens too, with nothing to pick from
    wait_for_answers()
    assert fresh.form.library_message.isVisibleTo(fresh.form)
    actions.technique_labels.cache_clear()


# -- export from the GUI -----------------------------------------------------------------------
def test_the_settings_button_exports_csv_and_asks_before_using_a_full_folder(
    qtbot, week: Week, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tab = ClinicTab(week.ctx)
    qtbot.addWidget(tab)
    tab.reload()
    wait_for_answers()  # the form shows the saved details (read on a worker)
    with qtbot.waitSignal(tab.exported):  # written on a worker
        tab.export_all_csv(tmp_path / "out")
    assert (tmp_path / "out" / "patients.csv").exists()
    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox,
        "question",
        staticmethod(lambda _p, title, *_a: asked.append(title) or QMessageBox.StandardButton.No),
    )
    tab.export_all_csv(tmp_path / "out")
    qtbot.waitUntil(lambda: "not empty" in tab.errors.text("out"))
    assert asked == ["Replace files?"] and "not empty" in tab.errors.text("out")


def test_the_chart_exports_the_record_as_pdf(
    qtbot, week: Week, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from frontdesk.ui.practice import chart as chart_module

    written: list[bytes] = []
    monkeypatch.setattr(
        chart_module,
        "save_pdf_as",
        lambda _p, pdf, suggested_name: (written.append(pdf), tmp_path / f"{suggested_name}.pdf")[
            1
        ],
    )
    page = MyDayPage(week.ctx, QUndoStack())
    qtbot.addWidget(page)
    wait_for_answers()  # the practitioners and the day are read on a worker
    chart = page.open_chart(0)
    qtbot.addWidget(chart)
    assert chart.export_action.text() == "Export record as PDF\u2026"
    wait_for_answers()  # the chart is read on a worker
    chart.export_action.trigger()
    wait_for_answers()  # the record is made on a worker, then saved where chosen
    assert "The record was saved to" in chart.statusBar().currentMessage()
    text = " ".join(_text(written[0]).split())
    appointments = len(chart_module.patient_appointments(week.ctx.db, chart.patient.id))
    assert "Patient record" in text and f"Appointments ({appointments})" in text
    assert chart.patient.family_name in text
