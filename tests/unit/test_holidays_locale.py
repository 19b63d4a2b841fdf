"""Holidays read the same on every desk, whatever language the computer is set to.

Each check runs a second desk in its own process with ``LANG`` and ``LC_ALL`` set to
C.UTF-8, en_US.UTF-8 and fr_CA.UTF-8: the ``holidays`` package reads those variables, so the
old code named Labour Day "Labor Day" or "Fête du Travail", and a French desk did not recognise
optional holidays the clinic had closed. No generated locale is needed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from frontdesk.db.models import ClinicSettings
from frontdesk.db.open import open_database
from frontdesk.setup import set_closed_optional_holidays
from tests.accounts_support import as_admin
from tests.unit.test_scheduling_support import build_clinic

LOCALES = ("C.UTF-8", "en_US.UTF-8", "fr_CA.UTF-8")
ROOT = Path(__file__).resolve().parents[2]
DAYS = (
    "2027-09-06",  # Labour Day, statutory
    "2027-03-29",  # Easter Monday, optional
    "2027-08-02",  # Heritage Day, optional
    "2027-09-30",  # National Day for Truth and Reconciliation, optional
    "2027-12-24",  # an ordinary Friday
    "2027-12-25",  # Christmas Day, a Saturday
    "2027-12-27",  # Christmas Day observed (Monday)
    "2027-12-28",  # Boxing Day observed (Tuesday)
)
CHOSEN = (
    "easter_monday",
    "heritage_day",
    "national_day_for_truth_and_reconciliation",
    "boxing_day",
)


def _clinic(path: Path, *, observed: bool) -> tuple[str, str]:
    """A clinic that closed Easter Monday, Heritage Day, 30 September and Boxing Day."""
    url = f"sqlite:///{path}"
    db = as_admin(open_database(url))
    c = build_clinic(db)
    set_closed_optional_holidays(db, CHOSEN)
    with db.write() as s:
        s.execute(update(ClinicSettings).values(close_on_observed_days=observed))
    db.dispose()
    ids = {"patient": c.ann, "practitioner": c.acu, "type": c.consult, "room": c.room1}
    return url, json.dumps(ids)


def _desk(lang: str, url: str, ids: str) -> dict[str, Any]:
    # As a desk set to that language has it; LANGUAGE would take precedence, so it is unset.
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_MESSAGES")}
    env |= {"LANG": lang, "LC_ALL": lang}
    done = subprocess.run(
        [sys.executable, "-m", "tests.unit.holiday_desk", url, ids, *DAYS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


@pytest.fixture(scope="module")
def desks(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, bool], dict[str, Any]]:
    """What a desk under each locale sees, with observed days left open and closed."""
    folder = tmp_path_factory.mktemp("desks")
    os.environ.setdefault("FRONTDESK_DATA_DIR", str(folder / "userdata"))
    found = {}
    for observed in (False, True):
        url, ids = _clinic(folder / f"clinic-{observed}.sqlite3", observed=observed)
        for lang in LOCALES:
            found[(lang, observed)] = _desk(lang, url, ids)
    return found


@pytest.mark.parametrize("lang", LOCALES)
def test_holidays_are_named_in_canadian_english_on_every_desk(desks, lang: str) -> None:
    seen = desks[(lang, False)]
    assert seen["refusals"]["2027-09-06"] == "The clinic is closed on 2027-09-06 (Labour Day)."
    assert seen["refusals"]["2027-12-25"] == "The clinic is closed on 2027-12-25 (Christmas Day)."
    assert "Labour Day" in seen["coming"] and "Thanksgiving Day" in seen["coming"]
    assert ["heritage_day", "Heritage Day"] in seen["optional"]
    assert ["easter_monday", "Easter Monday"] in seen["optional"]


@pytest.mark.parametrize("lang", LOCALES)
def test_optional_holidays_the_clinic_closed_are_closed_on_every_desk(desks, lang: str) -> None:
    refusals = desks[(lang, False)]["refusals"]
    assert refusals["2027-03-29"] == "The clinic is closed on 2027-03-29 (Easter Monday)."
    assert refusals["2027-08-02"] == "The clinic is closed on 2027-08-02 (Heritage Day)."
    assert refusals["2027-09-30"] == (
        "The clinic is closed on 2027-09-30 (National Day for Truth and Reconciliation)."
    )
    assert refusals["2027-12-24"] is None


@pytest.mark.parametrize("lang", LOCALES)
def test_observed_days_are_open_unless_the_clinic_closes_them(desks, lang: str) -> None:
    by_default = desks[(lang, False)]["refusals"]
    assert by_default["2027-12-27"] is None and by_default["2027-12-28"] is None
    chosen = desks[(lang, True)]["refusals"]
    assert chosen["2027-12-27"] == "The clinic is closed on 2027-12-27 (Christmas Day (observed))."
    assert chosen["2027-12-28"] == "The clinic is closed on 2027-12-28 (Boxing Day (observed))."
