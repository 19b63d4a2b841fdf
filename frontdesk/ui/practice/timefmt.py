"""Clinic wall-clock times, and people named the way the practitioner's screens name them.

Services hand out aware UTC datetimes; every screen here shows them in the clinic's zone (not the
computer's), the zone the window keeps (``AppContext.clinic``, current after Settings changed it).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from frontdesk.clinic import clinic_today
from frontdesk.context import AppContext
from frontdesk.domain import Discipline
from frontdesk.names import display_name
from frontdesk.patients import PatientRecord
from frontdesk.scheduling import PractitionerView
from frontdesk.timefmt import fmt_date, fmt_short_when, fmt_time, fmt_when


class LocalTime:
    """The clinic's zone and the app's clock, bound to ``frontdesk.timefmt``; no database."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    @property
    def tz(self) -> ZoneInfo:
        return self.ctx.clinic.tz

    def now(self) -> datetime:
        return self.ctx.clock().astimezone(self.tz)

    def today(self) -> date:
        return clinic_today(self.ctx.clock(), self.tz)

    def clock(self, instant: datetime) -> str:
        """ "09:30" """
        return fmt_time(instant, self.tz)

    def when(self, instant: datetime) -> str:
        """ "Mon 2 Mar 2026, 09:30" """
        return fmt_when(instant, self.tz)

    def short(self, instant: datetime) -> str:
        """ "Mon 2 Mar, 09:30" (the year only when it is not this year)"""
        if instant.astimezone(self.tz).year != self.today().year:
            return fmt_when(instant, self.tz)
        return fmt_short_when(instant, self.tz)

    def day(self, instant: datetime | None) -> str:
        """ "2 Mar 2026" ("" for none)"""
        return "" if instant is None else fmt_date(instant, self.tz)


def spoken_name(p: PatientRecord) -> str:
    """ "Ann Smith" (or the name they go by), "王秀英": how a practitioner greets the patient."""
    return display_name(p.given_name, p.family_name, p.preferred_name)


def acupuncturists_first(people: list[PractitionerView]) -> list[PractitionerView]:
    """The practitioner's screens are mainly the acupuncturists', but anyone may use them."""
    return sorted(people, key=lambda p: (p.discipline != Discipline.ACUPUNCTURE, p.display_name))
