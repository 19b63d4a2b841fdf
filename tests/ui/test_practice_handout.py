"""A printed handout freezes the revision only if the revision still holds what was printed."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget

from frontdesk.db.engine import Database
from frontdesk.plans import ConditionChoice, PlanInput, create_plan, get_plan, save_plan
from frontdesk.ui.practice.handout import preview_handout
from tests.ui.answers import wait_for_answers
from tests.ui.test_practice_data import Week, build_week

pytestmark = pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise)")


@pytest.fixture
def week(db: Database) -> Week:
    return build_week(db)


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", staticmethod(lambda _p, _t, text, *a: shown.append(text))
    )
    return shown


def _preview(qtbot, week: Week, printed: list[int]):
    data = PlanInput(week.clinic.ann, week.clinic.acu, week.course, (ConditionChoice("sciatica"),))
    plan = create_plan(week.ctx.db, data, now=week.ctx.clock())
    parent = QWidget()
    qtbot.addWidget(parent)
    opened: list[object] = []
    preview_handout(
        parent,
        week.ctx,
        plan.plan_id,
        None,
        on_printed=lambda: printed.append(1),
        shown=opened.append,
    )
    wait_for_answers()  # the handout is made on a worker
    [dialog] = opened
    assert dialog is not None
    return plan, dialog


def test_printing_freezes_the_revision_that_was_shown(
    qtbot, week: Week, warnings: list[str]
) -> None:
    printed: list[int] = []
    plan, dialog = _preview(qtbot, week, printed)
    dialog.issued.emit("print")
    wait_for_answers()
    dialog.issued.emit("save")  # a second copy of the same preview is fine too
    wait_for_answers()
    assert get_plan(week.ctx.db, plan.plan_id).is_printed
    assert printed == [1, 1] and warnings == []


def test_a_revision_saved_over_while_previewed_is_not_frozen(
    qtbot, week: Week, warnings: list[str]
) -> None:
    printed: list[int] = []
    plan, dialog = _preview(qtbot, week, printed)
    save_plan(
        week.ctx.db,
        plan.plan_id,
        replace(plan.as_input(), pain_score=3),
        now=week.ctx.clock(),
        expected_version=plan.version,
    )  # edited at another desk
    dialog.issued.emit("print")
    wait_for_answers()
    assert not get_plan(week.ctx.db, plan.plan_id).is_printed
    assert printed == []
    assert len(warnings) == 1 and "paper no longer matches" in warnings[0]


def test_ticking_progress_adds_the_scores_chart_to_the_preview_and_the_printed_copy(
    qtbot, week: Week, warnings: list[str]
) -> None:
    from datetime import date
    from io import BytesIO

    from pypdf import PdfReader

    from frontdesk.outcomes.questionnaires import Answer
    from frontdesk.outcomes.service import record_outcome
    from frontdesk.ui.practice.handout_options import HandoutOptions

    for day, pain in ((date(2026, 2, 2), 8), (date(2026, 2, 23), 5)):
        record_outcome(
            week.ctx.db,
            week.clinic.ann,
            "nprs",
            [Answer("now", pain)],
            now=week.ctx.clock(),
            taken_on=day,
        )
    _plan, dialog = _preview(qtbot, week, [])
    [options] = dialog.findChildren(HandoutOptions)

    def text() -> str:
        pages = PdfReader(BytesIO(dialog.preview.pdf_bytes)).pages
        return " ".join(p.extract_text() for p in pages)

    assert "Your progress so far" not in text()
    with qtbot.waitSignal(options.redrawn):
        options.progress.setChecked(True)
    assert "Your progress so far" in text() and "Pain, lower is better" in text()
    assert warnings == []
