"""A second desk, run in its own process under a given locale by ``test_holidays_locale``.

Usage: ``python -m tests.unit.holiday_desk DATABASE_URL IDS_JSON DAYS...``. It opens the
clinic's database as another workstation would and prints, as JSON, what a booking at 10:00
on each day says (None when it would be accepted), the optional holidays Settings offers and
the names of the coming holidays Settings lists.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from frontdesk.db.engine import Database
from frontdesk.domain import BookingError
from frontdesk.scheduling import BookingRequest, check_booking
from frontdesk.setup import coming_holidays, optional_holidays
from tests.accounts_support import as_admin

TZ = ZoneInfo("America/Edmonton")
NOW = datetime(2027, 1, 4, 12, 0, tzinfo=TZ).astimezone(UTC)


def main(url: str, ids_json: str, days: list[str]) -> None:
    ids = json.loads(ids_json)
    db = as_admin(Database(url))
    refusals: dict[str, str | None] = {}
    for text in days:
        day = date.fromisoformat(text)
        start = datetime.combine(day, time(10), TZ).astimezone(UTC)
        request = BookingRequest(
            patient_id=ids["patient"],
            practitioner_id=ids["practitioner"],
            type_id=ids["type"],
            start=start,
            room_id=ids["room"],
        )
        try:
            check_booking(db, request, now=NOW)
            refusals[text] = None
        except BookingError as exc:
            refusals[text] = str(exc)
    print(
        json.dumps(
            {
                "refusals": refusals,
                "optional": [[o.key, o.name] for o in optional_holidays("AB", 2027)],
                "coming": [h.name for h in coming_holidays(db, date(2027, 1, 1))],
            }
        )
    )
    db.dispose()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
