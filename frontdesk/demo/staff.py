"""The demo clinic's staff and rooms.

Three practitioners (two acupuncturists, one physiotherapist) for the everyday demo; more,
cycling through the same weekly patterns, when a benchmark asks for hundreds of thousands of
appointments so the calendar has room for them. Working hours are clipped to the clinic's
opening hours. Which days the clinic is open is not decided here: the builder asks the
scheduling rules (``frontdesk.scheduling``), the same ones that refuse a booking at the desk.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from frontdesk.domain import Discipline, Role

# The demo clinic's accounts, one per role, offered with one click by the sign-in dialog of
# the demo (and only there). The password is public: the demo holds made-up people only.
DEMO_PASSWORD = "demo-clinic"
DEMO_ACCOUNTS: tuple[tuple[str, str, Role], ...] = (
    ("admin", "Demo administrator", Role.ADMINISTRATOR),
    ("reception", "Demo reception", Role.RECEPTION),
    ("practitioner", "Demo practitioner", Role.PRACTITIONER),
)


# weekday -> (starts, ends, lunch or None), local wall-clock time
Lunch = tuple[time, time] | None
Pattern = dict[int, tuple[time, time, Lunch]]


def _week(days: tuple[int, ...], starts: time, ends: time, lunch: Lunch) -> Pattern:
    return {day: (starts, ends, lunch) for day in days}


_LUNCH: Lunch = (time(12), time(13))
DAYTIME = _week((0, 1, 2, 3, 4), time(9), time(17), _LUNCH) | _week((5,), time(9), time(13), None)
SPLIT = _week((0, 1, 3), time(12), time(20), (time(16), time(16, 30))) | _week(
    (2, 4), time(8), time(16), (time(12), time(12, 30))
)
EARLY = _week((0, 1, 2, 3, 4), time(8), time(16), _LUNCH)

# name, credentials, discipline, colour, weekly pattern
CORE_STAFF: tuple[tuple[str, str, Discipline, str, Pattern], ...] = (
    ("Mei Lin Chen", "R.Ac.", Discipline.ACUPUNCTURE, "#2e9e6e", DAYTIME),
    ("Étienne Gagnon", "R.Ac.", Discipline.ACUPUNCTURE, "#c2673a", SPLIT),
    ("Priya Sandhu", "PT", Discipline.PHYSIOTHERAPY, "#3f6fb5", EARLY),
)
EXTRA_DISCIPLINES = (Discipline.ACUPUNCTURE, Discipline.PHYSIOTHERAPY, Discipline.CHIROPRACTIC)
CREDENTIALS = {
    Discipline.ACUPUNCTURE: "R.Ac.",
    Discipline.PHYSIOTHERAPY: "PT",
    Discipline.CHIROPRACTIC: "DC",
}
PALETTE = (
    "#8e5bb5",
    "#b5495b",
    "#4d9da8",
    "#a8892f",
    "#5a7d2b",
    "#c05a9a",
    "#476b8f",
    "#9b6b43",
)
ROOM_NAMES = ("Cedar Room", "Aspen Room", "Birch Room")


@dataclass(frozen=True)
class StaffMember:
    """A practitioner as the demo schedules them: free periods per weekday in minutes."""

    id: int
    display_name: str
    credentials: str
    discipline: Discipline
    colour: str
    pattern: Pattern
    # weekday -> ((start_min, end_min), ...) with the lunch break cut out
    periods: dict[int, tuple[tuple[int, int], ...]]


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def clip_pattern(pattern: Pattern, opening: dict[int, tuple[time, time]]) -> Pattern:
    """The pattern within the clinic's opening hours (a weekday it is closed drops out)."""
    clipped: Pattern = {}
    for weekday, (starts, ends, lunch) in pattern.items():
        if weekday not in opening:
            continue
        opens, closes = opening[weekday]
        starts, ends = max(starts, opens), min(ends, closes)
        if starts >= ends:
            continue
        if lunch and not (starts < lunch[0] < lunch[1] < ends):
            lunch = None
        clipped[weekday] = (starts, ends, lunch)
    return clipped


def _periods(pattern: Pattern) -> dict[int, tuple[tuple[int, int], ...]]:
    result: dict[int, tuple[tuple[int, int], ...]] = {}
    for weekday, (starts, ends, lunch) in pattern.items():
        if lunch:
            result[weekday] = (
                (_minutes(starts), _minutes(lunch[0])),
                (_minutes(lunch[1]), _minutes(ends)),
            )
        else:
            result[weekday] = ((_minutes(starts), _minutes(ends)),)
    return result


def staff_for(
    count: int, extra_names: list[str], opening: dict[int, tuple[time, time]]
) -> list[StaffMember]:
    """``count`` practitioners (at least the three core ones), ids 1..count."""
    patterns = [DAYTIME, SPLIT, EARLY]
    members = []
    for index in range(max(3, count)):
        if index < len(CORE_STAFF):
            name, creds, discipline, colour, pattern = CORE_STAFF[index]
        else:
            discipline = EXTRA_DISCIPLINES[index % len(EXTRA_DISCIPLINES)]
            name, creds = extra_names[index % len(extra_names)], CREDENTIALS[discipline]
            colour, pattern = PALETTE[index % len(PALETTE)], patterns[index % 3]
        pattern = clip_pattern(pattern, opening)
        members.append(
            StaffMember(index + 1, name, creds, discipline, colour, pattern, _periods(pattern))
        )
    return members


def room_names(count: int) -> list[str]:
    return [ROOM_NAMES[i] if i < len(ROOM_NAMES) else f"Room {i + 1}" for i in range(count)]
