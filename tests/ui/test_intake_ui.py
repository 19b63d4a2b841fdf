"""The intake form and the consent as reception hands them over, and the caution banner the
practitioner then sees on the chart and in the session note."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from pypdf import PdfReader

from frontdesk.db.engine import Database
from frontdesk.domain import PermissionDenied, Role
from frontdesk.intake import list_consents, load_forms, read_intakes
from frontdesk.reports.printing import consent_pdf
from frontdesk.ui.intake.consent_window import ConsentWindow
from frontdesk.ui.intake.intake_form import IntakeFormWindow
from frontdesk.ui.practice.chart import PatientChartWindow
from frontdesk.ui.practice.note_editor import SessionNoteEditor
from tests.accounts_support import as_role
from tests.ui.answers import wait_for_answers
from tests.ui.test_practice_data import TZ, Week, build_week

pytestmark = pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise)")


@pytest.fixture
def week(db: Database) -> Week:
    return build_week(db)


def _form(qtbot, week: Week, role: Role = Role.ADMINISTRATOR) -> IntakeFormWindow:  # type: ignore[no-untyped-def]
    db = as_role(week.ctx.db, role, practitioner_id=None)
    form = load_forms().intake("acupuncture_intake")
    assert form is not None
    window = IntakeFormWindow(replace(week.ctx, db=db), week.clinic.ann, "Ann Smith", form)
    qtbot.addWidget(window)
    window.show()
    return window


def test_an_intake_with_a_caution_raises_the_banner_on_the_chart_and_in_the_note(
    qtbot, week: Week
) -> None:
    chart = PatientChartWindow(week.ctx, week.clinic.ann)
    qtbot.addWidget(chart)
    assert chart.caution_banner.text() == ""  # no intake, no banner

    # Reception hands the form over; the patient answers, with a blood thinner.
    form = _form(qtbot, week, Role.RECEPTION)
    form.fields["reason"].set_answer("Neck pain since a fall in October")
    form.fields["bleeding"].set_answer("yes", "warfarin")
    assert not form.fields["bleeding"].detail.isHidden()  # the detail is asked for
    form.fields["implant"].set_answer("no", "ignored: no caution")
    form.save()
    qtbot.waitUntil(lambda: form.saved_intake is not None)
    assert form.pages.currentIndex() == 1  # the thank-you page
    assert form.fields["bleeding"].answer().answer == ""  # answers gone from the screen

    chart.refresh()
    wait_for_answers()  # the chart reads on a worker
    banner = chart.caution_banner.text()
    assert "Bleeding disorder or blood thinner" in banner and "(warfarin)" in banner
    assert "Pacemaker" not in banner

    editor = chart.open_note_for_selection()
    assert isinstance(editor, SessionNoteEditor)  # closed with the chart that opened it
    assert "Bleeding disorder or blood thinner" in editor.cautions.text()
    assert "(warfarin)" in editor.cautions.text()
    # A later intake read by the chart reaches the open note too.
    form2 = _form(qtbot, week)
    form2.fields["reason"].set_answer("Neck pain")
    form2.fields["bleeding"].set_answer("no")
    form2.fields["implant"].set_answer("yes", "pacemaker")
    form2.save()
    qtbot.waitUntil(lambda: form2.saved_intake is not None)
    chart.refresh()
    wait_for_answers()  # the chart reads on a worker
    assert "Pacemaker or implanted device" in editor.cautions.text()
    assert "warfarin" not in editor.cautions.text()


def test_a_missing_answer_is_shown_at_its_question_and_nothing_is_stored(qtbot, week: Week) -> None:
    form = _form(qtbot, week)
    form.fields["diabetes"].set_answer("yes")
    form.save()
    qtbot.waitUntil(lambda: bool(form.fields["reason"].error.text()))
    assert form.fields["reason"].error.text() == "Please answer this question."
    assert form.pages.currentIndex() == 0
    assert read_intakes(week.ctx.db, week.clinic.ann) == []
    form._ask_discard = lambda: True  # type: ignore[method-assign]


def test_the_handed_over_form_is_full_screen_with_large_text_and_escape_returns_it(
    qtbot, week: Week
) -> None:
    form = _form(qtbot, week)
    normal = form.fields["reason"].label.font().pointSizeF()
    form.handover_action.trigger()  # F11
    assert form.handed_over
    qtbot.waitUntil(lambda: form.isFullScreen())
    assert form.fields["reason"].label.font().pointSizeF() > normal * 1.5
    form.close()  # Escape or Cancel on the patient's screen gives the desk its window back
    assert form.isVisible() and not form.handed_over
    qtbot.waitUntil(lambda: not form.isFullScreen())


def test_reception_saves_the_intake_but_cannot_read_it_back(qtbot, week: Week) -> None:
    form = _form(qtbot, week, Role.RECEPTION)
    form.fields["reason"].set_answer("Sore knees")
    form.fields["epilepsy"].set_answer("yes", "last seizure 2019")
    form.save()
    qtbot.waitUntil(lambda: form.saved_intake is not None)
    reception = as_role(week.ctx.db, Role.RECEPTION)
    with pytest.raises(PermissionDenied, match="may not read a patient's intake answers"):
        read_intakes(reception, week.clinic.ann)
    assert read_intakes(week.ctx.db, week.clinic.ann)[0].cautions[0].detail == ("last seizure 2019")


def test_a_consent_signed_on_the_pad_round_trips_and_prints_with_the_signature(
    qtbot, week: Week
) -> None:
    form = load_forms().consent("acupuncture_consent")
    assert form is not None
    window = ConsentWindow(week.ctx, week.clinic.ann, "Ann Smith", form, TZ)
    qtbot.addWidget(window)
    window.show()
    assert not window.sign_button.isEnabled()  # nothing to sign with yet
    window.pad.add_stroke([(30, 110), (70, 40), (110, 120), (160, 50), (220, 115)])
    window.pad.add_stroke([(240, 90), (330, 80)])
    png = window.pad.to_png()
    assert png.startswith(b"\x89PNG")
    window.sign()
    qtbot.waitUntil(lambda: window.stored is not None)
    assert "witnessed by" in window.status.text()

    stored = list_consents(week.ctx.db, week.clinic.ann)
    assert len(stored) == 1 and stored[0].signature_png == png
    assert stored[0].signer_name == "Ann Smith"
    pdf = consent_pdf(week.ctx.db, week.clinic.ann)
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    xobjects = page["/Resources"]["/XObject"]
    assert any(x.get_object()["/Subtype"] == "/Image" for x in xobjects.values())
    text = page.extract_text()
    signed_on = stored[0].signed_at.astimezone(TZ)
    assert f"{signed_on.day} {signed_on:%b %Y}" in text
    assert "Ann Smith" in text and stored[0].witness_name in text


@pytest.mark.filterwarnings("ignore:Function.*setActiveWindow.*:DeprecationWarning")
def test_the_form_is_filled_in_and_saved_from_the_keyboard(qtbot, week: Week) -> None:
    from PySide6.QtCore import Qt

    from tests.ui.test_practice_registry import make_active

    form = _form(qtbot, week)
    make_active(form)
    reason = form.fields["reason"].text_edit
    assert reason is not None
    reason.setFocus()
    qtbot.keyClicks(reason, "Tennis elbow")
    qtbot.keyClick(reason, Qt.Key.Key_Tab)  # Tab leaves a text box, it types no tab
    assert form.focusWidget() is form.fields["complaint_history"].text_edit
    group = form.fields["diabetes"].group
    assert group is not None
    yes = group.buttons()[0]
    yes.setFocus()
    qtbot.keyClick(yes, Qt.Key.Key_Space)
    qtbot.keyClick(form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: form.saved_intake is not None)
    stored = read_intakes(week.ctx.db, week.clinic.ann)[0]
    assert stored.answers[0].answer == "Tennis elbow"
    assert [c.question_id for c in stored.cautions] == ["diabetes"]
