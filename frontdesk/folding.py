"""Names folded for comparing: the one place accents and case are taken off a name.

Search ("zoe" finds "Zoë"), duplicate detection and the patient list's order all compare
names the way people read them, which is without accents or case. They all call ``fold``, so
a name that search finds under "cote" also sorts with "Cote". Pure text: every layer, the
database models and their migrations included, may import it.
"""

from __future__ import annotations

import unicodedata

# Letters that carry their mark in the letter itself, so NFKD leaves them alone.
_UNDECOMPOSABLE = str.maketrans(
    {
        "ł": "l",
        "Ł": "l",
        "ø": "o",
        "Ø": "o",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "Ð": "d",
        "ħ": "h",
        "Ħ": "h",
        "ı": "i",
        "ŧ": "t",
        "Ŧ": "t",
        "ß": "ss",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "þ": "th",
        "Þ": "th",
        "’": "'",
        "‘": "'",
        "ʼ": "'",
        "`": "'",
        "´": "'",
        "‐": "-",
        "‑": "-",
        "–": "-",
        "—": "-",
    }
)

# Each part of a sort key is cut to this many characters, so the key fits its column (and a
# PostgreSQL index entry) whatever a name expands to under NFKD.
SORT_PART_MAX = 100
# Three levels of family and given name, with a separator between each of the six parts.
SORT_KEY_MAX = 6 * SORT_PART_MAX + 5

# Below every character a name holds (a space is 0x20), so "Cote" sorts before "Coteau" and
# the family name is compared whole before the given name is looked at.
_PART = "\x1f"
_LEVEL = "\x1e"


def fold(text: str) -> str:
    """Lower-case, unaccented: "Zoë" -> "zoe", "Łukasz" -> "lukasz", "Nguyễn" -> "nguyen"."""
    text = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSABLE))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.translate(_UNDECOMPOSABLE).casefold()


def _level(family: str, given: str) -> str:
    return f"{family[:SORT_PART_MAX]}{_PART}{given[:SORT_PART_MAX]}"


def name_sort_key(family: str, given: str) -> str:
    """Where a patient goes in a list sorted by family name, then given name.

    Three levels, compared one after the other as a collation does: first the folded names
    (Côté, Cote and COTE together, before Cyr; Łukasz among the L's), then the accents (Cote
    before Côté), then the case (capitals first). Compared as plain code points (Python's
    ``<``, SQLite's BINARY, PostgreSQL's "C" collation) the key orders the same everywhere,
    so the database can sort and page on an index of it.
    """
    family, given = family.strip(), given.strip()
    accents_kept = (
        unicodedata.normalize("NFC", family.casefold()),
        unicodedata.normalize("NFC", given.casefold()),
    )
    return _LEVEL.join(
        (_level(fold(family), fold(given)), _level(*accents_kept), _level(family, given))
    )
