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


def test_the_wheel_scrolls_a_form_and_never_changes_a_field_it_passes(qtbot, qapp) -> None:  # type: ignore[no-untyped-def]
    """Scrolling Settings with the wheel once turned the clinic's time zone into whatever
    zone passed under the pointer; a field takes the wheel only once the user picked it."""
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QComboBox, QScrollArea, QSpinBox, QVBoxLayout, QWidget

    apply_theme(qapp)
    area = QScrollArea()
    form = QWidget()
    column = QVBoxLayout(form)
    zone, minutes = QComboBox(), QSpinBox()
    zone.addItems(["America/Edmonton", "America/Halifax", "America/Regina"])
    minutes.setValue(5)
    column.addWidget(zone)
    column.addWidget(minutes)
    column.addSpacing(2000)  # a form taller than its window
    area.setWidget(form)
    area.resize(300, 200)
    qtbot.addWidget(area)
    area.show()
    qtbot.waitExposed(area)

    def wheel(widget: QWidget) -> bool:
        """One notch of the wheel over ``widget``; whether the widget kept the event (an
        ignored one is what Qt hands on to the form around it, which then scrolls)."""
        middle = QPointF(widget.rect().center())
        event = QWheelEvent(
            middle,
            QPointF(widget.mapToGlobal(middle)),
            QPoint(0, 0),
            QPoint(0, -120),  # one notch towards the user: scroll down
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QApplication.sendEvent(widget, event)
        return event.isAccepted()

    assert not wheel(zone) and not wheel(minutes)  # handed on to the form
    assert (zone.currentText(), minutes.value()) == ("America/Edmonton", 5)
    zone.setFocus()
    qtbot.waitUntil(zone.hasFocus)
    assert wheel(zone)  # picked: the wheel is the user's way to change it
    assert zone.currentText() == "America/Halifax"
