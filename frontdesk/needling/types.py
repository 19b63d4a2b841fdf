"""The needling vocabulary as frozen values: points chosen with their side, the session's
needles and stimulation, saved point prescriptions and adverse events.

No database and no Qt: the note editor, the notes service and tests all hold these.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

MAX_NEEDLES = 200
MAX_RETENTION_MINUTES = 240
MAX_ELECTRO_HZ = 200


class Side(StrEnum):
    """Which side a point was needled on (a midline point has no side)."""

    LEFT = "left"
    RIGHT = "right"
    BOTH = "both"
    MIDLINE = "midline"

    @property
    def label(self) -> str:
        return {"left": "L", "right": "R", "both": "bilateral", "midline": ""}[self.value]


@dataclass(frozen=True)
class ChosenPoint:
    """One point of a session or prescription: its code (``"LI4"``) and side."""

    code: str
    side: Side = Side.BOTH

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "side": self.side.value}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ChosenPoint:
        try:
            side = Side(str(data.get("side", "both")))
        except ValueError:
            side = Side.BOTH
        return cls(str(data.get("code", "")), side)

    def text(self) -> str:
        """``"LI4 bilateral"``, ``"GB21 L"``, ``"GV20"``."""
        return f"{self.code} {self.side.label}".strip()


@dataclass(frozen=True)
class Needling:
    """What was needled in one session. ``needles_out`` is the count of needles removed,
    asked for when the note is signed; ``None`` means not counted yet."""

    points: tuple[ChosenPoint, ...] = ()
    needles_in: int | None = None
    needles_out: int | None = None
    retention_minutes: int | None = None
    electro_hz: int | None = None  # electro-stimulation frequency; None: none given
    moxibustion: bool = False
    cupping: bool = False

    @property
    def is_blank(self) -> bool:
        return self == Needling()

    @property
    def needle_count(self) -> int:
        """Needles the chosen points take: two for a bilateral point, else one."""
        return sum(2 if p.side is Side.BOTH else 1 for p in self.points)

    def as_dict(self) -> dict[str, Any]:
        """As stored in a note's signed version."""
        return {
            "points": [p.as_dict() for p in self.points],
            "needles_in": self.needles_in,
            "needles_out": self.needles_out,
            "retention_minutes": self.retention_minutes,
            "electro_hz": self.electro_hz,
            "moxibustion": self.moxibustion,
            "cupping": self.cupping,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Needling:
        if not data:
            return cls()
        return cls(
            points=tuple(ChosenPoint.from_dict(p) for p in data.get("points") or ()),
            needles_in=data.get("needles_in"),
            needles_out=data.get("needles_out"),
            retention_minutes=data.get("retention_minutes"),
            electro_hz=data.get("electro_hz"),
            moxibustion=bool(data.get("moxibustion")),
            cupping=bool(data.get("cupping")),
        )

    def summary(self) -> str:
        """One line for a chart or history: points, needles, stimulation."""
        parts = []
        if self.points:
            parts.append(", ".join(p.text() for p in self.points))
        if self.needles_in is not None:
            counted = (
                f", {self.needles_out} out" if self.needles_out is not None else ", not counted out"
            )
            parts.append(f"{self.needles_in} needles in{counted}")
        if self.retention_minutes is not None:
            parts.append(f"retained {self.retention_minutes} min")
        if self.electro_hz is not None:
            parts.append(f"electro {self.electro_hz} Hz")
        if self.moxibustion:
            parts.append("moxibustion")
        if self.cupping:
            parts.append("cupping")
        return "; ".join(parts)


@dataclass(frozen=True)
class PrescriptionInput:
    """A point prescription as the practitioner saves it."""

    name: str
    condition: str = ""
    points: tuple[ChosenPoint, ...] = ()
    retention_minutes: int | None = None
    electro_hz: int | None = None
    moxibustion: bool = False
    cupping: bool = False
    notes: str = ""


@dataclass(frozen=True)
class PrescriptionView:
    id: int
    name: str
    condition: str
    points: tuple[ChosenPoint, ...]
    retention_minutes: int | None
    electro_hz: int | None
    moxibustion: bool
    cupping: bool
    notes: str


class AdverseKind(StrEnum):
    """What went wrong; ``PNEUMOTHORAX`` (suspected) is a red flag."""

    BRUISING = "bruising"
    FAINTING = "fainting"
    PAIN = "pain"
    STUCK_NEEDLE = "stuck_needle"
    PNEUMOTHORAX = "pneumothorax"
    NEEDLE_UNACCOUNTED = "needle_unaccounted"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]

    @property
    def red_flag(self) -> bool:
        return self is AdverseKind.PNEUMOTHORAX


_KIND_LABELS = {
    AdverseKind.BRUISING: "Bruising",
    AdverseKind.FAINTING: "Fainting or near-fainting",
    AdverseKind.PAIN: "Pain at a needle site",
    AdverseKind.STUCK_NEEDLE: "Stuck needle",
    AdverseKind.PNEUMOTHORAX: "Suspected pneumothorax (red flag)",
    AdverseKind.NEEDLE_UNACCOUNTED: "Needle not accounted for",
    AdverseKind.OTHER: "Other",
}


@dataclass(frozen=True)
class AdverseEventInput:
    patient_id: int
    kind: AdverseKind
    action_taken: str
    description: str = ""
    note_id: int | None = None
    occurred_at: datetime | None = None  # None: now


@dataclass(frozen=True)
class AdverseEventView:
    id: int
    patient_id: int
    practitioner_name: str
    note_id: int | None
    kind: AdverseKind
    occurred_at: datetime
    description: str
    action_taken: str
    recorded_by: str

    @property
    def red_flag(self) -> bool:
        return self.kind.red_flag
