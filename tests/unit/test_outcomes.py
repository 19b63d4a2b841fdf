"""Outcome questionnaires: scoring against hand-computed examples, what is refused, the
series the chart plots, when one is due again, and who may read them."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from frontdesk.db.engine import Database
from frontdesk.domain import PermissionDenied, Role, ValidationError
from frontdesk.outcomes.questionnaires import Answer, load_questionnaires, score
from frontdesk.outcomes.service import outcome_history, outcomes_due, record_outcome, series
from frontdesk.scheduling import BookingRequest, book_appointment, check_in, complete
from tests.accounts_support import as_role
from tests.unit.test_scheduling_support import MONDAY, NOW, Clinic, local

SHIPPED = load_questionnaires()
NPRS, PSFS = SHIPPED["nprs"], SHIPPED["psfs"]


def rate(*values: int) -> list[Answer]:
    names = ("walking", "lifting a child", "sleeping", "driving", "typing")
    return [Answer(f"activity{n + 1}", v, names[n]) for n, v in enumerate(values)]


def test_only_the_free_questionnaires_ship() -> None:
    assert sorted(SHIPPED) == ["nprs", "psfs"]
    assert (NPRS.scale_min, NPRS.scale_max, NPRS.direction) == (0, 10, "lower_better")
    assert PSFS.direction == "higher_better" and PSFS.named_items


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ((3, 5, 7), "5.00"),  # (3 + 5 + 7) / 3
        ((2, 3), "2.50"),
        ((1, 2, 2), "1.67"),  # 5 / 3 = 1.666…, rounded half up
        ((0, 10, 10, 10, 10), "8.00"),
        ((9,), "9.00"),
    ],
)
def test_psfs_is_the_mean_of_the_rated_activities(values: tuple[int, ...], expected: str) -> None:
    assert score(PSFS, rate(*values)) == Decimal(expected)


def test_nprs_is_the_number_given() -> None:
    assert score(NPRS, [Answer("now", 7)]) == Decimal("7.00")
    assert score(NPRS, [Answer("now", 0)]) == Decimal("0.00")


def test_incomplete_or_out_of_range_answers_are_refused_at_the_item() -> None:
    with pytest.raises(ValidationError) as high:
        score(NPRS, [Answer("now", 11)])
    assert high.value.errors == {"now": "Choose a number from 0 to 10."}
    with pytest.raises(ValidationError) as none:
        score(NPRS, [Answer("now", None)])
    assert none.value.errors == {"": "Answer every question."}
    with pytest.raises(ValidationError) as unnamed:
        score(PSFS, [Answer("activity1", 4, "  ")])
    assert unnamed.value.errors == {"activity1": "Name the activity this number is for."}
    with pytest.raises(ValidationError) as unrated:
        score(PSFS, [Answer("activity1", None, "gardening")])
    assert "Rate “gardening”" in unrated.value.errors["activity1"]


def test_a_clinics_own_questionnaire_is_read_from_its_folder(tmp_path: Path) -> None:
    (tmp_path / "sleep.toml").write_text(
        'key = "sleep"\ntitle = "Sleep check"\ndirection = "higher_better"\n'
        "scale_min = 1\nscale_max = 5\n"
        '[[items]]\nkey = "nights"\nlabel = "Nights slept through"\n'
        '[[items]]\nkey = "rested"\nlabel = "Rested on waking"\n',
        encoding="utf-8",
    )
    (tmp_path / "broken.toml").write_text("key = 'x'\n", encoding="utf-8")
    found = load_questionnaires([tmp_path])
    assert sorted(found) == ["sleep"]  # the broken file is skipped, not fatal
    assert score(found["sleep"], [Answer("nights", 4), Answer("rested", 3)]) == Decimal("3.50")


@pytest.mark.usefixtures("clinic")
def test_scores_are_kept_and_form_the_charts_series(db: Database, clinic: Clinic) -> None:
    record_outcome(db, clinic.ann, "nprs", [Answer("now", 8)], now=NOW, taken_on=date(2026, 2, 1))
    record_outcome(db, clinic.ann, "psfs", rate(2, 4), now=NOW, taken_on=date(2026, 2, 1))
    record_outcome(db, clinic.ann, "nprs", [Answer("now", 5)], now=NOW, taken_on=date(2026, 2, 20))
    with pytest.raises(ValidationError):
        record_outcome(db, clinic.ann, "nprs", [Answer("now", 12)], now=NOW)

    history = outcome_history(db, clinic.ann)

    assert series(history) == {
        "nprs": [(date(2026, 2, 1), Decimal("8")), (date(2026, 2, 20), Decimal("5"))],
        "psfs": [(date(2026, 2, 1), Decimal("3"))],
    }
    psfs = next(v for v in history if v.questionnaire == "psfs")
    assert [a.name for a in psfs.answers] == ["walking", "lifting a child"]


@pytest.mark.usefixtures("clinic")
def test_a_questionnaire_is_due_first_and_again_after_its_sessions(
    db: Database, clinic: Clinic
) -> None:
    assert {d.questionnaire for d in outcomes_due(db, clinic.ann, now=NOW)} == {"nprs", "psfs"}
    record_outcome(db, clinic.ann, "nprs", [Answer("now", 6)], now=NOW)
    record_outcome(db, clinic.ann, "psfs", rate(3, 5), now=NOW)
    assert outcomes_due(db, clinic.ann, now=NOW) == []

    for day in range(3):  # three completed sessions after the forms were filled in
        visit = book_appointment(
            db,
            BookingRequest(
                clinic.ann,
                clinic.acu,
                clinic.acupuncture,
                local(MONDAY + timedelta(days=day), 9),
                room_id=clinic.room1,
            ),
            now=NOW,
        )
        later = local(MONDAY + timedelta(days=day), 9, 5)
        check_in(db, visit.id, now=later)
        complete(db, visit.id, now=later)

    due = outcomes_due(db, clinic.ann, now=NOW)
    assert [d.questionnaire for d in due] == ["nprs"]  # PSFS comes back after four
    assert due[0].reason.startswith("3 sessions since it was last asked")


@pytest.mark.usefixtures("clinic")
def test_reception_records_a_form_at_the_desk_but_cannot_read_the_scores(
    db: Database, clinic: Clinic
) -> None:
    reception = as_role(db, Role.RECEPTION)
    record_outcome(reception, clinic.ann, "nprs", [Answer("now", 4)], now=NOW)
    with pytest.raises(PermissionDenied):
        outcome_history(reception, clinic.ann)
    with pytest.raises(PermissionDenied):
        outcomes_due(reception, clinic.ann, now=NOW)
    assert [v.score for v in outcome_history(db, clinic.ann)] == [Decimal("4")]


@pytest.mark.sqlite_only  # the demo's content, not the database's behaviour
def test_the_demo_clinics_course_patients_have_scores_that_score_as_the_service_would(
    db: Database,
) -> None:
    from sqlalchemy import select

    from frontdesk.db.models import OutcomeResponse, TreatmentCourse
    from frontdesk.demo import build_demo

    build_demo(db, patients=120, appointments=1500)
    with db.read() as s:
        course_patients = set(s.scalars(select(TreatmentCourse.patient_id)))
        rows = s.scalars(select(OutcomeResponse)).all()
        by_kind = {
            key: {r.patient_id for r in rows if r.questionnaire == key} for key in ("nprs", "psfs")
        }
        for row in rows:
            q = SHIPPED[row.questionnaire]
            answers = [Answer(a["item"], a["value"], a["name"]) for a in json.loads(row.answers)]
            assert score(q, answers) * 100 == row.score_hundredths
    assert by_kind["nprs"] and by_kind["psfs"]
    assert by_kind["nprs"] <= course_patients and by_kind["psfs"] <= course_patients
    history = outcome_history(db, next(iter(by_kind["psfs"])))
    assert {v.questionnaire for v in history} == {"nprs", "psfs"}
