"""The wording of each kind of message: built-in defaults the clinic may replace with its own.

Templates are data with ``{placeholders}``; an unknown placeholder is refused when the clinic
saves the template (a field message), never discovered when a patient's email goes out.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass

KINDS: tuple[str, ...] = ("confirmation", "course_confirmation", "reminder", "move", "cancellation")

KIND_LABELS: dict[str, str] = {
    "confirmation": "Booking confirmation",
    "course_confirmation": "Course confirmation",
    "reminder": "Reminder",
    "move": "Visit moved",
    "cancellation": "Cancellation",
}

PLACEHOLDERS: dict[str, str] = {
    "first_name": "the patient's first (or preferred) name",
    "date": "the visit's date, e.g. Tuesday, March 10, 2026",
    "time": "the visit's start time, e.g. 2:30 p.m.",
    "practitioner": "the practitioner's name",
    "appointment_type": "what is booked, e.g. Acupuncture",
    "clinic_name": "the clinic's name",
    "clinic_address": "the clinic's address",
    "clinic_phone": "the clinic's phone number",
    "sessions": "a course's sessions, one per line (course confirmations)",
    "previous": "the visit's previous date and time (visit moved)",
}

_SIGN_OFF = "\n\n{clinic_name}\n{clinic_address}\n{clinic_phone}\n"

DEFAULTS: dict[str, tuple[str, str]] = {
    "confirmation": (
        "Your appointment on {date} at {time}",
        "Hello {first_name},\n\nYour {appointment_type} appointment with {practitioner} is "
        "booked for {date} at {time}. The attached calendar file adds it to your calendar."
        "\n\nIf you cannot come, please call us." + _SIGN_OFF,
    ),
    "course_confirmation": (
        "Your course of {appointment_type} with {practitioner}",
        "Hello {first_name},\n\nYour course of {appointment_type} with {practitioner} is "
        "booked:\n\n{sessions}\n\nThe attached calendar file adds every session to your "
        "calendar.\n\nIf you cannot come to a session, please call us." + _SIGN_OFF,
    ),
    "reminder": (
        "Reminder: your appointment on {date} at {time}",
        "Hello {first_name},\n\nThis is a reminder of your {appointment_type} appointment with "
        "{practitioner} on {date} at {time}.\n\nIf you cannot come, please call us." + _SIGN_OFF,
    ),
    "move": (
        "Your appointment has moved to {date} at {time}",
        "Hello {first_name},\n\nYour {appointment_type} appointment with {practitioner}, "
        "previously {previous}, is now on {date} at {time}. The attached calendar file updates "
        "your calendar." + _SIGN_OFF,
    ),
    "cancellation": (
        "Your appointment on {date} at {time} is cancelled",
        "Hello {first_name},\n\nYour {appointment_type} appointment with {practitioner} on "
        "{date} at {time} is cancelled. Please call us to book another time." + _SIGN_OFF,
    ),
}


@dataclass(frozen=True)
class TemplateView:
    """One kind of message's wording; ``custom`` when the clinic has replaced the default."""

    kind: str
    label: str
    subject: str
    body: str
    custom: bool


def unknown_placeholders(text: str) -> list[str]:
    """Placeholders in ``text`` that no message fills in ("{firstname}"), or a format error."""
    found: list[str] = []
    try:
        for _literal, name, _spec, _conv in string.Formatter().parse(text):
            if name is not None and name not in PLACEHOLDERS and name not in found:
                found.append(name or "{}")
    except ValueError:
        return ["a lone { or }"]
    return found


def template_problem(text: str) -> str | None:
    """Why ``text`` cannot be a template, in words for the field, or None."""
    unknown = unknown_placeholders(text)
    if not unknown:
        return None
    if unknown == ["a lone { or }"]:
        return "A { or } has no partner; write {first_name}, {date}, … as listed."
    names = ", ".join("{" + n + "}" for n in unknown)
    return f"{names} is not a placeholder this message can fill in; use those listed."


def render(text: str, values: Mapping[str, str]) -> str:
    """``text`` with its placeholders filled in (unknown ones, which saving refuses, left as is)."""
    filled = {name: values.get(name, "") for name in PLACEHOLDERS}
    try:
        done = text.format_map(_Keep(filled))
    except (ValueError, IndexError):
        done = text
    # An empty placeholder (a clinic with no phone) leaves no blank lines behind it.
    return re.sub(r"\n{3,}", "\n\n", "\n".join(line.rstrip() for line in done.split("\n"))).strip()


class _Keep(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
