"""Clinic wall-clock times, and people named the way the practitioner's screens name them.

Services hand out aware UTC datetimes; every screen here shows them in the clinic's zone (not the
computer's), read once per window from the clinic settings.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from frontdesk.clinic import get_clinic
from frontdesk.context import AppContext
from frontdesk.domain import Discipline
from frontdesk.patients import PatientRecord
from frontdesk.scheduling import PractitionerView


class LocalTime:
    """Formatting helpers bound to the clinic's time zone and the app's clock."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.tz: ZoneInfo = get_clinic(ctx.db).tz

    def now(self) -> datetime:
        return self.ctx.clock().astimezone(self.tz)

    def today(self) -> date:
        return self.now().date()

    def clock(self, instant: datetime) -> str:
        """ "09:30" """
        return f"{instant.astimezone(self.tz):%H:%M}"

    def when(self, instant: datetime) -> str:
        """ "Mon 2 Mar 2026, 09:30" """
        local = instant.astimezone(self.tz)
        return f"{local:%a} {local.day} {local:%b %Y, %H:%M}"

    def short(self, instant: datetime) -> str:
        """ "Mon 2 Mar, 09:30" (the year only when it is not this year) """
        local = instant.astimezone(self.tz)
        year = f" {local.year}" if local.year != self.today().year else ""
        return f"{local:%a} {local.day} {local:%b}{year}, {local:%H:%M}"

    def day(self, instant: datetime | None) -> str:
        """ "2 Mar 2026" ("" for none) """
        if instant is None:
            return ""
        local = instant.astimezone(self.tz)
        return f"{local.day} {local:%b %Y}"


def long_day(value: date) -> str:
    """ "Monday 2 March 2026" """
    return f"{value:%A} {value.day} {value:%B %Y}"


def spoken_name(p: PatientRecord) -> str:
    """ "Ann Smith" (or the name they go by): how a practitioner greets the patient."""
    return f"{p.preferred_name or p.given_name} {p.family_name}"


def practitioner_label(p: PractitionerView) -> str:
    """ "Mei Lin Chen (Acupuncture)" for pickers."""
    return f"{p.display_name} ({p.discipline.label})"


def acupuncturists_first(people: list[PractitionerView]) -> list[PractitionerView]:
    """The practitioner's screens are mainly the acupuncturists', but anyone may use them."""
    return sorted(people, key=lambda p: (p.discipline != Discipline.ACUPUNCTURE, p.display_name))
