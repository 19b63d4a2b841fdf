"""The home-care library: conditions, their default advice and red flags, read from data.

The clinic edits ``resources/homecare/library.toml`` (plain text, no code), so advice can be
reworded or extended without a new release. Plans store each chosen item's id together with
its wording at the time (``frontdesk.plans.homecare``), so rewording or removing an item here
never changes what an already printed plan says.
"""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from frontdesk import paths
from frontdesk.plans.types import ConditionChoice, HomecareEntry

log = logging.getLogger(__name__)


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


class LibraryError(ValueError):
    """The library file cannot be used; the message names the file, the line where known, and
    the field, for the person who edited it. ``path``, ``line`` and ``field`` say the same."""

    def __init__(
        self, path: Path, message: str, *, line: int | None = None, field: str = ""
    ) -> None:
        self.path = path
        self.line = line
        self.field = field
        where = f"{path}, line {line}" if line else str(path)
        super().__init__(f"The home-care library {where}: {message}")


EMPTY_LIBRARY = HomecareLibrary(
    conditions=(), items={}, general_items=(), red_flags=(), symptoms=(), techniques=(), sides=()
)


def load_library(path: Path | None = None) -> HomecareLibrary:
    """Read and check the library file; a broken file raises ``LibraryError`` naming the problem.

    Checked up front against the schema below (types of every field, at least one condition,
    no unknown item ids) so a typo made by the clinic shows up as one clear message when the
    editor opens, not as a missing line on a printed handout or a Python error.
    """
    path = path or default_library_path()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LibraryError(path, f"cannot be read ({exc.strerror or exc}).") from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise LibraryError(
            path,
            f"byte 0x{data[exc.start]:02X} is not UTF-8 text; save the file as UTF-8 "
            "(most editors offer it under “Save as” or “Encoding”).",
            line=line,
        ) from exc
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        reason = re.sub(r"\s*\(at line \d+, column \d+\)|\s*\(at end of document\)", "", str(exc))
        raise LibraryError(
            path, f"is not valid TOML ({reason}).", line=int(found.group(1)) if found else None
        ) from exc
    _check_schema(raw, path, text)
    try:
        return _parse(raw)
    except ValueError as exc:
        raise LibraryError(path, str(exc).removeprefix("The home-care library ")) from exc


def load_library_or_empty(path: Path | None = None) -> tuple[HomecareLibrary, str | None]:
    """The library, or an empty one and the reason when the file is broken.

    For everything that must keep working without it (session notes, printing, plan lists):
    stored plans carry their own wording, and codes print as stored. Only the home-care
    picker in the plan editor needs the real library, and it shows the reason instead.
    """
    try:
        return load_library(path), None
    except LibraryError as exc:
        log.warning("%s", exc)
        return EMPTY_LIBRARY, str(exc)


# -- schema -----------------------------------------------------------------------------------
_CHOICE = {"code": str, "label": str, "description": (str, None)}
_REGION = {"code": str, "label": str, "levels": ([str], None), "extra_items": ([str], None)}
_CONDITION = {
    "code": str,
    "title": str,
    "description": (str, None),
    "has_side": (bool, None),
    "default_items": ([str], None),
    "regions": ([_REGION], None),
}
_SCHEMA: dict[str, Any] = {
    "version": (int, None),
    "general_items": ([str], None),
    "red_flags": ([str], None),
    "symptoms": ([_CHOICE], None),
    "techniques": ([_CHOICE], None),
    "sides": ([_CHOICE], None),
    "items": {"*": {"text": str}},
    "conditions": [_CONDITION],
}
_KIND = {str: "text in quotes", int: "a whole number", bool: "true or false"}


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text “{value[:40]}”"
    if isinstance(value, list):
        return "a list"
    return "a table"


def _expected(rule: Any) -> str:
    if isinstance(rule, tuple):
        return _expected(rule[0])
    if isinstance(rule, list):
        inner = rule[0]
        return (
            "a list of tables ([[...]] sections)"
            if isinstance(inner, dict)
            else f"a list of {_KIND[inner].replace('a whole number', 'whole numbers')}"
        )
    if isinstance(rule, dict):
        return (
            'a table of advice ([items.<id>] sections, each with text = "...")'
            if "*" in rule
            else "a table"
        )
    return _KIND[rule]


def _check_schema(raw: dict[str, Any], path: Path, text: str) -> None:
    def fail(field: str, message: str) -> None:
        raise LibraryError(path, f"{field}: {message}", line=_line_of(text, field), field=field)

    def check(value: Any, rule: Any, field: str) -> None:
        if isinstance(rule, tuple):  # optional
            if value is None:
                return
            rule = rule[0]
        if value is None:
            fail(field, f"is missing; it should be {_expected(rule)}.")
        if isinstance(rule, list):
            if not isinstance(value, list):
                fail(field, f"should be {_expected(rule)}, not {_describe(value)}.")
            for i, item in enumerate(value):
                check(
                    item,
                    rule[0],
                    f"{field}[{i + 1}]" if not isinstance(rule[0], dict) else f"{field} #{i + 1}",
                )
            return
        if isinstance(rule, dict):
            if not isinstance(value, dict):
                fail(field, f"should be {_expected(rule)}, not {_describe(value)}.")
            if "*" in rule:
                for key, item in value.items():
                    check(item, rule["*"], f"{field}.{key}")
                return
            for key, sub in rule.items():
                check(value.get(key), sub, f"{field}.{key}" if field else key)
            return
        if not isinstance(value, rule) or (rule is int and isinstance(value, bool)):
            fail(field, f"should be {_KIND[rule]}, not {_describe(value)}.")
        if (
            rule is str
            and not value.strip()
            and field.rsplit(".", 1)[-1] in ("code", "title", "label", "text")
        ):
            fail(field, "is empty.")

    check(raw, _SCHEMA, "")
    if not raw["conditions"]:
        fail(
            "conditions",
            "lists no conditions; add at least one [[conditions]] section "
            "(the plan editor offers these to choose from).",
        )


def _line_of(text: str, field: str) -> int | None:
    """The line where ``field`` (``conditions #2.title``, ``items.rest.text``) is set, roughly:
    the first assignment or section header of its last plain key."""
    keys = [k for k in re.split(r"[.\[\] #]+", field) if k and not k.isdigit()]
    if not keys:
        return None
    top, last = keys[0], keys[-1]
    patterns = [rf"^\s*\[\[?\s*{re.escape(top)}\b"]
    if last != top:
        patterns.insert(0, rf"^\s*{re.escape(last)}\s*=")
    else:
        patterns.insert(0, rf"^\s*{re.escape(top)}\s*=")
    start = 0
    header = re.search(patterns[-1], text, re.M)
    if header and last != top:
        start = header.start()
    for pattern in patterns:
        found = re.compile(pattern, re.M).search(text, start)
        if found:
            return text.count("\n", 0, found.start()) + 1
    return None


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
