"""Outcome questionnaires as data, and their scoring: no Qt, no database.

Each questionnaire is a TOML file: the shipped ones in ``resources/questionnaires`` (only
questionnaires free to use clinically: the numeric pain rating and the Patient-Specific
Functional Scale), and a clinic's own in the data folder's ``questionnaires`` folder (one it
wrote, or one it holds a licence for). A file gives a key, a title, the scale's ends, whether
a higher score is better, how often it is asked again, and its items.

A score is the mean of the answered items, to two decimals (for one item, the item itself):
for the Patient-Specific Functional Scale that is the published scoring, the sum of the
activity scores divided by the number of activities.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from frontdesk import paths
from frontdesk.domain import ValidationError

LOWER_BETTER, HIGHER_BETTER = "lower_better", "higher_better"


class QuestionnaireError(Exception):
    """A questionnaire file that cannot be used, with the file and the reason."""


@dataclass(frozen=True)
class Item:
    key: str
    label: str
    min_label: str = ""
    max_label: str = ""


@dataclass(frozen=True)
class Questionnaire:
    key: str
    title: str
    short: str
    direction: str
    scale_min: int
    scale_max: int
    repeat_every_sessions: int
    intro: str
    items: tuple[Item, ...]
    named_items: bool = False  # the patient names each item (an activity) the first time
    min_items: int = 0  # 0: every item must be answered

    @property
    def required(self) -> int:
        return self.min_items or len(self.items)


@dataclass(frozen=True)
class Answer:
    """One item's answer: its value, and the activity's name for a named item."""

    item: str
    value: int | None
    name: str = ""


def score(q: Questionnaire, answers: Sequence[Answer]) -> Decimal:
    """The questionnaire's score for these answers; refused, item by item, when incomplete."""
    checked = check_answers(q, answers)
    total = sum((Decimal(a.value) for a in checked if a.value is not None), Decimal(0))
    return (total / len(checked)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def check_answers(q: Questionnaire, answers: Sequence[Answer]) -> list[Answer]:
    """The answered items, checked against the questionnaire (range, names, how many)."""
    known = {item.key: item for item in q.items}
    errors: dict[str, str] = {}
    answered: list[Answer] = []
    for answer in answers:
        item = known.get(answer.item)
        if item is None:
            errors[answer.item] = "This question is not part of the questionnaire."
            continue
        name = answer.name.strip()
        if answer.value is None:
            if name:
                errors[answer.item] = f"Rate “{name}” from {q.scale_min} to {q.scale_max}."
            continue
        if not q.scale_min <= answer.value <= q.scale_max:
            errors[answer.item] = f"Choose a number from {q.scale_min} to {q.scale_max}."
            continue
        if q.named_items and not name:
            errors[answer.item] = "Name the activity this number is for."
            continue
        answered.append(Answer(answer.item, answer.value, name))
    if not errors and len(answered) < q.required:
        need = q.required
        errors[""] = (
            f"Answer at least {need} {'item' if need == 1 else 'items'}."
            if q.min_items
            else "Answer every question."
        )
    if errors:
        raise ValidationError(errors)
    return answered


def _item(raw: Any, where: str) -> Item:
    if not isinstance(raw, dict) or not isinstance(raw.get("key"), str):
        raise QuestionnaireError(f"{where}: each [[items]] needs a key.")
    return Item(
        key=raw["key"],
        label=str(raw.get("label", raw["key"])),
        min_label=str(raw.get("min_label", "")),
        max_label=str(raw.get("max_label", "")),
    )


def parse(raw: dict[str, Any], where: str) -> Questionnaire:
    """A questionnaire from a TOML table; ``QuestionnaireError`` names what is wrong."""
    for field in ("key", "title"):
        if not isinstance(raw.get(field), str) or not raw[field].strip():
            raise QuestionnaireError(f"{where}: “{field}” is missing.")
    direction = raw.get("direction", LOWER_BETTER)
    if direction not in (LOWER_BETTER, HIGHER_BETTER):
        raise QuestionnaireError(f"{where}: direction must be {LOWER_BETTER} or {HIGHER_BETTER}.")
    low, high = raw.get("scale_min", 0), raw.get("scale_max", 10)
    if not (isinstance(low, int) and isinstance(high, int) and low < high):
        raise QuestionnaireError(f"{where}: scale_min must be a whole number below scale_max.")
    items = tuple(_item(i, where) for i in raw.get("items", []))
    if not items:
        raise QuestionnaireError(f"{where}: it has no [[items]].")
    if len({i.key for i in items}) != len(items):
        raise QuestionnaireError(f"{where}: two items share a key.")
    repeat = raw.get("repeat_every_sessions", 0)
    if not isinstance(repeat, int) or repeat < 0:
        raise QuestionnaireError(f"{where}: repeat_every_sessions must be 0 or more.")
    return Questionnaire(
        key=raw["key"].strip(),
        title=raw["title"].strip(),
        short=str(raw.get("short", raw["title"])).strip(),
        direction=direction,
        scale_min=low,
        scale_max=high,
        repeat_every_sessions=repeat,
        intro=str(raw.get("intro", "")).strip(),
        items=items,
        named_items=bool(raw.get("named_items", False)),
        min_items=int(raw.get("min_items", 0)),
    )


def _files(folders: Iterable[Path]) -> list[Path]:
    return [f for folder in folders if folder.is_dir() for f in sorted(folder.glob("*.toml"))]


def clinic_folder() -> Path:
    """Where a clinic puts its own questionnaires."""
    return paths.data_dir() / "questionnaires"


def load_questionnaires(folders: Sequence[Path] | None = None) -> dict[str, Questionnaire]:
    """Every questionnaire by key: the shipped ones, then the clinic's (same key: the clinic's).

    A broken clinic file is skipped with its reason in the log rather than taking the shipped
    ones with it.
    """
    import logging

    folders = (
        list(folders)
        if folders is not None
        else [paths.resource("questionnaires"), clinic_folder()]
    )
    found: dict[str, Questionnaire] = {}
    for path in _files(folders):
        try:
            found_one = parse(tomllib.loads(path.read_text(encoding="utf-8")), path.name)
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, QuestionnaireError) as exc:
            logging.getLogger(__name__).warning("Questionnaire %s not used: %s", path, exc)
            continue
        found[found_one.key] = found_one
    return found
