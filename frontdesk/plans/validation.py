"""Checking a ``PlanInput`` against the library and the database before anything is stored.

All problems are collected and raised together as one ``ValidationError`` keyed by the
``PlanInput`` field names, so the plan editor can mark every wrong field at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from sqlalchemy.orm import Session

from frontdesk.db.models import Patient, Practitioner, TreatmentCourse
from frontdesk.domain import ValidationError
from frontdesk.plans.homecare import clean_entries
from frontdesk.plans.library import HomecareLibrary
from frontdesk.plans.types import (
    PAIN_MAX,
    PAIN_MIN,
    SESSIONS_MAX,
    SESSIONS_MIN,
    ConditionChoice,
    PlanInput,
)
from frontdesk.text import unstorable_errors

MAX_FREQUENCY_TEXT = 120
MAX_LIST_ENTRY = 500
MAX_LIST_LENGTH = 40


def clean_list(values: Iterable[str]) -> tuple[str, ...]:
    """Entries trimmed, blanks dropped, repeats removed, order kept."""
    out: list[str] = []
    for value in values:
        text = " ".join(str(value).split())
        if text and text not in out:
            out.append(text)
    return tuple(out)


def normalise(data: PlanInput) -> PlanInput:
    """The input as it will be stored: tidy lists and trimmed single-line texts."""
    return replace(
        data,
        conditions=tuple(
            ConditionChoice(
                c.code.strip(),
                (c.region or "").strip() or None,
                (c.level or "").strip() or None,
                (c.side or "").strip() or None,
            )
            for c in data.conditions
        ),
        condition_notes=data.condition_notes.strip(),
        symptoms=clean_list(data.symptoms),
        worse_with=data.worse_with.strip(),
        better_with=data.better_with.strip(),
        goals=clean_list(data.goals),
        techniques=clean_list(data.techniques),
        frequency_text=" ".join(data.frequency_text.split()),
        homecare=clean_entries(data.homecare),
        patient_notes=data.patient_notes.strip(),
    )


def validate(session: Session, data: PlanInput, library: HomecareLibrary) -> None:
    """Raise ``ValidationError`` with one message per wrong field; return quietly if all fine."""
    errors: dict[str, str] = {}
    if session.get(Patient, data.patient_id) is None:
        errors["patient_id"] = "Choose the patient this plan is for."
    if session.get(Practitioner, data.practitioner_id) is None:
        errors["practitioner_id"] = "Choose the practitioner responsible for this plan."
    if data.course_id is not None:
        course = session.get(TreatmentCourse, data.course_id)
        if course is None:
            errors["course_id"] = "The linked treatment course no longer exists; pick another."
        elif course.patient_id != data.patient_id:
            errors["course_id"] = "That treatment course belongs to another patient."
    message = _conditions_error(data.conditions, library)
    if message:
        errors["conditions"] = message
    if data.pain_score is not None and not (
        isinstance(data.pain_score, int) and PAIN_MIN <= data.pain_score <= PAIN_MAX
    ):
        errors["pain_score"] = f"Pain score must be a whole number from {PAIN_MIN} to {PAIN_MAX}."
    if data.planned_sessions is not None and not (
        isinstance(data.planned_sessions, int)
        and SESSIONS_MIN <= data.planned_sessions <= SESSIONS_MAX
    ):
        errors["planned_sessions"] = (
            f"Planned sessions must be between {SESSIONS_MIN} and {SESSIONS_MAX}."
        )
    if len(data.frequency_text) > MAX_FREQUENCY_TEXT:
        errors["frequency_text"] = (
            f"Keep the frequency short (at most {MAX_FREQUENCY_TEXT} characters), "
            "e.g. \u201ctwice a week for 4 weeks\u201d."
        )
    for name, label in (
        ("symptoms", "symptom"),
        ("goals", "goal"),
        ("techniques", "technique"),
        ("homecare", "home-care item"),
    ):
        values: tuple[str, ...] = (
            tuple(e.text for e in data.homecare) if name == "homecare" else getattr(data, name)
        )
        if len(values) > MAX_LIST_LENGTH:
            errors[name] = f"At most {MAX_LIST_LENGTH} entries; this list has {len(values)}."
        elif any(len(v) > MAX_LIST_ENTRY for v in values):
            errors[name] = f"Each {label} must be at most {MAX_LIST_ENTRY} characters."
    errors.update(
        unstorable_errors(
            (
                ("condition_notes", data.condition_notes, "condition notes"),
                ("symptoms", data.symptoms, "list of symptoms"),
                ("worse_with", data.worse_with, "\u201cworse with\u201d text"),
                ("better_with", data.better_with, "\u201cbetter with\u201d text"),
                ("goals", data.goals, "list of goals"),
                ("techniques", data.techniques, "list of techniques"),
                ("frequency_text", data.frequency_text, "frequency"),
                ("homecare", [e.text for e in data.homecare], "home-care advice"),
                ("patient_notes", data.patient_notes, "notes for the patient"),
            )
        )
    )
    if errors:
        raise ValidationError(errors)


def _conditions_error(
    conditions: tuple[ConditionChoice, ...], library: HomecareLibrary
) -> str | None:
    if not conditions:
        return "Choose at least one condition."
    seen: set[ConditionChoice] = set()
    for choice in conditions:
        cond = library.condition(choice.code)
        if cond is None:
            return f"\u201c{choice.code}\u201d is not a condition in the home-care library."
        if choice in seen:
            return f"{cond.title} is listed twice."
        seen.add(choice)
        region = cond.region(choice.region)
        if choice.region and region is None:
            where = ", ".join(r.label for r in cond.regions) or "no region"
            return f"{cond.title}: choose the region from {where}."
        if choice.level:
            if region is None:
                return f"{cond.title}: choose the region before the level."
            if choice.level not in region.levels:
                return f"{cond.title}: {choice.level} is not a level of the {region.label}."
        if choice.side:
            if not cond.has_side:
                return f"{cond.title} has no side to choose."
            if choice.side not in {s.code for s in library.sides}:
                return f"{cond.title}: the side must be left, right or both."
    return None
