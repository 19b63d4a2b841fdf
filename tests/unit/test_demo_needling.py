"""The demo clinic's acupuncture records (issue 18): prescriptions, points and needles in the
session notes of its acupuncture patients, and adverse events on their charts."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import func, select

from frontdesk.db.models import AdverseEvent, NoteNeedling, SessionNote
from frontdesk.db.open import open_database
from frontdesk.demo import build_demo
from frontdesk.domain import Role
from frontdesk.needling.service import list_adverse_events, list_point_prescriptions
from frontdesk.notes import get_note, sign_note
from tests.accounts_support import as_admin, as_role


def test_the_demo_acupuncture_notes_carry_points_needles_and_adverse_events(
    tmp_path: Path,
) -> None:
    db = open_database(f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    build_demo(db, today=date(2026, 3, 2), patients=120, appointments=700)
    admin = as_admin(db)
    try:
        names = [p.name for p in list_point_prescriptions(admin)]
        assert "Neck, pinched nerve (C5-C7)" in names and len(names) >= 4
        with db.read() as s:
            notes = s.scalar(select(func.count()).select_from(SessionNote)) or 0
            needled = s.scalar(select(func.count()).select_from(NoteNeedling)) or 0
            event = s.execute(select(AdverseEvent.patient_id, AdverseEvent.note_id)).first()
        assert notes > 0 and needled == notes  # every demo note is of an acupuncture course
        assert event is not None and event.note_id is not None
        assert list_adverse_events(admin, event.patient_id)[0].action_taken
        # A demo note's needles add up, so its practitioner can sign it.
        note = get_note(admin, event.note_id)
        assert note.needling.points and note.needling.needles_in == note.needling.needles_out
        signer = as_role(
            db, Role.PRACTITIONER, practitioner_id=note.practitioner_id, username="demo-acu"
        )
        assert sign_note(signer, note.id, now=datetime(2026, 3, 2, 19, tzinfo=UTC)).is_signed
    finally:
        db.dispose()
