"""Intake and consent forms, read from data so a clinic can reword them or add its own.

Every ``*.toml`` file in ``resources/forms`` is one form: ``kind = "intake"`` (questions in
sections, some of which raise a caution for the practitioner) or ``kind = "consent"`` (the
text a patient signs). A broken file is reported by name and field, as the home-care library
does, so the person who edited it knows what to fix. Stored intakes and consents keep the
wording they were answered or signed with, so editing a file never changes a record.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from frontdesk import paths

KINDS = ("line", "text", "yes_no", "choice")
YES, NO = "yes", "no"


class FormError(ValueError):
    """A form file cannot be used; the message names the file and the field."""

    def __init__(self, path: Path, message: str) -> None:
        self.path = path
        super().__init__(f"The form {path.name}: {message}")


@dataclass(frozen=True)
class Question:
    """One question; ``caution_when`` lists the answers that raise ``caution``."""

    id: str
    kind: str
    label: str
    required: bool = False
    options: tuple[str, ...] = ()
    caution_when: tuple[str, ...] = ()
    caution: str = ""
    detail: str = ""
    # What the patient keeps in mind at home when this caution applies (for the handout).
    home_advice: str = ""

    @property
    def choices(self) -> tuple[str, ...]:
        """The answers a yes/no or choice question offers, as stored."""
        return (YES, NO) if self.kind == "yes_no" else self.options

    def raises_caution(self, answer: str) -> bool:
        return bool(self.caution) and answer in self.caution_when


@dataclass(frozen=True)
class Section:
    title: str
    intro: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class IntakeForm:
    """A questionnaire the patient fills in at a first visit."""

    code: str
    title: str
    version: int
    intro: str
    sections: tuple[Section, ...]

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for s in self.sections for q in s.questions)

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)


@dataclass(frozen=True)
class ConsentForm:
    """The text a patient reads and signs."""

    code: str
    title: str
    version: int
    paragraphs: tuple[str, ...]
    statement: str

    @property
    def text(self) -> str:
        """The whole wording as stored with a signature: paragraphs, then the statement."""
        return "\n\n".join((*self.paragraphs, self.statement))


@dataclass(frozen=True)
class Forms:
    intakes: tuple[IntakeForm, ...] = ()
    consents: tuple[ConsentForm, ...] = ()
    problems: tuple[str, ...] = field(default=())

    def intake(self, code: str) -> IntakeForm | None:
        return next((f for f in self.intakes if f.code == code), None)

    def consent(self, code: str) -> ConsentForm | None:
        return next((f for f in self.consents if f.code == code), None)


def forms_dir() -> Path:
    return paths.resource("forms")


def load_forms(folder: Path | None = None) -> Forms:
    """Every form in the folder, sorted by file name; broken files are left out and their
    problems listed (one broken clinic form must not take the acupuncture intake with it)."""
    folder = folder or forms_dir()
    intakes: list[IntakeForm] = []
    consents: list[ConsentForm] = []
    problems: list[str] = []
    for path in sorted(folder.glob("*.toml")) if folder.is_dir() else ():
        try:
            form = load_form(path)
        except FormError as exc:
            problems.append(str(exc))
            continue
        if isinstance(form, IntakeForm):
            intakes.append(form)
        else:
            consents.append(form)
    return Forms(tuple(intakes), tuple(consents), tuple(problems))


def load_form(path: Path) -> IntakeForm | ConsentForm:
    """One form file; ``FormError`` saying what is wrong with it."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise FormError(path, f"cannot be read ({exc.strerror or exc}).") from exc
    except UnicodeDecodeError as exc:
        raise FormError(path, "is not UTF-8 text; save it as UTF-8.") from exc
    except tomllib.TOMLDecodeError as exc:
        raise FormError(path, f"is not valid TOML ({exc}).") from exc
    kind = raw.get("kind")
    if kind == "intake":
        return _intake(path, raw)
    if kind == "consent":
        return _consent(path, raw)
    raise FormError(path, 'kind should be "intake" or "consent".')


def _text(path: Path, raw: dict[str, Any], key: str, where: str, *, required: bool = True) -> str:
    value = raw.get(key, None if required else "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise FormError(path, f"{where}{key} should be text in quotes and not empty.")
    return value.strip()


def _texts(path: Path, raw: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise FormError(path, f"{where}{key} should be a list of texts in quotes.")
    return tuple(v.strip() for v in value)


def _version(path: Path, raw: dict[str, Any]) -> int:
    value = raw.get("version", 1)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise FormError(path, "version should be a whole number from 1.")
    return value


def _intake(path: Path, raw: dict[str, Any]) -> IntakeForm:
    sections = raw.get("sections")
    if not isinstance(sections, list) or not sections:
        raise FormError(path, "lists no [[sections]]; add at least one with its questions.")
    seen: set[str] = set()
    built = []
    for i, sec in enumerate(sections, 1):
        where = f"section {i}: "
        questions = []
        for j, q in enumerate(sec.get("questions", []), 1):
            questions.append(_question(path, q, f"section {i}, question {j}: ", seen))
        if not questions:
            raise FormError(path, f"{where}has no [[sections.questions]].")
        built.append(
            Section(
                _text(path, sec, "title", where),
                _text(path, sec, "intro", where, required=False),
                tuple(questions),
            )
        )
    return IntakeForm(
        _text(path, raw, "code", ""),
        _text(path, raw, "title", ""),
        _version(path, raw),
        _text(path, raw, "intro", "", required=False),
        tuple(built),
    )


def _question(path: Path, raw: dict[str, Any], where: str, seen: set[str]) -> Question:
    qid = _text(path, raw, "id", where)
    if qid in seen:
        raise FormError(path, f"{where}the id “{qid}” is used twice.")
    seen.add(qid)
    kind = raw.get("kind")
    if kind not in KINDS:
        raise FormError(path, f"{where}kind should be one of {', '.join(KINDS)}.")
    options = _texts(path, raw, "options", where)
    if kind == "choice" and len(options) < 2:
        raise FormError(path, f"{where}a choice question needs at least two options.")
    question = Question(
        id=qid,
        kind=kind,
        label=_text(path, raw, "label", where),
        required=bool(raw.get("required", False)),
        options=options,
        caution_when=_texts(path, raw, "caution_when", where),
        caution=_text(path, raw, "caution", where, required=False),
        detail=_text(path, raw, "detail", where, required=False),
        home_advice=_text(path, raw, "home_advice", where, required=False),
    )
    unknown = [a for a in question.caution_when if a not in question.choices]
    if unknown:
        raise FormError(
            path,
            f"{where}caution_when names “{unknown[0]}”, which is not one of its answers "
            f"({', '.join(question.choices) or 'a text question has none'}).",
        )
    if question.caution_when and not question.caution:
        raise FormError(path, f"{where}caution_when is set but the caution's wording is missing.")
    return question


def _consent(path: Path, raw: dict[str, Any]) -> ConsentForm:
    paragraphs = _texts(path, raw, "paragraphs", "")
    if not paragraphs:
        raise FormError(path, "paragraphs should list the consent's text.")
    return ConsentForm(
        _text(path, raw, "code", ""),
        _text(path, raw, "title", ""),
        _version(path, raw),
        paragraphs,
        _text(path, raw, "statement", ""),
    )
