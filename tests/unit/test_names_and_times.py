"""How people, dates and times are written: one rule for every screen and printout."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from frontdesk.clinic import clinic_today
from frontdesk.domain import Discipline
from frontdesk.names import display_name, family_name_first, listing_name, practitioner_label
from frontdesk.timefmt import (
    fmt_date,
    fmt_day,
    fmt_long_date,
    fmt_short_when,
    fmt_span,
    fmt_span_on,
    fmt_time,
    fmt_when,
)

EDMONTON = ZoneInfo("America/Edmonton")


@pytest.mark.parametrize(
    ("given", "family", "preferred", "shown", "listed"),
    [
        ("Zoë", "O'Brien-Smith", "", "Zoë O'Brien-Smith", "O'Brien-Smith, Zoë"),
        ("Zoë", "O'Brien-Smith", "Zo", "Zo O'Brien-Smith", "O'Brien-Smith, Zoë (Zo)"),
        ("Ludwig", "van Beethoven", "", "Ludwig van Beethoven", "van Beethoven, Ludwig"),
        ("Jean-Luc", "D'Amour", "Jean-Luc", "Jean-Luc D'Amour", "D'Amour, Jean-Luc"),
        ("Ánh", "Nguyễn Thị", "", "Ánh Nguyễn Thị", "Nguyễn Thị, Ánh"),
        ("秀英", "王", "", "王秀英", "王秀英"),  # Chinese
        ("花子", "山田", "", "山田花子", "山田花子"),  # Japanese, kanji
        ("はなこ", "やまだ", "", "やまだはなこ", "やまだはなこ"),  # Japanese, hiragana
        ("민준", "김", "", "김민준", "김민준"),  # Korean
        ("秀英", "王", "Sophie", "王秀英 (Sophie)", "王秀英 (Sophie)"),
        ("Xiuying", "Wang", "", "Xiuying Wang", "Wang, Xiuying"),  # romanised: as typed
        (" Ann ", " Smith ", "", "Ann Smith", "Smith, Ann"),
    ],
)
def test_a_name_reads_the_same_way_everywhere(
    given: str, family: str, preferred: str, shown: str, listed: str
) -> None:
    assert display_name(given, family, preferred) == shown
    assert listing_name(given, family, preferred) == listed


def test_only_names_written_wholly_in_cjk_scripts_lead_with_the_family_name() -> None:
    assert family_name_first("秀英", "王")
    assert family_name_first("민준", "김")
    assert not family_name_first("Sophie", "王")  # mixed: keep the typed order
    assert not family_name_first("", "王")


@dataclass(frozen=True)
class _Person:
    display_name: str
    credentials: str
    discipline: Discipline


def test_practitioner_label_names_letters_and_discipline() -> None:
    mei = _Person("Mei Lin Chen", "R.Ac.", Discipline.ACUPUNCTURE)
    assert practitioner_label(mei) == "Mei Lin Chen, R.Ac. (Acupuncture)"
    assert practitioner_label(_Person("Sam Lee", "", Discipline.PHYSIOTHERAPY)) == (
        "Sam Lee (Physiotherapy)"
    )


def test_times_are_on_the_24_hour_clock_in_the_clinics_zone() -> None:
    start = datetime(2026, 3, 2, 21, 30, tzinfo=UTC)  # 14:30 in Edmonton
    end = datetime(2026, 3, 2, 22, 15, tzinfo=UTC)
    assert fmt_time(time(14, 30)) == "14:30"
    assert fmt_time(time(9, 5)) == "09:05"
    assert fmt_time(start, EDMONTON) == "14:30"
    assert fmt_time(start.astimezone(EDMONTON)) == "14:30"
    assert fmt_span(start, end, EDMONTON) == "14:30\u201315:15"
    assert fmt_span_on(start, end, EDMONTON) == "14:30\u201315:15 on Mon 2 Mar 2026"
    assert fmt_when(start, EDMONTON) == "Mon 2 Mar 2026, 14:30"
    assert fmt_short_when(start, EDMONTON) == "Mon 2 Mar, 14:30"


def test_dates_are_day_first_with_the_month_in_words() -> None:
    d = date(2026, 11, 26)
    assert fmt_date(d) == "26 Nov 2026"
    assert fmt_day(d) == "Thu 26 Nov 2026"
    assert fmt_long_date(d) == "Thursday 26 November 2026"
    late = datetime(2026, 11, 27, 6, 30, tzinfo=UTC)  # still the 26th in Edmonton
    assert fmt_day(late, EDMONTON) == "Thu 26 Nov 2026"


def test_a_naive_instant_is_refused_rather_than_guessed() -> None:
    with pytest.raises(ValueError):
        fmt_time(datetime(2026, 3, 2, 14, 30), EDMONTON)
    with pytest.raises(ValueError):
        clinic_today(datetime(2026, 3, 2, 14, 30), EDMONTON)


def test_the_clinics_today_is_the_date_on_its_wall_clock() -> None:
    evening = datetime(2026, 3, 3, 5, 0, tzinfo=UTC)  # 22:00 on the 2nd in Edmonton
    assert clinic_today(evening, EDMONTON) == date(2026, 3, 2)
    assert clinic_today(evening, ZoneInfo("UTC")) == date(2026, 3, 3)
