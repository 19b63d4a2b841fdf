"""The demo clinic's patients: realistic Edmonton names and details, reproducible from a seed.

Names come from Faker's English- and French-Canadian lists plus hand-picked Chinese and
Vietnamese names and the spellings that break naive software (accents, apostrophes, hyphens,
letters such as Ł that do not decompose). A few patients share a family name, phone and address
with an earlier one (a household), so the duplicate warning has something to show.
Rows are produced in chunks as plain dicts for bulk inserts; only what the appointment builder
needs later (birth date, archived) is kept for every patient.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from frontdesk.folding import fold
from frontdesk.patients.types import ValidPatient

# Always the first patients, so the demo and its screenshots show the hard cases.
SHOWCASE: tuple[tuple[str, str, str], ...] = (
    # given, family, preferred
    ("Thị Ánh", "Nguyễn", "Ánh"),
    ("秀英", "王", "Xiuying"),
    ("Xiuying", "Wang", ""),
    ("Siobhan", "O'Brien-Smith", "Shiv"),
    ("Zoë", "Tremblay", ""),
    ("Łukasz", "Kowalski", ""),
    ("Marie-Ève", "Lévesque-Gagnon", ""),
    ("Björn", "Øvergård", ""),
    ("Đức Anh", "Trần", ""),
    ("Aoife", "D'Arcy", ""),
    ("Jean-François", "St-Pierre", "J-F"),
    ("Zoe", "MacDonald", ""),
)
CHINESE = (
    ("王", "秀英", "Xiuying"),
    ("李", "伟", "Wei"),
    ("张", "芳", "Fang"),
    ("刘", "洋", "Yang"),
    ("陈", "静", "Jing"),
    ("杨", "磊", "Lei"),
    ("黄", "丽", "Li"),
    ("赵", "敏", "Min"),
    ("Chen", "Wei", "David"),
    ("Wong", "Ka Yan", "Karen"),
    ("Leung", "Chi Ming", ""),
    ("Zhang", "Xiaoling", ""),
    ("Liu", "Yang", ""),
    ("Chan", "Siu Man", "Simon"),
    ("Huang", "Jie", ""),
    ("Ho", "Wing Sze", "Winnie"),
)
VIETNAMESE_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ")
VIETNAMESE_GIVEN = (
    "Thị Ánh",
    "Văn Minh",
    "Thị Hương",
    "Quốc Bảo",
    "Thị Lan",
    "Đức Anh",
    "Thu Trang",
    "Minh Châu",
    "Hoàng Long",
    "Ngọc Hân",
)
SPECIAL_GIVEN = ("Zoë", "Łukasz", "Chloé", "Renée", "Søren", "Anaïs", "Noël", "Siân", "Zoé")
SPECIAL_FAMILY = (
    "O'Brien",
    "O'Brien-Smith",
    "D'Amico",
    "D'Souza",
    "N'Diaye",
    "St-Pierre",
    "MacNeil-Côté",
    "Lévesque-Tremblay",
    "Müller",
    "Ødegaard",
    "Wiśniewski",
    "de la Cruz",
    "Van der Berg",
)
STREETS = ("Street NW", "Avenue NW", "Street NW", "Avenue NW", "Street SW", "Avenue SW")
REFERRALS = (
    "Family doctor",
    "Friend or family",
    "Web search",
    "Walk-in",
    "Returning patient",
    "Workplace wellness program",
    "Alberta Blue Cross directory",
    "",
)
NOTES = (
    "Prefers morning appointments.",
    "Nervous about needles; start gently and explain each step.",
    "Hard of hearing: face the patient and speak clearly.",
    "Uses a cane; book the ground-floor room.",
    "Direct billing to Alberta Blue Cross.",
    "Works nights; afternoon appointments only.",
)
RELATIONS = ("spouse", "partner", "daughter", "son", "mother", "father", "sister", "friend")
AREA_CODES = ("780", "780", "780", "587", "587", "825")
_ASCII_WORD = re.compile(r"[^a-z0-9]+")
CHUNK = 5000


@dataclass
class PatientPool:
    """What later stages need to know of every patient, kept compact for 100,000 of them."""

    born: list[date] = field(default_factory=list)
    archived: list[bool] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.born)


class PeopleFactory:
    """Seeded names, phones and addresses; the same seed always yields the same people."""

    def __init__(self, rng: random.Random, seed: int) -> None:
        # Imported here: Faker is large, and only building a demo needs it (keeping it out of
        # the app's and benchmarks' memory and garbage-collector passes).
        from faker import Faker

        self.rng = rng
        pools: dict[str, tuple[list[str], list[str]]] = {}
        for locale in ("en_CA", "fr_CA"):
            fake = Faker(locale)
            fake.seed_instance(seed)
            firsts = list(dict.fromkeys(fake.first_name() for _ in range(600)))
            lasts = list(dict.fromkeys(fake.last_name() for _ in range(600)))
            pools[locale] = (firsts, lasts)
        self.pools = pools

    def name(self) -> tuple[str, str, str]:
        """(given, family, preferred) drawn from the clinic's mix of communities."""
        rng, roll = self.rng, self.rng.random()
        if roll < 0.58:
            firsts, lasts = self.pools["en_CA"]
        elif roll < 0.80:
            firsts, lasts = self.pools["fr_CA"]
        elif roll < 0.88:
            family, given, preferred = rng.choice(CHINESE)
            return given, family, preferred if rng.random() < 0.5 else ""
        elif roll < 0.94:
            return rng.choice(VIETNAMESE_GIVEN), rng.choice(VIETNAMESE_FAMILY), ""
        else:
            firsts, lasts = (SPECIAL_GIVEN, SPECIAL_FAMILY)  # type: ignore[assignment]
            if rng.random() < 0.5:
                return rng.choice(SPECIAL_GIVEN), rng.choice(self.pools["en_CA"][1]), ""
            return rng.choice(self.pools["en_CA"][0]), rng.choice(SPECIAL_FAMILY), ""
        return rng.choice(firsts), rng.choice(lasts), ""

    def phone(self) -> str:
        rng = self.rng
        exchange = rng.randrange(200, 1000)
        if exchange % 100 == 11:  # N11 codes are service numbers, never subscriber exchanges
            exchange += 1
        return f"+1{rng.choice(AREA_CODES)}{exchange}{rng.randrange(10_000):04d}"

    def address(self) -> str:
        rng = self.rng
        number = rng.randrange(10_000, 13_000) if rng.random() < 0.7 else rng.randrange(1, 9_999)
        street = f"{rng.randrange(23, 180)} {rng.choice(STREETS)}"
        letters = "ABCEGHJKLMNPRSTVXY"
        postal = (
            f"T{rng.choice('56')}{rng.choice(letters)} "
            f"{rng.randrange(10)}{rng.choice(letters)}{rng.randrange(10)}"
        )
        return f"{number} {street}\nEdmonton, AB  {postal}"

    def email(self, given: str, family: str, preferred: str) -> str:
        first = _ASCII_WORD.sub("", fold(given)) or _ASCII_WORD.sub("", fold(preferred))
        last = _ASCII_WORD.sub("", fold(family))
        if not first or not last:
            return ""
        domain = self.rng.choice(("example.com", "example.ca", "example.org"))
        number = str(self.rng.randrange(100)) if self.rng.random() < 0.4 else ""
        return f"{first}.{last}{number}@{domain}"


def _birth_date(rng: random.Random, today: date) -> date:
    age_days = (
        rng.randrange(5 * 365, 17 * 365)
        if rng.random() < 0.05
        else rng.randrange(18 * 365, 88 * 365)
    )
    return today - timedelta(days=age_days)


def patient_chunks(
    factory: PeopleFactory, count: int, today: date, pool: PatientPool
) -> Iterator[list[ValidPatient]]:
    """``count`` patients (ids 1..count in order) in chunks, recording each in ``pool``."""
    rng = factory.rng
    health_numbers = iter(rng.sample(range(100_000_000, 1_000_000_000), count))
    chunk: list[ValidPatient] = []
    households: list[ValidPatient] = []
    for index in range(count):
        if index < len(SHOWCASE):
            given, family, preferred = SHOWCASE[index]
        else:
            given, family, preferred = factory.name()
        phone = factory.phone() if rng.random() < 0.92 else ""
        address = factory.address()
        if households and index >= len(SHOWCASE) and rng.random() < 0.04:
            home = rng.choice(households)  # a household: same family name, phone and address
            family, phone, address = home.family_name, home.phone, home.address
        health = next(health_numbers)
        patient = ValidPatient(
            given_name=given,
            family_name=family,
            date_of_birth=_birth_date(rng, today),
            preferred_name=preferred,
            phone=phone,
            phone_alt=factory.phone() if rng.random() < 0.15 else "",
            email=factory.email(given, family, preferred) if rng.random() < 0.7 else "",
            address=address,
            health_number=str(health) if rng.random() < 0.75 else None,
            emergency_contact=(
                f"{rng.choice(factory.pools['en_CA'][0])} {family} "
                f"({rng.choice(RELATIONS)}) {factory.phone()}"
                if rng.random() < 0.5
                else ""
            ),
            referral_source=rng.choice(REFERRALS),
            notes=rng.choice(NOTES) if rng.random() < 0.1 else "",
        )
        if len(households) < 500 and phone:
            households.append(patient)
        pool.born.append(patient.date_of_birth)
        pool.archived.append(index >= len(SHOWCASE) and rng.random() < 0.02)
        chunk.append(patient)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def patient_row(
    patient_id: int, p: ValidPatient, archived: bool, today: date, rng: random.Random
) -> dict[str, Any]:
    """A ``patients`` row with explicit id and timestamps (so the same seed gives equal rows)."""
    registered = datetime.combine(today - timedelta(days=rng.randrange(1, 3000)), time(17), UTC)
    return {
        "id": patient_id,
        "given_name": p.given_name,
        "family_name": p.family_name,
        "preferred_name": p.preferred_name,
        "date_of_birth": p.date_of_birth,
        "phone": p.phone,
        "phone_alt": p.phone_alt,
        "email": p.email,
        "address": p.address,
        "health_number": p.health_number,
        "emergency_contact": p.emergency_contact,
        "referral_source": p.referral_source,
        "notes": p.notes,
        "archived": archived,
        "created_at": registered,
        "updated_at": registered,
        "version": 1,
    }
