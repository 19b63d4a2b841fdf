"""The handout's ticked extras: progress so far and the intake's precautions for home."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader

from frontdesk.db.engine import Database
from frontdesk.domain import PermissionDenied, Role
from frontdesk.intake import IntakeInput, save_intake
from frontdesk.outcomes.questionnaires import Answer
from frontdesk.outcomes.service import record_outcome
from frontdesk.plans.extras import HandoutExtras, handout_extras, with_extras
from frontdesk.plans.sample import sample_handout
from frontdesk.reports.plan_handout import render_plan_handout
from tests.accounts_support import as_role
from tests.unit.test_intake import FORM, NOW, answers
from tests.unit.test_scheduling_support import Clinic

pytestmark = pytest.mark.usefixtures("clinic")


def text_of(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def test_extras_are_read_only_when_ticked_and_say_what_the_patient_keeps_in_mind(
    db: Database, clinic: Clinic
) -> None:
    save_intake(
        db,
        IntakeInput(clinic.ann, FORM, answers(bleeding="yes|apixaban", implant="yes|pacemaker")),
        now=NOW,
    )
    for day, pain in ((date(2026, 10, 5), 7), (date(2026, 10, 26), 4)):
        record_outcome(db, clinic.ann, "nprs", [Answer("now", pain)], now=NOW, taken_on=day)

    assert handout_extras(db, clinic.ann, progress=False, precautions=False) == HandoutExtras()
    extras = handout_extras(db, clinic.ann, progress=True, precautions=True)

    assert extras.progress == (
        ("Pain, \u2193 better", ((date(2026, 10, 5), 7.0), (date(2026, 10, 26), 4.0))),
    )
    assert len(extras.precautions) == 2
    assert extras.precautions[0].startswith("With a blood thinner a small bruise")
    assert "implanted device" in extras.precautions[1]


def test_the_handout_prints_the_progress_chart_and_the_precautions_only_when_given() -> None:
    plain = sample_handout()
    extras = HandoutExtras(
        progress=(
            ("Pain, \u2193 better", ((date(2026, 10, 5), 7.0), (date(2026, 10, 26), 4.0))),
            ("Function (PSFS), \u2191 better", ((date(2026, 10, 5), 3.0),)),
        ),
        precautions=("Have a light meal an hour or two before your visit.",),
    )
    without = text_of(render_plan_handout(plain))
    with_them = text_of(render_plan_handout(with_extras(plain, extras)))

    assert "Your progress so far" not in without and "Keep in mind at home" not in without
    assert "Your progress so far" in with_them and "Keep in mind at home" in with_them
    assert "Function (PSFS), higher is better" in with_them and "05 Oct" in with_them
    assert "Pain, lower is better" in with_them
    assert "Have a light meal an hour or two before your visit." in with_them


def test_reception_cannot_add_the_clinical_extras(db: Database, clinic: Clinic) -> None:
    reception = as_role(db, Role.RECEPTION)
    with pytest.raises(PermissionDenied, match="progress and precautions"):
        handout_extras(reception, clinic.ann, progress=True, precautions=False)
