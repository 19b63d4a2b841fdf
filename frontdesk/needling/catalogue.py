"""The acupuncture point catalogue, read from ``resources/acupoints.json``, and its search.

The catalogue is data (WHO codes, pinyin, an approximate place on the body diagram), so a
clinic can add points without a release. Search is forgiving the way a practitioner types:
"li4", "LI 4", "hegu" and "Hégǔ" all find LI4, and the old codes (SJ5, DU20, REN12) find the
WHO ones (TE5, GV20, CV12).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from functools import cache

from frontdesk import paths
from frontdesk.folding import fold

log = logging.getLogger(__name__)
CATALOGUE_FILE = ("acupoints.json",)


@dataclass(frozen=True)
class AcuPoint:
    """One point: ``x``/``y`` place it on the ``view`` ("front"/"back") of the body diagram,
    0 to 1 across and down the figure, for the patient's left side (the right is mirrored)."""

    code: str
    pinyin: str
    english: str
    channel: str
    aliases: tuple[str, ...]
    midline: bool
    view: str
    x: float
    y: float
    region: str

    @property
    def label(self) -> str:
        """``"LI4 Hégǔ (Union Valley)"``."""
        english = f" ({self.english})" if self.english else ""
        return f"{self.code} {self.pinyin}{english}"

    def place(self, left: bool) -> tuple[float, float]:
        """Where the point sits on its view, on the patient's left or right side."""
        if self.midline or left:
            return self.x, self.y
        return 1.0 - self.x, self.y


def _key(text: str) -> str:
    """Folded, without spaces, hyphens or apostrophes: "LI-4", "li 4" and "Fù'āi" compare."""
    return "".join(ch for ch in fold(text) if ch.isalnum())


@cache
def load_catalogue() -> tuple[AcuPoint, ...]:
    """Every point in the file's order; empty (and logged) if the file cannot be read."""
    try:
        raw = json.loads(paths.resource(*CATALOGUE_FILE).read_text(encoding="utf-8"))
        return tuple(
            AcuPoint(
                code=str(p["code"]),
                pinyin=str(p["pinyin"]),
                english=str(p.get("english", "")),
                channel=str(p.get("channel", "")),
                aliases=tuple(str(a) for a in p.get("aliases", ())),
                midline=bool(p.get("midline", False)),
                view=str(p.get("view", "front")),
                x=float(p.get("x", 0.5)),
                y=float(p.get("y", 0.5)),
                region=str(p.get("region", "")),
            )
            for p in raw["points"]
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.error("The acupuncture point catalogue could not be read: %s", exc)
        return ()


@cache
def _index() -> dict[str, AcuPoint]:
    index: dict[str, AcuPoint] = {}
    for point in load_catalogue():
        for code in (point.code, *point.aliases):
            index.setdefault(_key(code), point)
    return index


def find_point(code: str) -> AcuPoint | None:
    """The point of this code or alias (any case, "SJ5" finds TE5), or ``None``."""
    return _index().get(_key(code))


def search_points(query: str, limit: int = 40) -> list[AcuPoint]:
    """Points matching ``query`` by code, old code, pinyin or English name, best first:
    the exact code, then codes and names that start with it, then names that contain it."""
    key = _key(query)
    if not key:
        return []
    ranked: list[tuple[int, int, AcuPoint]] = []
    for order, point in enumerate(load_catalogue()):
        codes = [_key(c) for c in (point.code, *point.aliases)]
        names = [_key(point.pinyin), _key(point.english)]
        if key in codes:
            rank = 0
        elif any(c.startswith(key) for c in codes):
            rank = 1
        elif any(n.startswith(key) for n in names if n):
            rank = 2
        elif any(key in n for n in names if n):
            rank = 3
        else:
            continue
        ranked.append((rank, order, point))
    ranked.sort(key=lambda r: (r[0], r[1]))
    return [point for _rank, _order, point in ranked[:limit]]
