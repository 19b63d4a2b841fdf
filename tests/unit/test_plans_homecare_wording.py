"""Home care keeps the words it was printed with, whatever the clinic does to its library later."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import select

from frontdesk.db.engine import Database
from frontdesk.db.models import PlanRevision
from frontdesk.plans import (
    HomecareEntry,
    HomecareLibrary,
    default_library_path,
    get_plan,
    handout_data,
    list_revisions,
    load_library,
    mark_printed,
    save_plan,
)
from frontdesk.plans.sample import seed_sample_plan
from frontdesk.reports import render_plan_handout

NOW = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)
SHIPPED = load_library()
REWORDED, REMOVED = "rest", "heat_for_nerve"
NEW_WORDING = "Sleep eight hours a night and take an easy day after each treatment."
OWN_ADVICE = "Swim slowly for ten minutes twice a week"


def edited_library(folder: Path) -> HomecareLibrary:
    """The shipped library file as a clinic might edit it: ``rest`` reworded and
    ``heat_for_nerve`` deleted (with the conditions that suggested it)."""
    text = default_library_path().read_text(encoding="utf-8")
    text = text.replace(SHIPPED.items[REWORDED].text, NEW_WORDING)
    text = text.replace(f'"{REMOVED}", ', "")
    text = re.sub(rf"\[items\.{REMOVED}\]\ntext = .*\n", "", text)
    path = folder / "library.toml"
    path.write_text(text, encoding="utf-8")
    library = load_library(path)
    assert REMOVED not in library.items and library.items[REWORDED].text == NEW_WORDING
    return library


def _pdf_text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def test_a_printed_revision_keeps_its_wording_after_the_library_changes(
    db: Database, tmp_path: Path
) -> None:
    seeded = seed_sample_plan(db, now=NOW)
    ids = [e.item_id for e in seeded.plan.homecare]
    assert REWORDED in ids and REMOVED in ids
    mark_printed(db, seeded.plan.revision_id, now=NOW)
    library = edited_library(tmp_path)

    data = handout_data(db, seeded.plan.revision_id, now=NOW + timedelta(days=30), library=library)
    assert SHIPPED.items[REWORDED].text in data.homecare_items
    assert SHIPPED.items[REMOVED].text in data.homecare_items
    assert NEW_WORDING not in data.homecare_items
    text = _pdf_text(render_plan_handout(data))
    assert SHIPPED.items[REWORDED].text in text and SHIPPED.items[REMOVED].text in text
    assert NEW_WORDING not in text
    reread = get_plan(db, seeded.plan.plan_id)
    assert HomecareEntry(SHIPPED.items[REMOVED].text, REMOVED) in reread.homecare


def test_own_advice_is_kept_beside_library_items(db: Database) -> None:
    seeded = seed_sample_plan(db, now=NOW)
    mine = (*seeded.plan.homecare, HomecareEntry(f"  {OWN_ADVICE}  "), HomecareEntry(OWN_ADVICE))
    view = save_plan(
        db, seeded.plan.plan_id, replace(seeded.plan.as_input(), homecare=mine), now=NOW
    )
    assert view.homecare == (*seeded.plan.homecare, HomecareEntry(OWN_ADVICE))
    with db.read() as s:
        stored = s.get(PlanRevision, view.revision_id)
        assert stored is not None
        assert stored.homecare[0] == {"id": "rest", "text": SHIPPED.items["rest"].text}
        assert stored.homecare[-1] == {"text": OWN_ADVICE}


def test_revisions_saved_as_plain_ids_still_read(db: Database) -> None:
    seeded = seed_sample_plan(db, now=NOW)
    with db.write() as s:  # what revisions saved before the wording was kept look like
        row = s.scalar(select(PlanRevision).where(PlanRevision.id == seeded.plan.revision_id))
        assert row is not None
        row.homecare = ["rest", OWN_ADVICE]
        row.printed_at = NOW
    view = get_plan(db, seeded.plan.plan_id)
    assert view.homecare == (
        HomecareEntry(SHIPPED.items["rest"].text, "rest"),
        HomecareEntry(OWN_ADVICE),
    )
    data = handout_data(db, view.revision_id, now=NOW)
    assert data.homecare_items == (SHIPPED.items["rest"].text, OWN_ADVICE)
    # Saving what it already says is no change: no new revision just for the new storage form.
    assert save_plan(db, view.plan_id, view.as_input(), now=NOW).number == 1
    assert [r.number for r in list_revisions(db, view.plan_id)] == [1]
