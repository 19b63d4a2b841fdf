"""The clinic's settings as a plain value every service and document can use.

Read once per operation (it is one row), never cached across operations, so a change made at
another workstation is seen by the next booking or printout.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from zoneinfo import ZoneInfo

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from frontdesk.accounts.operation import operation
from frontdesk.db.engine import Database
from frontdesk.db.models import ClinicSettings, OpeningHours, Practitioner
from frontdesk.domain import NotFound, PageSize
from frontdesk.phones import format_phone


@dataclass(frozen=True)
class ClinicInfo:
    name: str
    address: str
    phone: str  # ready to print: (780) 555-0142
    email: str
    timezone: str
    province: str
    closed_optional_holidays: tuple[str, ...]  # keys: ("heritage_day", "boxing_day")
    page_size: PageSize
    logo_png: bytes | None
    # weekday (Monday = 0) -> (opens, closes) in local time; missing weekday = closed
    opening_hours: dict[int, tuple[time, time]]
    # Also closed on the weekday a weekend holiday is "observed" on (the clinic's choice).
    close_on_observed_days: bool = False

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


_MISSING = "The clinic settings are missing; open the database with Frontdesk first."


def load_clinic(session: Session) -> ClinicInfo:
    """Clinic settings inside an existing session (for services that already hold one)."""
    row = session.get(ClinicSettings, 1)
    if row is None:
        raise NotFound(_MISSING)
    hours = {h.weekday: (h.opens_at, h.closes_at) for h in session.scalars(select(OpeningHours))}
    return ClinicInfo(
        name=row.name,
        address=row.address,
        phone=format_phone(row.phone),
        email=row.email,
        timezone=row.timezone,
        province=row.province,
        closed_optional_holidays=tuple(row.closed_optional_holidays or ()),
        page_size=PageSize(row.page_size),
        logo_png=row.logo_png,
        opening_hours=hours,
        close_on_observed_days=row.close_on_observed_days,
    )


@operation("get_clinic")
def get_clinic(db: Database) -> ClinicInfo:
    with db.read() as session:
        return load_clinic(session)


@dataclass(frozen=True)
class ClinicFacts:
    """The few clinic-wide settings that screens everywhere ask about, small enough to keep.

    The window reads them when it opens and again (on a worker) when Settings saved or another
    desk changed something (``AppContext.clinic``), so a widget needs no database to know the
    clinic's day or name.
    """

    name: str
    timezone: str
    has_practitioners: bool  # any active practitioner: False on a fresh install

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@operation("get_clinic_facts")
def get_clinic_facts(db: Database) -> ClinicFacts:
    with db.read() as session:
        row = session.get(ClinicSettings, 1)
        if row is None:
            raise NotFound(_MISSING)
        anyone = exists().where(Practitioner.active.is_(True))
        return ClinicFacts(row.name, row.timezone, bool(session.scalar(select(anyone))))


def clinic_today(now: datetime, tz: tzinfo) -> date:
    """Today's date where the clinic is, not where the computer's clock thinks it is.

    ``now`` is an aware instant (the app's clock), ``tz`` the clinic's zone: at 23:30 in
    Edmonton it is already tomorrow in UTC, and the clinic's day is the one that counts.
    """
    if now.tzinfo is None:
        raise ValueError("naive datetime given where an aware instant is needed")
    return now.astimezone(tz).date()
