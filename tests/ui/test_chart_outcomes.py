"""Outcome questionnaires on the chart: the scores drawn beside the pain trend, the reminder
that one is due, and filling one in with the patient from the chart."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtGui import QUndoStack

from frontdesk.db.engine import Database
from frontdesk.outcomes.questionnaires import Answer
from frontdesk.outcomes.service import outcome_history, outcomes_due, record_outcome
from frontdesk.ui.practice.my_day import MyDayPage
from frontdesk.ui.practice.outcome_form import OutcomeDialog
from tests.ui.answers import wait_for_answers
from tests.ui.test_practice_data import NOW, Week, build_week

pytestmark = pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise)")


@pytest.fixture
def week(db: Database) -> Week:
    return build_week(db)


@pytest.fixture
def my_day(qtbot, week: Week) -> MyDayPage:  # type: ignore[no-untyped-def]
    page = MyDayPage(week.ctx, QUndoStack())
    qtbot.addWidget(page)
    page.set_practitioner(week.clinic.acu)
    page.show()
    wait_for_answers()  # the practitioners and the day are read on a worker
    return page


def test_the_chart_draws_the_scores_and_says_which_questionnaire_is_due(
    qtbot, my_day: MyDayPage, week: Week, db: Database
) -> None:  # type: ignore[no-untyped-def]
    ann = week.clinic.ann
    for day, pain in ((date(2026, 2, 2), 8), (date(2026, 2, 23), 5)):
        record_outcome(db, ann, "nprs", [Answer("now", pain)], now=NOW, taken_on=day)
    chart = my_day.open_chart(0)
    qtbot.addWidget(chart)
    qtbot.waitUntil(lambda: bool(chart.pain_chart.outcome_counts()))

    assert chart.pain_chart.outcome_counts() == [("Pain, \u2193 better", 2)]
    # Pain has been asked; the functional scale never was, so the chart asks for it.
    assert "Patient-Specific Functional Scale" in chart.due_label.text()
    assert "Numeric Pain Rating Scale" not in chart.due_label.text()


def test_a_questionnaire_filled_in_from_the_chart_is_kept_and_drawn(
    qtbot, my_day: MyDayPage, week: Week, db: Database
) -> None:  # type: ignore[no-untyped-def]
    ann = week.clinic.ann
    chart = my_day.open_chart(0)
    qtbot.addWidget(chart)
    qtbot.waitUntil(lambda: chart.due_label.isVisibleTo(chart))
    dialog = chart.record_outcome()
    assert isinstance(dialog, OutcomeDialog)
    qtbot.addWidget(dialog)
    dialog.choice.setCurrentIndex(dialog.choice.findData("psfs"))

    first = dialog.row("activity1")
    first.choose(4)  # a rating without the activity's name: refused at that row
    with qtbot.waitSignal(dialog.finished_saving):
        dialog.accept()
    assert dialog.error_text("activity1") == "Name the activity this number is for."
    assert outcome_history(db, ann) == []

    assert first.name is not None
    first.name.setText("Turning my head to reverse the car")
    second = dialog.row("activity2")
    assert second.name is not None
    second.name.setText("Sleeping on my side")
    second.choose(7)
    with qtbot.waitSignal(dialog.finished_saving):
        dialog.accept()

    kept = outcome_history(db, ann)
    assert [(v.questionnaire, str(v.score)) for v in kept] == [("psfs", "5.5")]
    assert [d.questionnaire for d in outcomes_due(db, ann, now=NOW)] == ["nprs"]
    qtbot.waitUntil(
        lambda: chart.pain_chart.outcome_counts() == [("Function (PSFS), \u2191 better", 1)]
    )
