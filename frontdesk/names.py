"""How a person is named on every screen and every printout, written once.

No Qt and no SQLAlchemy: the services, the PDF code and the GUI all call these functions, so a
patient's name reads the same in the patients list, the calendar, My day and on paper.

Names written in Chinese, Japanese or Korean characters put the family name first with no
space between the parts (王 + 秀英 is "王秀英"); every other name is given name, space,
family name, exactly as typed ("Zoë O'Brien-Smith", "Ludwig van Beethoven").
"""

from __future__ import annotations

from typing import Protocol

from frontdesk.domain import Discipline

# Han (CJK radicals to unified ideographs, including kana and the compatibility block),
# Hangul syllables and jamo, and the half-width katakana forms.
_FAMILY_FIRST_RANGES = (
    ("\u2e80", "\u9fff"),  # CJK radicals, kana, CJK unified ideographs (incl. extension A)
    ("\u1100", "\u11ff"),  # Hangul jamo
    ("\uac00", "\ud7af"),  # Hangul syllables
    ("\uf900", "\ufaff"),  # CJK compatibility ideographs
    ("\uff66", "\uff9f"),  # half-width katakana
    ("\U00020000", "\U0003134f"),  # CJK unified ideographs extensions B–G
)


_FIRST_RANGE_START = min(lo for lo, _ in _FAMILY_FIRST_RANGES)


def _family_first_char(ch: str) -> bool:
    return ch >= _FIRST_RANGE_START and any(lo <= ch <= hi for lo, hi in _FAMILY_FIRST_RANGES)


def _written_family_first(text: str) -> bool:
    """Every letter of ``text`` (at least one) is in a family-name-first script; stops at
    the first that is not, which for most names is the first letter."""
    seen = False
    for ch in text:
        if ch.isspace() or ch in "・·":
            continue
        if not _family_first_char(ch):
            return False
        seen = True
    return seen


def family_name_first(given: str, family: str) -> bool:
    """True when both parts are written in a script whose names lead with the family name.

    Both parts must be, so a romanised name ("Xiuying Wang") or a mixed one keeps the order it
    was typed in; spaces and the middle dot some Japanese names use are ignored.
    """
    return _written_family_first(given) and _written_family_first(family)


def display_name(given: str, family: str, preferred: str = "") -> str:
    """The name screens and printouts call a person by.

    "Zo O'Brien-Smith" (the name they go by, then the family name) for most names; "王秀英"
    for a name written in Chinese, Japanese or Korean characters, with a preferred name that
    differs added in brackets ("王秀英 (Sophie)") since it cannot stand in for a given name
    written in another script.
    """
    given, family, preferred = given.strip(), family.strip(), preferred.strip()
    if family_name_first(given, family):
        name = f"{family}{given}"
        return f"{name} ({preferred})" if preferred and preferred != given else name
    return f"{preferred or given} {family}".strip()


def listing_name(given: str, family: str, preferred: str = "") -> str:
    """The name in a list sorted by family name: "O'Brien-Smith, Zoë (Zo)".

    A name written family name first already leads with it, so it is listed exactly as
    ``display_name`` writes it ("王秀英"), never as "王, 秀英".
    """
    given, family, preferred = given.strip(), family.strip(), preferred.strip()
    if family_name_first(given, family):
        return display_name(given, family, preferred)
    name = f"{family}, {given}" if family and given else family or given
    if preferred and preferred != given:
        name += f" ({preferred})"
    return name


class Practitioner(Protocol):
    """What a practitioner label needs (``PractitionerView`` and the setup DTOs have it)."""

    @property
    def display_name(self) -> str: ...

    @property
    def credentials(self) -> str: ...

    @property
    def discipline(self) -> Discipline: ...


def practitioner_label(p: Practitioner) -> str:
    """ "Mei Lin Chen, R.Ac (Acupuncture)" for pickers: who, their letters, what they give."""
    name = f"{p.display_name}, {p.credentials}" if p.credentials else p.display_name
    return f"{name} ({p.discipline.label})"
