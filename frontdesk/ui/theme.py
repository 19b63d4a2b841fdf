"""Look and feel: one style, one palette, one stylesheet, icons from ``resources/icons``.

Kept in one place so every page looks like part of the same product and a clinic can be given
a different accent colour by editing ``resources/style.qss`` alone.

The style sheet is set on the app's own top-level windows (``style_window``), not on the
application: dialogs, menus and tool tips inherit it from the window they belong to, while
Qt's file dialog, opened without a styled parent (``file_dialogs``), keeps Qt's own look. On
the application the sheet reached that dialog too and painted its list of places dark on dark
(Qt names that list "sidebar", as the app names its navigation).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor, QFont, QFontDatabase, QIcon, QPalette
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleOption, QWidget

from frontdesk import paths
from frontdesk.domain import AppointmentStatus
from frontdesk.ui.wheel import guard_field

ACCENT = "#2b7a78"
ERROR = "#b3261e"
MUTED = "#6b7c87"

# (text, fill) of each appointment status: the calendar's badges and My day's status column
# use this one table, so a no-show is the same colour wherever it appears.
STATUS_COLOURS: dict[AppointmentStatus, tuple[str, str]] = {
    AppointmentStatus.BOOKED: ("#1d2b33", "#ffffff"),
    AppointmentStatus.CHECKED_IN: ("#1e6b3a", "#d8f0df"),
    AppointmentStatus.COMPLETED: ("#3f4f59", "#e2e8ec"),
    AppointmentStatus.CANCELLED: ("#8a2a22", "#f8e1de"),
    AppointmentStatus.NO_SHOW: ("#8a4b00", "#fbe8cc"),
}


def status_text_colour(status: AppointmentStatus) -> QColor:
    """The colour a status is written in."""
    return QColor(STATUS_COLOURS[status][0])


def status_fill_colour(status: AppointmentStatus) -> QColor:
    """The background of a status badge."""
    return QColor(STATUS_COLOURS[status][1])


class _FrontdeskStyle(QProxyStyle):
    """Fusion, with words alone on dialog buttons.

    On Linux desktops Qt puts a stock icon beside every dialog button (a floppy disk on
    "Sign in", a cross on "Cancel appointment") and the icon pushed the words out of the
    button ("Sign ir"). The buttons say what they do; the icons are left off everywhere.
    """

    def styleHint(
        self,
        hint: QStyle.StyleHint,
        option: QStyleOption | None = None,
        widget: QWidget | None = None,
        returnData: object = None,
    ) -> int:
        if hint == QStyle.StyleHint.SH_DialogButtonBox_ButtonsHaveIcons:
            return 0
        return super().styleHint(hint, option, widget, returnData)  # type: ignore[arg-type]

    def polish(self, target: Any) -> Any:  # Qt's three overloads: a widget, app or palette
        """Each combo box and spin box leaves the mouse wheel to its form unless focused
        (``wheel.guard_field``): scrolling a form never changes a field under the pointer."""
        if isinstance(target, QWidget):
            guard_field(target)
        return super().polish(target)


# Set on the application by ``apply_theme``: the windows it opens wear the style sheet.
THEMED = "frontdeskThemed"


def apply_theme(app: QApplication) -> None:
    """Fusion style (the same on every platform), a calm light palette, and the stylesheet for
    every window ``style_window`` is given."""
    app.setStyle(_FrontdeskStyle("Fusion"))
    font = QFont(app.font())
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
    font.setFamilies([font.family(), *fallback_families()])
    app.setFont(font)
    palette = app.palette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#f3f6f8"))
    palette.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    palette.setColor(QPalette.ColorRole.AlternateBase, QColor("#f6f9fa"))
    palette.setColor(QPalette.ColorRole.Highlight, QColor("#d3ebe8"))
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor("#10282b"))
    palette.setColor(QPalette.ColorRole.Text, QColor("#1d2b33"))
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#1d2b33"))
    palette.setColor(QPalette.ColorRole.ButtonText, QColor("#1d2b33"))
    palette.setColor(QPalette.ColorRole.PlaceholderText, QColor("#8a99a3"))
    palette.setColor(QPalette.ColorRole.Link, QColor(ACCENT))
    app.setPalette(palette)
    app.setProperty(THEMED, True)


def style_window(window: QWidget) -> None:
    """The app's style sheet on one of its top-level windows (the main window, the sign-in
    dialogs), once ``apply_theme`` dressed the application; what it opens inherits it."""
    app = QCoreApplication.instance()
    if app is not None and app.property(THEMED):
        window.setStyleSheet(stylesheet())


# The handouts embed this font for Chinese, Japanese and Korean names; registering it with Qt
# too means a desk without such a system font shows 王秀英 on screen as it prints, not as boxes.
FALLBACK_FONT = ("fonts", "DroidSansFallbackFull.ttf")


def fallback_families() -> list[str]:
    """Families of the bundled fallback font, registered with Qt (7 ms); none if it is missing."""
    font_id = QFontDatabase.addApplicationFont(str(paths.resource(*FALLBACK_FONT)))
    return QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []


@lru_cache(maxsize=1)
def stylesheet() -> str:
    """The application stylesheet, or none if the file is missing (the app still works)."""
    path = paths.resource("style.qss")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return ""
    # url(@icons/x.svg) in the file means the icons folder wherever resources are installed.
    return text.replace("@icons/", paths.resource("icons").as_posix() + "/")


def icon(name: str) -> QIcon:
    """An icon from ``resources/icons/<name>.svg``; an empty icon if it is missing."""
    path = paths.resource("icons", f"{name}.svg")
    return QIcon(str(path)) if path.exists() else QIcon()
