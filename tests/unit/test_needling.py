"""Points and needles in the session note (issue 18): the point search, the needle count
that must add up before signing, point prescriptions and adverse events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from frontdesk.db.engine import Database
from frontdesk.db.models import AuditEvent
from frontdesk.domain import PermissionDenied, Role, ValidationError
from frontdesk.needling.catalogue import find_point, load_catalogue, search_points
from frontdesk.needling.service import (
    adverse_event_report,
    apply_point_prescription,
    list_adverse_events,
    record_adverse_event,
    save_point_prescription,
)
from frontdesk.needling.types import (
    AdverseEventInput,
    AdverseKind,
    ChosenPoint,
    Needling,
    PrescriptionInput,
    Side,
)
from frontdesk.notes import (
    SessionNoteInput,
    amend_note,
    get_note,
    note_history,
    save_note,
    sign_due_notes,
    sign_note,
)
from frontdesk.scheduling import BookingRequest, book_appointment
from tests.accounts_support import as_role
from tests.unit.test_scheduling_support import Clinic

NOW = datetime(2030, 3, 1, 15, tzinfo=UTC)


def _mei_with_a_visit(db: Database, clinic: Clinic) -> tuple[Database, int]:
    slot = datetime(2030, 3, 4, 17, tzinfo=UTC)
    visit = book_appointment(
        db, BookingRequest(clinic.ann, clinic.acu, clinic.consult, slot, clinic.room1), now=NOW
    ).id
    return as_role(db, Role.PRACTITIONER, practitioner_id=clinic.acu, username="mei"), visit


def _needled(
    clinic: Clinic, visit: int, needles_in: int, needles_out: int | None
) -> SessionNoteInput:
    points = (ChosenPoint("LI4", Side.BOTH), ChosenPoint("GB20", Side.BOTH))
    return SessionNoteInput(
        clinic.ann,
        None,
        visit,
        body="Neck pain",
        needling=Needling(points=points, needles_in=needles_in, needles_out=needles_out),
    )


def test_the_catalogue_holds_the_361_channel_points_with_positions() -> None:
    points = load_catalogue()
    assert sum(1 for p in points if p.channel != "Extra point") == 361
    assert all(p.view in ("front", "back") and 0 <= p.x <= 1 and 0 <= p.y <= 1 for p in points)
    assert find_point("BL67") is not None and find_point("BL68") is None


@pytest.mark.parametrize("typed", ["hegu", "li4", "LI 4", "Hégǔ", "HEGU"])
def test_the_point_search_finds_li4_by_code_or_pinyin(typed: str) -> None:
    found = search_points(typed)
    assert found[0].code == "LI4"
    assert found[0].pinyin == "Hégǔ"


def test_old_codes_find_the_who_ones() -> None:
    assert [p.code for p in search_points("sj5")][:1] == ["TE5"]
    assert [p.code for p in search_points("du20")][:1] == ["GV20"]
    assert [p.code for p in search_points("ren12")][:1] == ["CV12"]


def test_ten_needles_in_and_nine_out_cannot_be_signed_until_the_needle_is_found(
    db: Database, clinic: Clinic
) -> None:
    mei, visit = _mei_with_a_visit(db, clinic)
    note = save_note(mei, None, _needled(clinic, visit, 10, 9), now=NOW)
    with pytest.raises(ValidationError) as refused:
        sign_note(mei, note.id, now=NOW)
    assert "1 needle is not accounted for" in refused.value.errors["needles_out"]
    assert not get_note(mei, note.id).is_signed
    # The needle is found in the couch: the count is corrected and the note signs.
    found = save_note(mei, note.id, _needled(clinic, visit, 10, 10), now=NOW)
    signed = sign_note(mei, found.id, now=NOW)
    assert signed.is_signed
    assert note_history(mei, note.id)[0].needling.needles_out == 10


def test_a_needle_not_found_is_recorded_as_an_incident_and_then_the_note_signs(
    db: Database, clinic: Clinic
) -> None:
    mei, visit = _mei_with_a_visit(db, clinic)
    note = save_note(mei, None, _needled(clinic, visit, 10, 9), now=NOW)
    with pytest.raises(ValidationError):
        sign_note(mei, note.id, now=NOW)
    record_adverse_event(
        mei,
        AdverseEventInput(
            clinic.ann,
            AdverseKind.NEEDLE_UNACCOUNTED,
            "Searched the room and the patient's clothing; patient told; sharps log updated.",
            note_id=note.id,
        ),
        now=NOW,
    )
    assert sign_note(mei, note.id, now=NOW).is_signed


def test_needles_not_counted_out_keep_the_note_unsigned(db: Database, clinic: Clinic) -> None:
    mei, visit = _mei_with_a_visit(db, clinic)
    note = save_note(mei, None, _needled(clinic, visit, 4, None), now=NOW)
    with pytest.raises(ValidationError, match="enter how many were removed"):
        sign_note(mei, note.id, now=NOW)
    # The end-of-day signing leaves it for the practitioner to count.
    assert sign_due_notes(mei, now=NOW + timedelta(days=10)) == 0
    assert not get_note(mei, note.id).is_signed


def test_an_amendment_cannot_unbalance_the_needle_count(db: Database, clinic: Clinic) -> None:
    mei, visit = _mei_with_a_visit(db, clinic)
    note = sign_note(mei, save_note(mei, None, _needled(clinic, visit, 4, 4), now=NOW).id, now=NOW)
    with pytest.raises(ValidationError):
        amend_note(mei, note.id, _needled(clinic, visit, 5, 4), "Miscounted", now=NOW)
    amended = amend_note(mei, note.id, _needled(clinic, visit, 5, 5), "Miscounted", now=NOW)
    assert amended.needling.needles_in == 5
    history = note_history(mei, note.id)
    assert [v.needling.needles_in for v in history] == [4, 5]


def test_points_are_stored_by_their_catalogue_codes_and_unknown_ones_refused(
    db: Database, clinic: Clinic
) -> None:
    mei, visit = _mei_with_a_visit(db, clinic)
    data = SessionNoteInput(
        clinic.ann,
        None,
        visit,
        needling=Needling(points=(ChosenPoint("sj5", Side.LEFT), ChosenPoint("du20"))),
    )
    note = save_note(mei, None, data, now=NOW)
    assert note.needling.points == (
        ChosenPoint("TE5", Side.LEFT),
        ChosenPoint("GV20", Side.MIDLINE),
    )
    bad = SessionNoteInput(
        clinic.ann, None, visit, needling=Needling(points=(ChosenPoint("XX99"),), electro_hz=900)
    )
    with pytest.raises(ValidationError) as refused:
        save_note(mei, note.id, bad, now=NOW)
    assert "XX99" in refused.value.errors["needling_points"]
    assert "Hz" in refused.value.errors["electro_hz"]
    assert get_note(mei, note.id).needling.points[0].code == "TE5"


def test_a_prescription_applied_to_a_note_is_stored_with_it(db: Database, clinic: Clinic) -> None:
    mei, visit = _mei_with_a_visit(db, clinic)
    neck = save_point_prescription(
        mei,
        None,
        PrescriptionInput(
            "Neck, pinched nerve",
            condition="Cervical radiculopathy",
            points=(ChosenPoint("GB20"), ChosenPoint("GB21"), ChosenPoint("LI4")),
            retention_minutes=20,
            electro_hz=2,
        ),
        now=NOW,
    )
    # The practitioner had already chosen SI3 on the left, then applies the prescription...
    mine = Needling(points=(ChosenPoint("SI3", Side.LEFT),))
    applied = apply_point_prescription(mei, neck.id, mine)
    assert [p.code for p in applied.points] == ["SI3", "GB20", "GB21", "LI4"]
    assert applied.needles_in == 7 and applied.retention_minutes == 20
    # ...and adjusts it: GB21 on the right only.
    adjusted = Needling(
        points=tuple(
            ChosenPoint("GB21", Side.RIGHT) if p.code == "GB21" else p for p in applied.points
        ),
        needles_in=6,
        needles_out=6,
        retention_minutes=applied.retention_minutes,
        electro_hz=applied.electro_hz,
    )
    note = save_note(
        mei, None, SessionNoteInput(clinic.ann, None, visit, needling=adjusted), now=NOW
    )
    stored = get_note(mei, note.id).needling
    assert stored.points[2] == ChosenPoint("GB21", Side.RIGHT)
    assert (stored.needles_in, stored.electro_hz) == (6, 2)


def test_an_adverse_event_is_listed_for_the_patient_and_counted(
    db: Database, clinic: Clinic
) -> None:
    mei, visit = _mei_with_a_visit(db, clinic)
    note = save_note(mei, None, _needled(clinic, visit, 4, 4), now=NOW)
    before = _audit_rows(db)
    record_adverse_event(
        mei,
        AdverseEventInput(
            clinic.ann,
            AdverseKind.FAINTING,
            "Needles removed, patient laid flat with legs raised, recovered in 5 minutes.",
            description="Felt faint 5 minutes after insertion.",
            note_id=note.id,
        ),
        now=NOW,
    )
    events = list_adverse_events(mei, clinic.ann)
    assert [(e.kind, e.practitioner_name) for e in events] == [
        (AdverseKind.FAINTING, get_note(mei, note.id).practitioner_name)
    ]
    assert _audit_rows(db) > before
    report = adverse_event_report(mei, start=NOW - timedelta(days=1), end=NOW + timedelta(days=1))
    assert report[AdverseKind.FAINTING] == 1 and report[AdverseKind.PNEUMOTHORAX] == 0


def test_an_adverse_event_needs_what_was_done(db: Database, clinic: Clinic) -> None:
    mei, _visit = _mei_with_a_visit(db, clinic)
    with pytest.raises(ValidationError) as refused:
        record_adverse_event(
            mei, AdverseEventInput(clinic.ann, AdverseKind.BRUISING, "  "), now=NOW
        )
    assert "what was done" in refused.value.errors["action_taken"]
    assert list_adverse_events(mei, clinic.ann) == []


def test_reception_reads_neither_points_nor_adverse_events(db: Database, clinic: Clinic) -> None:
    desk = as_role(db, Role.RECEPTION)
    with pytest.raises(PermissionDenied, match="may not record or read adverse events"):
        list_adverse_events(desk, clinic.ann)
    with pytest.raises(PermissionDenied, match="point prescriptions"):
        save_point_prescription(desk, None, PrescriptionInput("X"), now=NOW)


def _audit_rows(db: Database) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(AuditEvent)) or 0


def test_the_patient_record_pdf_lists_the_points_and_needles(db: Database, clinic: Clinic) -> None:
    from frontdesk.reports.patient_record import patient_record_pdf
    from tests.unit.test_reports_handout import pdf_text

    mei, visit = _mei_with_a_visit(db, clinic)
    save_note(mei, None, _needled(clinic, visit, 4, 4), now=NOW)
    text = " ".join(pdf_text(patient_record_pdf(db, clinic.ann, now=NOW)))
    assert "LI4 bilateral, GB20 bilateral" in text and "4 needles in, 4 out" in text
