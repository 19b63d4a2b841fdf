"""The intake and consent vocabulary as frozen values, for the form, the chart and tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

MAX_ANSWER = 5_000  # characters per answer: a paragraph or two, never a pasted file
MAX_SIGNATURE_BYTES = 2_000_000  # a PNG of a signature pad is tens of kilobytes


@dataclass(frozen=True)
class Answer:
    """One answer; ``detail`` is the follow-up text a caution question asks for."""

    question_id: str
    answer: str
    detail: str = ""


@dataclass(frozen=True)
class IntakeInput:
    """What the form hands to ``save_intake``: the form it answers and the answers."""

    patient_id: int
    form_code: str
    answers: tuple[Answer, ...]


@dataclass(frozen=True)
class IntakeSaved:
    """What saving tells the desk: that it is stored, and nothing of the answers (reception
    hands the form over and saves it, but does not read it afterwards)."""

    id: int
    patient_id: int
    completed_at: datetime


@dataclass(frozen=True)
class AnsweredQuestion:
    """A stored answer with the wording the patient read."""

    question_id: str
    label: str
    answer: str
    detail: str
    caution: str


@dataclass(frozen=True)
class Caution:
    """A caution raised by an intake answer, in the form's wording."""

    question_id: str
    text: str
    detail: str
    intake_id: int
    recorded_at: datetime

    @property
    def line(self) -> str:
        return f"{self.text} ({self.detail})" if self.detail else self.text


@dataclass(frozen=True)
class IntakeView:
    """One stored intake: every answer, the cautions, who took it and when."""

    id: int
    patient_id: int
    form_code: str
    form_title: str
    form_version: int
    answers: tuple[AnsweredQuestion, ...]
    completed_at: datetime
    recorded_by: str

    @property
    def cautions(self) -> tuple[AnsweredQuestion, ...]:
        return tuple(a for a in self.answers if a.caution)


@dataclass(frozen=True)
class ConsentInput:
    """A signed consent: the form, the name of whoever signed, and the signature as PNG."""

    patient_id: int
    form_code: str
    signer_name: str
    signature_png: bytes


@dataclass(frozen=True)
class ConsentView:
    """A stored consent with its wording as signed, the signature and the witness."""

    id: int
    patient_id: int
    patient_name: str
    form_code: str
    title: str
    form_version: int
    text: str
    signer_name: str
    signature_png: bytes
    signed_at: datetime
    witness_name: str


@dataclass(frozen=True)
class IntakeRecord:
    """Everything of the intake the chart shows: intakes and consents, the latest first."""

    intakes: tuple[IntakeView, ...]
    consents: tuple[ConsentView, ...]
