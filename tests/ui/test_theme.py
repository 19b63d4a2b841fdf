"""The app's look: what every screen inherits from ``apply_theme``."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication

from frontdesk.ui.theme import apply_theme


def drawable(text: str, font: QFont) -> bool:
    """Whether every character has a glyph in one of the font's families (not a box)."""
    metrics = [QFontMetrics(QFont(family)) for family in font.families()]
    return all(any(m.inFontUcs4(ord(ch)) for m in metrics) for ch in text if not ch.isspace())


def test_chinese_and_japanese_names_are_drawn_on_screen_as_on_paper(qapp: QApplication) -> None:
    # The handouts embed a CJK font; without it on screen, 王秀英 is three boxes on a desk
    # that has no such system font, while her handout prints her name.
    apply_theme(qapp)
    for name in ("王秀英", "山田花子", "Zoë Łukasz"):
        assert drawable(name, qapp.font()), name
