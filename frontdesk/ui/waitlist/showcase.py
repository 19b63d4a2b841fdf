"""A freed time with takers on the wait list, for ``frontdesk --screenshots``.

Looks through the coming days for a practitioner's free hour that at least two waiting patients
could take, and opens *Who could fill this time?* on it (an unattended run: the services are
asked directly, nobody waits on the window).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from PySide6.QtWidgets import QWidget

from frontdesk.clinic import get_clinic
from frontdesk.context import AppContext
from frontdesk.scheduling import list_practitioners
from frontdesk.scheduling.localtime import to_local, to_utc
from frontdesk.scheduling.waitlist import waitlist_matches
from frontdesk.ui.waitlist.fill_dialog import FillGapDialog


def fill_showcase(parent: QWidget, ctx: AppContext) -> QWidget | None:
    tz = get_clinic(ctx.db).tz
    now = ctx.clock()
    today = to_local(now, tz).date()
    for days in range(1, 15):
        day = today + timedelta(days=days)
        for practitioner in list_practitioners(ctx.db):
            for hour in (9, 10, 11, 13, 14, 15, 16):
                start: datetime = to_utc(day, time(hour), tz)
                end = start + timedelta(hours=2)
                if len(waitlist_matches(ctx.db, practitioner.id, start, end=end, now=now)) >= 2:
                    return FillGapDialog(
                        ctx, practitioner.id, practitioner.display_name, start, tz, parent, end=end
                    )
    return None
