"""The demo clinic's intakes and consents: every acupuncture course that has started has its
patient's first-visit intake and a consent signed on screen, a few of them with cautions.

Written after the staff accounts (the demo reception account witnesses and records them), with
answers built from the acupuncture intake form itself, so they store exactly what the form
would: its wording, and the cautions its rules raise. Signatures are drawn here as the pad
would store them: dark strokes on a transparent PNG.
"""

from __future__ import annotations

import io
import math
import random
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from PIL import Image, ImageDraw
from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.db.models import ConsentRecord, IntakeResponse, Patient, StaffAccount
from frontdesk.demo.clinical import CourseDraft
from frontdesk.domain import ValidationError
from frontdesk.intake.forms import Forms, load_forms
from frontdesk.intake.service import check_answers
from frontdesk.intake.types import Answer, IntakeInput
from frontdesk.names import display_name
from frontdesk.plans.library import HomecareLibrary

# Which patients answer "yes" where: (question, detail), one in `every` courses, by course id.
CAUTIONS = (
    ("bleeding", "warfarin, for atrial fibrillation", 6),
    ("implant", "pacemaker since 2019", 11),
    ("needle_fear", "", 5),
    ("diabetes", "", 9),
)
MEDICATIONS = (
    "None",
    "Ibuprofen 400 mg when needed",
    "Vitamin D 1000 IU daily",
    "Levothyroxine 75 mcg daily",
    "Amlodipine 5 mg daily",
)
ALLERGIES = ("None known", "Penicillin", "Nickel", "Adhesive tape", "None known")


def signature_png(rng: random.Random, width: int = 420, height: int = 120) -> bytes:
    """A looping hand-drawn line, different for every seed, as the signature pad stores it."""
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    ink = (16, 36, 58, 255)
    phase, loops = rng.uniform(0, math.pi), rng.uniform(7.5, 10.5)
    points = []
    for i in range(160):
        t = i / 159
        x = 14 + t * (width * 0.72)
        y = height * 0.55 - math.sin(t * loops * math.pi + phase) * height * 0.28 * (1.1 - t)
        y += math.sin(t * 3.1 + phase) * 6
        points.append((x, y))
    draw.line(points, fill=ink, width=3, joint="curve")
    tail = (width * 0.74, height * 0.62)
    draw.line([points[-1], tail, (width - 16, height * 0.48)], fill=ink, width=3, joint="curve")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _answers(
    draft: CourseDraft, library: HomecareLibrary, rng: random.Random
) -> tuple[Answer, ...]:
    given = {
        "reason": library.condition_line(draft.condition),
        "complaint_history": rng.choice(
            (
                "Started about three months ago after gardening; worse when sitting long.",
                "On and off for a year, worse this winter; better after a hot shower.",
                "Came on after a long drive in the autumn; mornings are the worst.",
            )
        ),
        "previous_acupuncture": rng.choice(("No, this is my first time", "Yes, and it went well")),
        "medical_history": rng.choice(("None", "Appendix removed in 2004", "Mild asthma")),
        "medications": rng.choice(MEDICATIONS),
        "allergies": rng.choice(ALLERGIES),
        "pregnant": rng.choice(("No", "Does not apply to me")),
    }
    details: dict[str, str] = {}
    for question, detail, every in CAUTIONS:
        yes = draft.id % every == 0
        given[question] = "yes" if yes else "no"
        if yes and detail:
            details[question] = detail
    for question in ("epilepsy", "skin"):
        given[question] = "no"
    return tuple(Answer(q, a, details.get(q, "")) for q, a in given.items())


def write_intakes(
    session: Session,
    courses: list[CourseDraft],
    library: HomecareLibrary,
    rng: random.Random,
    today: date,
    tz: ZoneInfo,
    forms: Forms | None = None,
) -> int:
    """An intake and a signed consent for each started course's patient; how many intakes."""
    forms = forms or load_forms()
    intake = forms.intake("acupuncture_intake")
    consent = forms.consent("acupuncture_consent")
    if intake is None or consent is None:
        return 0
    witness = session.execute(
        select(StaffAccount.id, StaffAccount.display_name).where(
            StaffAccount.username == "reception"
        )
    ).first()
    witness_id, witness_name = (witness[0], witness[1]) if witness else (None, "Reception")
    names = {
        pid: display_name(given, family)
        for pid, given, family in session.execute(
            select(Patient.id, Patient.given_name, Patient.family_name).where(
                Patient.id.in_({d.patient_id for d in courses})
            )
        )
    }
    seen: set[int] = set()
    rows: list[Any] = []
    for draft in sorted(courses, key=lambda d: d.id):
        if draft.start > today or draft.patient_id in seen:
            continue
        seen.add(draft.patient_id)
        arrived = datetime.combine(draft.start, time(0), tz) + timedelta(minutes=draft.minute - 15)
        try:
            answers = check_answers(
                intake, IntakeInput(draft.patient_id, intake.code, _answers(draft, library, rng))
            )
        except ValidationError:  # a clinic's edited form the demo's answers do not fit
            continue
        rows.append(
            IntakeResponse(
                patient_id=draft.patient_id,
                form_code=intake.code,
                form_title=intake.title,
                form_version=intake.version,
                answers=answers,
                completed_at=arrived,
                recorded_by_account_id=witness_id,
                recorded_by_name=witness_name,
            )
        )
        rows.append(
            ConsentRecord(
                patient_id=draft.patient_id,
                form_code=consent.code,
                title=consent.title,
                form_version=consent.version,
                text=consent.text,
                signer_name=names.get(draft.patient_id, "Patient"),
                signature_png=signature_png(rng),
                signed_at=arrived + timedelta(minutes=6),
                witness_account_id=witness_id,
                witness_name=witness_name,
            )
        )
    session.add_all(rows)
    session.flush()
    return len(seen)
