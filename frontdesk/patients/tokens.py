"""The words a patient can be found by, and the same folding applied to what is typed.

Search must find "Zoë" from "zoe", "Nguyễn" from "nguyen" and "O'Brien" from "obrien", and
must stay an index range scan at 100,000 patients. So every patient gets rows in
``patient_search_tokens`` holding folded words (unaccented, lower-case names; phone digits; ISO
birth date; health number) and a query word matches when it is a prefix of one of them. The
demo builder writes tokens through ``patient_tokens`` too, so its rows equal the service's.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date

from frontdesk.folding import fold

TOKEN_MAX = 100  # patient_search_tokens.token is String(100)

_DIGITS_ONLY = re.compile(r"\D")
_PHONE_LIKE = re.compile(r"^\+?[\d\s().\-]+$")
_DATE_TYPED = re.compile(r"^(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?$")
_QUERY_SPLIT = re.compile(r"[\s,;]+")


def _has_cjk(text: str) -> bool:
    return any(unicodedata.east_asian_width(ch) in ("W", "F") for ch in text)


def name_tokens(*names: str) -> set[str]:
    """Each name word whole, without punctuation, and split at hyphens and apostrophes.

    "O'Brien-Smith" gives o'brien-smith, obriensmith, o'brien, obrien, smith, o, brien; so
    "obrien", "o'brien" and "smith" all find her.
    """
    tokens: set[str] = set()
    for name in names:
        for word in fold(name).split():
            tokens.add(word)
            tokens.add(word.replace("'", "").replace("-", "").replace(".", ""))
            for part in word.split("-"):
                tokens.add(part)
                tokens.add(part.replace("'", ""))
                tokens.update(part.split("'"))
    # A Chinese name is written without a space between family and given name.
    if len(names) >= 2 and _has_cjk(names[0] + names[1]):
        tokens.add(fold(names[0] + names[1]).replace(" ", ""))
    return {t.strip(".")[:TOKEN_MAX] for t in tokens if t.strip(".'")}


def phone_tokens(e164: str) -> set[str]:
    """National digits with and without the area code, for North American numbers;
    all digits after the country code otherwise."""
    if not e164:
        return set()
    digits = _DIGITS_ONLY.sub("", e164)
    if e164.startswith("+1") and len(digits) == 11:
        return {digits[1:], digits[4:]}
    return {digits, digits[-8:]} if len(digits) > 8 else {digits}


def patient_tokens(
    *,
    given_name: str,
    family_name: str,
    preferred_name: str,
    date_of_birth: date,
    phone: str,
    phone_alt: str,
    health_number: str | None,
) -> set[str]:
    """Every token for one patient from already-normalised values (E.164 phones)."""
    tokens = name_tokens(family_name, given_name, preferred_name)
    tokens |= phone_tokens(phone) | phone_tokens(phone_alt)
    tokens.add(date_of_birth.isoformat())
    if health_number:
        tokens.add(health_number)
    return tokens


def query_words(query: str) -> list[str]:
    """Split what was typed into folded words, each to be matched as a token prefix.

    A query that looks like a phone or health number ("780 555-0123", "12345-6789") becomes
    one digit string (a leading North American "1" dropped from 11 digits); an ISO date is
    kept as typed (a prefix while typing: "1980-0"), yyyy/m/d and yyyy.m.d become ISO; names are
    split at spaces, commas and hyphens so "obrien-smith" and "Smith, John" work.
    """
    text = query.strip()
    if not text:
        return []
    if _PHONE_LIKE.match(text) and not _DATE_TYPED.match(text):
        digits = _DIGITS_ONLY.sub("", text)
        if len(digits) == 11 and digits.startswith("1"):
            digits = digits[1:]
        return [digits] if digits else []
    words: list[str] = []
    for raw in _QUERY_SPLIT.split(fold(text)):
        dated = _DATE_TYPED.match(raw)
        if dated and "-" in raw:  # ISO as typed so far: a prefix ("1980-0" on the way)
            words.append(raw)
            continue
        if dated:  # 1980/1/2 or 1980.01.02: a whole date or month, padded to ISO
            year, month, day = dated.groups()
            words.append(f"{year}-{int(month):02d}" + (f"-{int(day):02d}" if day else ""))
            continue
        words.extend(part for part in raw.split("-") if part.strip("'."))
    return _dedupe(w[:TOKEN_MAX] for w in words)


def _dedupe(words: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for word in words:
        if word:
            seen.setdefault(word, None)
    return list(seen)


def prefix_upper_bound(word: str) -> str:
    """The smallest string greater than every string starting with ``word`` (binary order)."""
    return word[:-1] + chr(ord(word[-1]) + 1)
