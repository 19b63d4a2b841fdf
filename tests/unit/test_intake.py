"""Intake forms and signed consents: stored as new records, cautions raised by the form's own
rules, the signature kept and printed, and reception kept from the answers."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader
from sqlalchemy import select

from frontdesk.db.engine import Database
from frontdesk.db.models import AuditEvent
from frontdesk.domain import PermissionDenied, Role, ValidationError
from frontdesk.intake import (
    Answer,
    ConsentInput,
    IntakeInput,
    intake_cautions,
    list_consents,
    load_forms,
    read_intakes,
    record_consent,
    save_intake,
)
from frontdesk.intake.forms import FormError, load_form
from frontdesk.reports.printing import consent_pdf
from tests.accounts_support import as_role
from tests.unit.test_scheduling_support import Clinic

NOW = datetime(2026, 11, 3, 17, 30, tzinfo=UTC)
FORM = "acupuncture_intake"


def signature_png() -> bytes:
    """A scribble as a signature pad would store it."""
    image = Image.new("RGBA", (480, 160), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.line([(20, 120), (80, 30), (140, 130), (220, 40), (300, 120), (420, 60)], "black", 4)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def answers(**given: str) -> tuple[Answer, ...]:
    base = {"reason": "Low back pain after moving house", "bleeding": "no", "implant": "no"}
    base.update(given)
    return tuple(
        Answer(k, v.split("|")[0], v.split("|")[1] if "|" in v else "") for k, v in base.items()
    )


def test_the_shipped_forms_load_with_every_acupuncture_caution() -> None:
    forms = load_forms()
    assert forms.problems == ()
    form = forms.intake(FORM)
    assert form is not None
    cautious = {q.id for q in form.questions if q.caution}
    assert cautious == {
        "pregnant",
        "bleeding",
        "implant",
        "diabetes",
        "epilepsy",
        "needle_fear",
        "skin",
    }
    assert forms.consent("acupuncture_consent") is not None


def test_a_clinic_form_with_a_caution_for_an_answer_it_does_not_offer_is_named(
    tmp_path: Path,
) -> None:
    path = tmp_path / "ours.toml"
    path.write_text(
        'kind = "intake"\ncode = "ours"\ntitle = "Ours"\n[[sections]]\ntitle = "A"\n'
        '[[sections.questions]]\nid = "q"\nkind = "yes_no"\nlabel = "Q?"\n'
        'caution_when = ["maybe"]\ncaution = "Careful"\n',
        encoding="utf-8",
    )
    with pytest.raises(FormError, match=r"ours\.toml.*“maybe”, which is not one of its answers"):
        load_form(path)
    assert load_forms(tmp_path).problems  # listed, the other forms still load


def test_an_intake_with_a_caution_raises_it_and_a_later_one_is_kept_beside_it(
    db: Database, clinic: Clinic
) -> None:
    save_intake(
        db,
        IntakeInput(clinic.ann, FORM, answers(bleeding="yes|apixaban 5 mg twice a day")),
        now=NOW,
    )
    cautions = intake_cautions(db, clinic.ann)
    assert [c.question_id for c in cautions] == ["bleeding"]
    assert cautions[0].text.startswith("Bleeding disorder or blood thinner")
    assert cautions[0].line.endswith("(apixaban 5 mg twice a day)")
    # A second intake is a new record; the chart follows the latest, the first stays readable.
    save_intake(
        db,
        IntakeInput(clinic.ann, FORM, answers(implant="yes|pacemaker")),
        now=NOW + timedelta(days=30),
    )
    assert [c.question_id for c in intake_cautions(db, clinic.ann)] == ["implant"]
    history = read_intakes(db, clinic.ann)
    assert [h.completed_at for h in history] == [NOW + timedelta(days=30), NOW]
    assert history[1].cautions[0].detail == "apixaban 5 mg twice a day"
    assert intake_cautions(db, clinic.bob) == []


def test_a_required_answer_missing_or_an_answer_not_offered_stores_nothing(
    db: Database, clinic: Clinic
) -> None:
    with pytest.raises(ValidationError) as raised:
        save_intake(
            db, IntakeInput(clinic.ann, FORM, answers(reason=" ", diabetes="maybe")), now=NOW
        )
    assert set(raised.value.errors) == {"reason", "diabetes"}
    assert read_intakes(db, clinic.ann) == []


def test_reception_saves_an_intake_but_may_not_read_its_answers(
    db: Database, clinic: Clinic
) -> None:
    reception = as_role(db, Role.RECEPTION)
    saved = save_intake(reception, IntakeInput(clinic.ann, FORM, answers(epilepsy="yes")), now=NOW)
    assert saved.patient_id == clinic.ann and not hasattr(saved, "answers")
    refusal = "Reception accounts may not read a patient's intake answers"
    with pytest.raises(PermissionDenied, match=refusal):
        read_intakes(reception, clinic.ann)
    with pytest.raises(PermissionDenied, match=refusal):
        intake_cautions(reception, clinic.ann)
    practitioner = as_role(db, Role.PRACTITIONER, practitioner_id=clinic.acu)
    with pytest.raises(PermissionDenied, match="only for your own patients"):
        read_intakes(practitioner, clinic.ann)  # nobody booked Ann with this acupuncturist
    assert [c.question_id for c in intake_cautions(db, clinic.ann)] == ["epilepsy"]


def test_saving_and_reading_an_intake_leave_audit_rows(db: Database, clinic: Clinic) -> None:
    saved = save_intake(db, IntakeInput(clinic.ann, FORM, answers()), now=NOW)
    read_intakes(db, clinic.ann)
    with db.read() as s:
        rows = s.execute(
            select(AuditEvent.action, AuditEvent.kind, AuditEvent.record_id).where(
                AuditEvent.patient_id == clinic.ann
            )
        ).all()
    assert ("save_intake", "create", saved.id) in rows
    assert ("read_intakes", "open", clinic.ann) in rows


def test_a_signed_consent_round_trips_and_prints_with_its_signature(
    db: Database, clinic: Clinic, tmp_path: Path
) -> None:
    png = signature_png()
    stored = record_consent(
        db, ConsentInput(clinic.ann, "acupuncture_consent", "Ann Example", png), now=NOW
    )
    found = list_consents(db, clinic.ann)
    assert [c.id for c in found] == [stored.id]
    assert found[0].signature_png == png
    assert found[0].witness_name == db.actor.display_name  # type: ignore[union-attr]
    assert found[0].signed_at == NOW
    assert "thin, sterile, single-use needles" in found[0].text

    pdf = consent_pdf(db, clinic.ann, out=tmp_path / "consent.pdf")
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    xobjects = page["/Resources"]["/XObject"]
    images = [x for x in xobjects.values() if x.get_object()["/Subtype"] == "/Image"]
    assert images, "the signature is not on the page"
    text = page.extract_text()
    assert "Ann Example" in text
    assert found[0].patient_name in text
    assert db.actor.display_name in text  # type: ignore[union-attr]
    assert "3 Nov 2026" in text
    assert "Consent to acupuncture" in text
    with db.read() as s:
        printed = s.scalar(select(AuditEvent.kind).where(AuditEvent.action == "consent_pdf"))
    assert printed == "print"


def test_a_consent_without_a_signature_or_a_name_is_refused_at_the_field(
    db: Database, clinic: Clinic
) -> None:
    with pytest.raises(ValidationError) as raised:
        record_consent(db, ConsentInput(clinic.ann, "acupuncture_consent", " ", b""), now=NOW)
    assert set(raised.value.errors) == {"signer_name", "signature"}
    assert list_consents(db, clinic.ann) == []
