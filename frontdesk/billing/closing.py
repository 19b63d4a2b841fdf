"""The one rule every money write goes through: nothing is dated on a closed day.

Payments, refunds, credit applied to an invoice and voids all take their date from
``money_day``: the clinic's local date of ``now``, refused when that day's money was closed
(``frontdesk.billing.dayend.close_day``). A correction to a closed day is therefore a new
entry dated the day it is made, and the closed day sheet stays as it was printed.

The check shares a lock with the close (the invoice counter row, shared here and exclusive in
the close on PostgreSQL; SQLite writes one at a time anyway), so a payment and a close racing
from two desks cannot both succeed.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.clinic import load_clinic
from frontdesk.db.models import InvoiceCounter, MoneyDayClose
from frontdesk.domain import InvalidTransition
from frontdesk.scheduling.localtime import to_local
from frontdesk.timefmt import fmt_date, fmt_time


def closed_on(s: Session, day: date) -> MoneyDayClose | None:
    """The close of ``day``, if its money was closed."""
    return s.scalar(select(MoneyDayClose).where(MoneyDayClose.day == day))


def money_day(s: Session, now: datetime, doing: str) -> date:
    """The clinic date money written at ``now`` is dated on; ``InvalidTransition`` when that
    day is closed. ``doing`` names the refused step in the message ("take a payment")."""
    s.scalar(select(InvoiceCounter.id).where(InvoiceCounter.id == 1).with_for_update(read=True))
    tz = load_clinic(s).tz
    day = to_local(now, tz).date()
    close = closed_on(s, day)
    if close is not None:
        at = fmt_time(close.closed_at, tz)
        raise InvalidTransition(
            f"The money for {fmt_date(day)} was closed at {at} by {close.closed_by}: "
            f"you cannot {doing} dated that day. Record it on the next open day; "
            "it will show on that day's sheet."
        )
    return day
