"""The home-care library: conditions, their default advice and red flags, read from data.

The clinic edits ``resources/homecare/library.toml`` (plain text, no code), so advice can be
reworded or extended without a new release. Plans store item ids; an id the library no longer
has is kept and printed as written, so an old plan never loses advice it was printed with.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from frontdesk import paths


@dataclass(frozen=True)
class Choice:
    """A code the data stores and the label a person reads."""

    code: str
    label: str


@dataclass(frozen=True)
class RegionDef:
    """A part of the spine (or body) a condition can sit in, with its levels (``L4-L5``)."""

    code: str
    label: str
    levels: tuple[str, ...] = ()


@dataclass(frozen=True)
class ConditionDef:
    """A condition the practitioner can pick, and the home care it starts with."""

    code: str
    title: str
    description: str
    regions: tuple[RegionDef, ...]
    has_side: bool
    default_items: tuple[str, ...]

    def region(self, code: str | None) -> RegionDef | None:
        return next((r for r in self.regions if r.code == code), None)

    @property
    def levels(self) -> tuple[str, ...]:
        """Every level of every region, for editors that show one list."""
        return tuple(level for r in self.regions for level in r.levels)


@dataclass(frozen=True)
class HomecareItem:
    """One piece of advice, written for the patient."""

    id: str
    text: str


@dataclass(frozen=True)
class HomecareLibrary:
    """Everything the plan editor offers and the handout prints, loaded from one file."""

    conditions: tuple[ConditionDef, ...]
    items: dict[str, HomecareItem]
    general_items: tuple[str, ...]
    red_flags: tuple[str, ...]
    symptoms: tuple[Choice, ...]
    techniques: tuple[Choice, ...]
    sides: tuple[Choice, ...]

    def condition(self, code: str) -> ConditionDef | None:
        return next((c for c in self.conditions if c.code == code), None)

    def item_text(self, item: str) -> str:
        """The printable text of a plan's home-care entry: library text, or the entry itself."""
        found = self.items.get(item)
        return found.text if found else item

    def default_items(self, condition_codes: tuple[str, ...] | list[str]) -> tuple[str, ...]:
        """Items to pre-tick for these conditions: each condition's defaults, then general ones,
        without repeats, in library order."""
        chosen: list[str] = []
        for code in condition_codes:
            cond = self.condition(code)
            if cond:
                chosen.extend(i for i in cond.default_items if i not in chosen)
        chosen.extend(i for i in self.general_items if i not in chosen)
        return tuple(chosen)

    def symptom_label(self, code: str) -> str:
        return _label(self.symptoms, code)

    def technique_label(self, code: str) -> str:
        return _label(self.techniques, code)

    def side_label(self, code: str) -> str:
        return _label(self.sides, code)


def _label(choices: tuple[Choice, ...], code: str) -> str:
    return next((c.label for c in choices if c.code == code), code)


def default_library_path() -> Path:
    return paths.resource("homecare", "library.toml")


def load_library(path: Path | None = None) -> HomecareLibrary:
    """Read and check the library file; a broken file raises ``ValueError`` naming the problem."""
    raise NotImplementedError


def _parse(raw: dict[str, Any]) -> HomecareLibrary:
    raise NotImplementedError
