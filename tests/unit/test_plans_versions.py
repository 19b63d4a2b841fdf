"""Two desks on one plan: a save or a print based on an older copy is refused, not applied."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from frontdesk.db.engine import Database
from frontdesk.domain import StaleRecord
from frontdesk.plans import PlanRevisionView, get_plan, list_revisions, mark_printed, save_plan
from frontdesk.plans.sample import SeededPlan, seed_sample_plan

NOW = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)


@pytest.fixture
def seeded(db: Database) -> SeededPlan:
    return seed_sample_plan(db, now=NOW)


def _save(db: Database, loaded: PlanRevisionView, pain: int) -> PlanRevisionView:
    return save_plan(
        db,
        loaded.plan_id,
        replace(loaded.as_input(), pain_score=pain),
        now=NOW,
        expected_revision=loaded.number,
        expected_version=loaded.version,
    )


def test_views_carry_the_version_each_save_moves_on(db: Database, seeded: SeededPlan) -> None:
    opened = get_plan(db, seeded.plan.plan_id)
    saved = _save(db, opened, 3)
    assert saved.version == opened.version + 1
    assert get_plan(db, seeded.plan.plan_id).version == saved.version


def test_saving_over_a_newer_save_is_refused(db: Database, seeded: SeededPlan) -> None:
    desk1 = get_plan(db, seeded.plan.plan_id)
    desk2 = get_plan(db, seeded.plan.plan_id)
    _save(db, desk2, 2)
    with pytest.raises(StaleRecord, match="changed at another workstation"):
        _save(db, desk1, 9)
    assert get_plan(db, seeded.plan.plan_id).pain_score == 2


def test_saving_over_a_newer_revision_is_refused(db: Database, seeded: SeededPlan) -> None:
    desk1 = get_plan(db, seeded.plan.plan_id)
    printed = mark_printed(db, desk1.revision_id, now=NOW, expected_version=desk1.version)
    desk2 = get_plan(db, seeded.plan.plan_id)
    assert desk2.version == printed
    assert _save(db, desk2, 2).number == 2  # revision 2 starts at version 1 again
    with pytest.raises(StaleRecord, match="Revision 2 of this plan was saved"):
        _save(db, replace(desk1, version=1), 9)
    assert [r.number for r in list_revisions(db, seeded.plan.plan_id)] == [1, 2]
    assert get_plan(db, seeded.plan.plan_id).pain_score == 2


def test_a_print_of_content_saved_over_meanwhile_is_not_recorded(
    db: Database, seeded: SeededPlan
) -> None:
    rendered = get_plan(db, seeded.plan.plan_id)
    _save(db, rendered, 1)  # saved in place while the preview was open
    with pytest.raises(StaleRecord, match="paper no longer matches"):
        mark_printed(db, rendered.revision_id, now=NOW, expected_version=rendered.version)
    assert get_plan(db, seeded.plan.plan_id).printed_at is None


def test_printing_the_same_rendering_twice_is_fine(db: Database, seeded: SeededPlan) -> None:
    rendered = get_plan(db, seeded.plan.plan_id)
    version = mark_printed(db, rendered.revision_id, now=NOW, expected_version=rendered.version)
    again = mark_printed(
        db, rendered.revision_id, now=NOW + timedelta(minutes=2), expected_version=version
    )
    assert again == version
    assert get_plan(db, seeded.plan.plan_id).printed_at == NOW
