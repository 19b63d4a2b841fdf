"""Plans and printouts on PostgreSQL, where clinics with several workstations go."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from frontdesk.db.engine import Database
from frontdesk.plans import (
    current_plan_for_patient,
    get_plan,
    list_plans,
    list_revisions,
    mark_printed,
    save_plan,
)
from frontdesk.plans.sample import seed_sample_plan
from frontdesk.reports import day_sheet_pdf, load_day_sheet, plan_handout_pdf
from tests.unit.test_reports_handout import pdf_text

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


@pytest.mark.postgres
def test_revisions_listing_and_prints_on_postgresql(pg_db: Database) -> None:
    seeded = seed_sample_plan(pg_db, now=NOW, given_name="王", family_name="秀英")
    mark_printed(pg_db, seeded.plan.revision_id, now=NOW)
    changed = replace(seeded.plan.as_input(), pain_score=3)
    view = save_plan(pg_db, seeded.plan.plan_id, changed, now=NOW + timedelta(days=7))
    assert view.number == 2
    assert [r.number for r in list_revisions(pg_db, seeded.plan.plan_id)] == [1, 2]
    assert get_plan(pg_db, seeded.plan.plan_id, revision=1).pain_score == 6
    assert list_plans(pg_db, seeded.patient_id)[0].latest_number == 2
    current = current_plan_for_patient(pg_db, seeded.patient_id)
    assert current is not None and current.number == 2
    text = " ".join(pdf_text(plan_handout_pdf(pg_db, view.revision_id, now=NOW)))
    assert "秀英王" in text
    sheet = load_day_sheet(pg_db, seeded.practitioner_id, date(2026, 3, 2), now=NOW)
    assert [r.course_progress for r in sheet.rows] == ["1 of 8"]
    assert "1 of 8" in " ".join(pdf_text(day_sheet_pdf(pg_db, date(2026, 3, 2), now=NOW)))
