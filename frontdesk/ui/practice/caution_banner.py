"""The caution banner: what the patient's intake says to watch for, above the chart and the
session note, so nobody needles a patient on a blood thinner without seeing it."""

from __future__ import annotations

from datetime import tzinfo

from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from frontdesk.intake import Caution
from frontdesk.timefmt import fmt_date
from frontdesk.ui import qtbits

STYLE = (
    "QFrame#cautionBanner { background: #fbefec; border: 1px solid #c9826f;"
    " border-radius: 6px; }"
    " QFrame#cautionBanner QLabel { color: #6e2417; background: transparent; }"
)


class CautionBanner(QFrame):
    """Hidden until a caution is set; one line per caution, the intake's date in the title."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cautionBanner")
        self.setStyleSheet(STYLE)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(2)
        self.title = qtbits.label(name="cautionTitle")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.lines = QLabel(wordWrap=True)
        layout.addWidget(self.title)
        layout.addWidget(self.lines)
        self.cautions: list[Caution] = []
        self.hide()

    def set_cautions(self, cautions: list[Caution], tz: tzinfo | None = None) -> None:
        self.cautions = list(cautions)
        if not cautions:
            self.hide()
            return
        latest = max(c.recorded_at for c in cautions)
        noun = "Caution" if len(cautions) == 1 else f"{len(cautions)} cautions"
        self.title.setText(f"\u26a0 {noun} from the intake of {fmt_date(latest, tz)}")
        self.lines.setText("\n".join(f"\u2022 {c.line}" for c in cautions))
        self.show()

    def text(self) -> str:
        """Everything the banner says (what tests and screen readers read)."""
        return f"{self.title.text()}\n{self.lines.text()}" if not self.isHidden() else ""
