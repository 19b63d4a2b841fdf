"""The home-care library: conditions, their default advice and red flags, read from data.

The clinic edits ``resources/homecare/library.toml`` (plain text, no code), so advice can be
reworded or extended without a new release. Plans store each chosen item's id together with
its wording at the time (``frontdesk.plans.homecare``), so rewording or removing an item here
never changes what an already printed plan says.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from frontdesk import paths
from frontdesk.plans.types import ConditionChoice, HomecareEntry


@dataclass(frozen=True)
class Choice:
    """A code the data stores and the label a person reads."""

    code: str
    label: str
    description: str = ""


@dataclass(frozen=True)
class RegionDef:
    """A part of the spine (or body) a condition can sit in, with its levels (``L4-L5``)."""

    code: str
    label: str
    levels: tuple[str, ...] = ()
    extra_items: tuple[str, ...] = ()


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

    def entry(self, item: str) -> HomecareEntry:
        """A library id as an entry with today's wording; any other string is the patient's own
        advice, kept as written."""
        found = self.items.get(item)
        return HomecareEntry(found.text, found.id) if found else HomecareEntry(item)

    def entries(self, items: Iterable[str]) -> tuple[HomecareEntry, ...]:
        """``entry`` for each, e.g. to put ``default_items`` on a new plan."""
        return tuple(self.entry(i) for i in items)

    def default_items(self, conditions: Iterable[ConditionChoice | str]) -> tuple[str, ...]:
        """Items to pre-tick for these conditions: each condition's defaults and its region's
        extras (no neck brace for a cervical pinched nerve), then the general ones; no repeats."""
        chosen: list[str] = []
        for choice in conditions:
            if isinstance(choice, str):
                choice = ConditionChoice(choice)
            cond = self.condition(choice.code)
            if cond is None:
                continue
            region = cond.region(choice.region)
            for item in cond.default_items + (region.extra_items if region else ()):
                if item not in chosen:
                    chosen.append(item)
        chosen.extend(i for i in self.general_items if i not in chosen)
        return tuple(chosen)

    def condition_line(self, choice: ConditionChoice) -> str:
        """How a chosen condition reads on paper: "Pinched nerve, lower back (lumbar spine),
        L4-L5, right side"."""
        cond = self.condition(choice.code)
        parts = [cond.title if cond else choice.code.replace("_", " ").capitalize()]
        region = cond.region(choice.region) if cond else None
        if region is not None:
            parts.append(region.label)
        elif choice.region:
            parts.append(choice.region)
        if choice.level:
            parts.append(choice.level.replace("-", "\u2013"))
        if choice.side:
            parts.append(self.side_label(choice.side))
        return ", ".join(parts)

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
    """Read and check the library file; a broken file raises ``ValueError`` naming the problem.

    Checked up front (unknown item ids, missing titles) so a typo made by the clinic shows up
    as one clear message when the editor opens, not as a missing line on a printed handout.
    """
    path = path or default_library_path()
    try:
        with open(path, "rb") as fh:
            raw = tomllib.load(fh)
    except OSError as exc:
        raise ValueError(f"Cannot read the home-care library {path}: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"The home-care library {path} is not valid TOML: {exc}") from exc
    try:
        return _parse(raw)
    except (KeyError, TypeError) as exc:
        raise ValueError(f"The home-care library {path} is missing or mistypes {exc}") from exc


def _choices(raw: list[dict[str, Any]]) -> tuple[Choice, ...]:
    return tuple(
        Choice(str(c["code"]), str(c["label"]), str(c.get("description", ""))) for c in raw
    )


def _parse(raw: dict[str, Any]) -> HomecareLibrary:
    items = {str(k): HomecareItem(str(k), str(v["text"]).strip()) for k, v in raw["items"].items()}
    conditions = tuple(
        ConditionDef(
            code=str(c["code"]),
            title=str(c["title"]),
            description=str(c.get("description", "")),
            regions=tuple(
                RegionDef(
                    code=str(r["code"]),
                    label=str(r["label"]),
                    levels=tuple(str(x) for x in r.get("levels", ())),
                    extra_items=tuple(str(x) for x in r.get("extra_items", ())),
                )
                for r in c.get("regions", ())
            ),
            has_side=bool(c.get("has_side", False)),
            default_items=tuple(str(x) for x in c.get("default_items", ())),
        )
        for c in raw["conditions"]
    )
    library = HomecareLibrary(
        conditions=conditions,
        items=items,
        general_items=tuple(str(x) for x in raw.get("general_items", ())),
        red_flags=tuple(str(x).strip() for x in raw.get("red_flags", ())),
        symptoms=_choices(raw.get("symptoms", [])),
        techniques=_choices(raw.get("techniques", [])),
        sides=_choices(raw.get("sides", [])),
    )
    _check_references(library)
    return library


def _check_references(library: HomecareLibrary) -> None:
    referenced = list(library.general_items)
    for cond in library.conditions:
        referenced.extend(cond.default_items)
        for region in cond.regions:
            referenced.extend(region.extra_items)
    unknown = sorted({i for i in referenced if i not in library.items})
    if unknown:
        raise ValueError(
            "The home-care library refers to items it does not define: " + ", ".join(unknown)
        )
    codes = [c.code for c in library.conditions]
    if len(set(codes)) != len(codes):
        raise ValueError("The home-care library lists the same condition code twice.")
