"""The plan editor: live handout preview, printing and saving, and revisions that stay intact."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QMessageBox

from frontdesk.db.engine import Database
from frontdesk.plans import HomecareEntry, get_plan, list_plans, list_revisions, load_library
from frontdesk.ui import file_dialogs, printing
from frontdesk.ui.practice.chart import PatientChartWindow
from frontdesk.ui.practice.plan_editor import PlanEditorWindow
from tests.ui.answers import wait_for_answers
from tests.ui.test_practice_data import Week, build_week

pytestmark = pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise)")

LIBRARY = load_library()
OWN_ADVICE = "Walk for twenty minutes after dinner, on flat ground"


def _text(pdf: bytes) -> str:
    """The PDF's words with line breaks and repeated spaces folded, as a reader sees them."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def _item(item_id: str) -> str:
    return LIBRARY.items[item_id].text


@pytest.fixture
def week(db: Database) -> Week:
    return build_week(db)


@pytest.fixture(autouse=True)
def _answers(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Closing an editor with unsaved changes asks; tests answer "Discard" unless they say."""
    asked: list[str] = []

    def question(parent, title, text, *args):
        asked.append(text)
        return QMessageBox.StandardButton.Discard

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    return asked


@pytest.fixture
def editor(qtbot, week: Week) -> PlanEditorWindow:
    window = PlanEditorWindow(week.ctx, week.clinic.ann, practitioner_id=week.clinic.acu)
    qtbot.addWidget(window)
    window.show()
    return window


def _choose_sciatica(editor: PlanEditorWindow) -> None:
    row = editor.form.condition_rows[0]
    row.condition.setCurrentIndex(row.condition.findData("sciatica"))
    row.side.setCurrentIndex(row.side.findData("right"))


def _fill(qtbot, editor: PlanEditorWindow) -> None:
    _choose_sciatica(editor)
    editor.form.symptom_boxes["numbness"].setChecked(True)
    editor.form.technique_boxes["acupuncture"].setChecked(True)
    editor.form.pain_score.setValue(7)
    qtbot.keyClicks(editor.form.goals, "Sleep through the night")
    editor.form.homecare.set_checked("lifting", False)
    editor.form.homecare.own.setText(OWN_ADVICE)
    editor.form.homecare.add_own_item()


def test_preview_shows_the_chosen_home_care_before_saving(qtbot, editor: PlanEditorWindow) -> None:
    defaults = LIBRARY.default_items(["sciatica"])
    assert "lifting" in defaults and "rest" in defaults
    with qtbot.waitSignal(editor.preview_updated, timeout=5000):
        _fill(qtbot, editor)
    assert editor.form.homecare.value()[-1] == HomecareEntry(OWN_ADVICE)
    text = _text(editor.preview.pdf_bytes)
    assert "Ann Smith" in text
    assert "Sciatica, right side" in text
    assert _item("rest") in text
    assert OWN_ADVICE in text
    assert _item("lifting") not in text  # unticked for this patient
    assert editor.revision is None  # the preview saved nothing
    assert "not saved" in editor.revision_label.text()


def test_conditions_bring_their_defaults_but_keep_manual_choices(editor: PlanEditorWindow) -> None:
    homecare = editor.form.homecare
    homecare.set_checked("wrist_brace", True)  # ticked by hand, not a default for a nerve
    _choose_sciatica(editor)
    ticked = [e.item_id for e in homecare.value()]
    assert "lifting" in ticked and "wrist_brace" in ticked
    row = editor.form.condition_rows[0]
    row.condition.setCurrentIndex(row.condition.findData("neck_pain"))
    ticked = [e.item_id for e in homecare.value()]
    assert "lifting" not in ticked  # a sciatica default, dropped with sciatica
    assert "wrist_brace" in ticked  # the practitioner's own choice survives
    assert "screen_height" in ticked  # a neck-pain default


def test_save_as_pdf_writes_the_handout_and_freezes_the_revision(
    qtbot, editor: PlanEditorWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill(qtbot, editor)
    target = tmp_path / "handout.pdf"
    monkeypatch.setattr(file_dialogs, "save_file_name", lambda *a: str(target))
    assert editor.save_as_pdf()
    text = _text(target.read_bytes())
    assert OWN_ADVICE in text and "Sleep through the night" in text
    view = get_plan(editor.ctx.db, editor.revision.plan_id)
    assert view.number == 1 and view.is_printed
    assert "Revision 1 \u00b7 printed" in editor.revision_label.text()


def test_revising_a_printed_plan_makes_a_new_revision_and_keeps_the_old(
    qtbot, editor: PlanEditorWindow, week: Week, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill(qtbot, editor)
    out = tmp_path / "printed.pdf"

    def to_file(parent, printer: QPrinter) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        return True

    monkeypatch.setattr(printing, "ask_print_settings", to_file)
    assert editor.print_handout()
    # Pages go to the printer as images, so compare the page count with the preview's.
    assert len(PdfReader(out).pages) == editor.preview.page_count() >= 1
    plan_id = editor.revision.plan_id
    editor.form.pain_score.setValue(4)
    assert "saved as revision 2" in editor.revision_label.text()
    assert editor.save()
    assert editor.revision.number == 2 and not editor.revision.is_printed
    assert [r.number for r in list_revisions(week.ctx.db, plan_id)] == [1, 2]
    assert get_plan(week.ctx.db, plan_id, 1).pain_score == 7  # the printed revision is intact
    assert get_plan(week.ctx.db, plan_id).pain_score == 4

    chart = PatientChartWindow(week.ctx, week.clinic.ann)
    qtbot.addWidget(chart)
    wait_for_answers()  # the chart reads on a worker
    plan_row = chart.plans_tree.topLevelItem(0)
    assert plan_row.text(2) == "Revision 2"
    assert [plan_row.child(i).text(0) for i in range(2)] == ["Revision 2", "Revision 1"]
    old = PlanEditorWindow(week.ctx, week.clinic.ann, plan_id=plan_id, revision=1)
    qtbot.addWidget(old)
    assert old.read_only and not old.form.isEnabled()
    assert old.form.pain_score.score() == 7
    assert "read-only" in old.revision_label.text()
    assert "Revision 1" in _text(old.preview.pdf_bytes)


def test_linking_the_course_fills_sessions_and_lists_its_appointments(
    qtbot, editor: PlanEditorWindow, week: Week
) -> None:
    combo = editor.form.course
    with qtbot.waitSignal(editor.preview_updated, timeout=5000):
        combo.setCurrentIndex(combo.findData(week.course))
    assert editor.form.sessions.value() == 6
    assert editor.form.course_rhythm.text() == "weekly, 6 sessions"
    text = _text(editor.preview.pdf_bytes)
    assert "2 Mar 2026" in text and "6 Apr 2026" in text  # first and last session


def test_a_linked_plan_shows_and_prints_the_courses_frequency_not_its_own(
    qtbot, editor: PlanEditorWindow, week: Week, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Words typed before the course was booked ("twice a week for 4 weeks") give way to the
    weekly course of six; unlinking brings the plan's own words back."""
    form = editor.form
    _fill(qtbot, editor)
    form.sessions.setValue(8)
    form.frequency.setText("twice a week for 4 weeks")
    with qtbot.waitSignal(editor.preview_updated, timeout=5000):
        form.course.setCurrentIndex(form.course.findData(week.course))
    assert form.course_rhythm.isVisible() and not form.frequency.isVisible()
    assert form.course_rhythm.text() == "weekly, 6 sessions"
    assert (form.value().planned_sessions, form.value().frequency_text) == (
        6,
        "weekly, 6 sessions",
    )
    assert "How often: weekly, 6 sessions" in _text(editor.preview.pdf_bytes)

    target = tmp_path / "handout.pdf"
    monkeypatch.setattr(file_dialogs, "save_file_name", lambda *a: str(target))
    assert editor.save_as_pdf()
    printed = _text(target.read_bytes())
    assert "How often: weekly, 6 sessions" in printed
    assert "twice a week" not in printed.lower() and "8 sessions" not in printed

    reopened = PlanEditorWindow(week.ctx, week.clinic.ann, plan_id=editor.revision.plan_id)
    qtbot.addWidget(reopened)
    assert reopened.form.course_rhythm.text() == "weekly, 6 sessions"
    form.course.setCurrentIndex(form.course.findData(None))
    assert form.frequency.isVisible() and not form.course_rhythm.isVisible()
    assert form.frequency.text() == "twice a week for 4 weeks"


def test_plan_a_course_links_what_the_wizard_booked(
    qtbot, editor: PlanEditorWindow, week: Week, monkeypatch: pytest.MonkeyPatch
) -> None:
    from frontdesk.scheduling import get_course
    from frontdesk.ui.booking.course_wizard import CourseWizard

    asked: dict[str, object] = {}

    def fake_ask(parent, ctx, **kwargs):
        asked.update(kwargs)
        return get_course(ctx.db, week.course)

    monkeypatch.setattr(CourseWizard, "ask", staticmethod(fake_ask))
    editor.form.plan_course_button.click()
    assert asked["patient_id"] == week.clinic.ann
    assert editor.form.course.currentData() == week.course


def test_chart_prints_the_handout_through_the_preview(
    qtbot, editor: PlanEditorWindow, week: Week, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _fill(qtbot, editor)
    assert editor.save()
    chart = PatientChartWindow(week.ctx, week.clinic.ann)
    qtbot.addWidget(chart)
    wait_for_answers()  # the chart reads on a worker
    chart.print_handout()
    wait_for_answers()  # the handout is made on a worker
    preview = chart.last_preview
    qtbot.addWidget(preview)
    assert OWN_ADVICE in _text(preview.preview.pdf_bytes)
    target = tmp_path / "from-chart.pdf"
    monkeypatch.setattr(file_dialogs, "save_file_name", lambda *a: str(target))
    preview.save_document()
    assert target.exists()
    wait_for_answers()  # the revision is frozen on a worker
    assert get_plan(week.ctx.db, editor.revision.plan_id).is_printed
    assert "printed" in chart.plans_tree.topLevelItem(0).child(0).text(2)


def test_closing_with_unsaved_changes_asks_and_can_save(
    qtbot, editor: PlanEditorWindow, week: Week, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill(qtbot, editor)
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a: QMessageBox.StandardButton.Save)
    )
    assert editor.close()
    assert editor.revision is not None
    stored = get_plan(week.ctx.db, editor.revision.plan_id)
    assert stored.homecare[-1] == HomecareEntry(OWN_ADVICE)


def test_closing_unchanged_does_not_ask(
    qtbot, editor: PlanEditorWindow, _answers: list[str]
) -> None:
    _fill(qtbot, editor)
    assert editor.save()
    assert editor.close()
    assert _answers == []


def test_main_window_stays_open_while_a_plan_editor_keeps_its_changes(
    qtbot, week: Week, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtCore import QSettings

    from frontdesk.ui.main_window import MainWindow
    from frontdesk.ui.practice import actions

    window = MainWindow(
        week.ctx, settings=QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat)
    )
    qtbot.addWidget(window)
    window.show()
    editor = actions.open_plan_editor(
        window, week.ctx, week.clinic.ann, plan_id=None, practitioner_id=week.clinic.acu
    )
    _fill(qtbot, editor)
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a: QMessageBox.StandardButton.Cancel)
    )
    assert not window.close()
    assert window.isVisible() and editor.isVisible()
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a: QMessageBox.StandardButton.Save)
    )
    assert window.close()
    assert editor.revision is not None  # saved on the way out


def test_a_refused_field_is_explained_beside_it_and_nothing_is_saved(
    qtbot, editor: PlanEditorWindow, week: Week
) -> None:
    _choose_sciatica(editor)
    editor.form.frequency.setText("twice a week " * 20)
    assert not editor.save()
    assert "at most 120 characters" in editor.form.errors.text("frequency_text")
    assert editor.message.isVisibleTo(editor)
    assert editor.revision is None
    assert list_plans(week.ctx.db, week.clinic.ann) == []
    editor.form.frequency.setText("twice a week")
    assert editor.save()
    assert editor.form.errors.text("frequency_text") == ""


def test_the_plan_is_signed_by_the_chosen_practitioner(
    qtbot, editor: PlanEditorWindow, week: Week
) -> None:
    combo = editor.form.practitioner
    assert combo.currentData() == week.clinic.acu and combo.itemText(0).endswith("(Acupuncture)")
    _choose_sciatica(editor)
    with qtbot.waitSignal(editor.preview_updated, timeout=5000):
        combo.setCurrentIndex(combo.findData(week.clinic.physio))
    assert "Prepared for you by Sam Patel" in _text(editor.preview.pdf_bytes)
    assert editor.save()
    assert get_plan(week.ctx.db, editor.revision.plan_id).practitioner_id == week.clinic.physio


def test_a_printed_plan_keeps_its_home_care_wording_after_the_library_changes(
    qtbot, editor: PlanEditorWindow, week: Week, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from frontdesk.ui.practice import plan_editor
    from tests.unit.test_plans_homecare_wording import (
        NEW_WORDING,
        REMOVED,
        REWORDED,
        edited_library,
    )

    _fill(qtbot, editor)
    monkeypatch.setattr(file_dialogs, "save_file_name", lambda *a: str(tmp_path / "first.pdf"))
    assert editor.save_as_pdf()
    library = edited_library(tmp_path)
    monkeypatch.setattr(plan_editor, "load_library", lambda: library)

    old = PlanEditorWindow(week.ctx, week.clinic.ann, plan_id=editor.revision.plan_id)
    qtbot.addWidget(old)
    checklist = old.form.homecare
    assert HomecareEntry(_item(REWORDED), REWORDED) in checklist.value()  # ticked, as printed
    assert HomecareEntry(_item(REMOVED), REMOVED) in checklist.value()
    assert HomecareEntry(OWN_ADVICE) in checklist.value()
    assert not old.is_dirty()
    text = _text(old.preview.pdf_bytes)
    assert _item(REWORDED) in text and _item(REMOVED) in text and OWN_ADVICE in text
    assert NEW_WORDING not in text

    checklist.set_checked(REWORDED, False)  # ticking again takes the library's new words
    checklist.set_checked(REWORDED, True)
    assert HomecareEntry(NEW_WORDING, REWORDED) in checklist.value()
    assert old.save() and old.revision.number == 2
    latest, first = (get_plan(week.ctx.db, old.revision.plan_id, n) for n in (2, 1))
    assert HomecareEntry(NEW_WORDING, REWORDED) in latest.homecare
    assert HomecareEntry(_item(REWORDED), REWORDED) in first.homecare  # paper and revision agree
