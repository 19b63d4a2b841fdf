"""What "nothing is cut off" means for a window, as a list of what is.

A label or button whose words are wider than the room it was given shows them clipped
("Sign ir"); a widget pushed past its window's edge cannot be seen at all; a window larger than
the screen hides its own buttons. ``cut_off(window, screen)`` names every such widget so a test
can show a person exactly what to look at.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetrics, QScreen, QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QCheckBox,
    QComboBox,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QStyle,
    QStyleOptionButton,
    QStyleOptionComboBox,
    QTabBar,
    QToolButton,
    QWidget,
)

# Widgets that shorten their own text when room is short, with the whole of it in a tool tip;
# their text is checked like any other, they are listed to say why none of them is exempt.
ELIDING = ("FittingLabel",)


def describe(widget: QWidget) -> str:
    """``QLabel 'Tue 1 Dec' (calendarTitle) in CalendarToolbar``: enough to find it."""
    text = ""
    if isinstance(widget, (QLabel, QAbstractButton)):
        text = f" {plain_text(widget)[:40]!r}"
    name = f" ({widget.objectName()})" if widget.objectName() else ""
    owner = widget.parentWidget()
    while owner is not None and type(owner).__module__.startswith("PySide6"):
        owner = owner.parentWidget()
    where = f" in {type(owner).__name__}" if owner is not None else ""
    return f"{type(widget).__name__}{text}{name}{where}"


def plain_text(widget: QLabel | QAbstractButton) -> str:
    text = widget.text()
    if isinstance(widget, QLabel) and (
        widget.textFormat().name == "RichText" or ("<" in text and ">" in text)
    ):
        doc = QTextDocument()
        doc.setHtml(text)
        text = doc.toPlainText()
    if (
        isinstance(widget, QAbstractButton)
        or ("&" in text and not isinstance(widget, QLabel))
        or (isinstance(widget, QLabel) and widget.buddy() is not None)
    ):
        text = text.replace("&&", "\0").replace("&", "").replace("\0", "&")
    return text


def _in_scrolled_content(widget: QWidget, top: QWidget) -> bool:
    """True inside a scroll area's viewport: such content may run past the edge and be
    scrolled to."""
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        grand = parent.parentWidget()
        if isinstance(grand, QAbstractScrollArea) and grand.viewport() is parent:
            return True
        parent = grand
    return False


def _label_problem(label: QLabel) -> str | None:
    text = plain_text(label)
    if not text.strip() or (label.pixmap() is not None and not label.pixmap().isNull()):
        return None
    metrics = label.fontMetrics()
    room = label.contentsRect().adjusted(
        label.margin() + max(label.indent(), 0), label.margin(), -label.margin(), -label.margin()
    )
    if label.wordWrap():
        widest = max(metrics.horizontalAdvance(word) for word in text.split())
        if widest > room.width():
            return f"a word is {widest} px wide in {room.width()} px"
        needed = label.heightForWidth(label.width())
        if needed > label.height() + 1:
            return f"needs {needed} px of height, has {label.height()}"
        return None
    lines = text.split("\n")
    widest = max(metrics.horizontalAdvance(line) for line in lines)
    if widest > room.width():
        return f"text is {widest} px wide in {room.width()} px"
    high = metrics.height() * len(lines)
    if high > room.height() + 1:
        return f"text is {high} px high in {room.height()} px"
    return None


def _push_button_problem(button: QPushButton) -> str | None:
    option = QStyleOptionButton()
    button.initStyleOption(option)
    contents = button.style().subElementRect(
        QStyle.SubElement.SE_PushButtonContents, option, button
    )
    metrics = QFontMetrics(button.font())
    needed = metrics.horizontalAdvance(plain_text(button))
    if not button.icon().isNull():
        needed += button.iconSize().width() + 4
    if needed > contents.width():
        return f"text needs {needed} px, has {contents.width()}"
    if metrics.height() > contents.height() + 2:
        return f"text is {metrics.height()} px high in {contents.height()} px"
    return None


def _ink_width(button: QPushButton) -> int:
    """How many pixel columns of the button's middle band its words are drawn in."""
    picture = button.grab().toImage()
    middle = picture.height() // 2
    rows = range(max(0, middle - 4), min(picture.height(), middle + 5))
    inside = range(4, picture.width() - 4)  # the border and its rounded corners left out
    ground = picture.pixelColor(inside.start, 3)
    ground_sum = ground.red() + ground.green() + ground.blue()

    def inked(x: int) -> bool:
        for y in rows:
            colour = picture.pixelColor(x, y)
            if abs(colour.red() + colour.green() + colour.blue() - ground_sum) > 120:
                return True
        return False

    return sum(1 for x in inside if inked(x))


def _drawn_words_problem(button: QPushButton) -> str | None:
    """Words the style draws wider than it measured (a bold default button) are cut when the
    button is drawn: compare its words drawn as it is and drawn with room to spare."""
    shown = _ink_width(button)
    geometry = button.geometry()
    button.resize(geometry.width() + 200, geometry.height())
    roomy = _ink_width(button)
    button.setGeometry(geometry)
    if shown < roomy - 2:
        return f"its words are drawn {shown} px wide, {roomy} px with room: they are cut"
    return None


def _button_problem(button: QAbstractButton) -> str | None:
    if not plain_text(button).strip():
        return None
    if isinstance(button, QPushButton):
        return _push_button_problem(button) or _drawn_words_problem(button)
    if isinstance(button, (QToolButton, QCheckBox, QRadioButton)):
        hint = button.sizeHint()
        if button.width() < hint.width():
            return f"{button.width()} px wide, its text needs {hint.width()}"
        if button.height() < hint.height() - 2:
            return f"{button.height()} px high, its text needs {hint.height()}"
    return None


def _combo_problem(combo: QComboBox) -> str | None:
    text = combo.currentText()
    if not text or combo.isEditable():
        return None
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    field = combo.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, combo
    )
    needed = combo.fontMetrics().horizontalAdvance(text)
    if needed > field.width():
        return f"{text!r} needs {needed} px, has {field.width()}"
    return None


def _tab_bar_problem(bar: QTabBar) -> str | None:
    room = bar.rect()
    for index in range(bar.count()):
        if not bar.isTabVisible(index):
            continue
        rect = bar.tabRect(index)
        if not room.contains(rect):
            return f"tab {bar.tabText(index)!r} lies outside the bar (scrolled away)"
        if rect.width() < bar.tabSizeHint(index).width() - 1:
            return f"tab {bar.tabText(index)!r} is narrower than its text"
    return None


def _scroll_area_problem(area: QScrollArea) -> str | None:
    """A panel or form (not a table) that scrolls sideways: its right edge is out of sight."""
    bar = area.horizontalScrollBar()
    if (
        bar.maximum() > 0
        and area.horizontalScrollBarPolicy() != Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    ):
        return f"scrolls sideways by {bar.maximum()} px: its right edge is out of sight"
    return None


def text_problem(widget: QWidget) -> str | None:
    """Why ``widget``'s own words do not fit it, or None."""
    if isinstance(widget, QScrollArea):
        return _scroll_area_problem(widget)
    if isinstance(widget, QLabel):
        return _label_problem(widget)
    if isinstance(widget, QAbstractButton):
        return _button_problem(widget)
    if isinstance(widget, QComboBox):
        return _combo_problem(widget)
    if isinstance(widget, QTabBar):
        return _tab_bar_problem(widget)
    return None


def cut_off(top: QWidget, screen: QScreen) -> list[str]:
    """Everything of the window ``top`` that the screen or the window does not show whole."""
    found: list[str] = []
    area = screen.availableGeometry()
    frame = top.frameGeometry()
    if frame.width() > area.width() or frame.height() > area.height():
        found.append(
            f"{describe(top)} is {frame.width()}×{frame.height()}, the screen "
            f"{area.width()}×{area.height()}"
        )
    elif not area.contains(frame):
        found.append(f"{describe(top)} at {frame.getRect()} runs off the screen {area.getRect()}")
    window = top.rect()
    for widget in top.findChildren(QWidget):
        if widget.isWindow() or not widget.isVisible():
            continue
        scrolled = _in_scrolled_content(widget, top)
        if not scrolled:
            rect = QRect(widget.mapTo(top, widget.rect().topLeft()), widget.size())
            if not window.contains(rect):
                found.append(f"{describe(widget)} at {rect.getRect()} runs past the window")
                continue
        problem = text_problem(widget)
        if problem is not None:
            found.append(f"{describe(widget)}: {problem}")
    return found
