"""Treatment plans: validation a practitioner sees, and revisions that keep printed paper true."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from frontdesk.db.engine import Database
from frontdesk.domain import NotFound, ValidationError
from frontdesk.plans import (
    ConditionChoice,
    PlanInput,
    archive_plan,
    create_plan,
    current_plan_for_patient,
    get_plan,
    list_plans,
    list_revisions,
    load_library,
    mark_printed,
    save_plan,
)
from frontdesk.plans.sample import SeededPlan, seed_sample_plan

NOW = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)


@pytest.fixture
def seeded(db: Database) -> SeededPlan:
    return seed_sample_plan(db, now=NOW)


def _input(seeded: SeededPlan, **changes: object) -> PlanInput:
    """The seeded plan's content with some fields changed."""
    return replace(seeded.plan.as_input(), **changes)  # type: ignore[arg-type]


def test_created_plan_reads_back_with_its_content(db: Database, seeded: SeededPlan) -> None:
    view = get_plan(db, seeded.plan.plan_id)
    assert view.number == 1
    assert view.conditions == (ConditionChoice("pinched_nerve", "lumbar", "L4-L5", "right"),)
    assert view.pain_score == 6
    assert view.course_id == seeded.course_id
    ids = [e.item_id for e in view.homecare]
    assert "lifting" in ids and "no_neck_brace" not in ids  # lumbar: no neck-brace advice
    assert view.created_at == NOW and view.printed_at is None


def test_editing_an_unprinted_plan_changes_it_in_place(db: Database, seeded: SeededPlan) -> None:
    later = NOW + timedelta(hours=1)
    view = save_plan(db, seeded.plan.plan_id, _input(seeded, pain_score=4), now=later)
    assert (view.number, view.pain_score, view.updated_at) == (1, 4, later)
    assert [r.number for r in list_revisions(db, seeded.plan.plan_id)] == [1]


def test_editing_a_printed_plan_makes_a_new_revision_and_keeps_the_old(
    db: Database, seeded: SeededPlan
) -> None:
    mark_printed(db, seeded.plan.revision_id, now=NOW)
    view = save_plan(
        db, seeded.plan.plan_id, _input(seeded, goals=("Walk 5 km",)), now=NOW + timedelta(days=7)
    )
    assert view.number == 2 and view.printed_at is None
    old = get_plan(db, seeded.plan.plan_id, revision=1)
    assert old.goals == seeded.plan.goals and old.printed_at == NOW
    assert get_plan(db, seeded.plan.plan_id).goals == ("Walk 5 km",)
    assert [r.number for r in list_revisions(db, seeded.plan.plan_id)] == [1, 2]
    # Revision 2 is not printed yet, so further edits stay in it.
    again = save_plan(db, seeded.plan.plan_id, _input(seeded, goals=("Walk 6 km",)), now=NOW)
    assert again.number == 2


def test_saving_a_printed_plan_unchanged_adds_no_revision(db: Database, seeded: SeededPlan) -> None:
    mark_printed(db, seeded.plan.revision_id, now=NOW)
    view = save_plan(db, seeded.plan.plan_id, _input(seeded), now=NOW)
    assert view.number == 1


def test_printing_keeps_the_first_print_time_and_the_edit_time(
    db: Database, seeded: SeededPlan
) -> None:
    mark_printed(db, seeded.plan.revision_id, now=NOW + timedelta(minutes=5))
    mark_printed(db, seeded.plan.revision_id, now=NOW + timedelta(days=1))
    view = get_plan(db, seeded.plan.plan_id)
    assert view.printed_at == NOW + timedelta(minutes=5)
    assert view.updated_at == NOW


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"pain_score": 11}, "pain_score", "0 to 10"),
        ({"pain_score": -1}, "pain_score", "0 to 10"),
        ({"conditions": ()}, "conditions", "at least one condition"),
        ({"planned_sessions": 0}, "planned_sessions", "between 1 and 60"),
        ({"planned_sessions": 61}, "planned_sessions", "between 1 and 60"),
        ({"conditions": (ConditionChoice("gout"),)}, "conditions", "not a condition"),
        (
            {"conditions": (ConditionChoice("pinched_nerve", "lumbar", "C5-C6"),)},
            "conditions",
            "C5-C6 is not a level of the lower back",
        ),
        (
            {"conditions": (ConditionChoice("pinched_nerve", None, "L4-L5"),)},
            "conditions",
            "region before the level",
        ),
        ({"conditions": (ConditionChoice("neck_pain", side="left"),)}, "conditions", "no side"),
        ({"frequency_text": "x" * 121}, "frequency_text", "at most 120"),
        ({"practitioner_id": 999}, "practitioner_id", "practitioner"),
        ({"course_id": 999}, "course_id", "no longer exists"),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(
    db: Database, seeded: SeededPlan, changes: dict[str, object], field: str, words: str
) -> None:
    with pytest.raises(ValidationError) as err:
        create_plan(db, _input(seeded, **changes), now=NOW)
    assert set(err.value.errors) == {field}
    assert words in err.value.errors[field]
    assert len(list_plans(db, seeded.patient_id)) == 1


def test_several_wrong_fields_are_reported_together(db: Database, seeded: SeededPlan) -> None:
    with pytest.raises(ValidationError) as err:
        save_plan(db, seeded.plan.plan_id, _input(seeded, pain_score=12, conditions=()), now=NOW)
    assert set(err.value.errors) == {"pain_score", "conditions"}
    assert get_plan(db, seeded.plan.plan_id).pain_score == 6


def test_a_plan_cannot_move_to_another_patient(db: Database, seeded: SeededPlan) -> None:
    other = seed_sample_plan(db, now=NOW, given_name="Zoë", family_name="O'Brien-Smith")
    with pytest.raises(ValidationError) as err:
        save_plan(db, seeded.plan.plan_id, _input(seeded, patient_id=other.patient_id), now=NOW)
    assert "patient_id" in err.value.errors


def test_lists_are_tidied_before_storing(db: Database, seeded: SeededPlan) -> None:
    view = save_plan(
        db,
        seeded.plan.plan_id,
        _input(seeded, goals=("  Sleep  well ", "", "Sleep well", "Walk")),
        now=NOW,
    )
    assert view.goals == ("Sleep well", "Walk")


def test_current_plan_is_the_latest_changed_one(db: Database, seeded: SeededPlan) -> None:
    assert current_plan_for_patient(db, seeded.patient_id) == get_plan(db, seeded.plan.plan_id)
    newer = create_plan(
        db,
        _input(seeded, conditions=(ConditionChoice("carpal_tunnel", side="left"),)),
        now=NOW + timedelta(days=3),
    )
    current = current_plan_for_patient(db, seeded.patient_id)
    assert current is not None and current.plan_id == newer.plan_id
    summaries = list_plans(db, seeded.patient_id)
    assert [s.plan_id for s in summaries] == [newer.plan_id, seeded.plan.plan_id]
    assert summaries[0].condition_title == "Carpal tunnel syndrome, left side"
    assert summaries[1].practitioner_name == "Mei Lin Chen"


def test_a_patient_without_plans_has_no_current_plan(db: Database, seeded: SeededPlan) -> None:
    other = seed_sample_plan(db, now=NOW, given_name="Łukasz", family_name="Kowalski")
    assert current_plan_for_patient(db, other.patient_id + 1000) is None


def test_missing_plans_and_revisions_say_so(db: Database, seeded: SeededPlan) -> None:
    with pytest.raises(NotFound):
        get_plan(db, 12345)
    with pytest.raises(NotFound, match="no revision 7"):
        get_plan(db, seeded.plan.plan_id, revision=7)


def test_cervical_pinched_nerve_advises_against_a_neck_brace() -> None:
    library = load_library()
    items = library.default_items([ConditionChoice("pinched_nerve", "cervical", "C5-C6", "left")])
    assert "no_neck_brace" in items
    assert "neck brace" in library.item_text("no_neck_brace")


def test_an_archived_plan_is_kept_but_no_longer_current(db: Database, seeded: SeededPlan) -> None:
    archive_plan(db, seeded.plan.plan_id)
    assert current_plan_for_patient(db, seeded.patient_id) is None
    assert [s.archived for s in list_plans(db, seeded.patient_id)] == [True]
    assert get_plan(db, seeded.plan.plan_id).goals == seeded.plan.goals
    archive_plan(db, seeded.plan.plan_id, archived=False)
    assert current_plan_for_patient(db, seeded.patient_id) is not None
